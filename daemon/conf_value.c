/*
 * oakleyd.conf values: IPv4/IPv6 addresses and prefixes, and the names of
 * algorithms, DH groups, protocols and identity types in both directions.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

struct name_value {
	const char	*name;
	int		value;
};

static const struct name_value enc_names[] = {
	{ "3des", CONF_ENC_3DES },
	{ "aes128", CONF_ENC_AES128 },
	{ "aes192", CONF_ENC_AES192 },
	{ "aes256", CONF_ENC_AES256 },
	{ "aes128gcm16", CONF_ENC_AES128GCM16 },
	{ "aes192gcm16", CONF_ENC_AES192GCM16 },
	{ "aes256gcm16", CONF_ENC_AES256GCM16 },
	{ NULL, 0 }
};

static const struct name_value hash_names[] = {
	{ "md5", CONF_HASH_MD5 },
	{ "sha1", CONF_HASH_SHA1 },
	{ "sha256", CONF_HASH_SHA256 },
	{ "sha384", CONF_HASH_SHA384 },
	{ "sha512", CONF_HASH_SHA512 },
	{ NULL, 0 }
};

static const struct name_value integ_names[] = {
	{ "hmac-md5", CONF_INTEG_HMAC_MD5 },
	{ "hmac-sha1", CONF_INTEG_HMAC_SHA1 },
	{ "hmac-sha256", CONF_INTEG_HMAC_SHA256 },
	{ "hmac-sha384", CONF_INTEG_HMAC_SHA384 },
	{ "hmac-sha512", CONF_INTEG_HMAC_SHA512 },
	{ NULL, 0 }
};

/* DH groups by their IKE group numbers (RFC 2409, RFC 3526, RFC 5903). */
static const struct name_value group_names[] = {
	{ "modp768", 1 },
	{ "modp1024", 2 },
	{ "modp1536", 5 },
	{ "modp2048", 14 },
	{ "modp3072", 15 },
	{ "modp4096", 16 },
	{ "modp6144", 17 },
	{ "modp8192", 18 },
	{ "ecp256", 19 },
	{ "ecp384", 20 },
	{ NULL, 0 }
};

static const struct name_value proto_names[] = {
	{ "any", PFKEY_ULPROTO_ANY },
	{ "icmp", 1 },
	{ "tcp", 6 },
	{ "udp", 17 },
	{ "gre", 47 },
	{ "icmp6", 58 },
	{ "sctp", 132 },
	{ NULL, 0 }
};

static const struct name_value id_names[] = {
	{ "address", CONF_ID_ADDRESS },
	{ "fqdn", CONF_ID_FQDN },
	{ "user-fqdn", CONF_ID_USER_FQDN },
	{ "asn1dn", CONF_ID_ASN1DN },
	{ NULL, 0 }
};

static int
by_name(const struct name_value *t, const char *name)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t->value;
	return -1;
}

