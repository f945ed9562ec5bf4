/*
 * Unit tests for what the daemon keeps behind the control socket:
 * policies from the configuration (daemon/policy.c), the ACQUIRE match,
 * the peer list across reloads (daemon/peer.c) and the negotiation
 * entry point's bookkeeping (daemon/negotiate.c), and the PF_KEY
 * session's reconnect (daemon/kernel.c) against a scripted fake kernel.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <event2/event.h>

#include "conf.h"
#include "kernel.h"
#include "negotiate.h"
#include "peer.h"
#include "policy.h"
#include "sa.h"
#include "timer.h"

static struct config *
parse(const char *text)
{
	struct config *cfg;
	char err[256];

	cfg = conf_parse_string(text, "t.conf", err, sizeof(err));
	ATF_REQUIRE_MSG(cfg != NULL, "%s", err);
	return cfg;
}

static void
addr(struct pfkey_addr *a, const char *text)
{
	ATF_REQUIRE_EQ(pfkey_addr_parse(a, text), 0);
}

static const char east[] =
	"peer east {\n"
	"	address 203.0.113.2;\n"
	"	local-address 192.0.2.1;\n"
	"	auth psk \"x\";\n"
	"	policy local 192.0.2.1 port 1701 remote 203.0.113.2 proto udp;\n"
	"	policy local 10.1.0.0/16 remote 10.2.0.0/16 tunnel use reqid 9;\n"
	"}\n";

ATF_TC_WITHOUT_HEAD(policy_directions);
ATF_TC_BODY(policy_directions, tc)
{
	struct config *cfg = parse(east);
	struct kernel_policy *set;
	struct pfkey_addr a;
	size_t n;

	ATF_REQUIRE_EQ(policy_build(cfg, &set, &n), 0);
	ATF_REQUIRE_EQ(n, 4);
	/* transport, outbound then inbound */
	ATF_CHECK_EQ(set[0].dir, PFKEY_DIR_OUTBOUND);
	addr(&a, "192.0.2.1");
	ATF_CHECK_EQ(memcmp(set[0].src.addr, a.addr, 4), 0);
	ATF_CHECK_EQ(set[0].src.port, 1701);
	ATF_CHECK_EQ(set[0].dst.port, 0);
	ATF_CHECK_EQ(set[0].ulproto, IPPROTO_UDP);
	ATF_CHECK_EQ(set[0].ipsec_proto, IPPROTO_ESP);
	ATF_CHECK_EQ(set[0].mode, PFKEY_MODE_TRANSPORT);
	ATF_CHECK_EQ(set[0].level, PFKEY_LEVEL_REQUIRE);
	ATF_CHECK_EQ(set[0].reqid, 0);
	ATF_CHECK_EQ(set[1].dir, PFKEY_DIR_INBOUND);
	ATF_CHECK_EQ(set[1].dst.port, 1701);
	ATF_CHECK_EQ(memcmp(set[1].dst.addr, a.addr, 4), 0);
	/* tunnel with reqid: unique, endpoints swapped inbound */
	ATF_CHECK_EQ(set[2].mode, PFKEY_MODE_TUNNEL);
	ATF_CHECK_EQ(set[2].level, PFKEY_LEVEL_UNIQUE);
	ATF_CHECK_EQ(set[2].reqid, 9);
	ATF_CHECK_EQ(set[2].src.prefixlen, 16);
	ATF_CHECK_EQ(memcmp(set[2].tunnel_src.addr, a.addr, 4), 0);
	ATF_CHECK_EQ(memcmp(set[3].tunnel_dst.addr, a.addr, 4), 0);
	addr(&a, "203.0.113.2");
	ATF_CHECK_EQ(memcmp(set[2].tunnel_dst.addr, a.addr, 4), 0);
	ATF_CHECK_EQ(memcmp(set[3].tunnel_src.addr, a.addr, 4), 0);
	free(set);
	conf_free(cfg);
}

