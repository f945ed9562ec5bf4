/*
 * What compat_legacy and compat_modern share: their settings and
 * configuration keys, the profile they apply to a peer, the MS NT5
 * ISAKMPOAKLEY vendor ID they send and recognise, and the evidence for
 * "profile auto".  A plugin describes itself with a struct
 * compat_variant, calls compat_start() from its init(), has compat_fini
 * as its fini() and puts these functions in its hook table.
 *
 * Compiled into both shared objects, with hidden visibility (mswin.h):
 * each has its own copy of the state kept here (the variant, the
 * settings of its block and of each peer's block).
 *
 * Phase-1 flags, for the negotiation under way:
 *	profile, profile.evidence   the choice for "profile auto" and why
 *				    (oakley/plugin.h), from the vendor ID
 *	windows.version		    the MS NT5 ISAKMPOAKLEY version received
 *	windows.vid		    the same, -1 for a malformed one, set only
 *				    when the vendor ID came, so a first
 *				    message without it is told apart
 * Phase-1 profile flags (engine phase1_profile_flags, emptied by the core
 * before each apply), what the profile applied to the phase 1 says:
 *	compat.profile		    the compat profile applied
 *	compat.backoff		    1: retransmit with the Windows backoff
 *	natt.prefer_draft	    1: the natt plugin should prefer the
 *				    draft-02 NAT-T flavour, 0: RFC 3947
 * Peer flags (the "FLAGS" of "oakleyctl show peers"): profile,
 * profile.evidence and windows.version, copied from a phase 1 once it is
 * established (authenticated), never from a message alone.
 */
#ifndef COMPAT_COMPAT_H
#define COMPAT_COMPAT_H

#include <stdbool.h>
#include <stdint.h>

#include "mswin.h"
#include "oakley/plugin.h"

#define COMPAT_FLAG_PROFILE	"compat.profile"
#define COMPAT_FLAG_BACKOFF	"compat.backoff"
#define COMPAT_FLAG_NATT_DRAFT	"natt.prefer_draft"
#define MSWIN_FLAG_VERSION	"windows.version"
#define MSWIN_FLAG_P1_VID	"windows.vid"

/* IANA numbers (oakley/plugin.h, struct oakley_profile). */
#define IKE_ENC_3DES		5
#define IKE_ENC_AES_CBC		7
#define IKE_HASH_SHA1		2
#define IKE_HASH_SHA2_256	4
#define IKE_HASH_SHA2_384	5
#define ESP_3DES		3
#define ESP_AES_CBC		12
#define AUTH_HMAC_SHA1		2
#define AUTH_HMAC_SHA2_256	5
#define GROUP_MODP1024		2
#define GROUP_MODP2048		14

/* A plugin block, or a peer's block over it. */
struct compat_settings {
	uint32_t	send_version;	/* MS NT5 version to send, 0: none */
	bool		group2048;	/* legacy: group 14 too, first */
	struct oakley_p1_proposal mm;	/* modern: the one main-mode proposal */
	uint32_t	mm_lifetime;	/* seconds */
	uint32_t	qm_lifetime;	/* seconds */
	uint64_t	qm_lifesize;	/* kilobytes */
	uint32_t	idle_time;	/* seconds */
	bool		pfs;		/* quick-mode PFS with the MM group */
	bool		natt_draft;	/* natt.prefer_draft */
};

/* The configuration keys a variant takes (struct compat_variant keys). */
#define COMPAT_KEY_SEND_VID	0x0001	/* send-vendor-id; plugin block only */
#define COMPAT_KEY_GROUP2048	0x0002
#define COMPAT_KEY_MM_PROPOSAL	0x0004
#define COMPAT_KEY_MM_LIFETIME	0x0008
#define COMPAT_KEY_QM_LIFETIME	0x0010
#define COMPAT_KEY_QM_LIFESIZE	0x0020
#define COMPAT_KEY_IDLE_TIME	0x0040
#define COMPAT_KEY_PFS		0x0080
#define COMPAT_KEY_NATT_DRAFT	0x0100

struct compat_variant {
	const char	*profile;	/* "legacy" */
	unsigned	 keys;		/* COMPAT_KEY_* */
	uint32_t	 vid_min;	/* versions send-vendor-id takes */
	uint32_t	 vid_max;
	uint32_t	 quirks;	/* OAKLEY_QUIRK_* */
	/* Retransmit after first_ms, doubling, count times (0: the core's). */
	uint32_t	 backoff_first_ms;
	unsigned	 backoff_count;
	struct compat_settings defaults;
	/* Fill the proposals the peer's configuration left out. */
	void	(*proposals)(const struct compat_settings *,
	    struct oakley_profile *);
	/* Registered by compat_start(): apply must be compat_apply. */
	const struct oakley_profile_desc *desc;
	const struct oakley_hooks *hooks;
	const struct oakley_vendor_id *vids;	/* more to recognise */
	size_t		 nvids;
};

/* ---- compat_conf.c: settings ---- */

/* Remember the variant and read the plugin block.  0, or -1 (reported). */
COMPAT_HIDDEN int compat_init(const struct compat_variant *,
	    const struct oakley_host *, const struct oakley_conf_block *);
/* The plugin's fini(): forget the peers' settings. */
COMPAT_HIDDEN void compat_fini(const struct oakley_host *);
COMPAT_HIDDEN const struct compat_variant *compat_variant(void);
/* The settings of the peer's own block, else (and for NULL) the plugin's. */
COMPAT_HIDDEN const struct compat_settings *compat_settings(
	    const char *peer);
/* The peer_config hook: "peer P { compat_legacy { ... } }". */
COMPAT_HIDDEN int compat_peer_config(const struct oakley_host *,
	    const char *peer, const struct oakley_conf_block *);

/* ---- compat_profile.c: the profile and what it sends ---- */

/*
 * The plugin's init(): compat_init(), then register the variant's
 * profile, hooks and vendor IDs, and the MS NT5 vendor ID, recognised
 * always and sent when send-vendor-id says.
 */
COMPAT_HIDDEN int compat_start(const struct compat_variant *,
	    const struct oakley_host *, const struct oakley_conf_block *);
COMPAT_HIDDEN int compat_apply(const struct oakley_host *,
	    struct oakley_phase1 *, struct oakley_profile *);
/* The group for quick-mode PFS: that of the first main-mode proposal. */
COMPAT_HIDDEN uint16_t compat_pfs_group(const struct oakley_profile *);
/* The retransmit hook: the variant's backoff for its own peers. */
COMPAT_HIDDEN enum oakley_retransmit compat_retransmit(
	    const struct oakley_host *, struct oakley_phase1 *,
	    struct oakley_phase2 *, unsigned sent, uint32_t *next_ms);

/* ---- compat_auto.c: evidence for "profile auto" ---- */

/* Recognises "MS NT5 ISAKMPOAKLEY" by its 16-byte prefix. */
COMPAT_HIDDEN extern const struct oakley_vendor_id compat_ms_vid;
/* The msg_parsed hook: a peer's first message without that vendor ID. */
COMPAT_HIDDEN int compat_msg_parsed(const struct oakley_host *,
	    struct oakley_msg *);
/* The p1_established hook: the phase 1's evidence becomes the peer's. */
COMPAT_HIDDEN void compat_p1_established(const struct oakley_host *,
	    struct oakley_phase1 *);

#endif /* COMPAT_COMPAT_H */
