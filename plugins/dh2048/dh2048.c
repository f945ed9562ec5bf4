/*
 * dh2048: the RFC 3526 MODP Diffie-Hellman groups 14 (2048-bit, what
 * Windows calls "Group 2048 (high)"), 15 (3072-bit) and 16 (4096-bit),
 * generator 2.  The primes are OpenSSL's BN_get_rfc3526_prime_*(), the
 * same as its "modp_2048" etc. named groups; never the RFC 7919 ffdhe
 * primes, which are different numbers.
 *
 * The arithmetic is daemon/ike/modp.c and the configuration
 * plugins/dh_common, compiled into this shared object with hidden
 * visibility (see modp.h, dh_plugin.h), so the plugin needs no symbol of
 * oakleyd: it only registers descriptors through the host table.
 *
 * Configuration ("plugin dh2048 { ... }"), optional:
 *	groups GROUP ...;	which to register: modp2048 modp3072 modp4096
 *				or 14 15 16 (default: all three)
 */
#include "dh_common/dh_plugin.h"
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

static const struct oakley_dh_group *const descs[] = {
	&groups[0].dh, &groups[1].dh, &groups[2].dh
};

static int
dh2048_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	return dh_plugin_init(h, b, descs, sizeof(descs) / sizeof(descs[0]));
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
