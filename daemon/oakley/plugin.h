/*
 * The oakleyd plugin ABI: the one header a plugin includes.
 *
 * A plugin is a shared object NAME.so in the plugin directory that exports
 * one symbol, "oakley_plugin", a struct oakley_plugin.  oakleyd loads the
 * plugins named by "plugin NAME { ... }" in oakleyd.conf, in that order,
 * checks abi_version and name, and calls init() with a host table and the
 * plugin's configuration block.  Through the host table the plugin
 *
 *   - registers what it adds: DH groups, vendor IDs, payload handlers, a
 *     socket filter for a UDP port, named profiles and one table of hooks;
 *   - reads its configuration and reports configuration errors;
 *   - logs, arms timers, keeps per-peer flags;
 *   - reads and changes the IKE engine's objects (peers, phase 1 and phase
 *     2 exchanges, messages, SAs, bypass policies) through accessors.
 *
 * Every object of the daemon is an opaque handle; a plugin has no
 * link-time dependency on oakleyd and calls back only through the table,
 * so the same .so runs in oakleyd and in the test programs.  Handles
 * passed to a hook are valid for the duration of that call; a plugin that
 * keeps one (a timer argument, say) must drop it in the matching *_deleted
 * hook.  Everything runs on the daemon's one thread.
 *
 * Conventions.  Every host function takes the plugin's own host table as
 * its first argument (the host knows by it which plugin calls).  Integers
 * are in host byte order, addresses in network order.  Functions that can
 * fail return 0 or -1.  Registered descriptors are not copied: they must
 * stay valid until fini() returns (static const data in the plugin).
 *
 * Hooks run in load order.  How their results combine:
 *   notify hooks (void)      every plugin is called;
 *   edit hooks (int)         every plugin is called on the same object,
 *                            in load order; the first -1 stops the chain
 *                            and the operation fails;
 *   verdict hooks (enum)     the first plugin to answer anything but the
 *                            *_DEFAULT value decides; later plugins are
 *                            not called; if none answers, the core's
 *                            default applies.
 *
 * A change to any structure or function type below changes
 * OAKLEY_PLUGIN_ABI_VERSION; oakleyd loads only plugins built for its own.
 */
#ifndef OAKLEY_PLUGIN_ABI_H
#define OAKLEY_PLUGIN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OAKLEY_PLUGIN_ABI_VERSION	3
#define OAKLEY_PLUGIN_SYMBOL		"oakley_plugin"

/* ---- Opaque handles ---- */

struct oakley_host_priv;	/* the host's record of one plugin */
struct oakley_conf_block;	/* the statements of one { ... } */
struct oakley_conf_stmt;	/* KEY [ARG ...] ( ';' | '{' ... '}' ) */
struct oakley_flags;		/* a flag store (peer, phase 1, phase 2) */
struct oakley_timer;		/* a one-shot timer owned by a plugin */
struct oakley_peer;		/* a configured or discovered peer */
struct oakley_phase1;		/* an ISAKMP SA / main-mode exchange */
struct oakley_phase2;		/* a quick-mode exchange */
struct oakley_msg;		/* an ISAKMP message being built or parsed */
struct oakley_sa;		/* an IPsec SA: installed, expiring, idle */
struct oakley_dh_key;		/* a DH private key, defined by its group */

/* ---- Plain values ---- */

/* Log levels (the daemon's own: error, warning, notice, info, debug). */
#define OAKLEY_LOG_ERR		0
#define OAKLEY_LOG_WARN		1
#define OAKLEY_LOG_NOTICE	2
#define OAKLEY_LOG_INFO		3
#define OAKLEY_LOG_DEBUG	4

/* An address and port; family 0 means "none". */
struct oakley_addr {
	int		family;		/* AF_INET, AF_INET6 (host values), 0 */
	uint16_t	port;		/* host order; 0 = any */
	uint8_t		addr[16];	/* network order; 4 bytes used for v4 */
};

/* Directions, for bypass policies. */
#define OAKLEY_DIR_IN		0x01
#define OAKLEY_DIR_OUT		0x02
#define OAKLEY_DIR_BOTH		(OAKLEY_DIR_IN | OAKLEY_DIR_OUT)

/* IPsec modes (same values as PF_KEY's). */
#define OAKLEY_MODE_TRANSPORT	1
#define OAKLEY_MODE_TUNNEL	2

