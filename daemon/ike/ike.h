/*
 * The IKEv1 engine: main mode, quick mode and informational exchanges
 * between oakleyd and its peers (RFC 2408, 2409), on top of the ISAKMP
 * codec (isakmp.h), the cryptography (crypto.h), the DH registry (dh.h),
 * the SA manager (sa.h) and the PF_KEY session (kernel.h).
 *
 * One concern per file:
 *
 *   ike.c        the engine object, its life, requests from the
 *                negotiation entry point (negotiate.h) and the per-peer
 *                list of wanted SAs, input dispatch by exchange type
 *   net.c        UDP sockets on the listen addresses and plugin ports,
 *                receive and send, the non-ESP marker
 *   p1sa.c       the phase-1 table (cookies) and the half-open caps
 *   proposal.c   profiles from the configuration, SA payload specs, the
 *                responder's choice, lifetimes
 *   ids.c        ID payloads: phase 1 identities, phase 2 selectors
 *   msg.c        encryption, decryption, padding, duplicates, the
 *                struct oakley_msg handed to plugins
 *   xmit.c       retransmission with exponential backoff
 *   phase1.c     main mode, initiator and responder
 *   phase1_auth.c  identities, pre-shared key authentication
 *   phase1_cert.c  RSA signatures over X.509 certificates
 *   phase2.c     quick mode, initiator and responder
 *   install.c    GETSPI, KEYMAT, the sa_install hooks, UPDATE/ADD, the
 *                engine's record of installed pairs
 *   info.c       informational exchanges: notify, delete, DPD
 *
 * Plugins see a struct ike_p1 as struct oakley_phase1, a struct ike_p2
 * as struct oakley_phase2 (plain casts, IKE_P1_HANDLE...), and the
 * struct oakley_msg defined below.
 */
#ifndef OAKLEY_IKE_IKE_H
#define OAKLEY_IKE_IKE_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "crypto.h"
#include "isakmp.h"
#include "oakley/plugin.h"
#include "pfkey.h"
#include "timer.h"

struct conf_peer;
struct conf_policy;
struct daemon;
struct event;
struct ike;
struct peer;
struct sa;

/* ---- Limits and defaults ---- */

/* Responder phase 1s not yet up, and from one address: "half-open". */
#define IKE_HALF_OPEN_MAX	CONF_DEFAULT_HALF_OPEN
#define IKE_HALF_OPEN_PER_SRC	CONF_DEFAULT_HALF_OPEN_PER_SOURCE
#define IKE_NONCE_LEN		32	/* bytes we send */
#define IKE_NONCE_MIN		8	/* RFC 2409 5: 8 to 256 */
#define IKE_NONCE_MAX		256
#define IKE_PKT_MAX		65535
#define IKE_DONE_KEEP_MS	60000	/* a finished QM answers duplicates */
#define IKE_P1_REKEY_PERCENT	90	/* a phase 1 is renewed here */
#define IKE_P2_SPI_MIN		0x00000100
#define IKE_P2_SPI_MAX		0x0fffffff
#define IKE_ID_MAX		512	/* bytes of an ID payload body */
#define IKE_QM_DEFAULT_LIFE	28800	/* RFC 2407 4.5 */
#define IKE_P1_DEFAULT_LIFE	28800
#define IKE_MSGID_WINDOW	32	/* the peer's message IDs kept */

/* ---- Handles ---- */

#define IKE_P1_HANDLE(p)	((struct oakley_phase1 *)(void *)(p))
#define IKE_P2_HANDLE(p)	((struct oakley_phase2 *)(void *)(p))
#define IKE_P1_OF(h)		((struct ike_p1 *)(void *)(h))
#define IKE_P2_OF(h)		((struct ike_p2 *)(void *)(h))
#define IKE_PEER_HANDLE(p)	((struct oakley_peer *)(void *)(p))

/* ---- Sockets (net.c) ---- */