static const char *
by_value(const struct name_value *t, int value)
{
	for (; t->name != NULL; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

int
conf_enc_by_name(const char *name)
{
	return by_name(enc_names, name);
}

int
conf_hash_by_name(const char *name)
{
	return by_name(hash_names, name);
}

int
conf_integ_by_name(const char *name)
{
	return by_name(integ_names, name);
}

int
conf_id_type_by_name(const char *name)
{
	return by_name(id_names, name);
}

const char *
conf_enc_name(enum conf_enc v)
{
	return by_value(enc_names, (int)v);
}

bool
conf_enc_is_aead(enum conf_enc v)
{
	return v == CONF_ENC_AES128GCM16 || v == CONF_ENC_AES192GCM16 ||
	    v == CONF_ENC_AES256GCM16;
}

const char *
conf_hash_name(enum conf_hash v)
{
	return by_value(hash_names, (int)v);
}

const char *
conf_integ_name(enum conf_integ v)
{
	return by_value(integ_names, (int)v);
}

const char *
conf_group_name(unsigned group)
{
	return by_value(group_names, (int)group);
}

const char *
conf_id_type_name(enum conf_id_type v)
{
	if (v == CONF_ID_DEFAULT)
		return "default";
	return by_value(id_names, (int)v);
}

const char *
conf_proto_name(uint8_t proto)
{
	return by_value(proto_names, proto);
}

/* A name from t, or a number in [1, max]. */
static int
name_or_number(const struct name_value *t, const char *text, uint64_t max,
    unsigned *out, char *reason, size_t len)
{
	uint64_t v;
	int n;

	if ((n = by_name(t, text)) != -1) {
		*out = (unsigned)n;
		return 0;
	}
	if (text[0] < '0' || text[0] > '9')
		return -1;
	if (conf_parse_number(text, &v, reason, len) == -1)
		return -2;
	if (v < 1 || v > max) {
		snprintf(reason, len, "value '%.*s' out of range (1 to %llu)",
		    CONF_ECHO_MAX, text, (unsigned long long)max);
		return -2;
	}
	*out = (unsigned)v;
	return 0;
}

int
conf_group_by_name(const char *text, unsigned *out, char *reason, size_t len)
{
	switch (name_or_number(group_names, text, 65535, out, reason, len)) {
	case 0:
		return 0;
	case -1:
		snprintf(reason, len, "unknown group '%.*s' (expected modp768, "
		    "modp1024, modp1536, modp2048, modp3072, modp4096, "
		    "modp6144, modp8192, ecp256, ecp384 or a group number)",
		    CONF_ECHO_MAX,
		    text);
		return -1;
	default:
		return -1;
	}
}

int
conf_proto_by_name(const char *text, uint8_t *out, char *reason, size_t len)
{
	unsigned v;

	switch (name_or_number(proto_names, text, 254, &v, reason, len)) {
	case 0:
		*out = (uint8_t)v;
		return 0;
	case -1:
		snprintf(reason, len, "unknown protocol '%.*s' (expected any, "
		    "tcp, udp, icmp, icmp6, gre, sctp or a number)",
		    CONF_ECHO_MAX, text);
		return -1;
	default:
		return -1;
	}
}

static int
parse_prefixlen(const char *text, const char *slash, int family,
    uint8_t *out, char *reason, size_t len)
{
	unsigned max = family == AF_INET ? 32 : 128;
	uint64_t v;
	char dummy[8];

	if (conf_parse_number(slash + 1, &v, dummy, sizeof(dummy)) != 0 ||
	    strlen(slash + 1) > 3) {
		snprintf(reason, len, "bad prefix length '%.*s' in '%.*s'",
		    CONF_ECHO_MAX, slash + 1, CONF_ECHO_MAX, text);
		return -1;
	}
	if (v > max) {
		snprintf(reason, len, "prefix length %llu too long for %s "
		    "(at most %u)", (unsigned long long)v,
		    family == AF_INET ? "IPv4" : "IPv6", max);
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

/* True if a bit after the first plen bits of a is set. */
static bool
host_bits_set(const struct pfkey_addr *a)
{
	size_t bytes = a->family == AF_INET ? 4 : 16, i;
	unsigned plen = a->prefixlen;

	for (i = plen / 8; i < bytes; i++) {
		uint8_t mask = 0xff;

		if (i == plen / 8)
			mask = (uint8_t)(0xff >> (plen % 8));
		if (a->addr[i] & mask)
			return true;
	}
	return false;
}

static void
clear_host_bits(struct pfkey_addr *a)
{
	size_t bytes = a->family == AF_INET ? 4 : 16, i;
	unsigned plen = a->prefixlen;

	for (i = plen / 8; i < bytes; i++) {
		if (i == plen / 8)
			a->addr[i] &= (uint8_t)~(0xff >> (plen % 8));
		else
			a->addr[i] = 0;
	}
}

static int
check_host_bits(const char *text, struct pfkey_addr *a, char *reason,
    size_t len)
{
	char fixed[INET6_ADDRSTRLEN + 8];

	if (!host_bits_set(a))
		return 0;
	clear_host_bits(a);
	conf_addr_format(a, fixed, sizeof(fixed));
	snprintf(reason, len, "'%.*s' has host bits set (did you mean %s?)",
	    CONF_ECHO_MAX, text, fixed);
	return -1;
}

int
conf_parse_addr(const char *text, bool allow_prefix, struct pfkey_addr *out,
    char *reason, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t hostlen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	int family = memchr(text, ':', hostlen) != NULL ? AF_INET6 : AF_INET;

	memset(out, 0, sizeof(*out));
	if (slash != NULL && !allow_prefix) {
		snprintf(reason, len, "expected an address without prefix "
		    "length, got '%.*s'", CONF_ECHO_MAX, text);
		return -1;
	}
	if (hostlen >= sizeof(host))
		hostlen = 0;	/* too long: fails as "" does */
	memcpy(host, text, hostlen);
	host[hostlen] = '\0';
	if (inet_pton(family, host, out->addr) != 1) {
		snprintf(reason, len, "bad address '%.*s'", CONF_ECHO_MAX,
		    text);
		return -1;
	}
	out->family = (uint8_t)family;
	out->prefixlen = family == AF_INET ? 32 : 128;
	if (slash == NULL)
		return 0;
	if (parse_prefixlen(text, slash, family, &out->prefixlen, reason,
	    len) == -1)
		return -1;
	return check_host_bits(text, out, reason, len);
}

bool
conf_addr_equal(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && a->prefixlen == b->prefixlen &&
	    a->proto == b->proto && a->port == b->port &&
	    a->scope_id == b->scope_id && memcmp(a->addr, b->addr, n) == 0;
}

void
conf_addr_format(const struct pfkey_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	unsigned bits = a->family == AF_INET ? 32 : 128;

	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "unspecified");
		return;
	}
	inet_ntop(a->family, a->addr, host, sizeof(host));
	if (a->prefixlen < bits)
		snprintf(buf, len, "%s/%u", host, a->prefixlen);
	else
		snprintf(buf, len, "%s", host);
}

void
conf_format_seconds(uint64_t v, char *buf, size_t len)
{
	unsigned long long n = (unsigned long long)v;

	if (v != 0 && v % 3600 == 0)
		snprintf(buf, len, "%lluh", n / 3600);
	else if (v != 0 && v % 60 == 0)
		snprintf(buf, len, "%llum", n / 60);
	else
		snprintf(buf, len, "%llus", n);
}

void
conf_format_bytes(uint64_t v, char *buf, size_t len)
{
	unsigned long long n = (unsigned long long)v;

	if (v != 0 && v % (1024 * 1024) == 0)
		snprintf(buf, len, "%lluMB", n / (1024 * 1024));
	else if (v != 0 && v % 1024 == 0)
		snprintf(buf, len, "%lluKB", n / 1024);
	else
		snprintf(buf, len, "%llu", n);
}
