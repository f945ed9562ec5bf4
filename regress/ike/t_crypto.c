/*
 * IKEv1 cryptography (daemon/ike/crypto.c): algorithm tables, HMAC and
 * hash primitives, CBC, and the RFC 2409 derivations against known
 * answers.
 *
 * The derivation answers were computed independently with Python's
 * hashlib/hmac from these formulas (prf = HMAC with the hash; "|" is
 * concatenation; 0, 1, 2, 3 are single octets; M-ID and SPI are 4 bytes
 * big-endian):
 *
 *	SKEYID (PSK)	= prf(PSK, Ni_b | Nr_b)
 *	SKEYID (sig)	= prf(Ni_b | Nr_b, g^xy)
 *	SKEYID (pke)	= prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)
 *	SKEYID_d	= prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *	SKEYID_a	= prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *	SKEYID_e	= prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 *	Ka		= SKEYID_e[:keylen], or K1 | K2 | ... truncated with
 *			  K1 = prf(SKEYID_e, 0), Kn+1 = prf(SKEYID_e, Kn)
 *	HASH_I		= prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b |
 *			  IDii_b)
 *	HASH_R		= prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b |
 *			  IDir_b)
 *	IV (phase 1)	= hash(g^xi | g^xr)[:block]
 *	IV (QM)		= hash(last phase-1 block | M-ID)[:block]
 *	HASH(1)		= prf(SKEYID_a, M-ID | rest1)
 *	HASH(2)		= prf(SKEYID_a, M-ID | Ni_b | rest2)
 *	HASH(3)		= prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 *	KEYMAT		= K1 | K2 | ... truncated to enc + auth key length,
 *			  K1 = prf(SKEYID_d, [g(qm)^xy |] 3 | SPI | Ni_b |
 *			  Nr_b), Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] 3 |
 *			  SPI | Ni_b | Nr_b)
 *	AES-GCM key	= KEYMAT truncated to the AES key length + 4: the
 *			  key, then the salt (RFC 4106 8.1); no auth key
 *
 * The inputs are patterns: pat(n, s) is n bytes, byte i = (s + 13 i) mod
 * 256.  CKY-I 0123456789abcdef, CKY-R fedcba9876543210, PSK "oakleyd test
 * psk", Ni_b pat(20, 0x10), Nr_b pat(24, 0x20), g^xi pat(128, 0x30), g^xr
 * pat(128, 0x40), g^xy pat(128, 0x50), SAi_b pat(48, 0x60), IDii_b
 * 011101f4c0000201, IDir_b 011101f4c6336401, M-ID 0x1a2b3c4d, QM nonces
 * pat(16, 0x70) and pat(16, 0x80), rest1 pat(60, 0x90), rest2 pat(52,
 * 0xa0), SPI 0xc1000001, g(qm)^xy pat(128, 0xb0), last phase-1 block
 * pat(block, 0xc0); the AES-GCM keys use SPI 0xc2000014.
 *
 * CBC vectors: NIST SP 800-38A F.2.1 and F.2.5 (AES-128/256-CBC); for
 * 3DES the three-key ECB example of NIST SP 800-67 ("The qufck brown fox
 * jump"), turned into a CBC vector by chaining: with IV 0 and plaintext
 * P1, P2 ^ C1, P3 ^ C2, CBC yields the ECB ciphertext C1, C2, C3.
 */
#include <atf-c.h>
#include <string.h>

#include "ike/crypto.h"
#include "pfkey.h"
#include "testutil.h"

/* ---- Inputs ---- */

static uint8_t cky_i[8], cky_r[8], ni[20], nr[24], gxi[128], gxr[128],
    gxy[128], sai[48], idii[8], idir[8], qni[16], qnr[16], rest1[60],
    rest2[52], gqm[128], last_block[16];
static const char psk[] = "oakleyd test psk";
#define MSGID	0x1a2b3c4dU
#define SPI	0xc1000001U

#define C(a)	IKE_CHUNK(a, sizeof(a))

static void
pat(uint8_t *p, size_t n, unsigned s)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(s + 13 * i);
}

static void
inputs(void)
{
	ATF_REQUIRE_EQ(tu_hex_decode("0123456789abcdef", cky_i, 8), 8);
	ATF_REQUIRE_EQ(tu_hex_decode("fedcba9876543210", cky_r, 8), 8);
	ATF_REQUIRE_EQ(tu_hex_decode("011101f4c0000201", idii, 8), 8);
	ATF_REQUIRE_EQ(tu_hex_decode("011101f4c6336401", idir, 8), 8);
	pat(ni, sizeof(ni), 0x10);
	pat(nr, sizeof(nr), 0x20);
	pat(gxi, sizeof(gxi), 0x30);
	pat(gxr, sizeof(gxr), 0x40);
	pat(gxy, sizeof(gxy), 0x50);
	pat(sai, sizeof(sai), 0x60);
	pat(qni, sizeof(qni), 0x70);
	pat(qnr, sizeof(qnr), 0x80);
	pat(rest1, sizeof(rest1), 0x90);
	pat(rest2, sizeof(rest2), 0xa0);
	pat(gqm, sizeof(gqm), 0xb0);
	pat(last_block, sizeof(last_block), 0xc0);
}

