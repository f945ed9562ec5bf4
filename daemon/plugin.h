/*
 * The plugin host, as the rest of oakleyd sees it: loading and unloading
 * plugins, the registries they fill (DH groups, vendor IDs, payload
 * handlers, socket filters, profiles) and the plugin_run_* dispatchers the
 * engine calls at each hook point.  The ABI the plugins see is
 * oakley/plugin.h; how hook results combine is described there.
 *
 * Life cycle:
 *	plugin_host_init(engine, timers);
 *	plugin_load_config(cfg, err, sizeof(err)) or plugin_load() each;
 *	... plugin_run_*() from the engine ...
 *	plugin_host_fini();	(fini() of each plugin in reverse order)
 */
#ifndef OAKLEY_PLUGIN_H
#define OAKLEY_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oakley/plugin.h"
#include "pfkey.h"

struct conf_plugin_block;
struct config;
struct timers;

#define PLUGIN_NAME_MAX		64	/* bytes of a plugin name */
#define PLUGIN_FILE_SUFFIX	".so"

/* ---- Loading (plugin.c) ---- */

/*
 * engine: the IKE engine's accessors, handed to every plugin (never NULL);
 * timers: where plugin timers live (NULL: timer_new fails).  0 or -1.
 */
int	plugin_host_init(const struct oakley_engine *engine,
	    struct timers *timers);
/* Unload every plugin in reverse load order (fini first), lt_dlexit. */
void	plugin_host_fini(void);

/*
 * Load DIR/NAME.so for the block "plugin NAME { ... }" (block may be NULL:
 * no configuration) and run its init.  0, or -1 with one message,
 * "plugin 'NAME': FILE: reason", in err.
 */
int	plugin_load(const char *dir, const struct conf_plugin_block *,
	    char *err, size_t errlen);
/*
 * Every "plugin" block of cfg from cfg->plugin_dir (default
 * CONF_DEFAULT_PLUGIN_DIR), then every per-peer plugin block through the
 * peer_config hooks.  Stops at the first error.
 */
int	plugin_load_config(const struct config *, char *err, size_t errlen);

/* For "oakleyctl show plugins", in load order. */
struct plugin_info {
	const char	*name;
	const char	*version;
	const char	*description;
	const char	*path;
};
size_t	plugin_count(void);
int	plugin_info(size_t index, struct plugin_info *);
bool	plugin_is_loaded(const char *name);

/* ---- Registries (plugin_reg.c) ---- */

/*
 * The core's own groups (group 2), registered after plugin_host_init and
 * forgotten by plugin_host_fini; a plugin registering the same number is
 * refused ("... already registered by oakleyd").
 */
int	plugin_dh_register_builtin(const struct oakley_dh_group *);
const struct oakley_dh_group *plugin_dh_lookup(uint16_t group);

/* Vendor IDs for a main-mode message 1 or 2: up to max, in load order. */
size_t	plugin_vendor_ids_to_send(struct oakley_phase1 *,
	    const struct oakley_vendor_id **out, size_t max);
/* A received vendor-ID payload: tells every match; returns the count. */
size_t	plugin_run_vendor_id(struct oakley_phase1 *, const uint8_t *payload,
	    size_t len);
/* The name of the first entry matching payload, or NULL (for logs). */
const char *plugin_vendor_id_name(const uint8_t *payload, size_t len);
/* The phase 1 is established: its vendor-ID flags become its peer's. */
void	plugin_vendor_id_flags_commit(struct oakley_phase1 *);

/* A payload type the core does not know: 0, -1 (reject), 1 (no handler). */
int	plugin_run_payload(struct oakley_msg *, uint8_t type,
	    const uint8_t *body, size_t len);

/* Socket filters, in load order. */
size_t	plugin_port_count(void);
const struct oakley_port *plugin_port_at(size_t index);
const struct oakley_port *plugin_port_lookup(uint16_t port);
/* IKE at *ike_offset, or drop; a port without a filter is plain IKE. */
enum oakley_packet plugin_port_classify(uint16_t port, const uint8_t *pkt,
	    size_t len, size_t *ike_offset);

const struct oakley_profile_desc *plugin_profile_lookup(const char *name);
/*
 * Apply to a phase 1 the profile its peer's configuration names.
 * "default" changes nothing; "auto" applies the profile named by the
 * flag OAKLEY_FLAG_PROFILE of the phase 1, or else of its peer, if a
 * plugin provides it, else changes nothing (see oakley/plugin.h).  0,
 * or -1: no such profile (reason in err) or apply() failed.
 */