struct ike_sock {
	TAILQ_ENTRY(ike_sock) link;
	struct ike	*ike;
	int		 fd;
	struct event	*ev;
	struct pfkey_addr addr;		/* bound address and port */
	bool		 wildcard;	/* 0.0.0.0 or :: */
	bool		 natt;		/* the plugin port (NAT-T) */
	const uint8_t	*marker;	/* prefixed to what we send */
	size_t		 marker_len;
};
TAILQ_HEAD(ike_sock_list, ike_sock);

/* ---- Retransmission (xmit.c) ---- */

struct ike_xmit {
	uint8_t		*pkt;		/* the last message we sent */
	size_t		 len;
	struct timer	 timer;
	unsigned	 sent;		/* transmissions of pkt so far */
	uint32_t	 next_ms;	/* the next wait */
	bool		 waiting;	/* an answer is expected */
	bool		 answered;	/* something came back this exchange */
	/* The last message received in the exchange, to spot duplicates. */
	uint8_t		*rx;
	size_t		 rx_len;
	bool		 rx_answered;	/* pkt was sent in answer to rx */
};

/* ---- Phase-1 table (p1sa.c) ---- */

struct p1_entry {
	TAILQ_ENTRY(p1_entry) hash_link;
	TAILQ_ENTRY(p1_entry) half_link;	/* while half open */
	uint8_t		icookie[ISAKMP_COOKIE_LEN];
	uint8_t		rcookie[ISAKMP_COOKIE_LEN];	/* zero: not yet */
	struct pfkey_addr remote;	/* host part only; fixed while in the table */
	bool		half_open;	/* counted against the caps */
	bool		in_table;
};
TAILQ_HEAD(p1_entry_list, p1_entry);

#define P1_TABLE_BUCKETS	1024
#define P1_HALF_BUCKETS		64	/* half-open entries, by source */

struct p1_table {
	struct p1_entry_list buckets[P1_TABLE_BUCKETS];
	struct p1_entry_list half_open[P1_HALF_BUCKETS];
	size_t		count;
	size_t		half_count;
	size_t		half_max;	/* 0: IKE_HALF_OPEN_MAX */
	size_t		half_per_src;	/* 0: IKE_HALF_OPEN_PER_SRC */
};

void	p1_table_init(struct p1_table *, size_t half_max,
	    size_t half_per_src);
/*
 * May a new half-open responder entry from remote be created?  0, or
 * EAGAIN (global cap) / EMFILE (per-source cap).
 */
int	p1_table_admit(const struct p1_table *, const struct pfkey_addr *remote);
void	p1_table_insert(struct p1_table *, struct p1_entry *, bool half_open);
void	p1_table_remove(struct p1_table *, struct p1_entry *);
/* The entry is up: no longer counted as half open. */
void	p1_table_established(struct p1_table *, struct p1_entry *);
/* By both cookies (rcookie zero matches an entry without one). */
struct p1_entry *p1_table_find(const struct p1_table *,
	    const uint8_t *icookie, const uint8_t *rcookie);
/* A responder entry for a first message: icookie and the sender. */
struct p1_entry *p1_table_find_first(const struct p1_table *,
	    const uint8_t *icookie, const struct pfkey_addr *remote);
size_t	p1_table_half_from(const struct p1_table *,
	    const struct pfkey_addr *remote);
bool	ike_addr_same_host(const struct pfkey_addr *,
	    const struct pfkey_addr *);

/* ---- Phase 1 ---- */

enum p1_state {
	P1_I_MM1 = 1,		/* sent MM1, waiting for MM2 */
	P1_I_MM3,		/* sent MM3, waiting for MM4 */
	P1_I_MM5,		/* sent MM5, waiting for MM6 */
	P1_R_MM2,		/* sent MM2, waiting for MM3 */
	P1_R_MM4,		/* sent MM4, waiting for MM5 */
	P1_ESTABLISHED,
	P1_EXPIRED		/* replaced or expiring: no new QM */
};