/* data[0..len) must be the hex string want. */
static void
check_hex(const char *what, const uint8_t *data, size_t len, const char *want)
{
	uint8_t buf[256];
	int n;

	n = tu_hex_decode(want, buf, sizeof(buf));
	ATF_REQUIRE_MSG(n >= 0, "%s: bad hex in test", what);
	ATF_CHECK_EQ_MSG((size_t)n, len, "%s: length %zu, want %d", what,
	    len, n);
	ATF_CHECK_MSG((size_t)n == len && memcmp(buf, data, len) == 0,
	    "%s differs", what);
}

static void
check_buf(const char *what, const struct ike_buf *b, const char *want)
{
	check_hex(what, b->data, b->len, want);
}

/* ---- Known answers (Python hashlib/hmac, see the top) ---- */

struct kat {
	uint16_t	 p1_hash, p1_enc, keybits;	/* phase 1 */
	uint16_t	 esp_id, esp_keybits, esp_auth;	/* the ESP SA */
	const char	*skeyid, *skeyid_sig, *skeyid_pke;
	const char	*d, *a, *e, *ka;
	const char	*hash_i, *hash_r, *iv1, *qm_iv;
	const char	*hash1, *hash2, *hash3, *keymat, *keymat_pfs;
};

static const struct kat kats[] = {
	{	/* SHA1 + 3DES (App. B expansion: 20 < 24); ESP 3DES/SHA1 */
		2, 5, 0, 3, 0, 2,
		"167432e6b3a8373b30e0d2c3d0c8ded3a5d4da44",
		"b27c1bd8459d38d9b2a215ce15439eb396dcd0b6",
		"b85f1b8fa241ec0572287796b263e35ba5234f4c",
		"14d5cca867144d3f7058499471de60677574d29a",
		"9b22dcfc53a4428f41349f7edd4b5ecc8158fdad",
		"71a20b9ed9037c0b8e4e914a61d051fd4f89f2a2",
		"ad156edff7f51e8d07a2ac4c013d19124317271e23d3d13c",
		"cd145d61d16e64df95ddcf9bbaf5cb70d30104f1",
		"735f2ea9b58b76e72c6b3e78b8fa8a42f1d47f13",
		"9826ac405f5d0a37",
		"fc73e224a11b123e",
		"e40627cd2bc7a3f3b9ab06ec4148d0ccc099a22d",
		"513560102e111817f85dbf7a35fd62f66dd20b5b",
		"a6832a7887d29426f9f260733fdd911a239c02dd",
		"0aa627a7fb614cb1fb5e41c579dc1a81c8eb4c34cae449f4806327746732"
		"f0a4b7f79a564a16819137b9344c",
		"4407d1283d1290153e01d138ee7a14bd9a5246c504505ba6b57ee5ce86fd"
		"9857a9008b807d49cbc47eec6d50"
	},
	{	/* SHA2-256 + AES-128 (truncation); ESP AES-128/HMAC-SHA256 */
		4, 7, 128, 12, 128, 5,
		"c7742bc2645735b401008ff382465302"
		"f7707d4c778a1795e1063095a9083f4c",
		"92d6f4f8ad810e3927f9b2dda45eeb12"
		"0a129284b4370478a56e7c5e223aefc7",
		"71a023dc8e6ce9f3078eec2e563e91ff"
		"9ab504eefe53e78ad4aeed3a3420847c",
		"a9b0fa0161e0e540bc472cea85e59724"
		"3a689b964985e17a2fafa340af15bbba",
		"2932d4f69e878e5add5bfc27c88ea0bc"
		"dfe30f493f989b6eef50e2b20bbf67df",
		"35fe21e1b14d336a99c6c595537a6c68"
		"5931e1afbfc89318f0ede8d44a9263d8",
		"35fe21e1b14d336a99c6c595537a6c68",
		"a8953cdfccb83f57c282d10d6e756e35"
		"90cc45b280d1d6a9468f8a6f50d437ba",
		"3f4cd7c57ed8e87b650a597fc46970df"
		"7673682490e464b2a4ffda5f5456739a",
		"2ea2c7a9f2aa7be73de6d357ec985de6",
		"3d7afb2c1a37175148f8cd7a22fd8034",
		"160c0d43e722be5cb7b0a2a7e107ee61"
		"7e6c1718f58678617bffdeadf76dd78a",
		"dd55179d0235550c160180b537c9ea8c"
		"5c90a1937e661a0e6549bbb4a27ca6a9",
		"459a0165d5404bfe4d57deec96e84066"
		"81a5754920992becb48b9bbec741415a",
		"8111b698841bdb39d94081edcecb612f"
		"a48ccf486722ca8aab00b90e37a692d2"
		"c7fb80ca9649ebd419cf54382a0101f4",
		"d8d4b831317d4b3e48ee83cb4c26edaf"
		"7d487b5c3ee5aa4ac28c55a6cc176894"
		"d943b78839ff9995e8e9572e83d1c09a"
	},
	{	/* MD5 + AES-256 (expansion to K1 | K2); ESP AES-256/HMAC-MD5 */
		1, 7, 256, 12, 256, 1,
		"daed78206b0fd0d6a778fabd5683b3d7",
		"1ea9f5a6ea6c96c8e0e49565c08c2e34",
		"7962a0d6499b0023c4f1e0096ffe109e",
		"85ff8e768fdb62d01c56db4b44fe0ba1",
		"b1574869719d6d67b754b67c97b7002e",
		"16a25c43c8fa15848fd15760c34837ef",
		"08d26c399e934f1b771402bde35ce215"
		"3c495c4318af0d9d59addc72399d6af1",
		"480369252b58a97b948ffd630bf7dc00",
		"849620e3e3bad6770c6f4cde1ba729bb",
		"42801735c20527628dd2340d9e21d0f3",
		"63919200352e41d7812bf2eb1229f132",
		"e783eef873e5ca0dab337365b0d4a63a",
		"f24d653c78520a0e845414b100f426d3",
		"097fb1292097a01804bc741f47e9be12",
		"1bc127f612ae9430afaf5cd2d5c364b2"
		"c16d7555954532712f5f2255888fd8f1"
		"6c3bdba61637d85e042679d39b0aec56",
		"e6831d12c1d22fcc0ab8bc4e35bc977e"
		"a272b6874fb292e5fd924a39e73c9e70"
		"c269df13ccb95c2ad85d04bcc35e80f6"
	}
};

