/*
 * Names of PF_KEY numbers, in setkey's spelling: message types, SA types,
 * algorithms, SA states and (libpfkey's own) extension names.  Lookups by
 * number return a static "unknown" rather than NULL; lookups by name
 * return -1 when the name is unknown.
 */
#include <string.h>

#include "pfkey.h"

struct pfkey_name {
	unsigned	 num;
	const char	*name;
};

static const char unknown[] = "unknown";

static const char *const msg_type_names[PFKEY_MSG_MAX + 1] = {
	[PFKEY_GETSPI] = "GETSPI",
	[PFKEY_UPDATE] = "UPDATE",
	[PFKEY_ADD] = "ADD",
	[PFKEY_DELETE] = "DELETE",
	[PFKEY_GET] = "GET",
	[PFKEY_ACQUIRE] = "ACQUIRE",
	[PFKEY_REGISTER] = "REGISTER",
	[PFKEY_EXPIRE] = "EXPIRE",
	[PFKEY_FLUSH] = "FLUSH",
	[PFKEY_DUMP] = "DUMP",
	[PFKEY_X_PROMISC] = "X_PROMISC",
	[PFKEY_X_PCHANGE] = "X_PCHANGE",
	[PFKEY_X_SPDUPDATE] = "X_SPDUPDATE",
	[PFKEY_X_SPDADD] = "X_SPDADD",
	[PFKEY_X_SPDDELETE] = "X_SPDDELETE",
	[PFKEY_X_SPDGET] = "X_SPDGET",
	[PFKEY_X_SPDACQUIRE] = "X_SPDACQUIRE",
	[PFKEY_X_SPDDUMP] = "X_SPDDUMP",
	[PFKEY_X_SPDFLUSH] = "X_SPDFLUSH",
	[PFKEY_X_SPDSETIDX] = "X_SPDSETIDX",
	[PFKEY_X_SPDEXPIRE] = "X_SPDEXPIRE",
	[PFKEY_X_SPDDELETE2] = "X_SPDDELETE2",
};

static const char *const ext_names[PFKEY_EXT_MAX + 1] = {
	[PFKEY_EXT_SA] = "sa",
	[PFKEY_EXT_LIFETIME_CURRENT] = "lifetime_current",
	[PFKEY_EXT_LIFETIME_HARD] = "lifetime_hard",
	[PFKEY_EXT_LIFETIME_SOFT] = "lifetime_soft",
	[PFKEY_EXT_ADDRESS_SRC] = "address_src",
	[PFKEY_EXT_ADDRESS_DST] = "address_dst",
	[PFKEY_EXT_ADDRESS_PROXY] = "address_proxy",
	[PFKEY_EXT_KEY_AUTH] = "key_auth",
	[PFKEY_EXT_KEY_ENCRYPT] = "key_encrypt",
	[PFKEY_EXT_IDENTITY_SRC] = "identity_src",
	[PFKEY_EXT_IDENTITY_DST] = "identity_dst",
	[PFKEY_EXT_SENSITIVITY] = "sensitivity",
	[PFKEY_EXT_PROPOSAL] = "proposal",
	[PFKEY_EXT_SUPPORTED_AUTH] = "supported_auth",
	[PFKEY_EXT_SUPPORTED_ENCRYPT] = "supported_encrypt",
	[PFKEY_EXT_SPIRANGE] = "spirange",
	[PFKEY_EXT_X_KMPRIVATE] = "x_kmprivate",
	[PFKEY_EXT_X_POLICY] = "x_policy",
	[PFKEY_EXT_X_SA2] = "x_sa2",
	[PFKEY_EXT_X_NAT_T_TYPE] = "x_nat_t_type",
	[PFKEY_EXT_X_NAT_T_SPORT] = "x_nat_t_sport",
	[PFKEY_EXT_X_NAT_T_DPORT] = "x_nat_t_dport",
	[PFKEY_EXT_X_NAT_T_OAI] = "x_nat_t_oai",
	[PFKEY_EXT_X_NAT_T_OAR] = "x_nat_t_oar",
	[PFKEY_EXT_X_NAT_T_FRAG] = "x_nat_t_frag",
	[PFKEY_EXT_X_SA_REPLAY] = "x_sa_replay",
	[PFKEY_EXT_X_NEW_ADDRESS_SRC] = "x_new_address_src",
	[PFKEY_EXT_X_NEW_ADDRESS_DST] = "x_new_address_dst",
};

