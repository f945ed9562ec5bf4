/*
 * The algorithms the emulated kernel supports, as FreeBSD reports them
 * in its REGISTER reply (key sizes in bits, IV length in bytes), and the
 * checks ADD/UPDATE make against them: algorithms known for the SA type,
 * keys present when the algorithm needs one and of one of its key sizes.
 * AES-CTR and AES-GCM keys carry the 32-bit nonce (RFC 3686, RFC 4106
 * 8.1), hence 160, 224 or 288 bits.  An AES key is 128, 192 or 256
 * bits, so the sizes go in steps of 64 bits: a key manager that forgot
 * the salt of AES-256-GCM (256 bits) is caught.  AES-GCM takes no
 * authentication algorithm.
 */
#include <errno.h>
#include <stddef.h>

#include "emu.h"

#define IPCOMP_DEFLATE	2

#define AES_STEP	64	/* AES-128, -192, -256 */

struct emu_alg {
	uint8_t		id;
	uint8_t		ivlen;
	uint16_t	minbits, maxbits;
	uint16_t	stepbits;	/* sizes minbits + k * step; 0: any */
};

static const struct emu_alg auth_algs[] = {
	{ PFKEY_AALG_MD5HMAC, 0, 128, 128, 0 },
	{ PFKEY_AALG_SHA1HMAC, 0, 160, 160, 0 },
	{ PFKEY_AALG_SHA2_256, 0, 256, 256, 0 },
	{ PFKEY_AALG_SHA2_384, 0, 384, 384, 0 },
	{ PFKEY_AALG_SHA2_512, 0, 512, 512, 0 },
	{ PFKEY_AALG_AES_XCBC, 0, 128, 128, 0 },
};

static const struct emu_alg enc_algs[] = {
	{ PFKEY_EALG_3DESCBC, 8, 192, 192, 0 },
	{ PFKEY_EALG_NULL, 0, 0, 2048, 0 },
	{ PFKEY_EALG_AESCBC, 16, 128, 256, AES_STEP },
	{ PFKEY_EALG_AESCTR, 8, 160, 288, AES_STEP },
	{ PFKEY_EALG_AESGCM16, 8, 160, 288, AES_STEP },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct emu_alg *
find_alg(const struct emu_alg *tab, size_t n, uint8_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].id == id)
			return &tab[i];
	return NULL;
}

static void
fill_supported(struct pfkey_supported *sup, const struct emu_alg *tab,
    size_t n)
{
	size_t i;

	sup->count = (unsigned)n;
	for (i = 0; i < n; i++) {
		sup->alg[i].id = tab[i].id;
		sup->alg[i].ivlen = tab[i].ivlen;
		sup->alg[i].minbits = tab[i].minbits;
		sup->alg[i].maxbits = tab[i].maxbits;
	}
}

/* SUPPORTED_AUTH and SUPPORTED_ENCRYPT, as a REGISTER reply carries. */
void
algs_supported(struct pfkey_msg *m)
{
	fill_supported(&m->supported_auth, auth_algs, NELEM(auth_algs));
	fill_supported(&m->supported_encrypt, enc_algs, NELEM(enc_algs));
	PFKEY_SET(m, PFKEY_EXT_SUPPORTED_AUTH);
	PFKEY_SET(m, PFKEY_EXT_SUPPORTED_ENCRYPT);
}

/* A key for alg: required, of one of its sizes, when alg takes a key. */
static int
check_key(const struct emu_alg *alg, const struct pfkey_msg *m, unsigned ext,
    const struct pfkey_key *key)
{
	if (!PFKEY_HAS(m, ext))
		return alg->minbits == 0 ? 0 : EINVAL;
	if (key->bits < alg->minbits || key->bits > alg->maxbits)
		return EINVAL;
	if (alg->stepbits != 0 &&
	    (key->bits - alg->minbits) % alg->stepbits != 0)
		return EINVAL;
	return 0;
}

static int
check_auth(const struct pfkey_sa *sa, const struct pfkey_msg *m,
    bool required)
{
	const struct emu_alg *alg;

	if (sa->auth == PFKEY_AALG_NONE) {
		if (required)
			return EINVAL;
		if (PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH) && m->key_auth.bits != 0)
			return EINVAL;
		return 0;
	}
	if ((alg = find_alg(auth_algs, NELEM(auth_algs), sa->auth)) == NULL)
		return EINVAL;
	return check_key(alg, m, PFKEY_EXT_KEY_AUTH, &m->key_auth);
}

static int
check_esp(const struct pfkey_sa *sa, const struct pfkey_msg *m)
{
	const struct emu_alg *alg;
	int error;

	alg = find_alg(enc_algs, NELEM(enc_algs), sa->encrypt);
	if (alg == NULL)
		return EINVAL;
	if ((error = check_key(alg, m, PFKEY_EXT_KEY_ENCRYPT,
	    &m->key_encrypt)) != 0)
		return error;
	/* AES-GCM authenticates by itself. */
	if (sa->encrypt == PFKEY_EALG_AESGCM16 &&
	    sa->auth != PFKEY_AALG_NONE)
		return EINVAL;
	return check_auth(sa, m, false);
}

static int
check_ah(const struct pfkey_sa *sa, const struct pfkey_msg *m)
{
	if (sa->encrypt != PFKEY_EALG_NONE ||
	    (PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT) && m->key_encrypt.bits != 0))
		return EINVAL;
	return check_auth(sa, m, true);
}

static int
check_ipcomp(const struct pfkey_sa *sa, const struct pfkey_msg *m)
{
	if (sa->encrypt != IPCOMP_DEFLATE || sa->auth != PFKEY_AALG_NONE)
		return EINVAL;
	if (PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH) ||
	    PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT))
		return EINVAL;
	return 0;
}

/* The algorithms and keys of an ADD/UPDATE: 0 or EINVAL. */
int
algs_check(uint8_t satype, const struct pfkey_sa *sa,
    const struct pfkey_msg *m)
{
	switch (satype) {
	case PFKEY_SATYPE_ESP:
		return check_esp(sa, m);
	case PFKEY_SATYPE_AH:
		return check_ah(sa, m);
	case PFKEY_SATYPE_IPCOMP:
		return check_ipcomp(sa, m);
	}
	return EINVAL;
}