/* Phase 1: every step on its own, then ike_p1_keys_derive. */
static void
check_phase1(const struct kat *k)
{
	const struct ike_hash_alg *prf = ike_hash_by_p1(k->p1_hash);
	const struct ike_cipher_alg *cipher = ike_cipher_by_p1(k->p1_enc,
	    k->keybits);
	struct ike_buf skeyid, sig, pke, d, a, e, ka;
	struct ike_p1_keys keys;
	uint8_t out[IKE_HASH_MAX], iv[IKE_BLOCK_MAX];

	inputs();
	ATF_REQUIRE(prf != NULL && cipher != NULL);
	ATF_REQUIRE_EQ(ike_skeyid_psk(prf, IKE_CHUNK((const uint8_t *)psk,
	    strlen(psk)), C(ni), C(nr), &skeyid), 0);
	check_buf("SKEYID (PSK)", &skeyid, k->skeyid);
	ATF_REQUIRE_EQ(ike_skeyid_sig(prf, C(ni), C(nr), C(gxy), &sig), 0);
	check_buf("SKEYID (sig)", &sig, k->skeyid_sig);
	ATF_REQUIRE_EQ(ike_skeyid_pke(prf, C(ni), C(nr), cky_i, cky_r, &pke),
	    0);
	check_buf("SKEYID (pke)", &pke, k->skeyid_pke);

	ATF_REQUIRE_EQ(ike_skeyid_dae(prf, IKE_CHUNK_BUF(&skeyid), C(gxy),
	    cky_i, cky_r, &d, &a, &e), 0);
	check_buf("SKEYID_d", &d, k->d);
	check_buf("SKEYID_a", &a, k->a);
	check_buf("SKEYID_e", &e, k->e);
	ATF_REQUIRE_EQ(ike_p1_cipher_key(prf, IKE_CHUNK_BUF(&e),
	    cipher->keylen, &ka), 0);
	check_buf("Ka", &ka, k->ka);

	ATF_REQUIRE_EQ(ike_hash_i(prf, IKE_CHUNK_BUF(&skeyid), C(gxi),
	    C(gxr), cky_i, cky_r, C(sai), C(idii), out), 0);
	check_hex("HASH_I", out, prf->len, k->hash_i);
	ATF_REQUIRE_EQ(ike_hash_r(prf, IKE_CHUNK_BUF(&skeyid), C(gxi),
	    C(gxr), cky_i, cky_r, C(sai), C(idir), out), 0);
	check_hex("HASH_R", out, prf->len, k->hash_r);
	ATF_REQUIRE_EQ(ike_p1_iv(prf, cipher, C(gxi), C(gxr), iv), 0);
	check_hex("phase-1 IV", iv, cipher->blocklen, k->iv1);

	/* The same through struct ike_p1_keys. */
	memset(&keys, 0, sizeof(keys));
	keys.prf = prf;
	keys.cipher = cipher;
	ATF_REQUIRE_EQ(ike_buf_set(&keys.skeyid, skeyid.data, skeyid.len), 0);
	ATF_REQUIRE_EQ(ike_p1_keys_derive(&keys, C(gxy), C(gxi), C(gxr),
	    cky_i, cky_r), 0);
	check_buf("keys.skeyid_d", &keys.skeyid_d, k->d);
	check_buf("keys.skeyid_a", &keys.skeyid_a, k->a);
	check_buf("keys.skeyid_e", &keys.skeyid_e, k->e);
	check_buf("keys.enc_key", &keys.enc_key, k->ka);
	check_hex("keys.iv", keys.iv, cipher->blocklen, k->iv1);
	ike_p1_keys_free(&keys);
	ATF_CHECK(keys.skeyid.data == NULL && keys.enc_key.data == NULL &&
	    keys.skeyid_e.len == 0);

	ike_buf_free(&skeyid);
	ike_buf_free(&sig);
	ike_buf_free(&pke);
	ike_buf_free(&d);
	ike_buf_free(&a);
	ike_buf_free(&e);
	ike_buf_free(&ka);
}

