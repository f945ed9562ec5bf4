/*
 * IKEv1 cryptography over OpenSSL 3 (see crypto.h): algorithm tables,
 * PRF/hash/CBC primitives, and the key derivations of RFC 2409 5 and
 * App. B.  The PRF is always HMAC with the negotiated hash (no PRF
 * attribute is defined for IKEv1).  HMAC, digests and ciphers are fetched
 * by name for each call; OpenSSL caches the fetched methods.
 *
 * Every intermediate secret lives in a stack buffer or an ike_buf and is
 * wiped before return; outputs are wiped when a step fails.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "pfkey.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Tables ---- */

const struct ike_hash_alg ike_hash_algs[] = {
	{ "md5", "MD5", 1, 1, 2, 16, 16, PFKEY_AALG_MD5HMAC },
	{ "sha1", "SHA1", 2, 2, 3, 20, 20, PFKEY_AALG_SHA1HMAC },
	{ "sha256", "SHA2-256", 4, 5, 5, 32, 32, PFKEY_AALG_SHA2_256 },
	{ "sha384", "SHA2-384", 5, 6, 6, 48, 48, PFKEY_AALG_SHA2_384 },
	{ "sha512", "SHA2-512", 6, 7, 7, 64, 64, PFKEY_AALG_SHA2_512 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 }
};

#define GCM_SALT	4	/* RFC 4106 8.1 */

const struct ike_cipher_alg ike_cipher_algs[] = {
	{ "3des-cbc", "DES-EDE3-CBC", 5, 3, 0, 24, 8, PFKEY_EALG_3DESCBC,
	    false, 0 },
	{ "aes128-cbc", "AES-128-CBC", 7, 12, 128, 16, 16, PFKEY_EALG_AESCBC,
	    false, 0 },
	{ "aes192-cbc", "AES-192-CBC", 7, 12, 192, 24, 16, PFKEY_EALG_AESCBC,
	    false, 0 },
	{ "aes256-cbc", "AES-256-CBC", 7, 12, 256, 32, 16, PFKEY_EALG_AESCBC,
	    false, 0 },
	/* ESP_NULL (RFC 2410): block size 1, no key, never in phase 1. */
	{ "null", NULL, 0, 11, 0, 0, 1, PFKEY_EALG_NULL, false, 0 },
	/* ESP_AES_GCM_16 (RFC 4106): ESP only, 4-byte padding, ICV 16. */
	{ "aes128-gcm16", NULL, 0, 20, 128, 16, 4, PFKEY_EALG_AESGCM16,
	    true, GCM_SALT },
	{ "aes192-gcm16", NULL, 0, 20, 192, 24, 4, PFKEY_EALG_AESGCM16,
	    true, GCM_SALT },
	{ "aes256-gcm16", NULL, 0, 20, 256, 32, 4, PFKEY_EALG_AESGCM16,
	    true, GCM_SALT },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, false, 0 }
};

const struct ike_hash_alg *
ike_hash_by_p1(uint16_t attr)
{
	const struct ike_hash_alg *h;

	for (h = ike_hash_algs; attr != 0 && h->name != NULL; h++)
		if (h->p1_id == attr)
			return h;
	return NULL;
}

const struct ike_hash_alg *
ike_hash_by_esp_auth(uint16_t attr)
{
	const struct ike_hash_alg *h;

	for (h = ike_hash_algs; attr != 0 && h->name != NULL; h++)
		if (h->esp_auth == attr)
			return h;
	return NULL;
}

const struct ike_hash_alg *
ike_hash_by_ah(uint16_t id)
{
	const struct ike_hash_alg *h;

	for (h = ike_hash_algs; id != 0 && h->name != NULL; h++)
		if (h->ah_id == id)
			return h;
	return NULL;
}

const struct ike_cipher_alg *
ike_cipher_by_p1(uint16_t attr, uint16_t keybits)
{
	const struct ike_cipher_alg *c;

	for (c = ike_cipher_algs; attr != 0 && c->name != NULL; c++)
		if (c->p1_id == attr && c->keybits == keybits)
			return c;
	return NULL;
}

const struct ike_cipher_alg *
ike_cipher_by_esp(uint16_t id, uint16_t keybits)
{
	const struct ike_cipher_alg *c;

	for (c = ike_cipher_algs; id != 0 && c->name != NULL; c++)
		if (c->esp_id == id && c->keybits == keybits)
			return c;
	return NULL;
}