ATF_TC_WITHOUT_HEAD(policy_checks);
ATF_TC_BODY(policy_checks, tc)
{
	struct config *cfg;
	char err[256];

	cfg = parse(east);
	ATF_CHECK_EQ(policy_check_config(cfg, err, sizeof(err)), 0);
	conf_free(cfg);
	cfg = parse("peer a {\n"
	    "	address 192.0.2.7;\n"
	    "	auth psk \"x\";\n"
	    "	policy local 10.0.0.0/8 remote 10.9.0.0/16;\n"
	    "}\n"
	    "peer b {\n"
	    "	address 192.0.2.8;\n"
	    "	auth psk \"x\";\n"
	    "	policy local 10.0.0.0/8 remote 10.9.0.0/16 proto any use;\n"
	    "}\n");
	ATF_CHECK_EQ(policy_check_config(cfg, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:9:9: peer 'b': the same selectors as "
	    "the policy at t.conf:4:9");
	conf_free(cfg);
}

static struct pfkey_msg
acquire(const char *src, const char *dst, uint8_t proto, uint16_t sport,
    uint16_t dport, uint32_t reqid)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, PFKEY_ACQUIRE, PFKEY_SATYPE_ESP, 5, 0);
	addr(&m.addr_src, src);
	addr(&m.addr_dst, dst);
	m.addr_src.proto = m.addr_dst.proto = proto;
	m.addr_src.port = sport;
	m.addr_dst.port = dport;
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	if (reqid != 0) {
		m.sa2.reqid = reqid;
		PFKEY_SET(&m, PFKEY_EXT_X_SA2);
	}
	return m;
}

/* As east, with tunnel endpoints apart from the transport's hosts. */
static const char east_gw[] =
	"peer east {\n"
	"	address 203.0.113.2;\n"
	"	local-address 192.0.2.1;\n"
	"	auth psk \"x\";\n"
	"	policy local 192.0.2.1 port 1701 remote 203.0.113.2 proto udp;\n"
	"	policy local 10.1.0.0/16 remote 10.2.0.0/16 tunnel use reqid 9\n"
	"	    endpoints 192.0.2.100 203.0.113.100;\n"
	"}\n";

ATF_TC_WITHOUT_HEAD(acquire_match);
ATF_TC_BODY(acquire_match, tc)
{
	struct config *cfg = parse(east_gw);
	const struct conf_peer *p = &cfg->peers[0];
	struct pfkey_msg m;

	/* transport: the packet's addresses, protocol and ports */
	m = acquire("192.0.2.1", "203.0.113.2", IPPROTO_UDP, 1701, 1701, 0);
	ATF_CHECK(policy_matches_acquire(p, &m));
	m = acquire("192.0.2.1", "203.0.113.2", IPPROTO_UDP, 1702, 1701, 0);
	ATF_CHECK(!policy_matches_acquire(p, &m));
	m = acquire("192.0.2.1", "203.0.113.2", IPPROTO_TCP, 1701, 1701, 0);
	ATF_CHECK(!policy_matches_acquire(p, &m));
	ATF_CHECK(policy_acquire_to_peer(p, &m));
	/* tunnel: the endpoints */
	m = acquire("192.0.2.100", "203.0.113.100", 0, 0, 0, 0);
	ATF_CHECK(policy_matches_acquire(p, &m));
	ATF_CHECK(!policy_acquire_to_peer(p, &m));
	m = acquire("192.0.2.9", "203.0.113.100", 0, 0, 0, 0);
	ATF_CHECK(!policy_matches_acquire(p, &m));
	/* by reqid, whatever the addresses */
	m = acquire("198.51.100.1", "198.51.100.2", 0, 0, 0, 9);
	ATF_CHECK(policy_matches_acquire(p, &m));
	ATF_CHECK(!policy_acquire_to_peer(p, &m));
	m = acquire("198.51.100.1", "198.51.100.2", 0, 0, 0, 8);
	ATF_CHECK(!policy_matches_acquire(p, &m));
	conf_free(cfg);
}

/* ---- peers across a reload ---- */

static uint64_t
test_clock(void *arg)
{
	(void)arg;
	return 0;
}

static int
stub_install(void *arg, const struct sa *sa, const void *keys)
{
	(void)arg;
	(void)sa;
	(void)keys;
	return 0;
}

static int ndeleted;