int	plugin_profile_apply(const char *name, struct oakley_phase1 *,
	    struct oakley_profile *, char *err, size_t errlen);
/* The profile "auto" chose, from a set of flags; NULL if none yet. */
const char *plugin_profile_chosen(const struct oakley_flags *);
/* What "auto" stands for in a phase 1: its own choice, else its peer's. */
const char *plugin_profile_chosen_p1(struct oakley_phase1 *);

/* ---- Hook dispatch (plugin_run.c) ---- */

void	plugin_run_p1_started(struct oakley_phase1 *);
void	plugin_run_p1_established(struct oakley_phase1 *);
void	plugin_run_p1_failed(struct oakley_phase1 *, enum oakley_failure);
void	plugin_run_p1_deleted(struct oakley_phase1 *);
enum oakley_p1_replace plugin_run_p1_replace(struct oakley_phase1 *new_p1,
	    struct oakley_phase1 *old_p1);
void	plugin_run_p2_started(struct oakley_phase2 *);
void	plugin_run_p2_established(struct oakley_phase2 *);
void	plugin_run_p2_failed(struct oakley_phase2 *, enum oakley_failure);
void	plugin_run_p2_deleted(struct oakley_phase2 *);
int	plugin_run_p2_encap(struct oakley_phase2 *, bool inbound,
	    uint16_t *attr);
/* *next_ms is only meaningful for OAKLEY_RETRANSMIT_AFTER. */
enum oakley_retransmit plugin_run_retransmit(struct oakley_phase1 *,
	    struct oakley_phase2 *, unsigned sent, uint32_t *next_ms);
int	plugin_run_msg_build(struct oakley_msg *);
int	plugin_run_msg_parsed(struct oakley_msg *);
/* The only call during which the SA is writable. */
int	plugin_run_sa_install(struct oakley_sa *);
void	plugin_run_sa_installed(struct oakley_sa *);
enum oakley_sa_expire plugin_run_sa_expired(struct oakley_sa *, bool hard);
enum oakley_sa_idle plugin_run_sa_idle(struct oakley_sa *,
	    uint32_t idle_seconds);
void	plugin_run_sa_deleted(struct oakley_sa *);
enum oakley_bypass plugin_run_bypass_expired(struct oakley_peer *,
	    unsigned dir, uint32_t idle_seconds);

/* ---- Flag stores (plugin_flags.c) ---- */

struct oakley_flags *plugin_flags_new(void);	/* NULL on ENOMEM */
void	plugin_flags_free(struct oakley_flags *);
int	plugin_flags_set_int(struct oakley_flags *, const char *key,
	    int64_t value);
int	plugin_flags_set_str(struct oakley_flags *, const char *key,
	    const char *value);
int	plugin_flags_get_int(const struct oakley_flags *, const char *key,
	    int64_t *value);
const char *plugin_flags_get_str(const struct oakley_flags *,
	    const char *key);
void	plugin_flags_unset(struct oakley_flags *, const char *key);
size_t	plugin_flags_count(const struct oakley_flags *);
/* "key=value" for entry index in key order, e.g. for "show peers". */
int	plugin_flags_format(const struct oakley_flags *, size_t index,
	    char *buf, size_t len);

/* ---- SAs as plugins see them (plugin_sa.c) ---- */

/*
 * A view of one SA for the SA hooks, built by the caller on its stack
 * around the PF_KEY message it is about to send (sa_install) or has
 * received (EXPIRE, GET).  The plugins change msg only through the
 * accessors, and only during sa_install; the caller reads idle_timeout
 * after it.
 */
struct oakley_sa {
	struct pfkey_msg	*msg;
	struct oakley_peer	*peer;
	struct oakley_phase2	*phase2;	/* NULL once the QM is gone */
	bool			 inbound;
	bool			 writable;	/* set by plugin_run_sa_install */
	uint32_t		 idle_timeout;	/* seconds, 0 = none */
};

void	plugin_sa_init(struct oakley_sa *, struct pfkey_msg *,
	    struct oakley_peer *, struct oakley_phase2 *, bool inbound);

#endif /* OAKLEY_PLUGIN_H */