/* ISAKMP exchange types (RFC 2408 3.1, RFC 2409). */
#define OAKLEY_EXCH_MAIN	2
#define OAKLEY_EXCH_AGGRESSIVE	4
#define OAKLEY_EXCH_INFO	5
#define OAKLEY_EXCH_QUICK	32

/* The IANA NAT-T port; see struct oakley_port. */
#define OAKLEY_PORT_NATT	4500

/* Why a negotiation failed (p1_failed, p2_failed). */
enum oakley_failure {
	OAKLEY_FAIL_NO_RESPONSE = 1,	/* nothing ever came back */
	OAKLEY_FAIL_TIMEOUT,		/* the peer went silent mid-exchange */
	OAKLEY_FAIL_NO_PROPOSAL,	/* no proposal chosen */
	OAKLEY_FAIL_AUTH,		/* authentication failed */
	OAKLEY_FAIL_NOTIFY,		/* the peer sent an error notify */
	OAKLEY_FAIL_DELETED,		/* aborted locally (shutdown, replace) */
	OAKLEY_FAIL_OTHER
};

/* SA lifetimes, as PF_KEY counts them. */
enum oakley_lifetime_kind {
	OAKLEY_LIFETIME_CURRENT = 1,	/* what the SA has used (read only) */
	OAKLEY_LIFETIME_SOFT,
	OAKLEY_LIFETIME_HARD
};

struct oakley_lifetime {
	uint32_t	allocations;
	uint64_t	bytes;
	uint64_t	addtime;	/* seconds (CURRENT: wall time of add) */
	uint64_t	usetime;	/* seconds (CURRENT: first use, 0 none) */
};

/* NAT-T data of an SA (PF_KEY NAT_T_TYPE/SPORT/DPORT/OAI/OAR). */
struct oakley_natt {
	uint16_t	sport, dport;	/* UDP ports of the encapsulation */
	struct oakley_addr oai, oar;	/* original addresses; family 0 none */
};

/* ---- Descriptors a plugin registers ---- */

/*
 * A Diffie-Hellman group (IKE attribute 4 number).  bits is the size of
 * the group's prime (MODP) or of its field (ECP); public_len is the
 * length of a public value (the KE payload).  The shared secret is
 * OAKLEY_DH_SECRET_LEN(g) = (bits + 7) / 8 bytes: for a MODP group that
 * is public_len (g^xy left-padded with zeros to the prime's length), for
 * an ECP group half of it (public values are x || y, the secret is x
 * alone, RFC 5903 7 and 9).  The host refuses a group whose secret would
 * be empty or longer than public_len.  keygen returns a new private key
 * and writes its public value, or NULL; derive writes the shared secret
 * (secretlen == OAKLEY_DH_SECRET_LEN(g)); check_peer rejects a peer value
 * that is out of range (MODP: 1 < y < p - 1; ECP: not a point of the
 * curve) or of the wrong length.  The functions must not call the host.
 */
struct oakley_dh_group {
	uint16_t	 group;
	const char	*name;		/* "modp2048" */
	unsigned	 bits;
	size_t		 public_len;
	struct oakley_dh_key *(*keygen)(const struct oakley_dh_group *,
	    uint8_t *pub, size_t publen);
	int	(*derive)(const struct oakley_dh_group *, struct oakley_dh_key *,
	    const uint8_t *peer, size_t peerlen, uint8_t *secret,
	    size_t secretlen);
	int	(*check_peer)(const struct oakley_dh_group *,
	    const uint8_t *peer, size_t peerlen);
	void	(*key_free)(const struct oakley_dh_group *,
	    struct oakley_dh_key *);
};

#define OAKLEY_DH_SECRET_LEN(g)	(((size_t)(g)->bits + 7) / 8)

/*
 * A vendor ID to send and/or to recognise.
 *
 * Matching: with match_len 0 a received payload matches when it is exactly
 * these len bytes; otherwise when it is at least match_len bytes long and
 * starts with the first match_len bytes of "bytes" (MS NT5 ISAKMPOAKLEY:
 * 16-byte prefix, then a 4-byte version).  Every matching entry of every
 * plugin is told, in load order.  When recognised, peer_flag (if not NULL)
 * is set to 1 in the phase 1's flags, then received() (if not NULL) is
 * called; the core copies the flag to the peer's flags when that phase 1
 * is established (authenticated), before the p1_established hooks run.
 *
 * Sending: entries with OAKLEY_VID_SEND go into main-mode messages 1 and 2
 * in load order, exactly len bytes, when should_send is NULL or returns
 * true for that phase 1.  The vendor IDs of a received message 1 are
 * recognised before message 2 is built, so a responder's should_send can
 * answer from what the initiator sent.
 */