/* Quick mode: IV, HASH(1..3), informational HASH, KEYMAT and ESP keys. */
static void
check_quick(const struct kat *k)
{
	const struct ike_hash_alg *prf = ike_hash_by_p1(k->p1_hash);
	const struct ike_cipher_alg *p1c = ike_cipher_by_p1(k->p1_enc,
	    k->keybits);
	const struct ike_cipher_alg *ec = ike_cipher_by_esp(k->esp_id,
	    k->esp_keybits);
	const struct ike_hash_alg *auth = ike_hash_by_esp_auth(k->esp_auth);
	struct ike_buf d, a, km, enc, ak;
	uint8_t out[IKE_HASH_MAX], iv[IKE_BLOCK_MAX], want[128];
	size_t need;

	inputs();
	ATF_REQUIRE(prf != NULL && p1c != NULL && ec != NULL && auth != NULL);
	ATF_REQUIRE(tu_hex_decode(k->d, want, sizeof(want)) > 0);
	ATF_REQUIRE_EQ(ike_buf_set(&d, want, prf->len), 0);
	ATF_REQUIRE(tu_hex_decode(k->a, want, sizeof(want)) > 0);
	ATF_REQUIRE_EQ(ike_buf_set(&a, want, prf->len), 0);

	ATF_REQUIRE_EQ(ike_p2_iv(prf, p1c, last_block, MSGID, iv), 0);
	check_hex("QM IV", iv, p1c->blocklen, k->qm_iv);
	ATF_REQUIRE_EQ(ike_qm_hash1(prf, IKE_CHUNK_BUF(&a), MSGID, C(rest1),
	    out), 0);
	check_hex("HASH(1)", out, prf->len, k->hash1);
	ATF_REQUIRE_EQ(ike_info_hash(prf, IKE_CHUNK_BUF(&a), MSGID, C(rest1),
	    out), 0);
	check_hex("informational HASH", out, prf->len, k->hash1);
	ATF_REQUIRE_EQ(ike_qm_hash2(prf, IKE_CHUNK_BUF(&a), MSGID, C(qni),
	    C(rest2), out), 0);
	check_hex("HASH(2)", out, prf->len, k->hash2);
	ATF_REQUIRE_EQ(ike_qm_hash3(prf, IKE_CHUNK_BUF(&a), MSGID, C(qni),
	    C(qnr), out), 0);
	check_hex("HASH(3)", out, prf->len, k->hash3);

	need = ec->keylen + auth->auth_keylen;
	ATF_REQUIRE_EQ(ike_keymat(prf, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    IKE_PROTO_ESP, SPI, C(qni), C(qnr), &km, need), 0);
	check_buf("KEYMAT", &km, k->keymat);
	ike_buf_free(&km);
	ATF_REQUIRE_EQ(ike_keymat(prf, IKE_CHUNK_BUF(&d), C(gqm),
	    IKE_PROTO_ESP, SPI, C(qni), C(qnr), &km, need), 0);
	check_buf("KEYMAT (PFS)", &km, k->keymat_pfs);

	/* ike_esp_keys: encryption key first, then the auth key. */
	ATF_REQUIRE_EQ(ike_esp_keys(prf, IKE_CHUNK_BUF(&d), C(gqm), SPI,
	    C(qni), C(qnr), ec, auth, &enc, &ak), 0);
	ATF_CHECK_EQ(enc.len, ec->keylen);
	ATF_CHECK_EQ(ak.len, auth->auth_keylen);
	ATF_CHECK(memcmp(enc.data, km.data, enc.len) == 0);
	ATF_CHECK(memcmp(ak.data, km.data + enc.len, ak.len) == 0);

	ike_buf_free(&km);
	ike_buf_free(&enc);
	ike_buf_free(&ak);
	ike_buf_free(&d);
	ike_buf_free(&a);
}

ATF_TC_WITHOUT_HEAD(phase1_sha1_3des);
ATF_TC_BODY(phase1_sha1_3des, tc)
{
	check_phase1(&kats[0]);
}

ATF_TC_WITHOUT_HEAD(phase1_sha256_aes128);
ATF_TC_BODY(phase1_sha256_aes128, tc)
{
	check_phase1(&kats[1]);
}

ATF_TC_WITHOUT_HEAD(phase1_md5_aes256);
ATF_TC_BODY(phase1_md5_aes256, tc)
{
	check_phase1(&kats[2]);
}

ATF_TC_WITHOUT_HEAD(quick_sha1_3des);
ATF_TC_BODY(quick_sha1_3des, tc)
{
	check_quick(&kats[0]);
}

ATF_TC_WITHOUT_HEAD(quick_sha256_aes128);
ATF_TC_BODY(quick_sha256_aes128, tc)
{
	check_quick(&kats[1]);
}

ATF_TC_WITHOUT_HEAD(quick_md5_aes256);
ATF_TC_BODY(quick_md5_aes256, tc)
{
	check_quick(&kats[2]);
}

/* ---- AES-GCM (RFC 4106): key and salt from KEYMAT, no auth key ---- */

#define GCM_SPI	0xc2000014U

