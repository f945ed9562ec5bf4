/*
 * The "groups" statement and group registration of the DH plugins; see
 * dh_plugin.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dh_plugin.h"

/* The index of the group named or numbered by arg, or -1. */
static int
group_index(const struct oakley_dh_group *const *groups, size_t n,
    const char *arg)
{
	char num[8];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%u", (unsigned)groups[i]->group);
		if (strcmp(arg, groups[i]->name) == 0 || strcmp(arg, num) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * "modp2048, modp3072, modp4096, 14, 15 or 16": the names, then the
 * numbers (truncated to len).
 */
static void
expected(const struct oakley_dh_group *const *groups, size_t n, char *buf,
    size_t len)
{
	const char *sep;
	size_t k, off = 0;
	int w;

	buf[0] = '\0';
	for (k = 0; k < 2 * n && off < len; k++) {
		sep = k == 0 ? "" : k == 2 * n - 1 ? " or " : ", ";
		if (k < n)
			w = snprintf(buf + off, len - off, "%s%s", sep,
			    groups[k]->name);
		else
			w = snprintf(buf + off, len - off, "%s%u", sep,
			    (unsigned)groups[k - n]->group);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* want[i]: register groups[i]. */
static int
configure(const struct oakley_host *h, const struct oakley_conf_block *b,
    const struct oakley_dh_group *const *groups, size_t n, bool *want)
{
	const struct oakley_conf_stmt *s;
	const char *key, *arg;
	char names[256];
	size_t i, nargs;
	int g;
	bool seen = false;

	for (i = 0; i < n; i++)
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
		if ((nargs = h->conf_nargs(h, s)) == 0) {
			h->conf_error(h, s, "groups needs at least one group");
			return -1;
		}
		for (i = 0; i < n; i++)
			want[i] = false;
		for (i = 0; i < nargs; i++) {
			arg = h->conf_arg(h, s, i);
			if ((g = group_index(groups, n, arg)) == -1) {
				expected(groups, n, names, sizeof(names));
				h->conf_error(h, s, "unknown group '%s' "
				    "(expected %s)", arg, names);
				return -1;
			}
			want[g] = true;
		}
	}
	return 0;
}

int
dh_plugin_init(const struct oakley_host *h, const struct oakley_conf_block *b,
    const struct oakley_dh_group *const *groups, size_t n)
{
	bool want[DH_PLUGIN_GROUPS_MAX];
	size_t i;

	if (n == 0 || n > DH_PLUGIN_GROUPS_MAX) {
		h->log(h, OAKLEY_LOG_ERR, "%zu DH groups: 1 to %d expected",
		    n, DH_PLUGIN_GROUPS_MAX);
		return -1;
	}
	if (configure(h, b, groups, n, want) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!want[i])
			continue;
		/* The host records why a registration fails. */
		if (h->register_dh_group(h, groups[i]) != 0)
			return -1;
		h->log(h, OAKLEY_LOG_DEBUG, "DH group %u (%s) registered",
		    (unsigned)groups[i]->group, groups[i]->name);
	}
	return 0;
}