#define OAKLEY_VID_SEND		0x01
#define OAKLEY_VID_RECOGNISE	0x02

struct oakley_host;

struct oakley_vendor_id {
	const char	*name;
	const uint8_t	*bytes;
	size_t		 len;
	size_t		 match_len;
	unsigned	 flags;		/* OAKLEY_VID_SEND | OAKLEY_VID_RECOGNISE */
	const char	*peer_flag;
	bool	(*should_send)(const struct oakley_host *,
	    struct oakley_phase1 *);
	void	(*received)(const struct oakley_host *, struct oakley_phase1 *,
	    const struct oakley_vendor_id *, const uint8_t *payload,
	    size_t len);
};

/*
 * A handler for one ISAKMP payload type the core does not know (NAT-D 20
 * and 130, NAT-OA 21 and 131).  One handler per type.  parse is called for
 * each such payload of a received message, in message order, after the
 * core's own payloads and before the msg_parsed hooks; it returns 0, or -1
 * to reject the message.  Payloads to send are added by the msg_build
 * hook with engine->msg_add_payload.
 */
struct oakley_payload_handler {
	uint8_t		 type;
	const char	*name;		/* "NAT-D" */
	int	(*parse)(const struct oakley_host *, struct oakley_msg *,
	    uint8_t type, const uint8_t *body, size_t len);
};

/*
 * A socket filter: the core opens an IKE socket on this local UDP port (on
 * every listen address) and hands what arrives to classify, which says
 * whether it is IKE (starting at *ike_offset) or to be dropped (a NAT
 * keepalive, an ESP packet the kernel should have taken).  Every IKE
 * message sent from this port is prefixed with the marker bytes (the
 * non-ESP marker of RFC 3948).  OAKLEY_PORT_NATT stands for the configured
 * NAT-T port ("listen ... natt-port", default 4500).  With
 * OAKLEY_PORT_ESPINUDP the socket also gets UDP_ENCAP ESPINUDP so the
 * kernel decapsulates ESP arriving on it.  One filter per port.
 */
#define OAKLEY_PORT_ESPINUDP	0x01

enum oakley_packet {
	OAKLEY_PACKET_IKE = 0,
	OAKLEY_PACKET_DROP
};

struct oakley_port {
	uint16_t	 port;
	unsigned	 flags;
	const uint8_t	*marker;
	size_t		 marker_len;
	enum oakley_packet (*classify)(const struct oakley_host *,
	    const uint8_t *pkt, size_t len, size_t *ike_offset);
};

/*
 * Profiles: defaults for a peer whose configuration says "profile NAME".
 * The core fills struct oakley_profile from the peer's configuration and
 * sets in from_config a bit for each field the configuration gave; apply()
 * then fills the others (and may set quirks).  Algorithm numbers are the
 * IANA ones: phase 1 cipher/hash/group are IKE attributes 1, 2 and 4
 * (RFC 2409 App. A: 5 = 3DES, 7 = AES-CBC; 1 = MD5, 2 = SHA1, 4 = SHA2-256),
 * phase 2 cipher is the ESP transform ID and auth the IPsec DOI
 * Authentication Algorithm (RFC 2407 4.4.4, 4.5: 3 = 3DES, 12 = AES;
 * 1 = HMAC-MD5, 2 = HMAC-SHA1, 5 = HMAC-SHA2-256).
 */
#define OAKLEY_PROFILE_PROPOSALS	8

struct oakley_p1_proposal {
	uint16_t	cipher;
	uint16_t	keylen;		/* bits; 0 for fixed-length ciphers */
	uint16_t	hash;
	uint16_t	group;
	uint32_t	lifetime;	/* seconds */
};

struct oakley_p2_proposal {
	uint16_t	cipher;
	uint16_t	keylen;
	uint16_t	auth;
	uint16_t	pfs_group;	/* 0 = no PFS */
	uint32_t	lifetime;	/* seconds */
	uint64_t	lifetime_kb;	/* 0 = no byte limit */
};

