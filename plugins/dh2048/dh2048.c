/*
 * dh2048: the RFC 3526 MODP Diffie-Hellman groups 14 (2048-bit, what
 * Windows calls "Group 2048 (high)"), 15 (3072-bit) and 16 (4096-bit),
 * generator 2.  The primes are OpenSSL's BN_get_rfc3526_prime_*(), the
 * same as its "modp_2048" etc. named groups; never the RFC 7919 ffdhe
 * primes, which are different numbers.
 *
 * The arithmetic is daemon/ike/modp.c, compiled into this shared object
 * with hidden visibility (see modp.h), so the plugin needs no symbol of
 * oakleyd: it only registers descriptors through the host table.
 *
 * Configuration ("plugin dh2048 { ... }"), optional:
 *	groups GROUP ...;	which to register: modp2048 modp3072 modp4096
 *				or 14 15 16 (default: all three)
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ike/modp.h"
#include "oakley/plugin.h"

/*
 * Private exponents of at least twice the groups' security strength
 * (112, 128 and 152 bits, NIST SP 800-57), rounded up to 64 bits, as
 * RFC 3526 8 allows; OpenSSL's named groups do the same.
 */
static const struct modp_group groups[] = {
	MODP_GROUP(14, "modp2048", 2048, BN_get_rfc3526_prime_2048, 256),
	MODP_GROUP(15, "modp3072", 3072, BN_get_rfc3526_prime_3072, 256),
	MODP_GROUP(16, "modp4096", 4096, BN_get_rfc3526_prime_4096, 320)
};
#define NGROUPS		(sizeof(groups) / sizeof(groups[0]))

/* The index of the group named or numbered by arg, or -1. */
static int
group_index(const char *arg)
{
	char num[8];
	size_t i;

	for (i = 0; i < NGROUPS; i++) {
		snprintf(num, sizeof(num), "%u", (unsigned)groups[i].dh.group);
		if (strcmp(arg, groups[i].dh.name) == 0 ||
		    strcmp(arg, num) == 0)
			return (int)i;
	}
	return -1;
}

static int
configure(const struct oakley_host *h, const struct oakley_conf_block *b,
    bool want[NGROUPS])
{
	const struct oakley_conf_stmt *s;
	const char *key, *arg;
	size_t i, n;
	int g;
	bool seen = false;

	for (i = 0; i < NGROUPS; i++)
		want[i] = true;
	for (s = h->conf_first(h, b); s != NULL; s = h->conf_next(h, s)) {
		key = h->conf_key(h, s);
		if (strcmp(key, "groups") != 0) {
			h->conf_error(h, s, "unknown option '%s' (expected "
			    "groups)", key);
			return -1;
		}
		if (seen) {
			h->conf_error(h, s, "groups given twice");
			return -1;
		}
		seen = true;
		if ((n = h->conf_nargs(h, s)) == 0) {
			h->conf_error(h, s, "groups needs at least one group");
			return -1;
		}
		for (i = 0; i < NGROUPS; i++)
			want[i] = false;
		for (i = 0; i < n; i++) {
			arg = h->conf_arg(h, s, i);
			if ((g = group_index(arg)) == -1) {
				h->conf_error(h, s, "unknown group '%s' "
				    "(expected modp2048, modp3072, modp4096, "
				    "14, 15 or 16)", arg);
				return -1;
			}
			want[g] = true;
		}
	}
	return 0;
}

static int
dh2048_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	bool want[NGROUPS];
	size_t i;

	if (configure(h, b, want) != 0)
		return -1;
	for (i = 0; i < NGROUPS; i++) {
		if (!want[i])
			continue;
		/* The host records why a registration fails. */
		if (h->register_dh_group(h, &groups[i].dh) != 0)
			return -1;
		h->log(h, OAKLEY_LOG_DEBUG, "DH group %u (%s) registered",
		    (unsigned)groups[i].dh.group, groups[i].dh.name);
	}
	return 0;
}

static void
dh2048_fini(const struct oakley_host *h)
{
	(void)h;	/* nothing kept: keys belong to their exchanges */
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "dh2048",
	.version = "1.0",
	.description = "MODP Diffie-Hellman groups 14, 15 and 16 (RFC 3526)",
	.init = dh2048_init,
	.fini = dh2048_fini,
};