ATF_TC_WITHOUT_HEAD(quick_gcm);
ATF_TC_BODY(quick_gcm, tc)
{
	static const struct {
		uint16_t	 p1_hash;	/* the PRF */
		const char	*d;		/* SKEYID_d: kats[0], kats[1] */
		uint16_t	 keybits;
		size_t		 keylen;	/* with the 4-byte salt */
		const char	*key, *key_pfs;
	} v[] = {
		{ 2, "14d5cca867144d3f7058499471de60677574d29a", 128, 20,
		    "2e08542e5dba6cca68d7751ee543d7ec367a960b",
		    "75c0cd9558903dc6ff974fe54eeec57977fea61b" },
		{ 2, "14d5cca867144d3f7058499471de60677574d29a", 256, 36,
		    "2e08542e5dba6cca68d7751ee543d7ec367a960b"
		    "d4d0874613b039b8913d236bbb75b8ef",
		    "75c0cd9558903dc6ff974fe54eeec57977fea61b"
		    "13cf251d6b2b29fe1a5ec4d451656bc4" },
		{ 4, "a9b0fa0161e0e540bc472cea85e59724"
		    "3a689b964985e17a2fafa340af15bbba", 192, 28,
		    "55f0dc32e8a16feb3efc66556b2df869"
		    "6a588b3f9860e38e15ddcfb4",
		    "4e49d6b40d73d2e79badc01453953417"
		    "81437dfafb4e3eb9276f33f8" },
		{ 4, "a9b0fa0161e0e540bc472cea85e59724"
		    "3a689b964985e17a2fafa340af15bbba", 256, 36,
		    "55f0dc32e8a16feb3efc66556b2df869"
		    "6a588b3f9860e38e15ddcfb4593fe751542d058a",
		    "4e49d6b40d73d2e79badc01453953417"
		    "81437dfafb4e3eb9276f33f8157c05e9c99b805a" },
	};
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *prf, *auth;
	struct ike_buf d, enc, ak;
	uint8_t dkey[IKE_HASH_MAX];
	size_t i;
	int n;

	inputs();
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		prf = ike_hash_by_p1(v[i].p1_hash);
		ATF_REQUIRE(prf != NULL);
		n = tu_hex_decode(v[i].d, dkey, sizeof(dkey));
		ATF_REQUIRE(n > 0);
		d.data = dkey;
		d.len = (size_t)n;
		/* ESP_AES_GCM_16 with its Key Length, no auth algorithm. */
		ATF_REQUIRE_EQ(ike_esp_algs(20, v[i].keybits, 0, &c, &auth),
		    0);
		ATF_REQUIRE(c != NULL && auth == NULL);
		ATF_CHECK(c->aead && c->saltlen == 4 &&
		    c->pfkey_ealg == PFKEY_EALG_AESGCM16);
		ATF_CHECK_EQ(c->keylen + c->saltlen, v[i].keylen);
		ATF_REQUIRE_EQ(ike_esp_keys(prf, IKE_CHUNK_BUF(&d),
		    IKE_CHUNK_NONE, GCM_SPI, C(qni), C(qnr), c, NULL, &enc,
		    &ak), 0);
		check_buf("AES-GCM key and salt", &enc, v[i].key);
		ATF_CHECK(ak.len == 0 && ak.data == NULL);
		ike_buf_free(&enc);
		ATF_REQUIRE_EQ(ike_esp_keys(prf, IKE_CHUNK_BUF(&d), C(gqm),
		    GCM_SPI, C(qni), C(qnr), c, NULL, &enc, &ak), 0);
		check_buf("AES-GCM key and salt (PFS)", &enc, v[i].key_pfs);
		ATF_CHECK(ak.len == 0 && ak.data == NULL);
		ike_buf_free(&enc);
		/* An auth key beside AES-GCM is refused. */
		ATF_CHECK_EQ(ike_esp_keys(prf, IKE_CHUNK_BUF(&d),
		    IKE_CHUNK_NONE, GCM_SPI, C(qni), C(qnr), c,
		    ike_hash_by_esp_auth(2), &enc, &ak), -1);
		ATF_CHECK(enc.data == NULL && ak.data == NULL);
	}
}

/* Which ESP ciphers go with which authentication algorithms. */
ATF_TC_WITHOUT_HEAD(esp_algs);
ATF_TC_BODY(esp_algs, tc)
{
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *a;

	ATF_REQUIRE_EQ(ike_esp_algs(12, 128, 2, &c, &a), 0);
	ATF_CHECK(c == ike_cipher_by_esp(12, 128) && a != NULL &&
	    a->pfkey_aalg == PFKEY_AALG_SHA1HMAC);
	ATF_REQUIRE_EQ(ike_esp_algs(20, 192, 0, &c, &a), 0);
	ATF_CHECK(c != NULL && c->keylen == 24 && a == NULL);
	/* AES-CBC needs an auth algorithm, AES-GCM takes none. */
	ATF_CHECK_EQ(ike_esp_algs(12, 128, 0, &c, &a), -1);
	ATF_CHECK(c == NULL && a == NULL);
	ATF_CHECK_EQ(ike_esp_algs(20, 128, 2, &c, &a), -1);
	ATF_CHECK(c == NULL && a == NULL);
	/* GCM needs its Key Length, one of 128, 192, 256. */
	ATF_CHECK_EQ(ike_esp_algs(20, 0, 0, &c, &a), -1);
	ATF_CHECK_EQ(ike_esp_algs(20, 64, 0, &c, &a), -1);
	/* AES-GCM-8 and -12 (18, 19) are not offered or taken. */
	ATF_CHECK_EQ(ike_esp_algs(18, 128, 0, &c, &a), -1);
	ATF_CHECK_EQ(ike_esp_algs(19, 128, 0, &c, &a), -1);
	ATF_CHECK_EQ(ike_esp_algs(12, 128, 9, &c, &a), -1);	/* XCBC */
	/* Never a phase-1 cipher. */
	ATF_CHECK(ike_cipher_by_p1(20, 128) == NULL);
	ATF_CHECK(ike_cipher_by_p1(0, 128) == NULL);
}

