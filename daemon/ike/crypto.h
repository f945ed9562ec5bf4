/*
 * IKEv1 cryptography (RFC 2409 5, App. B) over OpenSSL 3: the algorithm
 * tables, the PRF (HMAC of the negotiated hash), hashes, CBC without
 * padding, SKEYID and its derivatives, the phase-1 cipher key, HASH_I/R,
 * the quick-mode and informational hashes, KEYMAT, and the IVs.
 *
 * Conventions.  Inputs are read-only views (struct ike_chunk); derived
 * secrets come back in struct ike_buf, which ike_buf_free wipes.  Fixed
 * outputs (a PRF value, an IV) go to caller buffers of the algorithm's
 * length: prf->len bytes (at most IKE_HASH_MAX), cipher->blocklen (at most
 * IKE_BLOCK_MAX).  Cookies are the 8 wire bytes; a message ID or SPI is
 * passed as a number in host order and hashed as its 4 big-endian wire
 * bytes.  "_b" values are payload bodies without the generic payload
 * header (RFC 2409 5).  Every function returns 0, or -1 after wiping any
 * partial output.  Nothing here logs.
 */
#ifndef OAKLEY_IKE_CRYPTO_H
#define OAKLEY_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_HASH_MAX		64	/* SHA2-512 */
#define IKE_BLOCK_MAX		16	/* AES */
#define IKE_KEY_MAX		32	/* AES-256 */
#define IKE_COOKIE_LEN		8

/* ---- Buffers ---- */

/* An owned byte string, for key material. */
struct ike_buf {
	uint8_t	*data;
	size_t	 len;
};

/* A borrowed, read-only byte string. */
struct ike_chunk {
	const uint8_t	*ptr;
	size_t		 len;
};

#define IKE_CHUNK(p, n)		((struct ike_chunk){ (p), (n) })
#define IKE_CHUNK_NONE		((struct ike_chunk){ NULL, 0 })
#define IKE_CHUNK_BUF(b)	((struct ike_chunk){ (b)->data, (b)->len })

/* len zero bytes (len 0 gives data NULL); 0 or -1 (ENOMEM). */
int	ike_buf_alloc(struct ike_buf *, size_t len);
/* A copy of p; 0 or -1. */
int	ike_buf_set(struct ike_buf *, const void *p, size_t len);
/* Wipe, free, and leave the buffer empty; fine on an empty one. */
void	ike_buf_free(struct ike_buf *);

/* ---- Algorithms ---- */

/*
 * A hash: the phase-1 Hash attribute (RFC 2409 App. A, attribute 2), the
 * phase-2 Authentication Algorithm (RFC 2407 4.5, attribute 5) and AH
 * transform ID with the same HMAC, and its PF_KEY number.  A 0 id means
 * "not usable there".
 */
struct ike_hash_alg {
	const char	*name;		/* "sha1" */
	const char	*evp_name;	/* OpenSSL digest name */
	uint16_t	 p1_id;		/* 1 MD5, 2 SHA, 4/5/6 SHA2 */
	uint16_t	 esp_auth;	/* 1 HMAC-MD5, 2 HMAC-SHA, 5/6/7 */
	uint16_t	 ah_id;		/* 2 MD5, 3 SHA, 5/6/7 SHA2 */
	size_t		 len;		/* digest = PRF output, bytes */
	size_t		 auth_keylen;	/* ESP/AH key, bytes */
	uint8_t		 pfkey_aalg;	/* PFKEY_AALG_* */
};

/*
 * A cipher: the phase-1 Encryption attribute (attribute 1), the ESP
 * transform ID and the Key Length attribute value that select it, and its
 * PF_KEY number.  keybits 0: a fixed-length cipher (no Key Length
 * attribute).  evp_name NULL: ESP only, never a phase-1 cipher (ESP_NULL,
 * AES-GCM).  A combined-mode cipher (aead: AES-GCM with a 16-byte ICV,
 * RFC 4106) authenticates by itself: its ESP SA has no authentication
 * algorithm, and its KEYMAT is the key followed by a saltlen-byte salt,
 * which the kernel takes as the end of the encryption key (RFC 4106 8.1).
 */
