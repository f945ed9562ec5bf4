/*
 * pfkeyemud: an emulated PF_KEY v2 kernel in user space.
 *
 * Each connection to its AF_UNIX SOCK_SEQPACKET socket behaves like one
 * PF_KEY socket of a FreeBSD kernel (FreeBSD dialect on the wire); a
 * second, line-based socket takes traffic commands that stand in for
 * packets hitting the SPD.  This header is shared by the daemon's
 * modules; each section names the file that implements it.
 *
 * All emulator time is virtual: emu_now() is the wall clock plus an
 * offset that the traffic command "advance N" increases.
 */
#ifndef OAKLEY_EMU_H
#define OAKLEY_EMU_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "pfkey.h"

struct event_base;
struct emu_client;

/* Kernel tunables, with FreeBSD's defaults (key.c). */
#define EMU_LARVAL_LIFETIME	30	/* s before an un-UPDATEd larval SA goes */
#define EMU_BLOCKACQ_LIFETIME	20	/* s an ACQUIRE blocks its repeats */
#define EMU_SPI_MIN		0x100
#define EMU_SPI_MAX		0x0fffffff
#define EMU_SPI_TRIES		1000	/* random SPI draws before EEXIST */
#define EMU_MAX_SA		65536	/* ENOBUFS beyond */
#define EMU_MAX_POLICIES	65536
#define EMU_MAX_ACQUIRES	4096
#define EMU_REQID_AUTO_MIN	(PFKEY_REQID_MAX + 1)
#define EMU_REQID_AUTO_MAX	0xffff	/* FreeBSD's wire reqid is 16 bits */
#define EMU_ADVANCE_MAX		(10ULL * 366 * 86400)	/* one advance */

/* Protocol numbers of the IPsec requests (netinet/in.h values). */
#define EMU_IPPROTO_ESP		50
#define EMU_IPPROTO_AH		51
#define EMU_IPPROTO_IPCOMP	108

/* clock.c: the virtual clock and the emulator's random numbers. */
time_t		emu_now(void);
int		emu_clock_advance(uint64_t secs);
void		emu_random_init(void);
uint32_t	emu_random(void);

/* main.c: run every expiry check now (timer tick, advance, traffic). */
void		emu_expire_all(void);

/* addr.c: address helpers over struct pfkey_addr. */
bool		emu_addr_same_host(const struct pfkey_addr *,
		    const struct pfkey_addr *);
bool		emu_addr_in_prefix(const struct pfkey_addr *selector,
		    const struct pfkey_addr *host);
bool		emu_selector_equal(const struct pfkey_addr *,
		    const struct pfkey_addr *);
void		emu_addr_host(struct pfkey_addr *out,
		    const struct pfkey_addr *in, uint16_t port);
int		emu_addr_parse(struct pfkey_addr *, const char *text);
const char	*emu_addr_str(const struct pfkey_addr *, char *, size_t);
uint8_t		emu_proto_to_satype(unsigned proto);

/* server.c: the PF_KEY socket, its clients and message delivery. */
enum emu_dest {
	EMU_TO_SENDER,		/* the requesting socket only */
	EMU_TO_ALL,		/* every socket */
	EMU_TO_REGISTERED	/* sockets registered for the satype (0: any);
				   the requesting socket, if any, too */
};
int		server_open(struct event_base *, int listen_fd);
void		server_close(void);
void		server_send(struct emu_client *from, const struct pfkey_msg *,
		    enum emu_dest, uint8_t satype);
void		server_send_raw(struct emu_client *to, const uint8_t *,
		    size_t);
void		server_deliver_all(const uint8_t *, size_t);
void		server_promisc_copy(const uint8_t *, size_t);
int		server_register(struct emu_client *, uint8_t satype);
int		server_set_promisc(struct emu_client *, unsigned on);
unsigned	server_client_count(void);
unsigned	server_registered_count(void);
unsigned	server_client_id(const struct emu_client *);

/* dispatch.c: one received PF_KEY message to its handler. */
void		dispatch_message(struct emu_client *, const uint8_t *,
		    size_t len, bool truncated);

/* sadb.c: the SA table. */
struct emu_sa {
	TAILQ_ENTRY(emu_sa) entry;
	uint64_t	serial;		/* creation order: lower is older */
	uint8_t		satype;
	uint32_t	exts;		/* 1u << PFKEY_EXT_* of optional parts */
	struct pfkey_sa	sa;		/* spi, replay, state, algs, flags */
	struct pfkey_addr src, dst;	/* hosts; NAT-T ports in .port */
	struct pfkey_sa2 sa2;		/* mode and reqid */
	struct pfkey_key key_auth, key_encrypt;
	struct pfkey_lifetime hard, soft;
	struct pfkey_ident ident_src, ident_dst;
	uint8_t		natt_type;
	uint16_t	natt_sport, natt_dport;
	struct pfkey_addr natt_oai, natt_oar;
	uint16_t	natt_frag;
	uint32_t	sa_replay;
	/* The current lifetime. */
	uint32_t	allocations;	/* packets */
	uint64_t	bytes;
	time_t		created;	/* virtual wall clock */
	time_t		firstused;	/* 0: never used */
	/* From the request that created it. */
	uint32_t	seq, pid;
};