/* ---- KEYMAT lengths and edge cases ---- */

ATF_TC_WITHOUT_HEAD(keymat_lengths);
ATF_TC_BODY(keymat_lengths, tc)
{
	const struct ike_hash_alg *sha1 = ike_hash_by_p1(2);
	struct ike_buf d, full, part, enc, ak;
	uint8_t key[20];
	size_t n;

	inputs();
	pat(key, sizeof(key), 0xd0);
	d.data = key;
	d.len = sizeof(key);
	/* Every prefix of a long KEYMAT is the KEYMAT of that length. */
	ATF_REQUIRE_EQ(ike_keymat(sha1, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    IKE_PROTO_ESP, SPI, C(qni), C(qnr), &full, 100), 0);
	for (n = 1; n <= 100; n += 19) {
		ATF_REQUIRE_EQ(ike_keymat(sha1, IKE_CHUNK_BUF(&d),
		    IKE_CHUNK_NONE, IKE_PROTO_ESP, SPI, C(qni), C(qnr), &part,
		    n), 0);
		ATF_CHECK_EQ(part.len, n);
		ATF_CHECK(memcmp(part.data, full.data, n) == 0);
		ike_buf_free(&part);
	}
	/* Another SPI or protocol gives other keys. */
	ATF_REQUIRE_EQ(ike_keymat(sha1, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    IKE_PROTO_AH, SPI, C(qni), C(qnr), &part, 20), 0);
	ATF_CHECK(memcmp(part.data, full.data, 20) != 0);
	ike_buf_free(&part);
	ATF_REQUIRE_EQ(ike_keymat(sha1, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    IKE_PROTO_ESP, SPI + 1, C(qni), C(qnr), &part, 20), 0);
	ATF_CHECK(memcmp(part.data, full.data, 20) != 0);
	ike_buf_free(&part);
	/* ESP_NULL with HMAC-SHA1: no encryption key, 20 auth bytes. */
	ATF_REQUIRE_EQ(ike_esp_keys(sha1, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    SPI, C(qni), C(qnr), ike_cipher_by_esp(11, 0),
	    ike_hash_by_esp_auth(2), &enc, &ak), 0);
	ATF_CHECK(enc.len == 0 && enc.data == NULL);
	ATF_CHECK(ak.len == 20 && memcmp(ak.data, full.data, 20) == 0);
	ike_buf_free(&ak);
	/* ESP_NULL without authentication is refused. */
	ATF_CHECK_EQ(ike_esp_keys(sha1, IKE_CHUNK_BUF(&d), IKE_CHUNK_NONE,
	    SPI, C(qni), C(qnr), ike_cipher_by_esp(11, 0), NULL, &enc, &ak),
	    -1);
	ike_buf_free(&full);
}

/* ---- Primitives ---- */

/* RFC 2202 / RFC 4231 test case 2; and chunking must not matter. */
ATF_TC_WITHOUT_HEAD(prf_rfc4231);
ATF_TC_BODY(prf_rfc4231, tc)
{
	static const struct {
		uint16_t	 p1_id;
		const char	*mac;
	} v[] = {
		{ 1, "750c783e6ab0b503eaa86e310a5db738" },
		{ 2, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ 4, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b9"
		    "64ec3843" },
		{ 5, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373"
		    "6322445e8e2240ca5e69e2c78b3239ecfab21649" },
		{ 6, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7"
		    "ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b6"
		    "36e070a38bce737" }
	};
	static const char data[] = "what do ya want for nothing?";
	const struct ike_chunk whole = IKE_CHUNK((const uint8_t *)data,
	    strlen(data));
	const struct ike_chunk parts[3] = {
		IKE_CHUNK((const uint8_t *)data, 4), IKE_CHUNK_NONE,
		IKE_CHUNK((const uint8_t *)data + 4, strlen(data) - 4)
	};
	uint8_t out[IKE_HASH_MAX];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct ike_hash_alg *h = ike_hash_by_p1(v[i].p1_id);

		ATF_REQUIRE(h != NULL);
		ATF_REQUIRE_EQ(ike_prf(h, IKE_CHUNK((const uint8_t *)"Jefe", 4),
		    &whole, 1, out), 0);
		check_hex(h->name, out, h->len, v[i].mac);
		ATF_REQUIRE_EQ(ike_prf(h, IKE_CHUNK((const uint8_t *)"Jefe", 4),
		    parts, 3, out), 0);
		check_hex(h->name, out, h->len, v[i].mac);
	}
}