/* Fields set by the peer's configuration (from_config). */
#define OAKLEY_PROFILE_CONF_PHASE1	0x01
#define OAKLEY_PROFILE_CONF_PHASE2	0x02
#define OAKLEY_PROFILE_CONF_IDLE	0x04
#define OAKLEY_PROFILE_CONF_RETRANSMIT	0x08

/*
 * Quirks the engine honours for a peer.  What it does for every peer is
 * no quirk: a quick mode without a lifetime attribute is taken as 28800 s
 * with no byte limit (RFC 2407 4.5), a longer quick-mode lifetime than
 * ours is answered with RESPONDER-LIFETIME, and exchanges it does not
 * speak (AuthIP's 243, 244, 246 among them) are dropped.
 */
#define OAKLEY_QUIRK_P1_ONE_PROPOSAL	0x01	/* offer one MM proposal (Vista+) */
#define OAKLEY_QUIRK_MS_STATUS		0x10	/* notify 12345: log, ignore */
#define OAKLEY_QUIRK_MD5		0x20	/* MD5 proposals allowed (legacy
						   peers); without it the core
						   drops them */

struct oakley_profile {
	unsigned	n_phase1;
	struct oakley_p1_proposal phase1[OAKLEY_PROFILE_PROPOSALS];
	unsigned	n_phase2;
	struct oakley_p2_proposal phase2[OAKLEY_PROFILE_PROPOSALS];
	uint32_t	idle_timeout;		/* QM SA idle seconds, 0 none */
	uint32_t	retransmit_ms;		/* first retransmit interval */
	unsigned	retransmit_count;
	uint32_t	quirks;			/* OAKLEY_QUIRK_* */
	uint32_t	from_config;		/* OAKLEY_PROFILE_CONF_* */
};

struct oakley_profile_desc {
	const char	*name;
	const char	*description;
	/*
	 * For the phase 1 being negotiated (its peer: phase1_peer).  What
	 * tells the plugin's other hooks which profile is in force belongs
	 * in that phase 1's profile flags (engine phase1_profile_flags),
	 * not the peer's: another phase 1 with the same peer may be under
	 * another profile.  0, or -1: the negotiation fails.
	 */
	int	(*apply)(const struct oakley_host *, struct oakley_phase1 *,
	    struct oakley_profile *);
};

/*
 * Two profile names are the core's and cannot be registered.  "default"
 * is the peer's configuration alone: applying it changes nothing.
 * "auto" is the profile a plugin chose from what the peer sent: the
 * string flag OAKLEY_FLAG_PROFILE names it (the compat plugins set it
 * from the MS NT5 ISAKMPOAKLEY vendor-ID version), and
 * OAKLEY_FLAG_PROFILE_EVIDENCE says why, one line for "oakleyctl show
 * peers" ("MS NT5 ISAKMPOAKLEY v4 (...) -> legacy").  Applying "auto" to
 * a phase 1 applies the profile its own flag names, or, while it has
 * none, the peer's; while that is unset, names "default", or names a
 * profile no plugin registered (logged), it changes nothing.
 *
 * The peer's first main-mode message is not authenticated, and anyone
 * can send one from the peer's address: a plugin records what it says
 * in the phase 1's flags (from vendor_id received() and msg_parsed
 * hooks) and copies it to the peer's only when that phase 1 is
 * established (p1_established), so a forged message decides nothing
 * beyond the phase 1 it started.  The engine applies an "auto" peer's
 * profile when a phase 1 starts (the peer's record), once the peer's
 * first main-mode message was parsed, and again before quick mode.
 */
#define OAKLEY_PROFILE_DEFAULT		"default"
#define OAKLEY_PROFILE_AUTO		"auto"
#define OAKLEY_FLAG_PROFILE		"profile"
#define OAKLEY_FLAG_PROFILE_EVIDENCE	"profile.evidence"

/* ---- Hooks ---- */

enum oakley_retransmit {
	OAKLEY_RETRANSMIT_DEFAULT = 0,	/* the core's schedule */
	OAKLEY_RETRANSMIT_AFTER,	/* resend after *next_ms */
	OAKLEY_RETRANSMIT_GIVE_UP,	/* fail now (OAKLEY_FAIL_TIMEOUT) */
	OAKLEY_RETRANSMIT_NEW_PHASE1	/* phase 2 only: drop the phase 1 and
					   start a fresh main mode */
};

