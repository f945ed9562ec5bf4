/*
 * Plugin host: loading, checking and unloading plugins with libltdl, the
 * per-peer plugin blocks, and the list behind "oakleyctl show plugins".
 *
 * Plugin NAME is the file DIR/NAME.so.  Before it is opened the file must
 * be a regular file, owned by root or by the user oakleyd runs as, and not
 * writable by group or other.  It is then opened by that exact path (not
 * through lt_dlopenext's search, so the file checked is the file loaded),
 * with local symbol binding so plugins never see one another's symbols.
 * Every refusal is one message "plugin 'NAME': FILE...: reason".
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "plugin_priv.h"

#ifndef OAKLEYD_VERSION
#define OAKLEYD_VERSION		"0.1"
#endif

struct plugin_list plugin_all = TAILQ_HEAD_INITIALIZER(plugin_all);
const struct oakley_engine *plugin_engine;
struct timers *plugin_timers;
static bool host_ready;

/* What a failing load says; every message starts "plugin 'NAME': ". */
struct load_error {
	const char	*name;
	char		*buf;
	size_t		 len;
};

static int load_fail(struct load_error *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
load_fail(struct load_error *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->len == 0)
		return -1;
	n = snprintf(e->buf, e->len, "plugin '%s': ", e->name);
	if (n < 0 || (size_t)n >= e->len)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int
plugin_host_init(const struct oakley_engine *engine, struct timers *timers)
{
	if (host_ready || engine == NULL)
		return -1;
	if (lt_dlinit() != 0) {
		log_err("plugin host: lt_dlinit: %s", lt_dlerror());
		return -1;
	}
	plugin_engine = engine;
	plugin_timers = timers;
	host_ready = true;
	return 0;
}

/* Forget all a plugin left behind and close it; the record is freed. */
static void
plugin_discard(struct oakley_host_priv *p)
{
	plugin_reg_forget(p);
	plugin_timer_forget(p);
	if (p->handle != NULL)
		lt_dlclose(p->handle);
	free(p->conf_file);
	free(p->path);
	free(p);
}

void
plugin_host_fini(void)
{
	struct oakley_host_priv *p;

	if (!host_ready)
		return;
	while ((p = TAILQ_LAST(&plugin_all, plugin_list)) != NULL) {
		TAILQ_REMOVE(&plugin_all, p, link);
		if (p->plugin->fini != NULL)
			p->plugin->fini(&p->host);
		log_debug("plugin %s unloaded", p->name);
		plugin_discard(p);
	}
	plugin_reg_forget(NULL);
	lt_dlexit();
	plugin_engine = NULL;
	plugin_timers = NULL;
	host_ready = false;
}

static struct oakley_host_priv *
plugin_find(const char *name)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Letters, digits, '_' and '-': the name becomes part of a path. */
static bool
plugin_name_valid(const char *name)
{
	size_t i, len;

	len = strlen(name);
	if (len == 0 || len > PLUGIN_NAME_MAX || name[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", name[i]) == NULL)
			return false;
	}
	return true;
}

static int
plugin_check_file(const char *path, struct load_error *e)
{
	struct stat st;
	uid_t me;

	if (stat(path, &st) == -1) {
		if (errno == ENOENT)
			return load_fail(e, "%s: file not found", path);
		return load_fail(e, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return load_fail(e, "%s: not a regular file", path);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return load_fail(e, "%s is writable by group or other "
		    "(mode 0%o); refusing to load", path,
		    (unsigned)(st.st_mode & 07777));
	me = geteuid();
	if (st.st_uid == 0 || st.st_uid == me)
		return 0;
	if (me == 0)
		return load_fail(e, "%s is owned by uid %u, not by root; "
		    "refusing to load", path, (unsigned)st.st_uid);
	return load_fail(e, "%s is owned by uid %u, not by root or the user "
	    "oakleyd runs as (uid %u); refusing to load", path,
	    (unsigned)st.st_uid, (unsigned)me);
}

static lt_dlhandle
plugin_open(const char *path, struct load_error *e)
{
	lt_dladvise advise;
	lt_dlhandle handle = NULL;
	const char *why;

	if (lt_dladvise_init(&advise) == 0 &&
	    lt_dladvise_local(&advise) == 0)
		handle = lt_dlopenadvise(path, advise);
	lt_dladvise_destroy(&advise);
	if (handle != NULL)
		return handle;
	/*
	 * libltdl says "file not found" for any dlopen failure; the file is
	 * there (plugin_check_file saw it), so say what that means.
	 */
	why = lt_dlerror();
	if (why == NULL || strcmp(why, "file not found") == 0)
		why = "not a shared object for this system, or a library it "
		    "needs is missing";
	load_fail(e, "%s: cannot load: %s", path, why);
	return NULL;
}

/* The exported struct: present, our ABI, the configured name. */
static const struct oakley_plugin *
plugin_check_symbol(lt_dlhandle handle, const char *path,
    struct load_error *e)
{
	const struct oakley_plugin *pl;

	pl = lt_dlsym(handle, OAKLEY_PLUGIN_SYMBOL);
	if (pl == NULL) {
		load_fail(e, "%s: no symbol '%s' (not an oakleyd plugin)",
		    path, OAKLEY_PLUGIN_SYMBOL);
		return NULL;
	}
	if (pl->abi_version != OAKLEY_PLUGIN_ABI_VERSION) {
		load_fail(e, "%s: ABI version %u, oakleyd expects %u", path,
		    (unsigned)pl->abi_version, OAKLEY_PLUGIN_ABI_VERSION);
		return NULL;
	}
	if (pl->name == NULL || strcmp(pl->name, e->name) != 0) {
		load_fail(e, "%s: the plugin calls itself '%s'", path,
		    pl->name != NULL ? pl->name : "");
		return NULL;
	}
	if (pl->init == NULL) {
		load_fail(e, "%s: no init function", path);
		return NULL;
	}
	return pl;
}

static void
plugin_host_table(struct oakley_host_priv *p)
{
	struct oakley_host *h = &p->host;

	h->abi_version = OAKLEY_PLUGIN_ABI_VERSION;
	h->daemon_version = OAKLEYD_VERSION;
	h->priv = p;
	h->engine = plugin_engine;
	plugin_host_set_registration(h);
	plugin_host_set_conf(h);
	plugin_host_set_flags(h);
	plugin_host_set_timers(h);
	plugin_host_set_sa(h);
}

static struct oakley_host_priv *
plugin_record_new(const struct conf_plugin_block *pb, char *path,
    lt_dlhandle handle, const struct oakley_plugin *pl)
{
	struct oakley_host_priv *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (pb->file != NULL && (p->conf_file = strdup(pb->file)) == NULL) {
		free(p);
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", pb->name);
	p->path = path;
	p->handle = handle;
	p->plugin = pl;
	p->conf_line = pb->line;
	p->conf_col = pb->col;
	plugin_host_table(p);
	return p;
}

/* Run init; on failure the message goes to e and p is discarded. */
static int
plugin_init(struct oakley_host_priv *p, const struct conf_plugin_block *pb,
    struct load_error *e)
{
	int rc;

	p->initialising = true;
	rc = p->plugin->init(&p->host,
	    (const struct oakley_conf_block *)pb->block);
	p->initialising = false;
	if (rc == 0) {
		if (p->has_error)
			log_warn("plugin '%s': %s", p->name, p->error);
		return 0;
	}
	if (!p->has_error)
		load_fail(e, "%s: init failed", p->path);
	else if (p->error_is_conf)
		load_fail(e, "%s: bad configuration: %s", p->path, p->error);
	else
		load_fail(e, "%s: %s", p->path, p->error);
	plugin_discard(p);
	return -1;
}

static char *
plugin_path(const char *dir, const char *name)
{
	char *path;
	size_t len;

	len = strlen(dir) + 1 + strlen(name) + strlen(PLUGIN_FILE_SUFFIX) + 1;
	if ((path = malloc(len)) == NULL)
		return NULL;
	snprintf(path, len, "%s/%s%s", dir, name, PLUGIN_FILE_SUFFIX);
	return path;
}

static int
plugin_check_duplicate(const char *path, struct load_error *e)
{
	const struct oakley_host_priv *old;

	if ((old = plugin_find(e->name)) == NULL)
		return 0;
	if (old->conf_file == NULL)
		return load_fail(e, "%s: configured twice", path);
	return load_fail(e, "%s: configured twice (first at %s:%d:%d)", path,
	    old->conf_file, old->conf_line, old->conf_col);
}

int
plugin_load(const char *dir, const struct conf_plugin_block *pb, char *err,
    size_t errlen)
{
	struct load_error e = { pb->name, err, errlen };
	const struct oakley_plugin *pl;
	struct oakley_host_priv *p;
	lt_dlhandle handle;
	char *path;

	if (!host_ready)
		return load_fail(&e, "plugin host not initialised");
	if (!plugin_name_valid(pb->name))
		return load_fail(&e, "invalid name (letters, digits, '_' and "
		    "'-', at most %d)", PLUGIN_NAME_MAX);
	if (dir == NULL)
		dir = CONF_DEFAULT_PLUGIN_DIR;
	if ((path = plugin_path(dir, pb->name)) == NULL)
		return load_fail(&e, "%s", strerror(ENOMEM));
	if (plugin_check_duplicate(path, &e) == -1 ||
	    plugin_check_file(path, &e) == -1 ||
	    (handle = plugin_open(path, &e)) == NULL) {
		free(path);
		return -1;
	}
	if ((pl = plugin_check_symbol(handle, path, &e)) == NULL ||
	    (p = plugin_record_new(pb, path, handle, pl)) == NULL) {
		if (pl != NULL)
			load_fail(&e, "%s: %s", path, strerror(ENOMEM));
		lt_dlclose(handle);
		free(path);
		return -1;
	}
	if (plugin_init(p, pb, &e) == -1)
		return -1;
	TAILQ_INSERT_TAIL(&plugin_all, p, link);
	log_info("plugin %s %s loaded from %s", p->name,
	    pl->version != NULL ? pl->version : "-", p->path);
	return 0;
}

/* A "NAME { ... }" block inside a peer, through the peer_config hook. */
static int
plugin_configure_peer(const struct conf_peer *peer,
    const struct conf_plugin_block *pb, char *err, size_t errlen)
{
	struct load_error e = { pb->name, err, errlen };
	struct oakley_host_priv *p;
	const char *file = pb->file != NULL ? pb->file : "?";

	if ((p = plugin_find(pb->name)) == NULL)
		return load_fail(&e, "%s:%d:%d: peer '%s': no such plugin "
		    "loaded", file, pb->line, pb->col, peer->name);
	if (p->hooks == NULL || p->hooks->peer_config == NULL)
		return load_fail(&e, "%s:%d:%d: peer '%s': the plugin takes "
		    "no per-peer configuration", file, pb->line, pb->col,
		    peer->name);
	p->has_error = false;
	if (p->hooks->peer_config(&p->host, peer->name,
	    (const struct oakley_conf_block *)pb->block) == 0)
		return 0;
	if (p->has_error)
		return load_fail(&e, "peer '%s': bad configuration: %s",
		    peer->name, p->error);
	return load_fail(&e, "%s:%d:%d: peer '%s': configuration rejected",
	    file, pb->line, pb->col, peer->name);
}

int
plugin_load_config(const struct config *cfg, char *err, size_t errlen)
{
	const struct conf_peer *peer;
	size_t i, j;

	for (i = 0; i < cfg->nplugins; i++)
		if (plugin_load(cfg->plugin_dir, &cfg->plugins[i], err,
		    errlen) == -1)
			return -1;
	for (i = 0; i < cfg->npeers; i++) {
		peer = &cfg->peers[i];
		for (j = 0; j < peer->nplugins; j++)
			if (plugin_configure_peer(peer, &peer->plugins[j], err,
			    errlen) == -1)
				return -1;
	}
	return 0;
}

size_t
plugin_count(void)
{
	const struct oakley_host_priv *p;
	size_t n = 0;

	TAILQ_FOREACH(p, &plugin_all, link)
		n++;
	return n;
}

int
plugin_info(size_t index, struct plugin_info *info)
{
	const struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (index-- != 0)
			continue;
		info->name = p->name;
		info->version = p->plugin->version != NULL ?
		    p->plugin->version : "";
		info->description = p->plugin->description != NULL ?
		    p->plugin->description : "";
		info->path = p->path;
		return 0;
	}
	return -1;
}

bool
plugin_is_loaded(const char *name)
{
	return plugin_find(name) != NULL;
}