/* What main mode agreed on (IANA numbers). */
struct ike_p1_alg {
	uint16_t	cipher;		/* 5 3DES, 7 AES-CBC */
	uint16_t	keylen;		/* bits, AES */
	uint16_t	hash;		/* 1 MD5, 2 SHA1, 4/5/6 SHA2 */
	uint16_t	group;
	uint16_t	auth;		/* 1 PSK, 3 RSA signatures */
	uint64_t	lifetime;	/* seconds */
	uint64_t	lifetime_kb;	/* 0: none */
};

struct ike_p2;
TAILQ_HEAD(ike_p2_list, ike_p2);

/* The latest message IDs of the peer's exchanges of one kind (msg.c). */
struct ike_msgids {
	uint32_t	id[IKE_MSGID_WINDOW];
	unsigned	next, count;
};

struct ike_p1 {
	struct p1_entry	 entry;		/* must stay first */
	TAILQ_ENTRY(ike_p1) link;	/* every phase 1 */
	struct ike	*ike;
	struct peer	*peer;
	bool		 initiator;
	enum p1_state	 state;
	uint64_t	 serial;	/* for logs */
	struct pfkey_addr local, remote;	/* with ports */
	struct ike_sock	*sock;
	/* The datagram being handled (ike_input): where it came from and
	 * arrived, for plugins (msg_source, msg_destination) and floating. */
	struct ike_sock	*rx_sock;
	struct pfkey_addr rx_from, rx_to;
	struct oakley_profile prof;	/* effective proposals */

	struct ike_p1_alg alg;
	struct ike_p1_keys keys;
	const struct oakley_dh_group *group;
	struct oakley_dh_key *dh;
	struct ike_buf	 gxi, gxr, gxy, ni, nr;
	struct ike_buf	 sai_b;		/* the initiator's SA body */
	struct ike_buf	 idi_b, idr_b;
	bool		 initial_contact;	/* received from the peer */
	bool		 ic_done;	/* INITIAL-CONTACT acted upon */
	unsigned	 p2_done;	/* quick modes finished under it */
	/* Authenticated informational and new quick-mode exchanges of the
	 * peer: a message ID seen again is a replay. */
	struct ike_msgids seen_info, seen_qm;
	char		 remote_id[512];	/* text, for logs/plugins */

	struct oakley_flags *flags;
	/* What the profile in force set for this phase 1 (emptied before
	 * each apply: ike_profile_build). */
	struct oakley_flags *prof_flags;
	struct ike_xmit	 xmit;
	struct timer	 life_timer;	/* rekey, then expiry */
	bool		 rekey_done;	/* the soft point passed */
	time_t		 established_at;
	uint64_t	 expires_ms;
	unsigned	 msg_number;	/* of the last main-mode message */

	struct ike_p2_list p2s;

	/* DPD (RFC 3706) */
	bool		 dpd_peer;	/* the peer sent the DPD VID */
	uint32_t	 dpd_seq;	/* last R-U-THERE sent */
	uint32_t	 dpd_peer_seq;	/* last one received */
	unsigned	 dpd_missed;
	bool		 dpd_pending;
	struct timer	 dpd_timer;
	uint64_t	 last_rx_ms;	/* anything authenticated from the peer */
};
TAILQ_HEAD(ike_p1_list, ike_p1);

/* ---- Phase 2 ---- */

enum p2_state {
	P2_I_GETSPI = 1,	/* initiator, before QM1 */
	P2_I_QM1,		/* sent QM1, waiting for QM2 */
	P2_R_QM2,		/* sent QM2, waiting for QM3 */
	P2_DONE			/* installed; kept to answer duplicates */
};

/* What quick mode agreed on. */
struct ike_p2_alg {
	uint16_t	cipher;		/* ESP transform ID */
	uint16_t	keylen;		/* bits */
	uint16_t	auth;		/* IPsec DOI auth algorithm */
	uint16_t	group;		/* PFS, 0 none */
	uint16_t	encap;		/* as sent: 1 tunnel, 2 transport, ... */
	uint64_t	life_s;		/* seconds, 0 none */
	uint64_t	life_kb;	/* kilobytes, 0 none */
};

