/*
 * bad_name: the file is bad_name.so but the plugin calls itself
 * "other_name"; oakleyd must refuse it before init.
 */
#include <stdlib.h>

#include "oakley/plugin.h"

static int
bad_name_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	(void)h;
	(void)b;
	abort();
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "other_name",
	.version = "1.0",
	.description = "its name does not match its file",
	.init = bad_name_init,
};
