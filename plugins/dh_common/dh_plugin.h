/*
 * What the DH group plugins (dh2048, dh_ecp) share: the optional
 * "groups" statement of their block and the registration of the groups
 * it names.  Compiled into each shared object with hidden visibility,
 * like daemon/ike/modp.c: it is no plugin and needs nothing of oakleyd.
 *
 *	plugin NAME;				every group of the plugin
 *	plugin NAME { groups GROUP ...; }	only these, by name or number
 */
#ifndef OAKLEY_DH_PLUGIN_H
#define OAKLEY_DH_PLUGIN_H

#include <stddef.h>

#include "oakley/plugin.h"

#define DH_PLUGIN_HIDDEN	__attribute__((visibility("hidden")))
#define DH_PLUGIN_GROUPS_MAX	8	/* groups one plugin can offer */

/*
 * The plugin's init(): read b, then register each of the n groups it
 * asks for (all of them without a "groups" statement) and log each at
 * debug level.  0, or -1 after a conf_error or a failed registration.
 */
DH_PLUGIN_HIDDEN int dh_plugin_init(const struct oakley_host *,
	    const struct oakley_conf_block *b,
	    const struct oakley_dh_group *const *groups, size_t n);

#endif /* OAKLEY_DH_PLUGIN_H */
