/*
 * natt: NAT traversal for IKEv1 main mode (RFC 3947, RFC 3948 and the
 * drafts Windows speaks).  What the plugin's files share; everything here
 * has hidden visibility, so the shared object exports only oakley_plugin.
 *
 *	natt.c		the plugin: configuration, registrations, hook table,
 *			phase-1 life cycle, message dispatch
 *	natt_version.c	the one table of NAT-T revisions, vendor IDs
 *	natt_state.c	what the plugin keeps per phase 1; addresses
 *	natt_natd.c	NAT-D hashes, NAT detection, the send rule, floating
 *	natt_qm.c	encapsulation modes, NAT-OA, the SAs' NAT-T data
 *	natt_port.c	the port-4500 filter, keepalives, following a peer
 */
#ifndef OAKLEY_NATT_H
#define OAKLEY_NATT_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oakley/plugin.h"

#define NATT_HIDDEN	__attribute__((visibility("hidden")))

/* NAT-T revisions, the index into natt_versions[]. */
enum natt_rev {
	NATT_DRAFT_00 = 0,
	NATT_DRAFT_01,
	NATT_DRAFT_02,
	NATT_DRAFT_02N,		/* "draft-ietf-ipsec-nat-t-ike-02\n" */
	NATT_DRAFT_03,
	NATT_RFC3947,
	NATT_NREVS
};

#define NATT_NONE	(-1)	/* no revision in common */

/* IPsec DOI Encapsulation Mode values (RFC 2407 4.5). */
#define NATT_ENCAP_TUNNEL	1
#define NATT_ENCAP_TRANSPORT	2

/* ID types of a NAT-OA payload (RFC 2407 4.6.2.1). */
#define NATT_ID_IPV4_ADDR	1
#define NATT_ID_IPV6_ADDR	5

#define NATT_HASH_MAX		64	/* SHA-512 */
#define NATT_KEEPALIVE_BYTE	0xff	/* RFC 3948 2.3 */
#define NATT_MARKER_LEN		4	/* the non-ESP marker, RFC 3948 2.2 */

/*
 * One NAT-T revision: its vendor ID (the MD5 digest of its name, "\\n"
 * standing for a newline), how much we like it (rank 0: recognised by
 * name, never used: drafts 00 and 01 put a non-IKE marker in front of
 * ESP on port 500), whether an initiator announces it, and the numbers
 * it uses on the wire.
 */
struct natt_version {
	const char	*name;		/* for logs and the flag natt.version */
	uint8_t		 vid[16];
	unsigned	 rank;
	bool		 initiator_sends;
	uint8_t		 natd;		/* NAT-D payload type */
	uint8_t		 natoa;		/* NAT-OA payload type */
	uint16_t	 udp_tunnel;	/* Encapsulation Mode values */
	uint16_t	 udp_transport;
};

extern const struct natt_version natt_versions[NATT_NREVS] NATT_HIDDEN;

/* The configuration ("plugin natt { ... }"). */
struct natt_config {
	uint32_t	keepalive_s;	/* 0: no keepalives */
	unsigned	send_rule;	/* 0, 1, 2: Windows' AssumeUDP...Rule */
};

#define NATT_DEFAULT_KEEPALIVE	20
#define NATT_SEND_RULE_KEY	"assume-udp-encapsulation-context-on-send-rule"

extern struct natt_config natt_conf NATT_HIDDEN;

/* What the plugin knows about one phase 1. */
struct natt_p1 {
	LIST_ENTRY(natt_p1) link;
	struct oakley_phase1 *p1;
	unsigned	 peer_revs;	/* bit (1 << rev) per vendor ID seen */
	/* The NAT-D payloads of the message being read. */
	unsigned	 rx_msg;	/* its number */
	unsigned	 rx_count;
	bool		 rx_dst_match;	/* the first one hashed our address */
	bool		 rx_src_match;	/* another one hashed its source */
	/* The outcome. */
	bool		 detected;	/* NAT-D were exchanged */
	bool		 nat_local;	/* we are behind a NAT */
	bool		 nat_remote;	/* the peer is behind a NAT */
	bool		 floated;	/* on the NAT-T ports */
	bool		 established;
	struct oakley_timer *keepalive;
};

/*
 * Phase-1 profile flag (set by the compat profiles when they apply to
 * the phase 1): 1 asks for the draft flavour.
 * An initiator then announces the drafts only (as Windows XP and Server
 * 2003 do), and the best draft the peer knows wins over RFC 3947.
 */
