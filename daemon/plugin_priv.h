/*
 * Internals shared by the plugin host's files (plugin.c, plugin_reg.c,
 * plugin_run.c, plugin_conf.c, plugin_flags.c, plugin_sa.c,
 * plugin_timer.c).  Nothing outside daemon/plugin*.c includes this.
 */
#ifndef OAKLEY_PLUGIN_PRIV_H
#define OAKLEY_PLUGIN_PRIV_H

#include <sys/queue.h>

#include <ltdl.h>
#include <stdarg.h>
#include <stdbool.h>

#include "plugin.h"

#define PLUGIN_ERROR_MAX	512

/* One loaded plugin (the ABI calls it struct oakley_host_priv). */
struct oakley_host_priv {
	TAILQ_ENTRY(oakley_host_priv) link;
	char		 name[PLUGIN_NAME_MAX + 1];
	char		*path;
	lt_dlhandle	 handle;
	const struct oakley_plugin *plugin;
	struct oakley_host host;	/* its table; host.priv == this */
	const struct oakley_hooks *hooks;
	bool		 initialising;	/* inside init(): may register */

	/* Where "plugin NAME" was configured (file NULL if unknown). */
	char		*conf_file;
	int		 conf_line, conf_col;

	/* The first error reported during init(). */
	bool		 has_error;
	bool		 error_is_conf;
	char		 error[PLUGIN_ERROR_MAX];
};

TAILQ_HEAD(plugin_list, oakley_host_priv);

/* plugin.c: the loaded plugins, in load order. */
extern struct plugin_list plugin_all;
extern const struct oakley_engine *plugin_engine;
extern struct timers *plugin_timers;

static inline struct oakley_host_priv *
plugin_of(const struct oakley_host *h)
{
	return h->priv;
}

/* plugin_conf.c: log, configuration and error recording. */
void	plugin_record_error(struct oakley_host_priv *, bool conf,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	plugin_host_log(const struct oakley_host *, int level,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	plugin_host_set_conf(struct oakley_host *);

/* plugin_reg.c */
void	plugin_host_set_registration(struct oakley_host *);
void	plugin_reg_forget(struct oakley_host_priv *);	/* all it registered */

/* plugin_flags.c, plugin_sa.c, plugin_timer.c: their host functions. */
void	plugin_host_set_flags(struct oakley_host *);
void	plugin_host_set_sa(struct oakley_host *);
void	plugin_host_set_timers(struct oakley_host *);
void	plugin_timer_forget(struct oakley_host_priv *);	/* free leftovers */

#endif /* OAKLEY_PLUGIN_PRIV_H */
