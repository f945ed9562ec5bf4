/*
 * profile_reserved: registers a profile under the core's reserved name
 * "auto" (oakley/plugin.h); the registry refuses it and init fails with
 * the registry's reason.
 */
#include <stddef.h>

#include "oakley/plugin.h"

static int
reserved_apply(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_profile *prof)
{
	(void)h;
	(void)p1;
	(void)prof;
	return 0;
}

static const struct oakley_profile_desc profile = {
	.name = OAKLEY_PROFILE_AUTO,
	.description = "takes a reserved name",
	.apply = reserved_apply,
};

static int
reserved_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	(void)b;
	return h->register_profile(h, &profile);
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "profile_reserved",
	.version = "1.0",
	.description = "registers the reserved profile name auto",
	.init = reserved_init,
};