enum oakley_p1_replace {
	OAKLEY_P1_DEFAULT = 0,		/* the core keeps both */
	OAKLEY_P1_REPLACE_OLD,		/* delete the old one and its SAs */
	OAKLEY_P1_KEEP_BOTH
};

enum oakley_sa_expire {
	OAKLEY_EXPIRE_DEFAULT = 0,	/* soft: rekey; hard: removed */
	OAKLEY_EXPIRE_NO_REKEY		/* soft: let it run out, no rekey */
};

enum oakley_sa_idle {
	OAKLEY_IDLE_DEFAULT = 0,	/* delete when idle >= its timeout */
	OAKLEY_IDLE_KEEP,
	OAKLEY_IDLE_DELETE
};

enum oakley_bypass {
	OAKLEY_BYPASS_DEFAULT = 0,	/* remove at the end of its lifetime */
	OAKLEY_BYPASS_EXTEND,		/* keep it for one more lifetime */
	OAKLEY_BYPASS_REMOVE
};

/*
 * The hooks of one plugin; NULL members are not called.  Registered once,
 * from init().  Kinds: [notify], [edit], [verdict] as described at the top.
 */
struct oakley_hooks {
	/* Phase 1.  p1_deleted is the last call for a handle. */
	void	(*p1_started)(const struct oakley_host *,
	    struct oakley_phase1 *);				/* [notify] */
	void	(*p1_established)(const struct oakley_host *,
	    struct oakley_phase1 *);				/* [notify] */
	void	(*p1_failed)(const struct oakley_host *,
	    struct oakley_phase1 *, enum oakley_failure);	/* [notify] */
	void	(*p1_deleted)(const struct oakley_host *,
	    struct oakley_phase1 *);				/* [notify] */
	/*
	 * Uniqueness: called when a phase 1 is established whose remote
	 * identity equals that of an older established phase 1.
	 */
	enum oakley_p1_replace (*p1_replace)(const struct oakley_host *,
	    struct oakley_phase1 *new_p1,
	    struct oakley_phase1 *old_p1);			/* [verdict] */

	/* Phase 2.  p2_deleted is the last call for a handle. */
	void	(*p2_started)(const struct oakley_host *,
	    struct oakley_phase2 *);				/* [notify] */
	void	(*p2_established)(const struct oakley_host *,
	    struct oakley_phase2 *);				/* [notify] */
	void	(*p2_failed)(const struct oakley_host *,
	    struct oakley_phase2 *, enum oakley_failure);	/* [notify] */
	void	(*p2_deleted)(const struct oakley_host *,
	    struct oakley_phase2 *);				/* [notify] */
	/*
	 * The IPsec DOI Encapsulation Mode attribute of a proposal.  Outbound:
	 * *attr is 1 (tunnel) or 2 (transport) and may be rewritten (NAT-T:
	 * 3/4, drafts 61443/61444).  Inbound: *attr is what the peer sent;
	 * after the hooks the core accepts only 1 or 2.  Both run while the
	 * SA payload is built or read, so before msg_build and msg_parsed
	 * of the same message.
	 */
	int	(*p2_encap)(const struct oakley_host *, struct oakley_phase2 *,
	    bool inbound, uint16_t *attr);			/* [edit] */

	/*
	 * Retransmission of the last message of an exchange (p2 is NULL in
	 * phase 1).  sent counts the transmissions so far (1 after the first).
	 */
	enum oakley_retransmit (*retransmit)(const struct oakley_host *,
	    struct oakley_phase1 *, struct oakley_phase2 *, unsigned sent,
	    uint32_t *next_ms);					/* [verdict] */

	/*
	 * Messages, phase 1 and phase 2.  msg_build runs after the core added
	 * its payloads and before HASH and encryption; msg_parsed after every
	 * payload was parsed and before the core acts on the message (for an
	 * encrypted message: after decryption and the HASH check).  A -1 from
	 * msg_build fails the exchange (p1_failed or p2_failed with
	 * OAKLEY_FAIL_OTHER) without sending the message.
	 */
	int	(*msg_build)(const struct oakley_host *,
	    struct oakley_msg *);				/* [edit] */
	int	(*msg_parsed)(const struct oakley_host *,
	    struct oakley_msg *);				/* [edit] */

