/*
 * Flag stores: the small key -> integer-or-string maps the engine keeps on
 * each peer, phase 1 and phase 2 for the plugins ("windows.version" = 4,
 * "nlb.fast_failover" = 1, "natt.method" = "rfc3947").  A sorted array:
 * a store holds a handful of entries, and "show peers" lists them in key
 * order.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_priv.h"

#define FLAG_KEY_MAX	128	/* bytes of a key */
#define FLAG_STR_MAX	1024	/* bytes of a string value */

struct flag {
	char		*key;
	char		*str;		/* NULL: an integer */
	int64_t		 num;
};

struct oakley_flags {
	struct flag	*v;
	size_t		 n, cap;
};

struct oakley_flags *
plugin_flags_new(void)
{
	return calloc(1, sizeof(struct oakley_flags));
}

void
plugin_flags_free(struct oakley_flags *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].str);
	}
	free(f->v);
	free(f);
}

/* Index of key, or where it would go (*found false). */
static size_t
flag_search(const struct oakley_flags *f, const char *key, bool *found)
{
	size_t lo = 0, hi = f->n, mid;
	int c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, f->v[mid].key);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool
flag_key_valid(const char *key)
{
	size_t len;

	if (key == NULL)
		return false;
	len = strlen(key);
	return len > 0 && len <= FLAG_KEY_MAX;
}

/* The entry for key, created empty (integer 0) if missing. */
static struct flag *
flag_entry(struct oakley_flags *f, const char *key)
{
	struct flag *v;
	size_t i, cap;
	bool found;

	i = flag_search(f, key, &found);
	if (found)
		return &f->v[i];
	if (f->n == f->cap) {
		cap = f->cap == 0 ? 4 : f->cap * 2;
		if ((v = reallocarray(f->v, cap, sizeof(*v))) == NULL)
			return NULL;
		f->v = v;
		f->cap = cap;
	}
	memmove(&f->v[i + 1], &f->v[i], (f->n - i) * sizeof(f->v[0]));
	memset(&f->v[i], 0, sizeof(f->v[i]));
	if ((f->v[i].key = strdup(key)) == NULL) {
		memmove(&f->v[i], &f->v[i + 1], (f->n - i) * sizeof(f->v[0]));
		return NULL;
	}
	f->n++;
	return &f->v[i];
}

int
plugin_flags_set_int(struct oakley_flags *f, const char *key, int64_t value)
{
	struct flag *e;

	if (f == NULL || !flag_key_valid(key))
		return -1;
	if ((e = flag_entry(f, key)) == NULL)
		return -1;
	free(e->str);
	e->str = NULL;
	e->num = value;
	return 0;
}

int
plugin_flags_set_str(struct oakley_flags *f, const char *key,
    const char *value)
{
	struct flag *e;
	char *copy;

	if (f == NULL || !flag_key_valid(key) || value == NULL ||
	    strlen(value) > FLAG_STR_MAX)
		return -1;
	if ((copy = strdup(value)) == NULL)
		return -1;
	if ((e = flag_entry(f, key)) == NULL) {
		free(copy);
		return -1;
	}
	free(e->str);
	e->str = copy;
	e->num = 0;
	return 0;
}

static const struct flag *
flag_find(const struct oakley_flags *f, const char *key)
{
	size_t i;
	bool found;

	if (f == NULL || key == NULL)
		return NULL;
	i = flag_search(f, key, &found);
	return found ? &f->v[i] : NULL;
}

int
plugin_flags_get_int(const struct oakley_flags *f, const char *key,
    int64_t *value)
{
	const struct flag *e;

	if ((e = flag_find(f, key)) == NULL || e->str != NULL)
		return -1;
	*value = e->num;
	return 0;
}

const char *
plugin_flags_get_str(const struct oakley_flags *f, const char *key)
{
	const struct flag *e;

	if ((e = flag_find(f, key)) == NULL)
		return NULL;
	return e->str;
}

void
plugin_flags_unset(struct oakley_flags *f, const char *key)
{
	size_t i;
	bool found;

	if (f == NULL || key == NULL)
		return;
	i = flag_search(f, key, &found);
	if (!found)
		return;
	free(f->v[i].key);
	free(f->v[i].str);
	f->n--;
	memmove(&f->v[i], &f->v[i + 1], (f->n - i) * sizeof(f->v[0]));
}

size_t
plugin_flags_count(const struct oakley_flags *f)
{
	return f != NULL ? f->n : 0;
}

/* "key=123" or "key=\"text\"": 0, or -1 past the end or if truncated. */
int
plugin_flags_format(const struct oakley_flags *f, size_t index, char *buf,
    size_t len)
{
	const struct flag *e;
	int n;

	if (f == NULL || index >= f->n)
		return -1;
	e = &f->v[index];
	if (e->str != NULL)
		n = snprintf(buf, len, "%s=\"%s\"", e->key, e->str);
	else
		n = snprintf(buf, len, "%s=%" PRId64, e->key, e->num);
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

/* ---- The host table's view ---- */

static int
host_flag_set_int(const struct oakley_host *h, struct oakley_flags *f,
    const char *key, int64_t value)
{
	(void)h;
	return plugin_flags_set_int(f, key, value);
}

static int
host_flag_set_str(const struct oakley_host *h, struct oakley_flags *f,
    const char *key, const char *value)
{
	(void)h;
	return plugin_flags_set_str(f, key, value);
}

static int
host_flag_get_int(const struct oakley_host *h, const struct oakley_flags *f,
    const char *key, int64_t *value)
{
	(void)h;
	return plugin_flags_get_int(f, key, value);
}

static const char *
host_flag_get_str(const struct oakley_host *h, const struct oakley_flags *f,
    const char *key)
{
	(void)h;
	return plugin_flags_get_str(f, key);
}

static void
host_flag_unset(const struct oakley_host *h, struct oakley_flags *f,
    const char *key)
{
	(void)h;
	plugin_flags_unset(f, key);
}

void
plugin_host_set_flags(struct oakley_host *h)
{
	h->flag_set_int = host_flag_set_int;
	h->flag_set_str = host_flag_set_str;
	h->flag_get_int = host_flag_get_int;
	h->flag_get_str = host_flag_get_str;
	h->flag_unset = host_flag_unset;
}