struct ike_want;

struct ike_p2 {
	TAILQ_ENTRY(ike_p2) link;	/* in p1->p2s */
	struct ike_p1	*p1;
	uint32_t	 msgid;
	bool		 initiator;
	enum p2_state	 state;
	uint64_t	 nego_id;	/* the SA manager's negotiation */
	uint8_t		 iv[IKE_BLOCK_MAX];
	struct ike_buf	 ni, nr;	/* nonce bodies */
	const struct oakley_dh_group *group;
	struct oakley_dh_key *dh;
	struct ike_buf	 gxi, gxr, gqm;	/* PFS */
	bool		 has_ids;
	uint8_t		 idci[IKE_ID_MAX], idcr[IKE_ID_MAX];
	size_t		 idci_len, idcr_len;

	/* The policy and the SA endpoints. */
	size_t		 policy;	/* index in peer->conf->policies */
	uint8_t		 mode;		/* PFKEY_MODE_* */
	uint32_t	 reqid;
	uint32_t	 acquire_seq;	/* 0: not for an ACQUIRE */
	struct pfkey_addr sa_local, sa_remote;	/* hosts */

	uint32_t	 spi_in;	/* ours (host order) */
	uint32_t	 spi_out;	/* the peer's */
	struct ike_p2_alg alg;
	bool		 responder_lifetime;	/* to send / received */
	struct ike_want	*want;		/* initiator: the request served */
	uint64_t	 rekey_of;	/* pair serial being replaced, 0 none */

	struct oakley_flags *flags;
	struct ike_xmit	 xmit;
	struct timer	 done_timer;
};

/* ---- Requests and installed pairs (ike.c, install.c) ---- */

/* One SA pair the engine was asked for (a policy of a peer). */
struct ike_want {
	TAILQ_ENTRY(ike_want) link;
	size_t		 policy;	/* index; SIZE_MAX: phase 1 only */
	uint32_t	 seq;		/* the kernel ACQUIRE's, 0 none */
	uint8_t		 satype;
	bool		 acquire;	/* seq is a kernel ACQUIRE */
	uint64_t	 rekey_of;	/* pair serial, 0 none */
	struct ike_p2	*p2;		/* running quick mode, or NULL */
};
TAILQ_HEAD(ike_want_list, ike_want);

/* The NAT-T extensions an SA was installed with (no secrets). */
struct ike_sa_natt {
	bool		 set;
	uint16_t	 sport, dport;
	struct pfkey_addr oai, oar;	/* family 0: none */
};

/* An installed pair of SAs (inbound and outbound) of one quick mode. */
struct ike_pair {
	TAILQ_ENTRY(ike_pair) link;
	uint64_t	 serial;
	size_t		 policy;
	uint32_t	 spi_in, spi_out;
	struct pfkey_addr local, remote;	/* SA endpoints */
	uint8_t		 mode;		/* PFKEY_MODE_* */
	struct ike_sa_natt natt_in, natt_out;	/* for ike_pairs_refresh */
	uint64_t	 life_s;
	bool		 rekeyed;	/* a newer pair replaced it */
	bool		 rekeying;
};
TAILQ_HEAD(ike_pair_list, ike_pair);

/* The engine's per-peer state, hung on struct peer (peer->ike). */
struct ike_peer {
	struct ike_want_list wants;
	struct ike_pair_list pairs;
	bool		 busy;		/* the peer's request is ours */
	bool		 failed;	/* a want of the request failed */
	time_t		 md5_logged;	/* MD5 proposals dropped (proposal.c) */
};

/* ---- Messages as plugins see them ---- */