void		sadb_set_larval_lifetime(unsigned seconds);
struct emu_sa	*sadb_first(void);
struct emu_sa	*sadb_next(const struct emu_sa *);
struct emu_sa	*sadb_find(uint8_t satype, uint32_t spi,
		    const struct pfkey_addr *dst);
struct emu_sa	*sadb_find_inbound(uint32_t spi, uint8_t satype,
		    const struct pfkey_addr *dst);
struct emu_sa	*sadb_find_outbound(uint8_t satype,
		    const struct pfkey_addr *src, const struct pfkey_addr *dst,
		    uint8_t mode, uint32_t reqid);
int		sadb_insert(const struct emu_sa *, struct emu_sa **);
void		sadb_remove(struct emu_sa *);
int		sadb_new_spi(uint8_t satype, const struct pfkey_addr *dst,
		    uint32_t min, uint32_t max, uint32_t *spi);
unsigned	sadb_delete_hosts(uint8_t satype, const struct pfkey_addr *src,
		    const struct pfkey_addr *dst);
void		sadb_flush(uint8_t satype);
unsigned	sadb_count(uint8_t satype);
unsigned	sadb_count_larval(void);
void		sadb_use(struct emu_sa *, uint64_t bytes);
void		sadb_expire_run(void);
void		sadb_clear(void);

/* sadb_fill.c: an ADD/UPDATE request into an SA, with all its checks;
 * an UPDATE of a mature SA (NAT-T and lifetimes only). */
int		sadb_fill(struct emu_sa *, const struct pfkey_msg *);
int		sadb_refill(struct emu_sa *, const struct pfkey_msg *);

/* sadb_msg.c: the SADB messages. */
int		sadb_msg_getspi(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_update(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_add(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_delete(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_get(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_flush(struct emu_client *, const struct pfkey_msg *);
int		sadb_msg_dump(struct emu_client *, const struct pfkey_msg *);
void		sadb_export(const struct emu_sa *, struct pfkey_msg *);
void		sadb_send_expire(const struct emu_sa *, bool hard);

/* algs.c: the algorithms this "kernel" supports. */
void		algs_supported(struct pfkey_msg *);
int		algs_check(uint8_t satype, const struct pfkey_sa *,
		    const struct pfkey_msg *);

/* register.c: REGISTER and X_PROMISC. */
int		register_msg(struct emu_client *, const struct pfkey_msg *);
int		promisc_msg(struct emu_client *, const struct pfkey_msg *);

/* spd.c: the security policy database. */
struct emu_policy {
	TAILQ_ENTRY(emu_policy) entry;
	uint32_t	id;
	struct pfkey_addr src, dst;	/* selector: prefix, port, ulproto */
	struct pfkey_policy pol;	/* type, dir, requests */
	uint64_t	lifetime;	/* s after creation; 0: none */
	uint64_t	validtime;	/* s after last use; 0: none */
	time_t		created, lastused;
	uint32_t	pid;
};

struct emu_policy *spd_first(void);
struct emu_policy *spd_next(const struct emu_policy *);
struct emu_policy *spd_find(const struct pfkey_addr *src,
		    const struct pfkey_addr *dst, uint8_t dir);
struct emu_policy *spd_find_id(uint32_t id);
struct emu_policy *spd_lookup(uint8_t dir, const struct pfkey_addr *src,
		    const struct pfkey_addr *dst, uint8_t proto);
int		spd_insert(const struct emu_policy *, struct emu_policy **);
void		spd_remove(struct emu_policy *);
void		spd_flush(void);
unsigned	spd_count(void);
uint32_t	spd_new_reqid(void);
void		spd_expire_run(void);

/* spd_msg.c: the X_SPD* messages. */
int		spd_msg_add(struct emu_client *, const struct pfkey_msg *);
int		spd_msg_delete(struct emu_client *, const struct pfkey_msg *);
int		spd_msg_delete2(struct emu_client *, const struct pfkey_msg *);
int		spd_msg_get(struct emu_client *, const struct pfkey_msg *);
int		spd_msg_dump(struct emu_client *, const struct pfkey_msg *);
int		spd_msg_flush(struct emu_client *, const struct pfkey_msg *);
void		spd_export(const struct emu_policy *, struct pfkey_msg *);
void		spd_send_expire(const struct emu_policy *);

/* acquire.c: ACQUIRE to the key managers and the pending list. */
struct emu_flow {
	struct pfkey_addr src, dst;	/* hosts, ports, proto */
	uint8_t		proto;
	uint64_t	length;
};
int		acquire_start(const struct emu_policy *, unsigned req,
		    const struct pfkey_addr *sa_src,
		    const struct pfkey_addr *sa_dst,
		    const struct emu_flow *, uint32_t *seq);
void		acquire_failed(uint32_t seq);
void		acquire_sa_added(uint8_t satype, const struct pfkey_addr *src,
		    const struct pfkey_addr *dst);
int		acquire_msg(struct emu_client *, const struct pfkey_msg *);
void		acquire_expire_run(void);
unsigned	acquire_count(void);
void		acquire_clear(void);

/* traffic.c: the traffic-command socket. */
int		traffic_open(struct event_base *, int listen_fd);
void		traffic_close(void);

/* dataplane.c: what the traffic commands do. */
void		dataplane_command(char *line, char *answer, size_t);

#endif /* OAKLEY_EMU_H */