static int
stub_delete(void *arg, const struct sa *sa, enum sa_reason reason)
{
	(void)arg;
	(void)sa;
	ATF_CHECK_EQ(reason, SA_REASON_PEER);
	ndeleted++;
	return 0;
}

static const struct sa_ops stub_ops = { stub_install, stub_delete, NULL, NULL };

static const char before[] =
	"peer a { address 192.0.2.1; auth psk \"x\"; }\n"
	"peer b { address 192.0.2.2; auth psk \"x\"; }\n"
	"peer c { address 192.0.2.3; auth psk \"x\"; }\n";
/* a unchanged, b changed, c removed, d new; new order d, b, a */
static const char after[] =
	"peer d { address 192.0.2.4; auth psk \"x\"; }\n"
	"peer b { address 192.0.2.2; auth psk \"changed\"; }\n"
	"peer a { address 192.0.2.1; auth psk \"x\"; }\n";

static void
sa_for(struct sa_mgr *mgr, struct peer *p, uint32_t spi)
{
	struct sa_params sp;
	struct sa *sa;

	memset(&sp, 0, sizeof(sp));
	sp.dir = SA_DIR_OUT;
	sp.satype = PFKEY_SATYPE_ESP;
	sp.spi = spi;
	addr(&sp.src, "198.51.100.1");
	sp.dst = p->conf->address;
	sp.peer = p;
	ATF_REQUIRE_EQ(sa_add(mgr, 0, &sp, "keys", &sa), 0);
}

ATF_TC_WITHOUT_HEAD(peers_reload);
ATF_TC_BODY(peers_reload, tc)
{
	struct config *c1 = parse(before), *c2 = parse(after);
	struct peer_list list = TAILQ_HEAD_INITIALIZER(list);
	struct timers *timers = timers_new(test_clock, NULL);
	struct sa_config sc;
	struct sa_mgr *mgr;
	struct peer *a, *b, *p;
	const char *order[3];
	size_t i = 0;

	sa_config_defaults(&sc);
	sc.ops = &stub_ops;
	ATF_REQUIRE_EQ(sa_mgr_new(&sc, timers, &mgr), 0);
	ATF_REQUIRE_EQ(peers_sync(&list, c1, mgr), 0);
	a = peer_find(&list, "a");
	b = peer_find(&list, "b");
	a->acquires = 4;
	sa_for(mgr, a, 0x10);
	sa_for(mgr, b, 0x20);
	sa_for(mgr, peer_find(&list, "c"), 0x30);
	ATF_REQUIRE_EQ(sa_count(mgr), 3);

	ATF_REQUIRE_EQ(peers_sync(&list, c2, mgr), 0);
	conf_free(c1);
	TAILQ_FOREACH(p, &list, link)
		order[i++] = p->conf->name;
	ATF_REQUIRE_EQ(i, 3);
	ATF_CHECK_STREQ(order[0], "d");
	ATF_CHECK_STREQ(order[1], "b");
	ATF_CHECK_STREQ(order[2], "a");
	/* a kept its object, its state and its SA; b and c lost theirs */
	ATF_CHECK(peer_find(&list, "a") == a);
	ATF_CHECK(peer_find(&list, "a")->conf == &c2->peers[2]);
	ATF_CHECK_EQ(a->acquires, 4);
	ATF_CHECK_EQ(peer_sa_count(a, mgr), 1);
	ATF_CHECK_EQ(sa_count(mgr), 1);
	ATF_CHECK_EQ(ndeleted, 2);
	ATF_CHECK_EQ(peer_find(&list, "b")->acquires, 0);

	sa_mgr_free(mgr, false);
	peers_free(&list);
	timers_free(timers);
	conf_free(c2);
}