int
ike_esp_algs(uint16_t id, uint16_t keybits, uint16_t auth_attr,
    const struct ike_cipher_alg **cipher, const struct ike_hash_alg **auth)
{
	const struct ike_cipher_alg *c = ike_cipher_by_esp(id, keybits);
	const struct ike_hash_alg *a = NULL;

	*cipher = NULL;
	*auth = NULL;
	if (c == NULL)
		return -1;
	if (c->aead ? auth_attr != 0 :
	    (a = ike_hash_by_esp_auth(auth_attr)) == NULL)
		return -1;
	*cipher = c;
	*auth = a;
	return 0;
}

/* ---- Buffers ---- */

int
ike_buf_alloc(struct ike_buf *b, size_t len)
{
	b->data = NULL;
	b->len = 0;
	if (len == 0)
		return 0;
	if ((b->data = calloc(1, len)) == NULL)
		return -1;
	b->len = len;
	return 0;
}

int
ike_buf_set(struct ike_buf *b, const void *p, size_t len)
{
	if (ike_buf_alloc(b, len) == -1)
		return -1;
	if (len > 0)
		memcpy(b->data, p, len);
	return 0;
}

void
ike_buf_free(struct ike_buf *b)
{
	if (b->data != NULL) {
		OPENSSL_cleanse(b->data, b->len);
		free(b->data);
	}
	b->data = NULL;
	b->len = 0;
}

/* ---- Primitives ---- */

int
ike_prf(const struct ike_hash_alg *prf, struct ike_chunk key,
    const struct ike_chunk *in, size_t n, uint8_t *out)
{
	static const uint8_t nokey[1];
	OSSL_PARAM params[2];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	size_t i, outlen = 0;
	int rc = -1;

	if (prf == NULL || prf->evp_name == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)prf->evp_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx = EVP_MAC_CTX_new(mac)) == NULL ||
	    !EVP_MAC_init(ctx, key.ptr != NULL ? key.ptr : nokey, key.len,
	    params))
		goto out;
	for (i = 0; i < n; i++)
		if (in[i].len > 0 && !EVP_MAC_update(ctx, in[i].ptr, in[i].len))
			goto out;
	if (EVP_MAC_final(ctx, out, &outlen, prf->len) && outlen == prf->len)
		rc = 0;
out:
	if (rc == -1)
		OPENSSL_cleanse(out, prf->len);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int
ike_digest(const struct ike_hash_alg *hash, const struct ike_chunk *in,
    size_t n, uint8_t *out)
{
	EVP_MD *md = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int outlen = 0;
	size_t i;
	int rc = -1;

	if (hash == NULL || hash->evp_name == NULL)
		return -1;
	if ((md = EVP_MD_fetch(NULL, hash->evp_name, NULL)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (in[i].len > 0 &&
		    !EVP_DigestUpdate(ctx, in[i].ptr, in[i].len))
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &outlen) && outlen == hash->len)
		rc = 0;
out:
	if (rc == -1)
		OPENSSL_cleanse(out, hash->len);
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return rc;
}

