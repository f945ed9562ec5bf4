/*
 * A fake IKE engine for the natt plugin's unit tests: the opaque objects
 * (peer, phase 1, phase 2, message) as plain structures the tests fill,
 * the accessor table, and a two-ended "network" so one plugin instance
 * can play both the initiator's and the responder's side of one
 * exchange, with or without a NAT in front of either.
 *
 * The plugin is plugins/natt/natt.so, loaded through the real plugin
 * host (found from atf's "srcdir"); its timers run on a fake clock.
 */
#ifndef NATT_FAKE_H
#define NATT_FAKE_H

#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "plugin.h"
#include "timer.h"

#define FAKE_PAYLOADS	8
#define FAKE_BODY	64
#define FAKE_NATT_PORT	4500

struct oakley_peer {
	const char		*name;
	struct oakley_flags	*flags;
	int			 refreshes;	/* peer_sas_refresh calls */
};

struct oakley_phase1 {
	struct oakley_peer	*peer;
	bool			 initiator;
	uint8_t			 icookie[8], rcookie[8];
	struct oakley_addr	 local, remote;
	const EVP_MD		*md;		/* the "negotiated" hash */
	struct oakley_flags	*flags;
	int			 floats;	/* phase1_float calls */
	int			 set_remotes;	/* phase1_set_remote calls */
	int			 sends;		/* phase1_send_raw calls */
	uint8_t			 sent[16];	/* the last one */
	size_t			 sent_len;
};

struct oakley_phase2 {
	struct oakley_phase1	*p1;
	bool			 initiator;
	int			 mode;		/* OAKLEY_MODE_* */
	struct oakley_flags	*flags;
};

struct fake_payload {
	uint8_t		type;
	uint8_t		body[FAKE_BODY];
	size_t		len;
};

struct oakley_msg {
	struct oakley_phase1	*p1;
	struct oakley_phase2	*p2;
	unsigned		 exchange, number;
	bool			 inbound;
	struct oakley_addr	 src, dst;	/* as it travels */
	struct fake_payload	 added[FAKE_PAYLOADS];
	size_t			 nadded;
};

/* Both ends of one exchange, and how the network between them maps. */
struct fake_net {
	struct oakley_peer	ipeer, rpeer;	/* each end's peer: the other */
	struct oakley_phase1	i1, r1;
	struct oakley_phase2	i2, r2;
	bool			i_nat, r_nat;	/* who is behind a NAT */
	uint16_t		i_nat_float_port; /* the mapping of 4500 */
};

extern const struct oakley_engine fake_engine;
extern uint64_t fake_now;			/* the timers' clock, ms */
extern struct timers *fake_timers;

/*
 * Start the host and load natt.so with the configuration text conf (a
 * whole oakleyd.conf; NULL: "plugin natt;").  Logs go to fake.log.
 */
void	fake_setup(const atf_tc_t *, const char *conf);
int	fake_setup_err(const atf_tc_t *, const char *conf, char *err,
	    size_t errlen);		/* 0, or -1 with the load error */
void	fake_teardown(void);

void	fake_addr(struct oakley_addr *, const char *ip, uint16_t port);

/*
 * The two ends: initiator 192.0.2.2 (public 198.51.100.1 with a NAT),
 * responder 203.0.113.2 (private 192.0.2.130 behind a port-forwarding
 * NAT at 203.0.113.2 when r_nat).  Cookies fixed, hash md.
 */
void	fake_net_init(struct fake_net *, bool i_nat, bool r_nat,
	    const EVP_MD *md);
void	fake_net_free(struct fake_net *);
/* The initiator's NAT maps its port 500 and (first) 4500 to these. */
#define FAKE_NAT_PORT		31001
#define FAKE_NAT_PORT_FLOAT	31002

/* A message of p1 (and p2), going out or coming in, over its addresses. */
void	fake_msg(struct oakley_msg *, struct oakley_phase1 *,
	    struct oakley_phase2 *, unsigned exch, unsigned num, bool inbound);
/*
 * Carry message number num of exchange exch from one end to the other
 * through the network: built at one end (msg_build), sent from the ports
 * its phase 1 has then, its payloads parsed at the other (payload
 * handlers, msg_parsed: fake_deliver).  Returns msg_build's result, or
 * the first parse failure; *out (if not NULL) gets the message as sent.
 */
int	fake_send(struct fake_net *, bool from_initiator, unsigned exch,
	    unsigned num, struct oakley_msg *out);
int	fake_build(struct fake_net *, bool from_initiator, unsigned exch,
	    unsigned num, struct oakley_msg *out);	/* the first half */
int	fake_deliver(struct fake_net *, bool from_initiator,
	    const struct oakley_msg *sent);
/* Main mode: vendor IDs of messages 1 and 2 both ways. */
void	fake_mm_vids(struct fake_net *);
/* Messages 3 to 6 (NAT-D, float), then established: 0 or the failed one. */
int	fake_mm_rest(struct fake_net *);
int	fake_main_mode(struct fake_net *);	/* both */

int64_t	fake_flag_int(struct oakley_flags *, const char *key);	/* -1 unset */
const char *fake_flag_str(struct oakley_flags *, const char *key);

/* The log so far (fake.log), NUL-terminated, in a static buffer. */
const char *fake_log(void);

#endif /* NATT_FAKE_H */
