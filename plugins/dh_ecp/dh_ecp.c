/*
 * dh_ecp: the elliptic-curve Diffie-Hellman groups of RFC 5903 over the
 * NIST prime curves: group 19 (256-bit random ECP group, P-256, what
 * Windows Vista and later call "Elliptic Curve Diffie-Hellman P-256")
 * and group 20 (384-bit, P-384, "ECDH P-384").
 *
 * The arithmetic is ecp.c and the configuration plugins/dh_common,
 * compiled into this shared object with hidden visibility (see ecp.h,
 * dh_plugin.h), so the plugin needs no symbol of oakleyd: it only
 * registers descriptors through the host table.
 *
 * Configuration ("plugin dh_ecp { ... }"), optional:
 *	groups GROUP ...;	which to register: ecp256 ecp384 or 19 20
 *				(default: both)
 */
#include "dh_common/dh_plugin.h"
#include "dh_ecp/ecp.h"
#include "oakley/plugin.h"

static const struct oakley_dh_group *const descs[ECP_NGROUPS] = {
	&ecp_groups[0].dh, &ecp_groups[1].dh
};

static int
dh_ecp_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	return dh_plugin_init(h, b, descs, ECP_NGROUPS);
}

static void
dh_ecp_fini(const struct oakley_host *h)
{
	(void)h;	/* nothing kept: keys belong to their exchanges */
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "dh_ecp",
	.version = "1.0",
	.description = "ECP Diffie-Hellman groups 19 and 20 (RFC 5903)",
	.init = dh_ecp_init,
	.fini = dh_ecp_fini,
};
