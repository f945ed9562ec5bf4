/*
 * oakleyd's run-time state and its life: start-up from a parsed
 * configuration, reload (SIGHUP, "oakleyctl reload") and shut-down.
 *
 *	daemon_start()	plugins, SA manager, peers, control socket,
 *			PF_KEY session, policies;
 *	daemon_reload()	a new configuration: peers merged (unchanged ones
 *			keep their SAs), policies made equal to the new
 *			set; a configuration that does not load leaves
 *			everything as it was;
 *	daemon_stop()	with flush, our SAs and policies are removed.
 *
 * main.c owns the event loop, signals, pidfile and daemonizing;
 * daemon_kernel.c the PF_KEY handlers and the SA manager's ops.
 */
#ifndef OAKLEY_DAEMON_H
#define OAKLEY_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

#include "peer.h"

struct config;
struct ctl;
struct event_base;
struct ike;
struct kernel;
struct sa_mgr;
struct timers;

struct daemon {
	struct event_base *base;
	const char	*conf_path;
	struct config	*conf;		/* current */
	struct config	*boot_conf;	/* plugins keep pointers into it */
	int		 log_level;	/* -D, or -1: the configuration's */
	struct timers	*timers;
	struct sa_mgr	*sa;
	struct kernel	*kernel;
	struct ctl	*ctl;
	struct ike	*ike;		/* the IKE engine */
	struct peer_list peers;
	bool		 plugins_up;	/* plugin_host_init done */
};

/*
 * Everything but the event loop, from cfg (which the daemon then owns).
 * 0, or -1 with the reason in err; daemon_stop() undoes a partial start.
 */
int	daemon_start(struct daemon *, struct event_base *, struct config *cfg,
	    char *err, size_t errlen);
/*
 * Re-read conf_path.  0 once the new configuration is in force (a failure
 * to install its policies is logged), or -1 with "FILE:LINE:COL: reason"
 * in err, also logged, the old configuration kept.
 */
int	daemon_reload(struct daemon *, char *err, size_t errlen);
void	daemon_stop(struct daemon *, bool flush);

/*
 * Checks beyond the parser, shared with "oakleyd -n": policies
 * (policy_check_config).  0, or -1 with the reason in err.
 */
int	daemon_check_config(const struct config *, char *err, size_t errlen);
struct timers;
int	daemon_plugin_host_init(struct timers *);

/* The configuration's log level unless -D overrides it. */
void	daemon_apply_log_level(const struct daemon *);

/* daemon_kernel.c */
int	daemon_kernel_open(struct daemon *, char *err, size_t errlen);
int	daemon_sa_start(struct daemon *);
struct peer *daemon_peer_for_acquire(struct daemon *,
	    const struct pfkey_msg *);

#endif /* OAKLEY_DAEMON_H */