ATF_TC_WITHOUT_HEAD(negotiate_bookkeeping);
ATF_TC_BODY(negotiate_bookkeeping, tc)
{
	struct config *cfg = parse(east);
	struct peer_list list = TAILQ_HEAD_INITIALIZER(list);
	const struct ike_request *r;
	struct pfkey_msg m;
	struct peer *p;

	ATF_REQUIRE_EQ(peers_sync(&list, cfg, NULL), 0);
	p = TAILQ_FIRST(&list);
	ATF_CHECK(ike_pending(p) == NULL);

	m = acquire("192.0.2.1", "203.0.113.2", IPPROTO_UDP, 1701, 1701, 9);
	m.seq = 17;
	ATF_CHECK_EQ(ike_acquire(p, &m), 0);
	ATF_REQUIRE((r = ike_pending(p)) != NULL);
	ATF_CHECK_EQ(r->trigger, IKE_TRIGGER_ACQUIRE);
	ATF_CHECK_EQ(r->seq, 17);
	ATF_CHECK_EQ(r->reqid, 9);
	ATF_CHECK_EQ(r->satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(p->acquires, 1);
	ATF_CHECK_EQ(p->last_acquire_seq, 17);
	ATF_CHECK_STREQ(peer_state_name(p->state), "negotiating");

	/* A second ACQUIRE joins and carries the newer seq. */
	m.seq = 18;
	ATF_CHECK_EQ(ike_acquire(p, &m), 0);
	ATF_CHECK_EQ(ike_pending(p)->seq, 18);
	ATF_CHECK_EQ(p->acquires, 2);
	/* initiate while negotiating changes nothing */
	ATF_CHECK_EQ(ike_initiate(p), 0);
	ATF_CHECK_EQ(ike_pending(p)->trigger, IKE_TRIGGER_ACQUIRE);
	ATF_CHECK_EQ(p->acquires, 2);

	ATF_CHECK_EQ(ike_terminate(p, NULL, NULL), 0);
	ATF_CHECK(ike_pending(p) == NULL);
	ATF_CHECK_STREQ(peer_state_name(p->state), "idle");

	/* initiate: an ACQUIRE with our pid, not counted as a kernel one */
	ATF_CHECK_EQ(ike_initiate(p), 0);
	ATF_REQUIRE((r = ike_pending(p)) != NULL);
	ATF_CHECK_EQ(r->trigger, IKE_TRIGGER_INITIATE);
	ATF_CHECK_EQ(r->seq, 0);
	ATF_CHECK_EQ(p->acquires, 2);
	ATF_CHECK_STREQ(ike_trigger_name(r->trigger), "initiate");
	/* a kernel ACQUIRE takes over an administrative request */
	m.seq = 30;
	ATF_CHECK_EQ(ike_acquire(p, &m), 0);
	ATF_CHECK_EQ(ike_pending(p)->trigger, IKE_TRIGGER_ACQUIRE);
	ATF_CHECK_EQ(ike_pending(p)->seq, 30);
	ike_finished(p, true);
	ATF_CHECK(ike_pending(p) == NULL);

	m.type = PFKEY_EXPIRE;
	ATF_CHECK_EQ(ike_acquire(p, &m), EINVAL);
	peers_free(&list);
	conf_free(cfg);
}

/*
 * A fake PF_KEY kernel (a child process on "fake.sock") that answers
 * every request with a bare header and an errno: REGISTER EEXIST (taken
 * as success), X_SPDUPDATE EINVAL, DUMP ENOENT (empty).  The first
 * connection is closed once two X_SPDUPDATEs came (or after 2 s of
 * silence), the second right after the DUMP answer.  The child's exit
 * status is the number of X_SPDUPDATEs the first connection received.
 */
#define FAKE_SOCK	"fake.sock"

static int
fake_listen(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, FAKE_SOCK);
	unlink(FAKE_SOCK);
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) != -1);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	ATF_REQUIRE(listen(fd, 4) == 0);
	return fd;
}

/* The next request's type, answered with errnum; 0 when idle or closed. */
static int
fake_answer_one(int fd)
{
	uint8_t msg[PFKEY_BUFSIZE], type;
	uint16_t words = PFKEY_MSG_HDRLEN / PFKEY_ALIGN;
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, 2000) != 1 ||
	    recv(fd, msg, sizeof(msg), 0) < PFKEY_MSG_HDRLEN)
		return 0;
	type = msg[1];
	msg[2] = type == PFKEY_REGISTER ? EEXIST :
	    type == PFKEY_DUMP ? ENOENT : EINVAL;
	memcpy(msg + 4, &words, sizeof(words));
	(void)send(fd, msg, PFKEY_MSG_HDRLEN, MSG_NOSIGNAL);
	return type;
}