int
ike_cbc(const struct ike_cipher_alg *alg, bool encrypt, const uint8_t *key,
    uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t next[IKE_BLOCK_MAX];
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0, rc = -1;

	if (alg == NULL || alg->evp_name == NULL ||
	    alg->blocklen > IKE_BLOCK_MAX || len % alg->blocklen != 0 ||
	    len > INT32_MAX)
		return -1;
	if (len == 0)
		return 0;
	/* The chaining value: the last ciphertext block, read before an
	 * in-place decryption overwrites it. */
	if (!encrypt)
		memcpy(next, in + len - alg->blocklen, alg->blocklen);
	if ((cipher = EVP_CIPHER_fetch(NULL, alg->evp_name, NULL)) == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    !EVP_CipherInit_ex2(ctx, cipher, key, iv, encrypt ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len ||
	    !EVP_CipherFinal_ex(ctx, out + outl, &finl) || finl != 0)
		goto out;
	if (encrypt)
		memcpy(next, out + len - alg->blocklen, alg->blocklen);
	memcpy(iv, next, alg->blocklen);
	rc = 0;
out:
	if (rc == -1)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return rc;
}

/* ---- Helpers ---- */

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* prf(key, in...) into a new buffer of prf->len bytes. */
static int
prf_buf(const struct ike_hash_alg *prf, struct ike_chunk key,
    const struct ike_chunk *in, size_t n, struct ike_buf *out)
{
	if (prf == NULL || ike_buf_alloc(out, prf->len) == -1)
		return -1;
	if (ike_prf(prf, key, in, n, out->data) == -1) {
		ike_buf_free(out);
		return -1;
	}
	return 0;
}

/* ---- Phase 1 ---- */

int
ike_skeyid_psk(const struct ike_hash_alg *prf, struct ike_chunk psk,
    struct ike_chunk ni_b, struct ike_chunk nr_b, struct ike_buf *skeyid)
{
	const struct ike_chunk in[] = { ni_b, nr_b };

	return prf_buf(prf, psk, in, NELEM(in), skeyid);
}

int
ike_skeyid_sig(const struct ike_hash_alg *prf, struct ike_chunk ni_b,
    struct ike_chunk nr_b, struct ike_chunk gxy, struct ike_buf *skeyid)
{
	struct ike_buf key;
	int rc;

	/* The key is Ni_b | Nr_b. */
	if (ike_buf_alloc(&key, ni_b.len + nr_b.len) == -1)
		return -1;
	if (ni_b.len > 0)
		memcpy(key.data, ni_b.ptr, ni_b.len);
	if (nr_b.len > 0)
		memcpy(key.data + ni_b.len, nr_b.ptr, nr_b.len);
	rc = prf_buf(prf, IKE_CHUNK_BUF(&key), &gxy, 1, skeyid);
	ike_buf_free(&key);
	return rc;
}

int
ike_skeyid_pke(const struct ike_hash_alg *prf, struct ike_chunk ni_b,
    struct ike_chunk nr_b, const uint8_t *cky_i, const uint8_t *cky_r,
    struct ike_buf *skeyid)
{
	const struct ike_chunk nonces[] = { ni_b, nr_b };
	const struct ike_chunk cookies[] = {
		IKE_CHUNK(cky_i, IKE_COOKIE_LEN),
		IKE_CHUNK(cky_r, IKE_COOKIE_LEN)
	};
	uint8_t h[IKE_HASH_MAX];
	int rc = -1;

	if (prf != NULL && ike_digest(prf, nonces, NELEM(nonces), h) == 0)
		rc = prf_buf(prf, IKE_CHUNK(h, prf->len), cookies,
		    NELEM(cookies), skeyid);
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}

int
ike_skeyid_dae(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
    struct ike_chunk gxy, const uint8_t *cky_i, const uint8_t *cky_r,
    struct ike_buf *d, struct ike_buf *a, struct ike_buf *e)
{
	static const uint8_t zero = 0, one = 1, two = 2;
	struct ike_chunk in[5] = {
		IKE_CHUNK_NONE, gxy, IKE_CHUNK(cky_i, IKE_COOKIE_LEN),
		IKE_CHUNK(cky_r, IKE_COOKIE_LEN), IKE_CHUNK(&zero, 1)
	};

	d->data = a->data = e->data = NULL;
	d->len = a->len = e->len = 0;
	/* SKEYID_d: no previous value. */
	if (prf_buf(prf, skeyid, in + 1, NELEM(in) - 1, d) == -1)
		goto fail;
	in[0] = IKE_CHUNK_BUF(d);
	in[4] = IKE_CHUNK(&one, 1);
	if (prf_buf(prf, skeyid, in, NELEM(in), a) == -1)
		goto fail;
	in[0] = IKE_CHUNK_BUF(a);
	in[4] = IKE_CHUNK(&two, 1);
	if (prf_buf(prf, skeyid, in, NELEM(in), e) == -1)
		goto fail;
	return 0;
fail:
	ike_buf_free(d);
	ike_buf_free(a);
	ike_buf_free(e);
	return -1;
}

int
ike_p1_cipher_key(const struct ike_hash_alg *prf, struct ike_chunk skeyid_e,
    size_t keylen, struct ike_buf *key)
{
	static const uint8_t zero = 0;
	uint8_t k[IKE_HASH_MAX];
	struct ike_chunk in = IKE_CHUNK(&zero, 1);
	size_t have, take;

	if (prf == NULL || ike_buf_alloc(key, keylen) == -1)
		return -1;
	if (skeyid_e.len >= keylen) {
		if (keylen > 0)
			memcpy(key->data, skeyid_e.ptr, keylen);
		return 0;
	}
	/* K1 = prf(SKEYID_e, 0), Kn+1 = prf(SKEYID_e, Kn). */
	for (have = 0; have < keylen; have += take) {
		if (ike_prf(prf, skeyid_e, &in, 1, k) == -1) {
			OPENSSL_cleanse(k, sizeof(k));
			ike_buf_free(key);
			return -1;
		}
		take = keylen - have < prf->len ? keylen - have : prf->len;
		memcpy(key->data + have, k, take);
		in = IKE_CHUNK(k, prf->len);
	}
	OPENSSL_cleanse(k, sizeof(k));
	return 0;
}

int
ike_hash_i(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
    const uint8_t *cky_r, struct ike_chunk sai_b, struct ike_chunk idii_b,
    uint8_t *out)
{
	const struct ike_chunk in[] = {
		gxi, gxr, IKE_CHUNK(cky_i, IKE_COOKIE_LEN),
		IKE_CHUNK(cky_r, IKE_COOKIE_LEN), sai_b, idii_b
	};

	return ike_prf(prf, skeyid, in, NELEM(in), out);
}

int
ike_hash_r(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
    const uint8_t *cky_r, struct ike_chunk sai_b, struct ike_chunk idir_b,
    uint8_t *out)
{
	const struct ike_chunk in[] = {
		gxr, gxi, IKE_CHUNK(cky_r, IKE_COOKIE_LEN),
		IKE_CHUNK(cky_i, IKE_COOKIE_LEN), sai_b, idir_b
	};

	return ike_prf(prf, skeyid, in, NELEM(in), out);
}

/* hash(in...) truncated to the cipher's block. */
static int
iv_from_hash(const struct ike_hash_alg *hash,
    const struct ike_cipher_alg *cipher, const struct ike_chunk *in,
    size_t n, uint8_t *iv)
{
	uint8_t h[IKE_HASH_MAX];

	if (hash == NULL || cipher == NULL || cipher->blocklen > hash->len ||
	    ike_digest(hash, in, n, h) == -1)
		return -1;
	memcpy(iv, h, cipher->blocklen);
	return 0;
}

int
ike_p1_iv(const struct ike_hash_alg *hash, const struct ike_cipher_alg *cipher,
    struct ike_chunk gxi, struct ike_chunk gxr, uint8_t *iv)
{
	const struct ike_chunk in[] = { gxi, gxr };

	return iv_from_hash(hash, cipher, in, NELEM(in), iv);
}

int
ike_p2_iv(const struct ike_hash_alg *hash, const struct ike_cipher_alg *cipher,
    const uint8_t *p1_last_block, uint32_t msgid, uint8_t *iv)
{
	uint8_t mid[4];
	struct ike_chunk in[2];

	if (cipher == NULL)
		return -1;
	put32(mid, msgid);
	in[0] = IKE_CHUNK(p1_last_block, cipher->blocklen);
	in[1] = IKE_CHUNK(mid, sizeof(mid));
	return iv_from_hash(hash, cipher, in, NELEM(in), iv);
}

/* ---- Quick mode and informational ---- */

int
ike_qm_hash1(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
    uint32_t msgid, struct ike_chunk rest, uint8_t *out)
{
	uint8_t mid[4];
	struct ike_chunk in[2];

	put32(mid, msgid);
	in[0] = IKE_CHUNK(mid, sizeof(mid));
	in[1] = rest;
	return ike_prf(prf, skeyid_a, in, NELEM(in), out);
}

int
ike_qm_hash2(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
    uint32_t msgid, struct ike_chunk ni_b, struct ike_chunk rest,
    uint8_t *out)
{
	uint8_t mid[4];
	struct ike_chunk in[3];

	put32(mid, msgid);
	in[0] = IKE_CHUNK(mid, sizeof(mid));
	in[1] = ni_b;
	in[2] = rest;
	return ike_prf(prf, skeyid_a, in, NELEM(in), out);
}

int
ike_qm_hash3(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
    uint32_t msgid, struct ike_chunk ni_b, struct ike_chunk nr_b,
    uint8_t *out)
{
	static const uint8_t zero = 0;
	uint8_t mid[4];
	struct ike_chunk in[4];

	put32(mid, msgid);
	in[0] = IKE_CHUNK(&zero, 1);
	in[1] = IKE_CHUNK(mid, sizeof(mid));
	in[2] = ni_b;
	in[3] = nr_b;
	return ike_prf(prf, skeyid_a, in, NELEM(in), out);
}

int
ike_info_hash(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
    uint32_t msgid, struct ike_chunk rest, uint8_t *out)
{
	return ike_qm_hash1(prf, skeyid_a, msgid, rest, out);
}

/* ---- KEYMAT ---- */

int
ike_keymat(const struct ike_hash_alg *prf, struct ike_chunk skeyid_d,
    struct ike_chunk gqm, uint8_t protocol, uint32_t spi,
    struct ike_chunk ni_b, struct ike_chunk nr_b, struct ike_buf *out,
    size_t len)
{
	uint8_t k[IKE_HASH_MAX], spib[4];
	struct ike_chunk in[6];
	size_t have, take;

	if (prf == NULL || ike_buf_alloc(out, len) == -1)
		return -1;
	put32(spib, spi);
	in[0] = IKE_CHUNK_NONE;		/* Kn, none for K1 */
	in[1] = gqm;
	in[2] = IKE_CHUNK(&protocol, 1);
	in[3] = IKE_CHUNK(spib, sizeof(spib));
	in[4] = ni_b;
	in[5] = nr_b;
	for (have = 0; have < len; have += take) {
		if (ike_prf(prf, skeyid_d, in, NELEM(in), k) == -1) {
			OPENSSL_cleanse(k, sizeof(k));
			ike_buf_free(out);
			return -1;
		}
		take = len - have < prf->len ? len - have : prf->len;
		memcpy(out->data + have, k, take);
		in[0] = IKE_CHUNK(k, prf->len);
	}
	OPENSSL_cleanse(k, sizeof(k));
	return 0;
}

int
ike_esp_keys(const struct ike_hash_alg *prf, struct ike_chunk skeyid_d,
    struct ike_chunk gqm, uint32_t spi, struct ike_chunk ni_b,
    struct ike_chunk nr_b, const struct ike_cipher_alg *cipher,
    const struct ike_hash_alg *auth, struct ike_buf *enc_key,
    struct ike_buf *auth_key)
{
	struct ike_buf km;
	size_t elen, alen;
	int rc = -1;

	enc_key->data = auth_key->data = NULL;
	enc_key->len = auth_key->len = 0;
	if (cipher == NULL || (cipher->aead && auth != NULL))
		return -1;
	elen = cipher->keylen + cipher->saltlen;
	alen = auth != NULL ? auth->auth_keylen : 0;
	if (elen + alen == 0)		/* ESP_NULL without authentication */
		return -1;
	if (ike_keymat(prf, skeyid_d, gqm, IKE_PROTO_ESP, spi, ni_b, nr_b,
	    &km, elen + alen) == -1)
		return -1;
	if (ike_buf_set(enc_key, km.data, elen) == 0 &&
	    ike_buf_set(auth_key, km.data + elen, alen) == 0)
		rc = 0;
	else {
		ike_buf_free(enc_key);
		ike_buf_free(auth_key);
	}
	ike_buf_free(&km);
	return rc;
}

/* ---- The keys of one phase 1 ---- */

int
ike_p1_keys_derive(struct ike_p1_keys *k, struct ike_chunk gxy,
    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
    const uint8_t *cky_r)
{
	if (k->prf == NULL || k->cipher == NULL || k->cipher->evp_name ==
	    NULL || k->skeyid.data == NULL)
		return -1;
	if (ike_skeyid_dae(k->prf, IKE_CHUNK_BUF(&k->skeyid), gxy, cky_i,
	    cky_r, &k->skeyid_d, &k->skeyid_a, &k->skeyid_e) == -1)
		return -1;
	if (ike_p1_cipher_key(k->prf, IKE_CHUNK_BUF(&k->skeyid_e),
	    k->cipher->keylen, &k->enc_key) == -1 ||
	    ike_p1_iv(k->prf, k->cipher, gxi, gxr, k->iv) == -1) {
		ike_p1_keys_free(k);
		return -1;
	}
	return 0;
}

void
ike_p1_keys_free(struct ike_p1_keys *k)
{
	ike_buf_free(&k->skeyid);
	ike_buf_free(&k->skeyid_d);
	ike_buf_free(&k->skeyid_a);
	ike_buf_free(&k->skeyid_e);
	ike_buf_free(&k->enc_key);
	OPENSSL_cleanse(k->iv, sizeof(k->iv));
}