	/*
	 * SAs.  sa_install runs before the ADD/UPDATE is sent: the only time
	 * sa_set_lifetime, sa_set_natt and sa_set_idle_timeout work.
	 * sa_expired is the kernel's EXPIRE (the verdict matters for soft
	 * only); sa_idle is called when the SA's idle timer fires, with the
	 * seconds since its last use; sa_deleted is the last call for an SA.
	 */
	int	(*sa_install)(const struct oakley_host *,
	    struct oakley_sa *);				/* [edit] */
	void	(*sa_installed)(const struct oakley_host *,
	    struct oakley_sa *);				/* [notify] */
	enum oakley_sa_expire (*sa_expired)(const struct oakley_host *,
	    struct oakley_sa *, bool hard);			/* [verdict] */
	enum oakley_sa_idle (*sa_idle)(const struct oakley_host *,
	    struct oakley_sa *, uint32_t idle_seconds);		/* [verdict] */
	void	(*sa_deleted)(const struct oakley_host *,
	    struct oakley_sa *);				/* [notify] */

	/*
	 * A bypass policy installed with engine->bypass_add reached the end
	 * of its lifetime; idle_seconds since a packet last used it.
	 */
	enum oakley_bypass (*bypass_expired)(const struct oakley_host *,
	    struct oakley_peer *, unsigned dir,
	    uint32_t idle_seconds);				/* [verdict] */

	/*
	 * A "NAME { ... }" block inside "peer PEER { }" of oakleyd.conf, at
	 * start-up: check it (errors through conf_error) and keep what it
	 * says, by peer name.
	 */
	int	(*peer_config)(const struct oakley_host *, const char *peer,
	    const struct oakley_conf_block *);			/* [edit] */
};

/* ---- The IKE engine's objects ---- */

/*
 * Accessors and actions on the engine's objects.  Getters of an address
 * return -1 when there is none; *_flags return the object's flag store.
 */
struct oakley_engine {
	/* Peers. */
	const char *(*peer_name)(const struct oakley_peer *);
	int	(*peer_address)(const struct oakley_peer *, struct oakley_addr *);
	bool	(*peer_has_phase1)(const struct oakley_peer *);	/* established */
	struct oakley_flags *(*peer_flags)(struct oakley_peer *);
	/*
	 * Re-install the peer's IPsec SAs after its NAT mapping changed:
	 * for each SA the engine builds the message again (same SPI, keys
	 * and remaining lifetimes, the current phase-1 addresses, the NAT-T
	 * data it had, so sa_natt answers) and runs the sa_install hooks on
	 * it, then updates the kernel's SA (UPDATE, or DELETE and ADD where
	 * a mature SA cannot be updated).  0, or -1 if any SA failed.
	 */
	int	(*peer_sas_refresh)(struct oakley_peer *);

	/* Phase 1. */
	struct oakley_peer *(*phase1_peer)(struct oakley_phase1 *);
	bool	(*phase1_initiator)(const struct oakley_phase1 *);
	void	(*phase1_cookies)(const struct oakley_phase1 *,
	    uint8_t icookie[8], uint8_t rcookie[8]);
	int	(*phase1_local)(const struct oakley_phase1 *, struct oakley_addr *);
	int	(*phase1_remote)(const struct oakley_phase1 *, struct oakley_addr *);
	const char *(*phase1_remote_id)(const struct oakley_phase1 *); /* or NULL */
	/* Digest with the negotiated phase-1 hash: its length, or -1. */
	int	(*phase1_hash)(const struct oakley_phase1 *, const uint8_t *data,
	    size_t len, uint8_t *out, size_t outlen);
	/*
	 * Move to the NAT-T ports: ours = the NAT-T port, the peer's = 4500.
	 * The engine never moves on its own.  Called from msg_build, the
	 * message being built already goes out on the new ports (the
	 * initiator's main-mode message 5); a responder calls it from
	 * msg_parsed when that message arrived on the NAT-T port.
	 */
	int	(*phase1_float)(struct oakley_phase1 *);
	/*
	 * Follow a peer whose NAT mapping changed: send this phase 1's
	 * messages to addr (address and port) from now on.  For the source
	 * of a message the engine authenticated, from msg_parsed.
	 */
	int	(*phase1_set_remote)(struct oakley_phase1 *,
	    const struct oakley_addr *);
	/* Send bytes as they are (no marker) from its local to remote port. */
	int	(*phase1_send_raw)(struct oakley_phase1 *, const uint8_t *,
	    size_t);
	struct oakley_flags *(*phase1_flags)(struct oakley_phase1 *);
	/*
	 * Where a profile's apply() notes, for its plugin's other hooks (and
	 * other plugins), what is in force for the phase 1: the core empties
	 * it before each apply, so a note never outlives its profile (an
	 * "auto" phase 1 may change profile once the peer's first message
	 * was read).
	 */
	struct oakley_flags *(*phase1_profile_flags)(struct oakley_phase1 *);