ATF_TC_WITHOUT_HEAD(digest);
ATF_TC_BODY(digest, tc)
{
	const struct ike_chunk abc[2] = {
		IKE_CHUNK((const uint8_t *)"a", 1),
		IKE_CHUNK((const uint8_t *)"bc", 2)
	};
	uint8_t out[IKE_HASH_MAX];

	/* FIPS 180-2 "abc" */
	ATF_REQUIRE_EQ(ike_digest(ike_hash_by_p1(2), abc, 2, out), 0);
	check_hex("SHA1(abc)", out, 20,
	    "a9993e364706816aba3e25717850c26c9cd0d89d");
	ATF_REQUIRE_EQ(ike_digest(ike_hash_by_p1(4), abc, 2, out), 0);
	check_hex("SHA256(abc)", out, 32, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	ATF_CHECK_EQ(ike_digest(NULL, abc, 2, out), -1);
}

/* SP 800-38A F.1/F.2 plaintext, four blocks. */
static const char sp800_38a_pt[] =
    "6bc1bee22e409f96e93d7e117393172a" "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef" "f69f2445df4f9b17ad2b417be66c3710";

/*
 * CBC both ways, whole and in two chained calls (the IV passed on must
 * be the last ciphertext block), and in place.
 */
static void
check_cbc(const struct ike_cipher_alg *c, const char *keyhex,
    const char *ivhex, const uint8_t *pt, const char *cthex, size_t len)
{
	uint8_t key[32], iv0[16], iv[16], out[64], buf[64], ct[64];
	size_t half;

	ATF_REQUIRE(c != NULL && len <= sizeof(out));
	half = len / c->blocklen / 2 * c->blocklen;
	ATF_REQUIRE_EQ((size_t)tu_hex_decode(keyhex, key, sizeof(key)),
	    c->keylen);
	ATF_REQUIRE_EQ((size_t)tu_hex_decode(ivhex, iv0, sizeof(iv0)),
	    c->blocklen);
	ATF_REQUIRE_EQ((size_t)tu_hex_decode(cthex, ct, sizeof(ct)), len);

	memcpy(iv, iv0, c->blocklen);
	ATF_REQUIRE_EQ(ike_cbc(c, true, key, iv, pt, out, len), 0);
	check_hex(c->name, out, len, cthex);
	ATF_CHECK(memcmp(iv, ct + len - c->blocklen, c->blocklen) == 0);

	memcpy(iv, iv0, c->blocklen);
	ATF_REQUIRE_EQ(ike_cbc(c, true, key, iv, pt, out, half), 0);
	ATF_REQUIRE_EQ(ike_cbc(c, true, key, iv, pt + half, out + half,
	    len - half), 0);
	check_hex("chained encryption", out, len, cthex);

	memcpy(buf, ct, len);
	memcpy(iv, iv0, c->blocklen);
	ATF_REQUIRE_EQ(ike_cbc(c, false, key, iv, buf, buf, half), 0);
	ATF_REQUIRE_EQ(ike_cbc(c, false, key, iv, buf + half, buf + half,
	    len - half), 0);
	ATF_CHECK(memcmp(buf, pt, len) == 0);
	ATF_CHECK(memcmp(iv, ct + len - c->blocklen, c->blocklen) == 0);
}

ATF_TC_WITHOUT_HEAD(cbc_aes128_sp800_38a);
ATF_TC_BODY(cbc_aes128_sp800_38a, tc)
{
	uint8_t pt[64];

	ATF_REQUIRE_EQ(tu_hex_decode(sp800_38a_pt, pt, sizeof(pt)), 64);
	check_cbc(ike_cipher_by_p1(7, 128), "2b7e151628aed2a6abf7158809cf4f3c",
	    "000102030405060708090a0b0c0d0e0f", pt,
	    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
	    "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
	    64);
}

ATF_TC_WITHOUT_HEAD(cbc_aes256_sp800_38a);
ATF_TC_BODY(cbc_aes256_sp800_38a, tc)
{
	uint8_t pt[64];

	ATF_REQUIRE_EQ(tu_hex_decode(sp800_38a_pt, pt, sizeof(pt)), 64);
	check_cbc(ike_cipher_by_esp(12, 256),
	    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	    "000102030405060708090a0b0c0d0e0f", pt,
	    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
	    "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
	    64);
}

ATF_TC_WITHOUT_HEAD(cbc_3des_sp800_67);
ATF_TC_BODY(cbc_3des_sp800_67, tc)
{
	/* ECB: "The qufck brown fox jump" -> ct (SP 800-67 example). */
	static const char ecb_ct[] =
	    "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900";
	const char *p = "The qufck brown fox jump";
	uint8_t pt[24], ct[24];
	size_t i;

	ATF_REQUIRE_EQ(tu_hex_decode(ecb_ct, ct, sizeof(ct)), 24);
	/* CBC plaintext P1, P2 ^ C1, P3 ^ C2 with IV 0 encrypts to C. */
	for (i = 0; i < 24; i++)
		pt[i] = (uint8_t)p[i] ^ (i < 8 ? 0 : ct[i - 8]);
	check_cbc(ike_cipher_by_p1(5, 0),
	    "0123456789abcdef23456789abcdef01456789abcdef0123",
	    "0000000000000000", pt, ecb_ct, 24);
}

ATF_TC_WITHOUT_HEAD(cbc_reject);
ATF_TC_BODY(cbc_reject, tc)
{
	const struct ike_cipher_alg *aes = ike_cipher_by_p1(7, 128);
	uint8_t key[16] = { 0 }, iv[16] = { 0 }, buf[32] = { 0 };

	ATF_CHECK_EQ(ike_cbc(aes, true, key, iv, buf, buf, 17), -1);
	ATF_CHECK_EQ(ike_cbc(aes, true, key, iv, buf, buf, 8), -1);
	ATF_CHECK_EQ(ike_cbc(ike_cipher_by_esp(11, 0), true, key, iv, buf,
	    buf, 16), -1);
	ATF_CHECK_EQ(ike_cbc(NULL, true, key, iv, buf, buf, 16), -1);
	ATF_CHECK_EQ(ike_cbc(aes, true, key, iv, buf, buf, 0), 0);
}

/* ---- Tables ---- */

ATF_TC_WITHOUT_HEAD(tables);
ATF_TC_BODY(tables, tc)
{
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *h;

	c = ike_cipher_by_p1(5, 0);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK(c->keylen == 24 && c->blocklen == 8 && c->esp_id == 3 &&
	    c->pfkey_ealg == PFKEY_EALG_3DESCBC);
	c = ike_cipher_by_p1(7, 192);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK(c->keylen == 24 && c->blocklen == 16 &&
	    c->pfkey_ealg == PFKEY_EALG_AESCBC);
	ATF_CHECK(ike_cipher_by_p1(7, 0) == NULL);	/* AES needs a length */
	ATF_CHECK(ike_cipher_by_p1(7, 64) == NULL);
	ATF_CHECK(ike_cipher_by_p1(5, 192) == NULL);	/* 3DES has none */
	ATF_CHECK(ike_cipher_by_p1(1, 0) == NULL);	/* DES: not offered */
	ATF_CHECK(ike_cipher_by_p1(0, 0) == NULL);
	ATF_CHECK(ike_cipher_by_p1(11, 0) == NULL);	/* NULL: ESP only */
	c = ike_cipher_by_esp(12, 256);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK(c->keylen == 32 && c->p1_id == 7);
	c = ike_cipher_by_esp(11, 0);
	ATF_REQUIRE(c != NULL);
	ATF_CHECK(c->keylen == 0 && c->pfkey_ealg == PFKEY_EALG_NULL);

	h = ike_hash_by_p1(2);
	ATF_REQUIRE(h != NULL);
	ATF_CHECK(h->len == 20 && h->esp_auth == 2 && h->ah_id == 3 &&
	    h->pfkey_aalg == PFKEY_AALG_SHA1HMAC);
	h = ike_hash_by_esp_auth(5);
	ATF_REQUIRE(h != NULL);
	ATF_CHECK(h->p1_id == 4 && h->len == 32 && h->auth_keylen == 32 &&
	    h->pfkey_aalg == PFKEY_AALG_SHA2_256);
	h = ike_hash_by_esp_auth(1);
	ATF_REQUIRE(h != NULL);
	ATF_CHECK(h->auth_keylen == 16 && h->pfkey_aalg == PFKEY_AALG_MD5HMAC);
	ATF_CHECK(ike_hash_by_ah(7) == ike_hash_by_p1(6));
	ATF_CHECK(ike_hash_by_p1(3) == NULL);		/* Tiger */
	ATF_CHECK(ike_hash_by_p1(0) == NULL);
	ATF_CHECK(ike_hash_by_esp_auth(9) == NULL);	/* AES-XCBC */
}

ATF_TC_WITHOUT_HEAD(buffers);
ATF_TC_BODY(buffers, tc)
{
	struct ike_buf b;

	ATF_REQUIRE_EQ(ike_buf_set(&b, "secret", 6), 0);
	ATF_CHECK(b.len == 6 && memcmp(b.data, "secret", 6) == 0);
	ike_buf_free(&b);
	ATF_CHECK(b.data == NULL && b.len == 0);
	ike_buf_free(&b);			/* twice is fine */
	ATF_REQUIRE_EQ(ike_buf_alloc(&b, 0), 0);
	ATF_CHECK(b.data == NULL && b.len == 0);
	ATF_REQUIRE_EQ(ike_buf_alloc(&b, 3), 0);
	ATF_CHECK(b.len == 3 && b.data[0] == 0 && b.data[2] == 0);
	ike_buf_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, phase1_sha1_3des);
	ATF_TP_ADD_TC(tp, phase1_sha256_aes128);
	ATF_TP_ADD_TC(tp, phase1_md5_aes256);
	ATF_TP_ADD_TC(tp, quick_sha1_3des);
	ATF_TP_ADD_TC(tp, quick_sha256_aes128);
	ATF_TP_ADD_TC(tp, quick_md5_aes256);
	ATF_TP_ADD_TC(tp, quick_gcm);
	ATF_TP_ADD_TC(tp, esp_algs);
	ATF_TP_ADD_TC(tp, keymat_lengths);
	ATF_TP_ADD_TC(tp, prf_rfc4231);
	ATF_TP_ADD_TC(tp, digest);
	ATF_TP_ADD_TC(tp, cbc_aes128_sp800_38a);
	ATF_TP_ADD_TC(tp, cbc_aes256_sp800_38a);
	ATF_TP_ADD_TC(tp, cbc_3des_sp800_67);
	ATF_TP_ADD_TC(tp, cbc_reject);
	ATF_TP_ADD_TC(tp, tables);
	ATF_TP_ADD_TC(tp, buffers);
	return atf_no_error();
}