struct oakley_msg {
	struct ike_p1	*p1;
	struct ike_p2	*p2;
	unsigned	 exchange;
	unsigned	 number;	/* 1 = first of the exchange */
	bool		 inbound;
	struct pfkey_addr src, dst;
	struct isakmp_builder *b;	/* outbound */
	const struct isakmp_msg *m;	/* inbound */
};

/* ---- The engine ---- */

struct ike_stats {
	uint64_t	rx, tx, dropped, duplicates, retransmits;
	uint64_t	resent;		/* duplicates answered with pkt */
	uint64_t	p1_up, p1_failed, p2_up, p2_failed;
	uint64_t	half_open_refused;
};

struct ike {
	struct daemon	*d;
	struct ike_sock_list socks;
	struct p1_table	 table;
	struct ike_p1_list p1s;
	struct isakmp_msg *rx;		/* decode scratch (about 45 KB) */
	uint64_t	 next_nego;
	uint64_t	 next_serial;
	struct ike_stats stats;
	bool		 stopping;	/* ike_free: start nothing new */
};

/* ike.c */
struct ike *ike_new(struct daemon *, char *err, size_t errlen);
/* The engine's state without sockets (ike_new's first half; tests). */
struct ike *ike_alloc(struct daemon *);
void	ike_free(struct ike *, bool send_deletes);
/* A datagram arrived (net.c): ike_offset bytes of marker stripped. */
void	ike_input(struct ike *, struct ike_sock *, const uint8_t *pkt,
	    size_t len, const struct pfkey_addr *from,
	    const struct pfkey_addr *to);
/* The datagram p1 is about to handle (its socket, source, destination). */
void	p1_note_rx(struct ike_p1 *, struct ike_sock *,
	    const struct pfkey_addr *from, const struct pfkey_addr *to);
/* Phase 1 of the peer is up (or failed): run or fail its wants. */
void	ike_peer_p1_up(struct ike *, struct ike_p1 *);
void	ike_peer_p1_failed(struct ike *, struct peer *, bool initiator,
	    enum oakley_failure);
/* A quick mode the engine initiated for want ended. */
void	ike_want_done(struct ike *, struct peer *, struct ike_want *,
	    bool ok);
/* The responder installed SAs for a policy: a matching want is met. */
void	ike_want_met(struct ike *, struct peer *, size_t policy);
struct ike_peer *ike_peer_state(struct peer *);
struct peer *ike_peer_by_addr(struct ike *, const struct pfkey_addr *);
uint32_t ike_random32(void);
void	ike_random(uint8_t *, size_t);
/* A fresh nonce of IKE_NONCE_LEN bytes: 0 or -1. */
int	ike_nonce(struct ike_buf *);
/* A DH key of group: its descriptor, the key and the public value. */
int	ike_dh_keygen(uint16_t group, const struct oakley_dh_group **,
	    struct oakley_dh_key **, struct ike_buf *pub);
const char *ike_peer_name(const struct peer *);

/* net.c */
int	ike_net_open(struct ike *, char *err, size_t errlen);
void	ike_net_close(struct ike *);
/* The socket to talk to remote from (local may be given), and the
 * local address used: 0 or -1. */
int	ike_net_route(struct ike *, const struct pfkey_addr *remote,
	    const struct pfkey_addr *local_hint, bool natt,
	    struct ike_sock **, struct pfkey_addr *local);
int	ike_net_send(struct ike_sock *, const struct pfkey_addr *from,
	    const struct pfkey_addr *to, const uint8_t *pkt, size_t len,
	    bool marker);
void	ike_addr_from_sockaddr(const void *sa, struct pfkey_addr *);
size_t	ike_addr_to_sockaddr(const struct pfkey_addr *, void *ss);
const char *ike_addr_text(const struct pfkey_addr *, char *buf,
	    size_t len);	/* "192.0.2.1[500]" */