struct ike_cipher_alg {
	const char	*name;		/* "aes128-cbc" */
	const char	*evp_name;	/* OpenSSL cipher name */
	uint16_t	 p1_id;		/* 5 3DES-CBC, 7 AES-CBC; 0 none */
	uint16_t	 esp_id;	/* 3 3DES, 12 AES-CBC, 11 NULL, 20 GCM */
	uint16_t	 keybits;	/* Key Length attribute; 0 fixed */
	size_t		 keylen;	/* bytes, without the salt */
	size_t		 blocklen;	/* CBC block and IV, bytes */
	uint8_t		 pfkey_ealg;	/* PFKEY_EALG_* */
	bool		 aead;		/* no authentication algorithm */
	size_t		 saltlen;	/* KEYMAT bytes after the key */
};

/* Lookups by negotiated values; NULL if unknown or not allowed there. */
const struct ike_hash_alg *ike_hash_by_p1(uint16_t hash_attr);
const struct ike_hash_alg *ike_hash_by_esp_auth(uint16_t auth_attr);
const struct ike_hash_alg *ike_hash_by_ah(uint16_t transform_id);
const struct ike_cipher_alg *ike_cipher_by_p1(uint16_t enc_attr,
	    uint16_t keybits);
const struct ike_cipher_alg *ike_cipher_by_esp(uint16_t transform_id,
	    uint16_t keybits);
/*
 * The cipher and authentication algorithm of an ESP SA from the
 * negotiated transform ID, Key Length and Authentication Algorithm
 * (0: none given): 0, or -1 if either is unknown or they do not go
 * together.  An aead cipher takes no authentication algorithm (*auth
 * becomes NULL), every other cipher one.
 */
int	ike_esp_algs(uint16_t transform_id, uint16_t keybits,
	    uint16_t auth_attr, const struct ike_cipher_alg **cipher,
	    const struct ike_hash_alg **auth);

/* The tables themselves, ending with a NULL name (for listings). */
extern const struct ike_hash_alg ike_hash_algs[];
extern const struct ike_cipher_alg ike_cipher_algs[];

/* ---- Primitives ---- */

/* out = prf(key, in[0] | in[1] | ...), prf->len bytes (HMAC). */
int	ike_prf(const struct ike_hash_alg *prf, struct ike_chunk key,
	    const struct ike_chunk *in, size_t n, uint8_t *out);
/* out = hash(in[0] | ...), hash->len bytes (IVs, NAT-D). */
int	ike_digest(const struct ike_hash_alg *hash, const struct ike_chunk *in,
	    size_t n, uint8_t *out);
/*
 * CBC over len bytes (a multiple of the block size; the caller pads),
 * in place if in == out.  iv (blocklen bytes) is read, then replaced by
 * the last ciphertext block: the IV of the next message in the chain.
 */
int	ike_cbc(const struct ike_cipher_alg *, bool encrypt,
	    const uint8_t *key, uint8_t *iv, const uint8_t *in, uint8_t *out,
	    size_t len);

/* ---- Phase 1 (RFC 2409 5, App. B) ---- */

/* SKEYID = prf(PSK, Ni_b | Nr_b) */
int	ike_skeyid_psk(const struct ike_hash_alg *prf, struct ike_chunk psk,
	    struct ike_chunk ni_b, struct ike_chunk nr_b,
	    struct ike_buf *skeyid);
/* SKEYID = prf(Ni_b | Nr_b, g^xy) (signature authentication) */
int	ike_skeyid_sig(const struct ike_hash_alg *prf, struct ike_chunk ni_b,
	    struct ike_chunk nr_b, struct ike_chunk gxy,
	    struct ike_buf *skeyid);
/* SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) (public-key encryption) */
int	ike_skeyid_pke(const struct ike_hash_alg *prf, struct ike_chunk ni_b,
	    struct ike_chunk nr_b, const uint8_t *cky_i, const uint8_t *cky_r,
	    struct ike_buf *skeyid);
/*
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 */
int	ike_skeyid_dae(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
	    struct ike_chunk gxy, const uint8_t *cky_i, const uint8_t *cky_r,
	    struct ike_buf *d, struct ike_buf *a, struct ike_buf *e);
/*
 * The phase-1 cipher key of keylen bytes: the first bytes of SKEYID_e,
 * or when it is too short Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0),
 * Kn+1 = prf(SKEYID_e, Kn) (App. B; "0" is one zero octet).
 */
int	ike_p1_cipher_key(const struct ike_hash_alg *prf,
	    struct ike_chunk skeyid_e, size_t keylen, struct ike_buf *key);
/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) */
int	ike_hash_i(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
	    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
	    const uint8_t *cky_r, struct ike_chunk sai_b,
	    struct ike_chunk idii_b, uint8_t *out);
/* HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
int	ike_hash_r(const struct ike_hash_alg *prf, struct ike_chunk skeyid,
	    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
	    const uint8_t *cky_r, struct ike_chunk sai_b,
	    struct ike_chunk idir_b, uint8_t *out);
/*
 * The first phase-1 IV: hash(g^xi | g^xr) with the negotiated hash (not
 * the PRF), truncated to the cipher's block.
 */
int	ike_p1_iv(const struct ike_hash_alg *hash,
	    const struct ike_cipher_alg *cipher, struct ike_chunk gxi,
	    struct ike_chunk gxr, uint8_t *iv);
/*
 * The first IV of a quick-mode or informational exchange:
 * hash(last phase-1 CBC block | M-ID), truncated to the block.
 */
int	ike_p2_iv(const struct ike_hash_alg *hash,
	    const struct ike_cipher_alg *cipher, const uint8_t *p1_last_block,
	    uint32_t msgid, uint8_t *iv);

/* ---- Quick mode and informational (RFC 2409 5.5, 5.7) ---- */

/* HASH(1) = prf(SKEYID_a, M-ID | rest); rest = the message after HASH */
int	ike_qm_hash1(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
	    uint32_t msgid, struct ike_chunk rest, uint8_t *out);
/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest) */
int	ike_qm_hash2(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
	    uint32_t msgid, struct ike_chunk ni_b, struct ike_chunk rest,
	    uint8_t *out);
/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
int	ike_qm_hash3(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
	    uint32_t msgid, struct ike_chunk ni_b, struct ike_chunk nr_b,
	    uint8_t *out);
/* Informational: prf(SKEYID_a, M-ID | N/D payload(s)) */
int	ike_info_hash(const struct ike_hash_alg *prf, struct ike_chunk skeyid_a,
	    uint32_t msgid, struct ike_chunk rest, uint8_t *out);

/*
 * KEYMAT = K1 | K2 | ... truncated to len bytes, with
 *	K1   = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 *	Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 * gqm has len 0 without PFS.  spi is the SPI of the SA being keyed (the
 * receiving side's); Ni_b and Nr_b are the quick-mode nonces.
 */
int	ike_keymat(const struct ike_hash_alg *prf, struct ike_chunk skeyid_d,
	    struct ike_chunk gqm, uint8_t protocol, uint32_t spi,
	    struct ike_chunk ni_b, struct ike_chunk nr_b, struct ike_buf *out,
	    size_t len);
/*
 * ESP keys of one SA from its KEYMAT: the encryption key first
 * (cipher->keylen bytes, then the cipher's salt if it has one: enc_key
 * holds both), then the authentication key (auth->auth_keylen; auth
 * NULL: none, which an aead cipher requires).
 */
#define IKE_PROTO_ESP		3	/* RFC 2407 4.4.1 */
#define IKE_PROTO_AH		2
int	ike_esp_keys(const struct ike_hash_alg *prf, struct ike_chunk skeyid_d,
	    struct ike_chunk gqm, uint32_t spi, struct ike_chunk ni_b,
	    struct ike_chunk nr_b, const struct ike_cipher_alg *cipher,
	    const struct ike_hash_alg *auth, struct ike_buf *enc_key,
	    struct ike_buf *auth_key);

/* ---- The keys of one phase 1 ---- */

/*
 * Set prf, cipher and skeyid (ike_skeyid_*), then ike_p1_keys_derive
 * fills SKEYID_d/a/e, the cipher key and the first IV.  iv is then the
 * phase-1 CBC chain: pass it to ike_cbc for each message.  When phase 1
 * is done it holds the last phase-1 CBC block for ike_p2_iv.
 */
struct ike_p1_keys {
	const struct ike_hash_alg	*prf;	/* the negotiated hash */
	const struct ike_cipher_alg	*cipher;
	struct ike_buf			 skeyid;
	struct ike_buf			 skeyid_d, skeyid_a, skeyid_e;
	struct ike_buf			 enc_key;
	uint8_t				 iv[IKE_BLOCK_MAX];
};

int	ike_p1_keys_derive(struct ike_p1_keys *, struct ike_chunk gxy,
	    struct ike_chunk gxi, struct ike_chunk gxr, const uint8_t *cky_i,
	    const uint8_t *cky_r);
/* Wipe every key and the IV; prf and cipher stay. */
void	ike_p1_keys_free(struct ike_p1_keys *);

#endif /* OAKLEY_IKE_CRYPTO_H */
