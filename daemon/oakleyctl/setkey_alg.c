/*
 * setkey syntax: algorithm names (setkey spelling), their PF_KEY numbers
 * and the key lengths each accepts.  AES-CTR and AES-GCM keys carry a
 * 32-bit salt after the AES key (RFC 3686, RFC 4106).
 */
#include <stdio.h>
#include <string.h>

#include "setkey_int.h"

static const struct setkey_alg ealgs[] = {
	{ "des-cbc", PFKEY_EALG_DESCBC, false, 1, { 64 }, 0, 0 },
	{ "3des-cbc", PFKEY_EALG_3DESCBC, false, 1, { 192 }, 0, 0 },
	{ "null", PFKEY_EALG_NULL, false, 1, { 0 }, 0, 0 },
	{ "blowfish-cbc", PFKEY_EALG_BLOWFISH, false, 0, { 0 }, 40, 448 },
	{ "cast128-cbc", PFKEY_EALG_CAST128, false, 0, { 0 }, 40, 128 },
	{ "aes-cbc", PFKEY_EALG_AESCBC, false, 3, { 128, 192, 256 }, 0, 0 },
	{ "rijndael-cbc", PFKEY_EALG_AESCBC, false, 3, { 128, 192, 256 }, 0, 0 },
	{ "aes-ctr", PFKEY_EALG_AESCTR, false, 3, { 160, 224, 288 }, 0, 0 },
	{ "aes-gcm-16", PFKEY_EALG_AESGCM16, true, 3, { 160, 224, 288 }, 0, 0 },
	{ "camellia-cbc", PFKEY_EALG_CAMELLIA, false, 3, { 128, 192, 256 },
	    0, 0 },
};

static const struct setkey_alg aalgs[] = {
	{ "hmac-md5", PFKEY_AALG_MD5HMAC, false, 1, { 128 }, 0, 0 },
	{ "hmac-sha1", PFKEY_AALG_SHA1HMAC, false, 1, { 160 }, 0, 0 },
	{ "hmac-sha2-256", PFKEY_AALG_SHA2_256, false, 1, { 256 }, 0, 0 },
	{ "hmac-sha2-384", PFKEY_AALG_SHA2_384, false, 1, { 384 }, 0, 0 },
	{ "hmac-sha2-512", PFKEY_AALG_SHA2_512, false, 1, { 512 }, 0, 0 },
	{ "hmac-ripemd160", PFKEY_AALG_RIPEMD160, false, 1, { 160 }, 0, 0 },
	{ "aes-xcbc-mac", PFKEY_AALG_AES_XCBC, false, 1, { 128 }, 0, 0 },
};

/* Compression takes no key. */
static const struct setkey_alg calgs[] = {
	{ "oui", SETKEY_CALG_OUI, false, 1, { 0 }, 0, 0 },
	{ "deflate", SETKEY_CALG_DEFLATE, false, 1, { 0 }, 0, 0 },
	{ "lzs", SETKEY_CALG_LZS, false, 1, { 0 }, 0, 0 },
};

static const struct setkey_alg *
alg_find(const struct setkey_alg *table, size_t n,
    const struct setkey_token *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (setkey_tok_is(t, table[i].name))
			return &table[i];
	return NULL;
}

const struct setkey_alg *
setkey_ealg_find(const struct setkey_token *t)
{
	return alg_find(ealgs, sizeof(ealgs) / sizeof(ealgs[0]), t);
}

const struct setkey_alg *
setkey_aalg_find(const struct setkey_token *t)
{
	return alg_find(aalgs, sizeof(aalgs) / sizeof(aalgs[0]), t);
}

const struct setkey_alg *
setkey_calg_find(const struct setkey_token *t)
{
	return alg_find(calgs, sizeof(calgs) / sizeof(calgs[0]), t);
}

bool
setkey_alg_key_ok(const struct setkey_alg *alg, unsigned bits)
{
	unsigned i;

	if (alg->nsizes == 0)
		return bits >= alg->minbits && bits <= alg->maxbits;
	for (i = 0; i < alg->nsizes; i++)
		if (alg->sizes[i] == bits)
			return true;
	return false;
}

/* "128", "128 or 256", "128, 192 or 256", "40 to 448". */
void
setkey_alg_sizes(const struct setkey_alg *alg, char *buf, size_t size)
{
	if (alg->nsizes == 0)
		snprintf(buf, size, "%u to %u", alg->minbits, alg->maxbits);
	else if (alg->nsizes == 1)
		snprintf(buf, size, "%u", alg->sizes[0]);
	else if (alg->nsizes == 2)
		snprintf(buf, size, "%u or %u", alg->sizes[0], alg->sizes[1]);
	else
		snprintf(buf, size, "%u, %u or %u", alg->sizes[0],
		    alg->sizes[1], alg->sizes[2]);
}
