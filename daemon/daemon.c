/*
 * oakleyd's life (see daemon.h): start-up, reload and shut-down of the
 * parts main.c does not own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "engine.h"
#include "ike/dh.h"
#include "ike/ike.h"
#include "kernel.h"
#include "log.h"
#include "plugin.h"
#include "policy.h"
#include "sa.h"
#include "timer.h"

int
daemon_check_config(const struct config *cfg, char *err, size_t errlen)
{
	return policy_check_config(cfg, err, errlen);
}

void
daemon_apply_log_level(const struct daemon *d)
{
	log_set_level(d->log_level >= 0 ? (enum log_level)d->log_level :
	    (enum log_level)d->conf->log_level);
}

static int
daemon_install_policies(struct daemon *d, char *err, size_t errlen)
{
	struct kernel_policy *set;
	struct pfkey_error perr;
	size_t n;
	int rc;

	if (policy_build(d->conf, &set, &n) != 0) {
		snprintf(err, errlen, "installing policies: %s",
		    strerror(ENOMEM));
		return -1;
	}
	memset(&perr, 0, sizeof(perr));
	rc = kernel_set_policies(d->kernel, set, n, &perr);
	free(set);
	if (rc != 0) {
		snprintf(err, errlen, "installing policies: %s",
		    perr.reason[0] != '\0' ? perr.reason : strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * The plugin host with the core's own registrations (DH group 2), before
 * any plugin loads; shared by start-up and "oakleyd -n".  0 or -1.
 */
int
daemon_plugin_host_init(struct timers *timers)
{
	if (plugin_host_init(&daemon_engine, timers) != 0)
		return -1;
	if (dh_register_builtin() != 0) {
		plugin_host_fini();
		return -1;
	}
	return 0;
}

static int
daemon_start_plugins(struct daemon *d, char *err, size_t errlen)
{
	if (daemon_plugin_host_init(d->timers) != 0) {
		snprintf(err, errlen, "cannot start the plugin host");
		return -1;
	}
	d->plugins_up = true;
	return plugin_load_config(d->conf, err, errlen);
}

static int
daemon_start_timers(struct daemon *d, char *err, size_t errlen)
{
	d->timers = timers_new(timers_monotonic_ms, NULL);
	if (d->timers == NULL || timers_attach(d->timers, d->base) != 0) {
		snprintf(err, errlen, "timers: %s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

int
daemon_start(struct daemon *d, struct event_base *base, struct config *cfg,
    char *err, size_t errlen)
{
	const char *ctl_path;

	d->base = base;
	d->conf = d->boot_conf = cfg;
	TAILQ_INIT(&d->peers);
	daemon_apply_log_level(d);
	if (daemon_check_config(cfg, err, errlen) == -1 ||
	    daemon_start_timers(d, err, errlen) == -1 ||
	    daemon_start_plugins(d, err, errlen) == -1)
		return -1;
	if (daemon_sa_start(d) != 0 || peers_sync(&d->peers, cfg, d->sa)) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	ctl_path = cfg->control_socket != NULL ? cfg->control_socket :
	    CONF_DEFAULT_CONTROL_SOCKET;
	if ((d->ctl = ctl_open(d, ctl_path, err, errlen)) == NULL ||
	    daemon_kernel_open(d, err, errlen) == -1 ||
	    daemon_install_policies(d, err, errlen) == -1)
		return -1;
	if ((d->ike = ike_new(d, err, errlen)) == NULL)
		return -1;
	log_notice("oakleyd started: %zu peers, %zu plugins, %zu policies",
	    cfg->npeers, plugin_count(), kernel_policy_count(d->kernel));
	return 0;
}

static bool
str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static bool
plugins_differ(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->nplugins != b->nplugins || str_differ(a->plugin_dir,
	    b->plugin_dir))
		return true;
	for (i = 0; i < a->nplugins; i++)
		if (strcmp(a->plugins[i].name, b->plugins[i].name) != 0 ||
		    !conf_block_equal(a->plugins[i].block, b->plugins[i].block))
			return true;
	return false;
}

/* What a reload cannot change: say so, keep running with the old. */
static void
reload_warn_fixed(const struct config *old, const struct config *new)
{
	const char *what[5];
	size_t i, n = 0;

	if (str_differ(old->pfkey, new->pfkey))
		what[n++] = "pfkey";
	if (str_differ(old->control_socket, new->control_socket))
		what[n++] = "control-socket";
	if (str_differ(old->pidfile, new->pidfile))
		what[n++] = "pidfile";
	if (plugins_differ(old, new))
		what[n++] = "plugins";
	if (old->half_open != new->half_open ||
	    old->half_open_per_source != new->half_open_per_source)
		what[n++] = "half-open";
	for (i = 0; i < n; i++)
		log_warn("reload: the %s setting changed; it takes effect "
		    "when oakleyd restarts", what[i]);
}

/* Per-peer plugin blocks are read once, at start-up. */
static void
reload_warn_peer_plugins(const struct config *old, const struct config *new)
{
	const struct conf_peer *np, *op;
	size_t i;

	for (i = 0; i < new->npeers; i++) {
		np = &new->peers[i];
		op = conf_peer_by_name(old, np->name);
		if (np->nplugins > 0 && (op == NULL || !conf_peer_equal(op, np)))
			log_warn("reload: peer %s: its plugin blocks take "
			    "effect when oakleyd restarts", np->name);
	}
}

static int
reload_fail(struct config *new, char *err, size_t errlen, const char *why)
{
	if (why != NULL)
		snprintf(err, errlen, "%s", why);
	conf_free(new);
	log_err("reload failed, keeping the current configuration: %s", err);
	return -1;
}

int
daemon_reload(struct daemon *d, char *err, size_t errlen)
{
	struct config *new, *old = d->conf;
	char perr[512];

	if ((new = conf_load(d->conf_path, err, errlen)) == NULL)
		return reload_fail(NULL, err, errlen, NULL);
	if (daemon_check_config(new, err, errlen) == -1)
		return reload_fail(new, err, errlen, NULL);
	if (peers_sync(&d->peers, new, d->sa) != 0)
		return reload_fail(new, err, errlen, strerror(ENOMEM));
	reload_warn_fixed(old, new);
	reload_warn_peer_plugins(old, new);
	d->conf = new;
	if (old != d->boot_conf)
		conf_free(old);
	daemon_apply_log_level(d);
	if (daemon_install_policies(d, perr, sizeof(perr)) == -1)
		log_err("reload: %s", perr);
	log_notice("configuration reloaded from %s: %zu peers, %zu policies",
	    d->conf_path, new->npeers, kernel_policy_count(d->kernel));
	return 0;
}

void
daemon_stop(struct daemon *d, bool flush)
{
	if (d->ctl != NULL)
		ctl_close(d->ctl);
	d->ctl = NULL;
	ike_free(d->ike, flush && d->kernel != NULL);
	d->ike = NULL;
	if (d->sa != NULL)
		sa_mgr_free(d->sa, flush && d->kernel != NULL);
	d->sa = NULL;
	if (d->kernel != NULL)
		kernel_close(d->kernel, flush);
	d->kernel = NULL;
	peers_free(&d->peers);
	if (d->plugins_up)
		plugin_host_fini();
	d->plugins_up = false;
	if (d->timers != NULL) {
		timers_detach(d->timers);
		timers_free(d->timers);
	}
	d->timers = NULL;
	if (d->conf != d->boot_conf)
		conf_free(d->conf);
	conf_free(d->boot_conf);
	d->conf = d->boot_conf = NULL;
}