static const struct pfkey_name satype_names[] = {
	{ PFKEY_SATYPE_UNSPEC, "unspec" },
	{ PFKEY_SATYPE_AH, "ah" },
	{ PFKEY_SATYPE_ESP, "esp" },
	{ PFKEY_SATYPE_RSVP, "rsvp" },
	{ PFKEY_SATYPE_OSPFV2, "ospfv2" },
	{ PFKEY_SATYPE_RIPV2, "ripv2" },
	{ PFKEY_SATYPE_MIP, "mip" },
	{ PFKEY_SATYPE_IPCOMP, "ipcomp" },
	{ 0, NULL }
};

/* The first name of a number is the one printed; later ones are aliases. */
static const struct pfkey_name ealg_names[] = {
	{ PFKEY_EALG_NONE, "none" },
	{ PFKEY_EALG_DESCBC, "des-cbc" },
	{ PFKEY_EALG_3DESCBC, "3des-cbc" },
	{ PFKEY_EALG_CAST128, "cast128-cbc" },
	{ PFKEY_EALG_BLOWFISH, "blowfish-cbc" },
	{ PFKEY_EALG_NULL, "null" },
	{ PFKEY_EALG_AESCBC, "aes-cbc" },
	{ PFKEY_EALG_AESCBC, "rijndael-cbc" },
	{ PFKEY_EALG_AESCTR, "aes-ctr" },
	{ PFKEY_EALG_AESGCM8, "aes-gcm-8" },
	{ PFKEY_EALG_AESGCM12, "aes-gcm-12" },
	{ PFKEY_EALG_AESGCM16, "aes-gcm-16" },
	{ PFKEY_EALG_CAMELLIA, "camellia-cbc" },
	{ 0, NULL }
};

static const struct pfkey_name aalg_names[] = {
	{ PFKEY_AALG_NONE, "none" },
	{ PFKEY_AALG_NONE, "null" },
	{ PFKEY_AALG_MD5HMAC, "hmac-md5" },
	{ PFKEY_AALG_SHA1HMAC, "hmac-sha1" },
	{ PFKEY_AALG_SHA2_256, "hmac-sha2-256" },
	{ PFKEY_AALG_SHA2_384, "hmac-sha2-384" },
	{ PFKEY_AALG_SHA2_512, "hmac-sha2-512" },
	{ PFKEY_AALG_RIPEMD160, "hmac-ripemd160" },
	{ PFKEY_AALG_AES_XCBC, "aes-xcbc-mac" },
	{ 0, NULL }
};

static const char *const state_names[] = {
	[PFKEY_SASTATE_LARVAL] = "larval",
	[PFKEY_SASTATE_MATURE] = "mature",
	[PFKEY_SASTATE_DYING] = "dying",
	[PFKEY_SASTATE_DEAD] = "dead",
};

static const char *
name_of(const struct pfkey_name *t, unsigned num)
{
	for (; t->name != NULL; t++)
		if (t->num == num)
			return t->name;
	return unknown;
}

static int
number_of(const struct pfkey_name *t, const char *name)
{
	if (name == NULL)
		return -1;
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return (int)t->num;
	return -1;
}

const char *
pfkey_msg_type_name(unsigned type)
{
	if (type > PFKEY_MSG_MAX || msg_type_names[type] == NULL)
		return unknown;
	return msg_type_names[type];
}

const char *
pfkey_ext_name(unsigned ext)
{
	if (ext > PFKEY_EXT_MAX || ext_names[ext] == NULL)
		return unknown;
	return ext_names[ext];
}

const char *
pfkey_satype_name(unsigned satype)
{
	return name_of(satype_names, satype);
}

int
pfkey_satype_by_name(const char *name)
{
	return number_of(satype_names, name);
}

const char *
pfkey_ealg_name(unsigned alg)
{
	return name_of(ealg_names, alg);
}

int
pfkey_ealg_by_name(const char *name)
{
	return number_of(ealg_names, name);
}

const char *
pfkey_aalg_name(unsigned alg)
{
	return name_of(aalg_names, alg);
}

int
pfkey_aalg_by_name(const char *name)
{
	return number_of(aalg_names, name);
}

const char *
pfkey_state_name(unsigned state)
{
	if (state >= sizeof(state_names) / sizeof(state_names[0]))
		return unknown;
	return state_names[state];
}