/* phase1.c */
struct ike_p1 *p1_new(struct ike *, struct peer *, bool initiator);
void	p1_free(struct ike_p1 *);
/* Delete: plugins told, SAs of quick modes in flight aborted. */
void	p1_delete(struct ike_p1 *, enum oakley_failure why, bool notify);
int	p1_initiate(struct ike *, struct peer *);
void	p1_input(struct ike *, struct ike_p1 *, struct ike_sock *,
	    const uint8_t *pkt, size_t len, const struct pfkey_addr *from,
	    const struct pfkey_addr *to);
struct ike_p1 *p1_established_for(struct ike *, const struct peer *);
struct ike_p1 *p1_negotiating_for(struct ike *, const struct peer *);
unsigned p1_count_established(struct ike *, const struct peer *);
const char *p1_state_name(enum p1_state);
int	p1_hash_data(const struct ike_p1 *, const uint8_t *data, size_t len,
	    uint8_t *out, size_t outlen);
void	p1_established(struct ike_p1 *);
/* Pick the initiator's socket and local address: 0 or -1 (none). */
int	p1_route(struct ike_p1 *);
/*
 * Move to the NAT-T ports: an initiator to our NAT-T socket and the
 * peer's 4500; a responder to where the message being handled came from
 * and arrived, when that was our NAT-T socket.
 */
int	p1_float(struct ike_p1 *);
/* Send to another port of the same host from now on (a NAT mapping
 * changed): 0, or -1 for another host or family. */
int	p1_set_remote(struct ike_p1 *, const struct pfkey_addr *);
void	p1_arm_life(struct ike_p1 *);

/* phase1_auth.c */
int	p1_auth_id(struct ike_p1 *, uint8_t *body, size_t *len);
int	p1_auth_check_id(struct ike_p1 *, const struct isakmp_id *);
int	p1_auth_make(struct ike_p1 *, struct isakmp_builder *);
int	p1_auth_verify(struct ike_p1 *, const struct isakmp_msg *);
int	p1_auth_skeyid(struct ike_p1 *);
int	p1_auth_hash(struct ike_p1 *, bool of_initiator, uint8_t *out);

/* phase1_cert.c: RSA signatures and X.509 certificates */
int	p1_cert_subject_id(struct ike_p1 *, uint8_t *body, size_t *len);
int	p1_cert_check_dn(struct ike_p1 *, const struct isakmp_id *);
int	p1_cert_request(struct ike_p1 *, struct isakmp_builder *);
int	p1_cert_sign(struct ike_p1 *, struct isakmp_builder *,
	    const uint8_t *hash);
int	p1_cert_verify(struct ike_p1 *, const struct isakmp_msg *,
	    const uint8_t *hash);

/* phase2.c */
int	p2_initiate(struct ike_p1 *, struct ike_want *);
void	p2_input(struct ike_p1 *, const uint8_t *pkt, size_t len);
void	p2_free(struct ike_p2 *);
/* Fail a quick mode: its larval SAs go, plugins are told. */
void	p2_fail(struct ike_p2 *, enum oakley_failure);
const char *p2_state_name(enum p2_state);

/* install.c */
int	p2_getspi(struct ike_p2 *);
int	p2_install(struct ike_p2 *);
void	ike_pairs_remove_spi(struct ike *, struct peer *, uint32_t spi_out);
void	ike_pair_forget_sa(struct ike *, const struct sa *);
struct ike_pair *ike_pair_by_spi(struct peer *, uint32_t spi);
void	ike_pairs_free(struct ike_peer *);
/* An SA reached its hard lifetime: DELETE to the peer, pair forgotten. */
void	ike_sa_expired(struct ike *, const struct sa *, int reason);
/*
 * The peer's NAT mapping changed: each installed SA of the peer goes
 * through the sa_install hooks again (same SPI, the NAT-T data it had)
 * and, if its NAT-T data changed, is updated in the kernel in place
 * (sa_update: UPDATE of the mature SA, keys and lifetimes kept).  0, or
 * -1 if any SA failed.
 */
int	ike_pairs_refresh(struct ike *, struct peer *);

