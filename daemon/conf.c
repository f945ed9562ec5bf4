/*
 * oakleyd.conf, second pass: the generic tree to struct config.
 *
 * This file loads (conf_load, conf_parse_string), frees, interprets the
 * top level (pfkey, listen, paths, log-level, flush-on-exit, plugin, peer)
 * and holds the error helpers the other interpreting files share.  Peer
 * blocks are read in conf_peer.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "log.h"

#define SOCKET_PATH_MAX	103	/* sun_path on BSD is 104 bytes */
#define PLUGIN_NAME_MAX	32

/* What "plugin NAME;" hands to the plugin: a block with no statement. */
static const struct conf_block empty_block;

/* ---- Error helpers shared by conf*.c ---- */

int
conf_fail_stmt(struct conf_ctx *ctx, const struct conf_stmt *st,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verrorf(ctx->err, ctx->errlen, st->file, st->line, st->col, fmt,
	    ap);
	va_end(ap);
	return -1;
}

int
conf_fail_arg(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    const char *fmt, ...)
{
	const char *file;
	int line, col;
	va_list ap;

	conf_stmt_arg_where(st, i, &file, &line, &col);
	va_start(ap, fmt);
	conf_verrorf(ctx->err, ctx->errlen, st->file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int
conf_want_args(struct conf_ctx *ctx, const struct conf_stmt *st, size_t min,
    size_t max, const char *usage)
{
	if (st->nargs < min)
		return conf_fail_stmt(ctx, st, "missing argument to '%s' "
		    "(usage: %s)", st->key, usage);
	if (st->nargs > max)
		return conf_fail_arg(ctx, st, max, "too many arguments to "
		    "'%s' (usage: %s)", st->key, usage);
	return 0;
}

int
conf_want_no_block(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	if (st->block == NULL)
		return 0;
	conf_errorf(ctx->err, ctx->errlen, st->block->file, st->block->line,
	    st->block->col, "unexpected block after '%s' (expected ';')",
	    st->key);
	return -1;
}

int
conf_want_block(struct conf_ctx *ctx, const struct conf_stmt *st,
    const char *usage)
{
	if (st->block != NULL)
		return 0;
	return conf_fail_stmt(ctx, st, "expected a block after '%s' "
	    "(usage: %s)", st->key, usage);
}

int
conf_fail_duplicate(struct conf_ctx *ctx, const struct conf_stmt *st,
    const struct conf_stmt *first, const char *where)
{
	return conf_fail_stmt(ctx, st, "duplicate '%s' %s (first at "
	    "%s:%d:%d)", st->key, where, conf_file_name(first->file),
	    first->line, first->col);
}

int
conf_arg_string(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    char **out)
{
	char *s;

	if (st->args[i].len == 0)
		return conf_fail_arg(ctx, st, i, "empty value for '%s'",
		    st->key);
	if ((s = strdup(st->args[i].text)) == NULL)
		return conf_fail_arg(ctx, st, i, "out of memory");
	free(*out);
	*out = s;
	return 0;
}

int
conf_arg_path(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    char **out)
{
	char *s;

	if (st->args[i].len == 0)
		return conf_fail_arg(ctx, st, i, "empty path for '%s'",
		    st->key);
	if ((s = conf_path_resolve(st->file, st->args[i].text)) == NULL)
		return conf_fail_arg(ctx, st, i, "out of memory");
	free(*out);
	*out = s;
	return 0;
}

int
conf_kw_next(struct conf_ctx *ctx, const struct conf_stmt *st, size_t *i,
    const char *const *names, const char *where, unsigned *seen,
    size_t *which)
{
	const char *kw = st->args[*i].text;
	size_t n;

	for (n = 0; names[n] != NULL; n++)
		if (!st->args[*i].quoted && strcmp(names[n], kw) == 0)
			break;
	if (names[n] == NULL)
		return conf_fail_arg(ctx, st, *i, "unknown key '%.*s' in %s",
		    CONF_ECHO_MAX, kw, where);
	if (*seen & (1u << n))
		return conf_fail_arg(ctx, st, *i, "duplicate '%s' in %s", kw,
		    where);
	if (*i + 1 >= st->nargs)
		return conf_fail_arg(ctx, st, *i, "missing value after '%s'",
		    kw);
	*seen |= 1u << n;
	*which = n;
	(*i)++;
	return 0;
}

/* ---- Plugin blocks ---- */

void
conf_plugin_blocks_free(struct conf_plugin_block *pb, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(pb[i].name);
	free(pb);
}

int
conf_plugin_block_add(struct conf_ctx *ctx, struct conf_plugin_block **pbp,
    size_t *np, const struct conf_stmt *st, const char *name,
    const char *where)
{
	struct conf_plugin_block *pb;
	size_t i;

	for (i = 0; i < *np; i++)
		if (strcmp((*pbp)[i].name, name) == 0)
			return conf_fail_stmt(ctx, st, "duplicate plugin block "
			    "'%s' %s (first at %s:%d:%d)", name, where,
			    (*pbp)[i].file, (*pbp)[i].line, (*pbp)[i].col);
	pb = reallocarray(*pbp, *np + 1, sizeof(*pb));
	if (pb == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	*pbp = pb;
	pb += *np;
	memset(pb, 0, sizeof(*pb));
	if ((pb->name = strdup(name)) == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	(*np)++;
	pb->block = st->block != NULL ? st->block : &empty_block;
	pb->file = conf_file_name(st->file);
	pb->line = st->line;
	pb->col = st->col;
	return 0;
}

/* ---- Top level ---- */

static int
socket_path_check(struct conf_ctx *ctx, const struct conf_stmt *st,
    size_t i, const char *path)
{
	if (strlen(path) > SOCKET_PATH_MAX)
		return conf_fail_arg(ctx, st, i, "socket path too long (at "
		    "most %d bytes)", SOCKET_PATH_MAX);
	return 0;
}

static int
global_pfkey(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	const char *spec;

	if (conf_want_args(ctx, st, 1, 1, "pfkey kernel | \"unix:PATH\"") ==
	    -1)
		return -1;
	spec = st->args[0].text;
	if (strcmp(spec, "kernel") != 0 && (strncmp(spec, "unix:", 5) != 0 ||
	    spec[5] == '\0'))
		return conf_fail_arg(ctx, st, 0, "bad pfkey transport '%.*s' "
		    "(expected kernel or unix:PATH)", CONF_ECHO_MAX, spec);
	if (strncmp(spec, "unix:", 5) == 0 &&
	    socket_path_check(ctx, st, 0, spec + 5) == -1)
		return -1;
	return conf_arg_string(ctx, st, 0, &ctx->conf->pfkey);
}

static int
listen_port(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    uint16_t *port)
{
	uint64_t v;

	if (conf_stmt_arg_number(st, i, 1, 65535, &v, ctx->err,
	    ctx->errlen) == -1)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
listen_add(struct conf_ctx *ctx, const struct conf_stmt *st,
    const struct conf_listen *l)
{
	struct config *conf = ctx->conf;
	struct conf_listen *nl;
	char text[INET6_ADDRSTRLEN + 8];
	size_t i;

	for (i = 0; i < conf->nlisten; i++) {
		if (!conf_addr_equal(&conf->listen[i].addr, &l->addr))
			continue;
		conf_addr_format(&l->addr, text, sizeof(text));
		return conf_fail_arg(ctx, st, 0, "duplicate listen address %s",
		    text);
	}
	nl = reallocarray(conf->listen, conf->nlisten + 1, sizeof(*nl));
	if (nl == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	conf->listen = nl;
	nl[conf->nlisten++] = *l;
	return 0;
}

static int
global_listen(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	static const char *const kws[] = { "port", "natt-port", NULL };
	struct conf_listen l;
	char reason[160];
	unsigned seen = 0;
	size_t i, which;

	if (conf_want_args(ctx, st, 1, 5, "listen ADDRESS [port NUMBER] "
	    "[natt-port NUMBER]") == -1 || conf_want_no_block(ctx, st) == -1)
		return -1;
	if (conf_parse_addr(st->args[0].text, false, &l.addr, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, 0, "%s", reason);
	l.port = CONF_DEFAULT_PORT;
	l.natt_port = CONF_DEFAULT_NATT_PORT;
	for (i = 1; i < st->nargs; i++) {
		if (conf_kw_next(ctx, st, &i, kws, "listen", &seen,
		    &which) == -1)
			return -1;
		if (listen_port(ctx, st, i, which == 0 ? &l.port :
		    &l.natt_port) == -1)
			return -1;
	}
	if (l.port == l.natt_port)
		return conf_fail_stmt(ctx, st, "port and natt-port are both "
		    "%u", l.port);
	return listen_add(ctx, st, &l);
}

static int
global_path(struct conf_ctx *ctx, const struct conf_stmt *st, char **out,
    const char *usage)
{
	if (conf_want_args(ctx, st, 1, 1, usage) == -1)
		return -1;
	return conf_arg_string(ctx, st, 0, out);
}

static int
global_plugin_dir(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	return global_path(ctx, st, &ctx->conf->plugin_dir,
	    "plugin-dir \"PATH\"");
}

static int
global_control_socket(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	if (global_path(ctx, st, &ctx->conf->control_socket,
	    "control-socket \"PATH\"") == -1)
		return -1;
	return socket_path_check(ctx, st, 0, ctx->conf->control_socket);
}

static int
global_pidfile(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	return global_path(ctx, st, &ctx->conf->pidfile, "pidfile \"PATH\"");
}

static int
global_log_level(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	int level;

	if (conf_want_args(ctx, st, 1, 1, "log-level error | warning | "
	    "notice | info | debug") == -1)
		return -1;
	if ((level = log_level_by_name(st->args[0].text)) == -1)
		return conf_fail_arg(ctx, st, 0, "unknown log level '%.*s' "
		    "(expected error, warning, notice, info, debug)",
		    CONF_ECHO_MAX, st->args[0].text);
	ctx->conf->log_level = level;
	return 0;
}

static int
global_flush_on_exit(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	if (conf_want_args(ctx, st, 1, 1, "flush-on-exit yes | no") == -1)
		return -1;
	return conf_stmt_arg_bool(st, 0, &ctx->conf->flush_on_exit, ctx->err,
	    ctx->errlen);
}

/* half-open N [per-source M]; */
static int
global_half_open(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	struct config *conf = ctx->conf;
	uint64_t all, one;

	if (conf_want_args(ctx, st, 1, 3, "half-open N [per-source M]") == -1 ||
	    conf_stmt_arg_number(st, 0, 1, CONF_HALF_OPEN_LIMIT, &all,
	    ctx->err, ctx->errlen) == -1)
		return -1;
	one = all < CONF_DEFAULT_HALF_OPEN_PER_SOURCE ? all :
	    CONF_DEFAULT_HALF_OPEN_PER_SOURCE;
	if (st->nargs == 2 || (st->nargs == 3 &&
	    strcmp(st->args[1].text, "per-source") != 0))
		return conf_fail_arg(ctx, st, 1, "expected 'per-source M' "
		    "after the limit");
	if (st->nargs == 3 && conf_stmt_arg_number(st, 2, 1, all, &one,
	    ctx->err, ctx->errlen) == -1)
		return -1;
	conf->half_open = (uint32_t)all;
	conf->half_open_per_source = (uint32_t)one;
	return 0;
}

static bool
plugin_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > PLUGIN_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

static int
global_plugin(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	const char *name;

	if (conf_want_args(ctx, st, 1, 1, "plugin NAME [{ ... }]") == -1)
		return -1;
	name = st->args[0].text;
	if (!plugin_name_ok(name))
		return conf_fail_arg(ctx, st, 0, "bad plugin name '%.*s' "
		    "(letters, digits, '_' and '-', at most %d)",
		    CONF_ECHO_MAX, name, PLUGIN_NAME_MAX);
	return conf_plugin_block_add(ctx, &ctx->conf->plugins,
	    &ctx->conf->nplugins, st, name, "at top level");
}

struct global_key {
	const char	*key;
	int		(*parse)(struct conf_ctx *, const struct conf_stmt *);
	bool		once;
	bool		block;		/* may have a block */
};

static const struct global_key global_keys[] = {
	{ "pfkey", global_pfkey, true, false },
	{ "listen", global_listen, false, false },
	{ "plugin-dir", global_plugin_dir, true, false },
	{ "control-socket", global_control_socket, true, false },
	{ "pidfile", global_pidfile, true, false },
	{ "log-level", global_log_level, true, false },
	{ "flush-on-exit", global_flush_on_exit, true, false },
	{ "half-open", global_half_open, true, false },
	{ "plugin", global_plugin, false, true },
	{ "peer", conf_peer_parse, false, true },
};
#define NGLOBAL_KEYS (sizeof(global_keys) / sizeof(global_keys[0]))

static int
global_stmt(struct conf_ctx *ctx, const struct conf_stmt *st,
    const struct conf_stmt **seen)
{
	const struct global_key *k;
	size_t i;

	for (i = 0; i < NGLOBAL_KEYS; i++)
		if (strcmp(global_keys[i].key, st->key) == 0)
			break;
	if (i == NGLOBAL_KEYS)
		return conf_fail_stmt(ctx, st, "unknown key '%.*s' at top "
		    "level", CONF_ECHO_MAX, st->key);
	k = &global_keys[i];
	if (k->once && seen[i] != NULL)
		return conf_fail_duplicate(ctx, st, seen[i], "at top level");
	seen[i] = st;
	if (!k->block && conf_want_no_block(ctx, st) == -1)
		return -1;
	return k->parse(ctx, st);
}

static int
listen_defaults(struct config *conf)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (conf->nlisten > 0)
		return 0;
	if ((conf->listen = calloc(2, sizeof(*conf->listen))) == NULL)
		return -1;
	conf->nlisten = 2;
	conf->listen[0].addr.family = AF_INET;
	conf->listen[0].addr.prefixlen = 32;
	conf->listen[1].addr.family = AF_INET6;
	conf->listen[1].addr.prefixlen = 128;
	memcpy(conf->listen[1].addr.addr, &any6, sizeof(any6));
	conf->listen[0].port = conf->listen[1].port = CONF_DEFAULT_PORT;
	conf->listen[0].natt_port = CONF_DEFAULT_NATT_PORT;
	conf->listen[1].natt_port = CONF_DEFAULT_NATT_PORT;
	return 0;
}

static int
conf_interpret(struct conf_ctx *ctx)
{
	const struct conf_stmt *seen[NGLOBAL_KEYS] = { NULL };
	const struct conf_stmt *st;

	for (st = ctx->conf->root->first; st != NULL; st = st->next)
		if (global_stmt(ctx, st, seen) == -1)
			return -1;
	if (listen_defaults(ctx->conf) == -1) {
		snprintf(ctx->err, ctx->errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- Loading and freeing ---- */

static struct config *
conf_new(void)
{
	struct config *conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	conf->pfkey = strdup(CONF_DEFAULT_PFKEY);
	conf->plugin_dir = strdup(CONF_DEFAULT_PLUGIN_DIR);
	conf->control_socket = strdup(CONF_DEFAULT_CONTROL_SOCKET);
	conf->pidfile = strdup(CONF_DEFAULT_PIDFILE);
	conf->log_level = LOG_LEVEL_INFO;
	conf->flush_on_exit = true;
	conf->half_open = CONF_DEFAULT_HALF_OPEN;
	conf->half_open_per_source = CONF_DEFAULT_HALF_OPEN_PER_SOURCE;
	if (conf->pfkey == NULL || conf->plugin_dir == NULL ||
	    conf->control_socket == NULL || conf->pidfile == NULL) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

static struct config *
conf_build(const struct conf_tree_src *src, char *err, size_t errlen)
{
	struct conf_ctx ctx;
	struct config *conf;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((conf = conf_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	conf->root = conf_tree_build(src, &conf->files, err, errlen);
	if (conf->root == NULL) {
		conf_free(conf);
		return NULL;
	}
	ctx.conf = conf;
	ctx.flags = src->flags;
	ctx.err = err;
	ctx.errlen = errlen;
	if (conf_interpret(&ctx) == -1) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

struct config *
conf_load(const char *path, char *err, size_t errlen)
{
	struct conf_tree_src src = { NULL, path, path, 0 };

	return conf_build(&src, err, errlen);
}

struct config *
conf_parse_string_flags(const char *text, const char *name, int flags,
    char *err, size_t errlen)
{
	struct conf_tree_src src = { text, name, NULL, flags };

	return conf_build(&src, err, errlen);
}

struct config *
conf_parse_string(const char *text, const char *name, char *err,
    size_t errlen)
{
	return conf_parse_string_flags(text, name, 0, err, errlen);
}

void
conf_free(struct config *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	free(conf->pfkey);
	free(conf->listen);
	free(conf->plugin_dir);
	free(conf->control_socket);
	free(conf->pidfile);
	conf_plugin_blocks_free(conf->plugins, conf->nplugins);
	for (i = 0; i < conf->npeers; i++)
		conf_peer_clear(&conf->peers[i]);
	free(conf->peers);
	conf_tree_free(conf->root);
	conf_files_free(conf->files);
	free(conf);
}

const struct conf_peer *
conf_peer_by_name(const struct config *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->npeers; i++)
		if (strcmp(conf->peers[i].name, name) == 0)
			return &conf->peers[i];
	return NULL;
}