static void
fake_kernel(int lfd)
{
	int fd, type, spdupdates = 0;

	fd = accept(lfd, NULL, NULL);
	while (spdupdates < 2 && (type = fake_answer_one(fd)) != 0)
		spdupdates += type == PFKEY_X_SPDUPDATE;
	close(fd);
	fd = accept(lfd, NULL, NULL);
	while ((type = fake_answer_one(fd)) != 0 && type != PFKEY_DUMP)
		;
	close(fd);
	_exit(spdupdates);
}

struct resync_probe {
	struct kernel		*kernel;
	struct event_base	*base;
	int			 calls, request_rc;
};

/* A handler that talks to the kernel while the connection goes away. */
static void
probe_resynced(void *arg, const struct pfkey_buf *chain)
{
	struct resync_probe *probe = arg;
	struct pfkey_msg req, reply;
	struct pfkey_error err;

	ATF_CHECK(chain == NULL);
	probe->calls++;
	pfkey_msg_init(&req, PFKEY_GET, PFKEY_SATYPE_ESP, 0, 0);
	probe->request_rc = kernel_request(probe->kernel, &req, &reply, &err);
	event_base_loopbreak(probe->base);
}

static void
two_policies(struct kernel_policy set[2])
{
	memset(set, 0, 2 * sizeof(*set));
	addr(&set[0].src, "192.0.2.1");
	addr(&set[0].dst, "203.0.113.2");
	set[0].ulproto = PFKEY_ULPROTO_ANY;
	set[0].dir = PFKEY_DIR_OUTBOUND;
	set[0].ipsec_proto = IPPROTO_ESP;
	set[0].mode = PFKEY_MODE_TRANSPORT;
	set[0].level = PFKEY_LEVEL_REQUIRE;
	set[1] = set[0];
	set[1].src = set[0].dst;
	set[1].dst = set[0].src;
	set[1].dir = PFKEY_DIR_INBOUND;
}

ATF_TC_WITHOUT_HEAD(kernel_reconnect_failures);
ATF_TC_BODY(kernel_reconnect_failures, tc)
{
	static const struct kernel_handlers handlers = {
		.resynced = probe_resynced
	};
	struct kernel_policy set[2];
	struct resync_probe probe;
	struct pfkey_error err;
	struct timeval limit = { 10, 0 };
	int lfd, status;
	pid_t pid;

	lfd = fake_listen();
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0)
		fake_kernel(lfd);
	close(lfd);
	memset(&probe, 0, sizeof(probe));
	ATF_REQUIRE((probe.base = event_base_new()) != NULL);
	memset(&err, 0, sizeof(err));
	probe.kernel = kernel_open(probe.base, "unix:" FAKE_SOCK, &handlers,
	    &probe, &err);
	ATF_REQUIRE_MSG(probe.kernel != NULL, "%s", err.reason);
	/* A refused policy does not keep the next one out. */
	two_policies(set);
	ATF_CHECK_EQ(kernel_set_policies(probe.kernel, set, 2, &err), EINVAL);
	ATF_CHECK_EQ(kernel_policy_count(probe.kernel), 2);
	/* Reconnect; the connection is lost again during the resync. */
	event_base_loopexit(probe.base, &limit);
	event_base_dispatch(probe.base);
	ATF_CHECK_EQ(probe.calls, 1);
	ATF_CHECK(probe.request_rc == EPIPE || probe.request_rc == ECONNRESET);
	ATF_CHECK(!kernel_connected(probe.kernel));
	kernel_close(probe.kernel, false);
	event_base_free(probe.base);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_CHECK(WIFEXITED(status));
	ATF_CHECK_EQ(WEXITSTATUS(status), 2);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, policy_directions);
	ATF_TP_ADD_TC(tp, policy_checks);
	ATF_TP_ADD_TC(tp, acquire_match);
	ATF_TP_ADD_TC(tp, peers_reload);
	ATF_TP_ADD_TC(tp, negotiate_bookkeeping);
	ATF_TP_ADD_TC(tp, kernel_reconnect_failures);
	return atf_no_error();
}