	/* Phase 2. */
	struct oakley_phase1 *(*phase2_phase1)(struct oakley_phase2 *);
	bool	(*phase2_initiator)(const struct oakley_phase2 *);
	int	(*phase2_mode)(const struct oakley_phase2 *); /* OAKLEY_MODE_* */
	struct oakley_flags *(*phase2_flags)(struct oakley_phase2 *);

	/* Messages. */
	struct oakley_phase1 *(*msg_phase1)(struct oakley_msg *);
	struct oakley_phase2 *(*msg_phase2)(struct oakley_msg *); /* or NULL */
	unsigned (*msg_exchange)(const struct oakley_msg *); /* OAKLEY_EXCH_* */
	unsigned (*msg_number)(const struct oakley_msg *);	/* 1 = first */
	bool	(*msg_inbound)(const struct oakley_msg *);
	int	(*msg_source)(const struct oakley_msg *, struct oakley_addr *);
	int	(*msg_destination)(const struct oakley_msg *,
	    struct oakley_addr *);
	int	(*msg_add_payload)(struct oakley_msg *, uint8_t type,
	    const uint8_t *body, size_t len);

	/* Bypass policies for a peer's traffic, lifetime 0 = until removed. */
	int	(*bypass_add)(struct oakley_peer *, unsigned dir,
	    uint32_t lifetime_seconds);
	int	(*bypass_remove)(struct oakley_peer *, unsigned dir);
};

/* ---- The host table ---- */

typedef void oakley_timer_cb(const struct oakley_host *, void *arg);

struct oakley_host {
	uint32_t	 abi_version;	/* OAKLEY_PLUGIN_ABI_VERSION */
	const char	*daemon_version;
	struct oakley_host_priv *priv;	/* the host's; do not touch */
	const struct oakley_engine *engine;	/* never NULL */

	/* Registration (from init() only; -1 with the reason recorded). */
	int	(*register_hooks)(const struct oakley_host *,
	    const struct oakley_hooks *);
	int	(*register_dh_group)(const struct oakley_host *,
	    const struct oakley_dh_group *);
	int	(*register_vendor_id)(const struct oakley_host *,
	    const struct oakley_vendor_id *);
	int	(*register_payload)(const struct oakley_host *,
	    const struct oakley_payload_handler *);
	int	(*register_port)(const struct oakley_host *,
	    const struct oakley_port *);
	int	(*register_profile)(const struct oakley_host *,
	    const struct oakley_profile_desc *);