/* info.c */
void	info_input(struct ike_p1 *, const uint8_t *pkt, size_t len);
int	info_send_notify(struct ike_p1 *, uint16_t type, uint8_t proto,
	    const uint8_t *spi, size_t spi_size, const uint8_t *data,
	    size_t data_len);
int	info_send_delete(struct ike_p1 *, uint8_t proto,
	    const uint8_t *spis, size_t spi_size, unsigned count);
/* An unprotected notify (before the keys exist). */
void	info_send_clear_notify(struct ike *, struct ike_sock *,
	    const struct pfkey_addr *from, const struct pfkey_addr *to,
	    const uint8_t *icookie, const uint8_t *rcookie, uint16_t type);
void	info_dpd_start(struct ike_p1 *);
void	info_dpd_stop(struct ike_p1 *);
void	info_initial_contact(struct ike_p1 *);

/* msg.c */
/* 32-bit big-endian, as SPIs, message IDs and DPD sequences travel. */
void	ike_put32(uint8_t *, uint32_t);
uint32_t ike_get32(const uint8_t *);
int	ike_builder_start(struct isakmp_builder *, const struct ike_p1 *,
	    uint8_t exchange, uint32_t msgid, bool encrypted);
int	ike_msg_seal(struct isakmp_builder *, const struct ike_p1 *,
	    uint8_t *iv, bool encrypt, uint8_t **pkt, size_t *len);
/*
 * The plaintext of an encrypted message, len bytes with its header, in
 * *plain (free it with ike_buf_free: it holds nonces and hashes).
 */
int	ike_msg_open(const struct ike_p1 *, const uint8_t *pkt, size_t len,
	    uint8_t *iv, struct ike_buf *plain);
int	ike_msg_decode(struct ike *, const uint8_t *buf, size_t len,
	    bool decrypted, struct isakmp_msg **);
/* Plugin payloads and hooks; -1: reject the message. */
int	ike_msg_parsed(struct oakley_msg *);
int	ike_msg_build(struct oakley_msg *);
void	ike_msg_init(struct oakley_msg *, struct ike_p1 *, struct ike_p2 *,
	    unsigned exchange, unsigned number, bool inbound);
bool	ike_msg_duplicate(const struct ike_xmit *, const uint8_t *pkt,
	    size_t len);
int	ike_msg_remember_rx(struct ike_xmit *, const uint8_t *pkt,
	    size_t len);
/* Was msgid seen in the window?  If not it is now (the oldest goes). */
bool	ike_msgid_replayed(struct ike_msgids *, uint32_t msgid);

/* xmit.c */
void	xmit_init_p1(struct ike_p1 *);
void	xmit_init_p2(struct ike_p2 *);
/* Send pkt (taken over) and expect an answer (retransmit) or not. */
int	xmit_send(struct ike_p1 *, struct ike_p2 *, struct ike_xmit *,
	    uint8_t *pkt, size_t len, bool expect_answer);
/*
 * Is pkt a copy of the last message received?  Then it is counted and,
 * if our last message answered it, that is sent again; a copy of a
 * message we did not answer (the last of an exchange: MM6 for the
 * initiator, QM3 for the responder) is ignored, or two peers that both
 * answer duplicates would bounce the pair between them for good.
 */
bool	xmit_duplicate(struct ike_p1 *, struct ike_xmit *, const uint8_t *pkt,
	    size_t len);
/* An answer came: stop the timer. */
void	xmit_answered(struct ike *, struct ike_xmit *);
void	xmit_free(struct ike *, struct ike_xmit *);
/* The wait before retransmission number n+1 (n >= 1 sent so far). */
uint32_t xmit_backoff_ms(uint32_t first_ms, unsigned sent);

/* proposal.c */
int	ike_profile_build(struct ike_p1 *,
	    struct oakley_profile *, char *err, size_t errlen);