#define NATT_FLAG_PREFER_DRAFT	"natt.prefer_draft"

/* natt_version.c */
int	natt_register_vendor_ids(const struct oakley_host *) NATT_HIDDEN;
/* The revision to use of those in revs (bits), or NATT_NONE. */
int	natt_best_rev(unsigned revs, bool prefer_draft) NATT_HIDDEN;
bool	natt_prefers_draft(const struct oakley_host *,
	    struct oakley_phase1 *) NATT_HIDDEN;
/* The phase 1's revision, or NATT_NONE. */
int	natt_rev(const struct oakley_host *, const struct natt_p1 *)
	    NATT_HIDDEN;
/* 1 tunnel or 2 transport for a UDP value of any revision, else 0. */
uint16_t natt_udp_mode(uint16_t attr) NATT_HIDDEN;

/* natt_state.c */
struct natt_p1 *natt_p1_find(struct oakley_phase1 *) NATT_HIDDEN;
struct natt_p1 *natt_p1_get(const struct oakley_host *,
	    struct oakley_phase1 *) NATT_HIDDEN;	/* NULL: no memory */
void	natt_p1_free(const struct oakley_host *, struct oakley_phase1 *)
	    NATT_HIDDEN;
void	natt_p1_free_all(const struct oakley_host *) NATT_HIDDEN;
/* UDP encapsulation is in use: NAT seen, on the NAT-T ports. */
bool	natt_p1_udp(const struct oakley_host *, const struct natt_p1 *)
	    NATT_HIDDEN;
/* Peer flag natt.remote_port := the phase 1's remote port. */
void	natt_note_remote(const struct oakley_host *, struct oakley_phase1 *)
	    NATT_HIDDEN;
const char *natt_peer_name(const struct oakley_host *,
	    struct oakley_phase1 *) NATT_HIDDEN;
bool	natt_addr_equal(const struct oakley_addr *,
	    const struct oakley_addr *) NATT_HIDDEN;
/* "198.51.100.2[4500]" (the port left out when 0). */
const char *natt_addr_str(const struct oakley_addr *, char *buf,
	    size_t len) NATT_HIDDEN;
/* Address only, no port: "198.51.100.2"; parse it back (0 or -1). */
const char *natt_ip_str(const struct oakley_addr *, char *buf, size_t len)
	    NATT_HIDDEN;
int	natt_ip_parse(const char *, struct oakley_addr *) NATT_HIDDEN;
int	natt_flag_int(const struct oakley_host *, const struct oakley_flags *,
	    const char *key, int64_t dflt) NATT_HIDDEN;

/* natt_natd.c */
int	natt_natd_hash(const struct oakley_host *, struct oakley_phase1 *,
	    const struct oakley_addr *, uint8_t *out, size_t outlen)
	    NATT_HIDDEN;
int	natt_natd_build(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;
int	natt_natd_parse(const struct oakley_host *, struct oakley_msg *,
	    uint8_t type, const uint8_t *body, size_t len) NATT_HIDDEN;
void	natt_natd_finish(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;
int	natt_float_initiator(const struct oakley_host *,
	    struct oakley_phase1 *) NATT_HIDDEN;
void	natt_float_responder(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;
/* The send rule: NULL if allowed, else why not. */
const char *natt_send_rule_refuses(unsigned rule, bool nat_local,
	    bool nat_remote) NATT_HIDDEN;

/* natt_qm.c */
int	natt_p2_encap(const struct oakley_host *, struct oakley_phase2 *,
	    bool inbound, uint16_t *attr) NATT_HIDDEN;
int	natt_natoa_build(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;
int	natt_natoa_parse(const struct oakley_host *, struct oakley_msg *,
	    uint8_t type, const uint8_t *body, size_t len) NATT_HIDDEN;
void	natt_natoa_finish(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;
int	natt_sa_install(const struct oakley_host *, struct oakley_sa *)
	    NATT_HIDDEN;

/* natt_port.c */
extern const struct oakley_port natt_port NATT_HIDDEN;
void	natt_keepalive_start(const struct oakley_host *, struct natt_p1 *)
	    NATT_HIDDEN;
void	natt_keepalive_stop(const struct oakley_host *, struct natt_p1 *)
	    NATT_HIDDEN;
void	natt_follow(const struct oakley_host *, struct oakley_msg *)
	    NATT_HIDDEN;

#endif /* OAKLEY_NATT_H */
