/*
 * bad_abi: a plugin built for another ABI version (99); oakleyd must refuse
 * it before calling anything in it.
 */
#include <stdlib.h>

#include "oakley/plugin.h"

static int
bad_abi_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	(void)h;
	(void)b;
	abort();
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = 99,
	.name = "bad_abi",
	.version = "1.0",
	.description = "claims ABI version 99",
	.init = bad_abi_init,
};