/* "profile auto": apply the profile the phase 1 (or its peer) now names. */
int	ike_profile_refresh(struct ike_p1 *);
/* Storage for the specs of one SA payload. */
struct ike_sa_store {
	struct isakmp_attr_spec attrs[OAKLEY_PROFILE_PROPOSALS][12];
	struct isakmp_transform_spec xforms[OAKLEY_PROFILE_PROPOSALS];
	struct isakmp_proposal_spec prop;
	struct isakmp_sa_spec sa;
	uint8_t		spi[4];
};
int	ike_p1_sa_spec(const struct oakley_profile *, uint16_t auth,
	    struct ike_sa_store *);
int	ike_p1_choose(const struct oakley_profile *, uint16_t auth,
	    const struct isakmp_sa *, struct ike_p1_alg *,
	    const struct isakmp_proposal **, const struct isakmp_transform **);
/* Check the responder's answer against our offer: 0 or a notify. */
int	ike_p1_accept(const struct oakley_profile *, uint16_t auth,
	    const struct isakmp_sa *, struct ike_p1_alg *);
/* Phase 2: transforms with the first proposal's PFS group. */
int	ike_p2_sa_spec(const struct oakley_profile *, uint32_t spi,
	    uint16_t encap, struct ike_sa_store *, uint16_t *group);
typedef int ike_encap_fn(void *arg, uint16_t *attr);
struct ike_p2_choice {
	const struct isakmp_proposal *prop;
	const struct isakmp_transform *xf;
	struct ike_p2_alg alg;		/* the peer's values */
	uint64_t	our_life_s, our_life_kb;	/* our matching proposal */
};
int	ike_p2_choose(const struct oakley_profile *, const struct isakmp_sa *,
	    uint8_t mode, ike_encap_fn *, void *arg, struct ike_p2_choice *);
/* The responder's answer; the choice's alg has the final lifetimes. */
int	ike_p2_accept(const struct oakley_profile *, const struct isakmp_sa *,
	    uint32_t our_spi, uint8_t mode, ike_encap_fn *, void *arg,
	    struct ike_p2_choice *);
/*
 * The lifetimes a quick mode installs, into alg: the shorter of ours and
 * the peer's; *secs, *kb: ours is the shorter (RESPONDER-LIFETIME).
 */
void	ike_p2_lifetimes(const struct ike_p2_choice *, struct ike_p2_alg *,
	    bool *secs, bool *kb);
/*
 * The responder's SA payload: the peer's proposal number and protocol,
 * the given SPI (none in phase 1, ours in quick mode) and the one chosen
 * transform as the peer sent it.
 */
int	ike_add_chosen_sa(struct isakmp_builder *,
	    const struct isakmp_proposal *, const struct isakmp_transform *,
	    const uint8_t *spi, size_t spi_size);
/* Lifetimes from a transform: 0, or -1 (malformed). */
int	ike_xf_lifetimes(const struct isakmp_transform *, bool p1,
	    uint64_t *seconds, uint64_t *kbytes);
/* The final lifetime and whether ours is the shorter (RESPONDER-LIFETIME). */
bool	ike_life_merge(uint64_t ours, uint64_t theirs, uint64_t *final);
/* "DH group 14 (modp2048) is provided by plugin dh2048, which is not
 * loaded" and the like. */
void	ike_group_missing(uint16_t group, char *buf, size_t len);

/* ids.c */
int	ike_id_from_selector(const struct pfkey_addr *sel, uint8_t proto,
	    uint8_t *body, size_t *len);
int	ike_id_to_selector(const struct isakmp_id *, struct pfkey_addr *sel,
	    uint8_t *proto);
int	ike_id_from_addr(const struct pfkey_addr *, uint8_t *body,
	    size_t *len);
bool	ike_selector_equal(const struct pfkey_addr *a, uint8_t pa,
	    const struct pfkey_addr *b, uint8_t pb);
void	ike_id_text(const struct isakmp_id *, char *buf, size_t len);

#endif /* OAKLEY_IKE_IKE_H */