	/* Logging, prefixed with "plugin NAME: ". */
	void	(*log)(const struct oakley_host *, int level,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

	/*
	 * Configuration.  The typed readers and conf_error record the
	 * plugin's configuration error ("FILE:LINE:COL: reason"; the first
	 * one counts), which init()'s -1 then reports.
	 */
	const struct oakley_conf_stmt *(*conf_first)(const struct oakley_host *,
	    const struct oakley_conf_block *);	/* NULL block: no statements */
	const struct oakley_conf_stmt *(*conf_next)(const struct oakley_host *,
	    const struct oakley_conf_stmt *);
	const char *(*conf_key)(const struct oakley_host *,
	    const struct oakley_conf_stmt *);
	size_t	(*conf_nargs)(const struct oakley_host *,
	    const struct oakley_conf_stmt *);
	const char *(*conf_arg)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, size_t i);	/* NULL past the end */
	int	(*conf_number)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out);
	int	(*conf_seconds)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out);	/* units s m h */
	int	(*conf_bytes)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out);	/* units KB MB */
	int	(*conf_bool)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, size_t i, bool *out);
	const struct oakley_conf_block *(*conf_block)(const struct oakley_host *,
	    const struct oakley_conf_stmt *);	/* nested { } or NULL */
	void	(*conf_where)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, const char **file, int *line,
	    int *col);
	void	(*conf_error)(const struct oakley_host *,
	    const struct oakley_conf_stmt *, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

	/*
	 * Flag stores: string keys ("nlb.fast_failover", by convention
	 * prefixed with the plugin's name) to an integer or a string.
	 * Setting replaces the value and its type.  The getters fail (-1,
	 * NULL) when the key is unset or holds the other type, and on a NULL
	 * store.  Strings are copied.
	 */
	int	(*flag_set_int)(const struct oakley_host *, struct oakley_flags *,
	    const char *key, int64_t value);
	int	(*flag_set_str)(const struct oakley_host *, struct oakley_flags *,
	    const char *key, const char *value);
	int	(*flag_get_int)(const struct oakley_host *,
	    const struct oakley_flags *, const char *key, int64_t *value);
	const char *(*flag_get_str)(const struct oakley_host *,
	    const struct oakley_flags *, const char *key);
	void	(*flag_unset)(const struct oakley_host *, struct oakley_flags *,
	    const char *key);

	/*
	 * One-shot timers on the daemon's monotonic clock.  timer_set
	 * (re)arms, timer_stop disarms, timer_free stops and frees.  Timers
	 * still allocated at unload are freed by the host.
	 */
	struct oakley_timer *(*timer_new)(const struct oakley_host *,
	    oakley_timer_cb *cb, void *arg);
	int	(*timer_set)(const struct oakley_host *, struct oakley_timer *,
	    uint32_t ms);
	void	(*timer_stop)(const struct oakley_host *, struct oakley_timer *);
	void	(*timer_free)(const struct oakley_host *, struct oakley_timer *);

	/* SAs (the PF_KEY message behind them stays the host's). */
	struct oakley_peer *(*sa_peer)(const struct oakley_host *,
	    const struct oakley_sa *);
	struct oakley_phase2 *(*sa_phase2)(const struct oakley_host *,
	    const struct oakley_sa *);		/* NULL once the QM is gone */
	uint32_t (*sa_spi)(const struct oakley_host *, const struct oakley_sa *);
	bool	(*sa_inbound)(const struct oakley_host *,
	    const struct oakley_sa *);
	int	(*sa_addresses)(const struct oakley_host *,
	    const struct oakley_sa *, struct oakley_addr *src,
	    struct oakley_addr *dst);
	int	(*sa_lifetime)(const struct oakley_host *,
	    const struct oakley_sa *, enum oakley_lifetime_kind,
	    struct oakley_lifetime *);		/* -1 if the SA carries none */
	int	(*sa_set_lifetime)(const struct oakley_host *, struct oakley_sa *,
	    enum oakley_lifetime_kind, const struct oakley_lifetime *);
	int	(*sa_set_natt)(const struct oakley_host *, struct oakley_sa *,
	    const struct oakley_natt *);
	int	(*sa_natt)(const struct oakley_host *, const struct oakley_sa *,
	    struct oakley_natt *);		/* -1 if the SA carries none */
	int	(*sa_set_idle_timeout)(const struct oakley_host *,
	    struct oakley_sa *, uint32_t seconds);
	uint32_t (*sa_idle_timeout)(const struct oakley_host *,
	    const struct oakley_sa *);		/* 0 = no idle timer */
};

/* ---- The plugin ---- */

/*
 * init returns 0, or -1 after reporting why (conf_error for configuration,
 * a failed register_* records its own reason).  When init fails the host
 * undoes the plugin's registrations and timers itself; fini is not called.
 * fini is called at unload, in reverse load order.  Configuration blocks
 * and statements are valid only during init() and peer_config(): keep
 * values, not pointers.
 */
struct oakley_plugin {
	uint32_t	 abi_version;	/* OAKLEY_PLUGIN_ABI_VERSION */
	const char	*name;		/* must equal the file's base name */
	const char	*version;
	const char	*description;	/* one line */
	int	(*init)(const struct oakley_host *,
	    const struct oakley_conf_block *);	/* NULL: no configuration */
	void	(*fini)(const struct oakley_host *);
};

/* What every plugin defines (and exports). */
extern const struct oakley_plugin oakley_plugin;

#endif /* OAKLEY_PLUGIN_ABI_H */
