/*
 * Unit tests for the control socket's output (daemon/ctl_show.c,
 * daemon/ctl_json.c): JSON string escaping, and "show peers", "show sa"
 * for a daemon built by hand from a parsed configuration and an SA
 * manager whose kernel is a stub.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include <atf-c.h>
#include <event2/buffer.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "plugin.h"
#include "sa.h"
#include "timer.h"

/* The buffer's text, NUL-terminated, in a static buffer. */
static const char *
text(struct evbuffer *b)
{
	static char out[8192];
	size_t len = evbuffer_get_length(b);

	ATF_REQUIRE(len < sizeof(out));
	evbuffer_copyout(b, out, len);
	out[len] = '\0';
	evbuffer_drain(b, len);
	return out;
}

static const char *
json_of(const char *s)
{
	static char out[512];
	struct evbuffer *b = evbuffer_new();
	size_t len;

	ATF_REQUIRE(b != NULL);
	json_string(b, s);
	len = evbuffer_get_length(b);
	ATF_REQUIRE(len < sizeof(out));
	evbuffer_copyout(b, out, len);
	out[len] = '\0';
	evbuffer_free(b);
	return out;
}

ATF_TC_WITHOUT_HEAD(json_escapes);
ATF_TC_BODY(json_escapes, tc)
{
	ATF_CHECK_STREQ(json_of("plain"), "\"plain\"");
	ATF_CHECK_STREQ(json_of(""), "\"\"");
	ATF_CHECK_STREQ(json_of(NULL), "null");
	ATF_CHECK_STREQ(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"");
	ATF_CHECK_STREQ(json_of("t\tn\nr\r"), "\"t\\tn\\nr\\r\"");
	ATF_CHECK_STREQ(json_of("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	ATF_CHECK_STREQ(json_of("/"), "\"/\"");
}

ATF_TC_WITHOUT_HEAD(json_utf8);
ATF_TC_BODY(json_utf8, tc)
{
	/* Valid sequences of 2, 3 and 4 bytes pass through. */
	ATF_CHECK_STREQ(json_of("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	ATF_CHECK_STREQ(json_of("\xe2\x82\xac"), "\"\xe2\x82\xac\"");
	ATF_CHECK_STREQ(json_of("\xf0\x9f\x94\x91"), "\"\xf0\x9f\x94\x91\"");
	/* Invalid bytes become U+FFFD, one per byte not consumed. */
	ATF_CHECK_STREQ(json_of("\xff"), "\"\\ufffd\"");
	ATF_CHECK_STREQ(json_of("a\xe2\x82"), "\"a\\ufffd\\ufffd\"");
	ATF_CHECK_STREQ(json_of("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	ATF_CHECK_STREQ(json_of("\xed\xa0\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\"");
	ATF_CHECK_STREQ(json_of("\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	ATF_CHECK_STREQ(json_of("\xe0\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\"");
}

ATF_TC_WITHOUT_HEAD(json_keys);
ATF_TC_BODY(json_keys, tc)
{
	struct evbuffer *b = evbuffer_new();

	json_key(b, "a", true);
	evbuffer_add(b, "1", 1);
	json_key(b, "b\"", false);
	evbuffer_add(b, "2", 1);
	ATF_CHECK_STREQ(text(b), "\"a\":1,\"b\\\"\":2");
	evbuffer_free(b);
}

/* ---- A daemon by hand ---- */

static uint64_t now_ms;

static uint64_t
test_clock(void *arg)
{
	(void)arg;
	return now_ms;
}

static int
stub_install(void *arg, const struct sa *sa, const void *keys)
{
	(void)arg;
	(void)sa;
	(void)keys;
	return 0;
}

static int
stub_delete(void *arg, const struct sa *sa, enum sa_reason reason)
{
	(void)arg;
	(void)sa;
	(void)reason;
	return 0;
}

static uint64_t
no_jitter(void *arg)
{
	(void)arg;
	return 0;
}

static const struct sa_ops stub_ops = { stub_install, stub_delete, NULL, NULL };

static const char two_peers[] =
	"peer east {\n"
	"	address 203.0.113.2;\n"
	"	local-address 192.0.2.1;\n"
	"	profile legacy;\n"
	"	auth psk \"x\";\n"
	"}\n"
	"peer west {\n"
	"	address 198.51.100.2;\n"
	"	auth psk \"y\";\n"
	"}\n";

static void
daemon_by_hand(struct daemon *d)
{
	struct sa_config sc;
	char err[256];

	memset(d, 0, sizeof(*d));
	TAILQ_INIT(&d->peers);
	d->conf = conf_parse_string(two_peers, "test.conf", err, sizeof(err));
	ATF_REQUIRE_MSG(d->conf != NULL, "%s", err);
	d->timers = timers_new(test_clock, NULL);
	ATF_REQUIRE(d->timers != NULL);
	sa_config_defaults(&sc);
	sc.ops = &stub_ops;
	sc.random = no_jitter;
	ATF_REQUIRE_EQ(sa_mgr_new(&sc, d->timers, &d->sa), 0);
	ATF_REQUIRE_EQ(peers_sync(&d->peers, d->conf, d->sa), 0);
}

static void
daemon_by_hand_free(struct daemon *d)
{
	sa_mgr_free(d->sa, false);
	peers_free(&d->peers);
	timers_free(d->timers);
	conf_free(d->conf);
}

static void
add_sa(struct daemon *d, struct peer *p, enum sa_dir dir, uint32_t spi,
    const char *src, const char *dst, uint32_t reqid, uint64_t hard)
{
	struct sa_params sp;
	struct sa *sa;

	memset(&sp, 0, sizeof(sp));
	sp.dir = dir;
	sp.satype = PFKEY_SATYPE_ESP;
	sp.spi = spi;
	ATF_REQUIRE_EQ(pfkey_addr_parse(&sp.src, src), 0);
	ATF_REQUIRE_EQ(pfkey_addr_parse(&sp.dst, dst), 0);
	sp.reqid = reqid;
	sp.peer = p;
	sp.hard_seconds = hard;
	ATF_REQUIRE_EQ(sa_add(d->sa, 0, &sp, "keys", &sa), 0);
}

ATF_TC_WITHOUT_HEAD(show_peers);
ATF_TC_BODY(show_peers, tc)
{
	struct daemon d;
	struct evbuffer *b = evbuffer_new();
	struct peer *east;

	daemon_by_hand(&d);
	east = peer_find(&d.peers, "east");
	ATF_REQUIRE(east != NULL);
	east->state = PEER_NEGOTIATING;
	east->request.trigger = IKE_TRIGGER_ACQUIRE;
	east->acquires = 3;
	east->last_acquire_seq = 42;
	east->last_acquire_time = 1700000000;
	ATF_REQUIRE_EQ(plugin_flags_set_int(east->flags, "natt.detected", 1), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(east->flags, "compat.os", "xp"), 0);
	add_sa(&d, east, SA_DIR_OUT, 0x1001, "192.0.2.1", "203.0.113.2", 0,
	    3600);

	ctl_show_peers(&d, false, b);
	ATF_CHECK_STREQ(text(b),
	    "NAME  ADDRESS       PROFILE  STATE        ACQUIRES  LAST-SEQ  "
	    "PHASE1  PHASE2  FLAGS\n"
	    "east  203.0.113.2   legacy   negotiating  3         42        "
	    "0       1       compat.os=\"xp\",natt.detected=1\n"
	    "west  198.51.100.2  default  idle         0         -         "
	    "0       0       -\n");
	ctl_show_peers(&d, true, b);
	ATF_CHECK_STREQ(text(b),
	    "{\"peers\":[{\"name\":\"east\",\"address\":\"203.0.113.2\","
	    "\"profile\":\"legacy\",\"state\":\"negotiating\","
	    "\"trigger\":\"acquire\",\"acquires\":3,\"last_acquire_seq\":42,"
	    "\"last_acquire_time\":1700000000,\"phase1_sas\":0,"
	    "\"phase2_sas\":1,\"flags\":{\"compat.os\":\"xp\","
	    "\"natt.detected\":1}},"
	    "{\"name\":\"west\",\"address\":\"198.51.100.2\","
	    "\"profile\":\"default\",\"state\":\"idle\",\"trigger\":null,"
	    "\"acquires\":0,\"last_acquire_seq\":null,"
	    "\"last_acquire_time\":null,\"phase1_sas\":0,\"phase2_sas\":0,"
	    "\"flags\":{}}]}\n");
	evbuffer_free(b);
	daemon_by_hand_free(&d);
}

/*
 * An idle peer that holds a phase 1, or phase-2 SAs only (its phase 1
 * gone), shows as established; without either it is idle.
 */
ATF_TC_WITHOUT_HEAD(show_peers_established);
ATF_TC_BODY(show_peers_established, tc)
{
	struct daemon d;
	struct evbuffer *b = evbuffer_new();
	struct peer *east, *west;

	daemon_by_hand(&d);
	east = peer_find(&d.peers, "east");
	west = peer_find(&d.peers, "west");
	ATF_REQUIRE(east != NULL && west != NULL);
	west->phase1_count = 1;
	add_sa(&d, east, SA_DIR_IN, 0x2002, "203.0.113.2", "192.0.2.1", 0,
	    3600);

	ctl_show_peers(&d, false, b);
	ATF_CHECK_STREQ(text(b),
	    "NAME  ADDRESS       PROFILE  STATE        ACQUIRES  LAST-SEQ  "
	    "PHASE1  PHASE2  FLAGS\n"
	    "east  203.0.113.2   legacy   established  0         -         "
	    "0       1       -\n"
	    "west  198.51.100.2  default  established  0         -         "
	    "1       0       -\n");
	ctl_show_peers(&d, true, b);
	ATF_CHECK(strstr(text(b), "\"name\":\"west\",\"address\":"
	    "\"198.51.100.2\",\"profile\":\"default\",\"state\":"
	    "\"established\",\"trigger\":null,") != NULL);

	/* Negotiating wins over established. */
	west->state = PEER_NEGOTIATING;
	west->request.trigger = IKE_TRIGGER_REKEY;
	ctl_show_peers(&d, false, b);
	ATF_CHECK(strstr(text(b), "west  198.51.100.2  default  negotiating  ")
	    != NULL);
	west->phase1_count = 0;
	west->state = PEER_IDLE;
	ctl_show_peers(&d, false, b);
	ATF_CHECK(strstr(text(b), "west  198.51.100.2  default  idle ") != NULL);
	evbuffer_free(b);
	daemon_by_hand_free(&d);
}

/* "profile auto": the profile chosen beside it, the evidence in FLAGS. */
ATF_TC_WITHOUT_HEAD(show_peers_auto);
ATF_TC_BODY(show_peers_auto, tc)
{
	struct daemon d;
	struct evbuffer *b = evbuffer_new();
	struct peer *east, *west;

	daemon_by_hand(&d);
	east = peer_find(&d.peers, "east");
	west = peer_find(&d.peers, "west");
	ATF_REQUIRE(east != NULL && west != NULL);
	ATF_REQUIRE(west->conf == &d.conf->peers[1]);
	free(d.conf->peers[1].profile);
	ATF_REQUIRE((d.conf->peers[1].profile = strdup("auto")) != NULL);
	ctl_show_peers(&d, false, b);
	ATF_CHECK_STREQ(text(b),
	    "NAME  ADDRESS       PROFILE  STATE  ACQUIRES  LAST-SEQ  "
	    "PHASE1  PHASE2  FLAGS\n"
	    "east  203.0.113.2   legacy   idle   0         -         "
	    "0       0       -\n"
	    "west  198.51.100.2  auto     idle   0         -         "
	    "0       0       -\n");

	/* A chosen profile shows only where the configuration says auto. */
	ATF_REQUIRE_EQ(plugin_flags_set_str(west->flags, "profile",
	    "modern"), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(west->flags, "profile.evidence",
	    "MS NT5 ISAKMPOAKLEY v7 (Windows 7) -> modern"), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(east->flags, "profile",
	    "modern"), 0);
	ctl_show_peers(&d, false, b);
	ATF_CHECK_STREQ(text(b),
	    "NAME  ADDRESS       PROFILE      STATE  ACQUIRES  LAST-SEQ  "
	    "PHASE1  PHASE2  FLAGS\n"
	    "east  203.0.113.2   legacy       idle   0         -         "
	    "0       0       profile=\"modern\"\n"
	    "west  198.51.100.2  auto:modern  idle   0         -         "
	    "0       0       profile=\"modern\",profile.evidence=\"MS NT5 "
	    "ISAKMPOAKLEY v7 (Windows 7) -> modern\"\n");
	evbuffer_free(b);
	daemon_by_hand_free(&d);
}

ATF_TC_WITHOUT_HEAD(show_sa);
ATF_TC_BODY(show_sa, tc)
{
	struct daemon d;
	struct evbuffer *b = evbuffer_new();
	struct peer *east, *west;

	daemon_by_hand(&d);
	ctl_show_sa(&d, false, b);
	ATF_CHECK_STREQ(text(b), "No SAs.\n");
	ctl_show_sa(&d, true, b);
	ATF_CHECK_STREQ(text(b), "{\"sas\":[]}\n");

	east = peer_find(&d.peers, "east");
	west = peer_find(&d.peers, "west");
	add_sa(&d, east, SA_DIR_IN, 0xc1000001, "203.0.113.2", "192.0.2.1", 7,
	    3600);
	add_sa(&d, west, SA_DIR_OUT, 0x200, "198.51.100.1", "198.51.100.2", 0,
	    0);
	ctl_show_sa(&d, false, b);
	ATF_CHECK_STREQ(text(b),
	    "PEER  DIR  TYPE  SRC           DST           SPI         REQID  "
	    "STATE   HARD   SOFT\n"
	    "east  in   esp   203.0.113.2   192.0.2.1     0xc1000001  7      "
	    "mature  3600s  2880s\n"
	    "west  out  esp   198.51.100.1  198.51.100.2  0x00000200  -      "
	    "mature  -      -\n");
	ctl_show_sa(&d, true, b);
	ATF_CHECK_STREQ(text(b),
	    "{\"sas\":[{\"peer\":\"east\",\"dir\":\"in\",\"satype\":\"esp\","
	    "\"src\":\"203.0.113.2\",\"dst\":\"192.0.2.1\","
	    "\"spi\":3238002689,\"reqid\":7,\"state\":\"mature\","
	    "\"hard_seconds\":3600,\"soft_seconds\":2880,\"hard_kbytes\":0,"
	    "\"soft_kbytes\":0},"
	    "{\"peer\":\"west\",\"dir\":\"out\",\"satype\":\"esp\","
	    "\"src\":\"198.51.100.1\",\"dst\":\"198.51.100.2\",\"spi\":512,"
	    "\"reqid\":0,\"state\":\"mature\",\"hard_seconds\":0,"
	    "\"soft_seconds\":0,\"hard_kbytes\":0,\"soft_kbytes\":0}]}\n");
	evbuffer_free(b);
	daemon_by_hand_free(&d);
}

ATF_TC_WITHOUT_HEAD(commands);
ATF_TC_BODY(commands, tc)
{
	struct daemon d;
	struct evbuffer *b = evbuffer_new();
	char err[256], *show_x[] = { "show", "x" }, *bogus[] = { "bogus" },
	    *init_nope[] = { "initiate", "nope" }, *init[] = { "initiate",
	    "west" }, *term[] = { "terminate", "west" }, *term2[] = {
	    "terminate" };

	daemon_by_hand(&d);
	ATF_CHECK_EQ(ctl_command(&d, 2, show_x, false, b, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "show: unknown object 'x' (expected peers, sa "
	    "or plugins)");
	ATF_CHECK_EQ(ctl_command(&d, 1, bogus, false, b, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "unknown command 'bogus'");
	ATF_CHECK_EQ(ctl_command(&d, 0, bogus, false, b, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "empty request");
	ATF_CHECK_EQ(ctl_command(&d, 2, init_nope, false, b, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no such peer 'nope'");
	ATF_CHECK_EQ(ctl_command(&d, 1, term2, false, b, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "usage: terminate PEER");
	ATF_CHECK_STREQ(text(b), "");

	ATF_CHECK_EQ(ctl_command(&d, 2, init, false, b, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(text(b), "peer west: negotiation started\n");
	ATF_CHECK_EQ(peer_find(&d.peers, "west")->state, PEER_NEGOTIATING);
	ATF_CHECK_EQ(ctl_command(&d, 2, term, true, b, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(text(b), "{\"peer\":\"west\",\"state\":\"idle\","
	    "\"result\":\"terminated, 0 SAs deleted\"}\n");
	evbuffer_free(b);
	daemon_by_hand_free(&d);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, json_escapes);
	ATF_TP_ADD_TC(tp, json_utf8);
	ATF_TP_ADD_TC(tp, json_keys);
	ATF_TP_ADD_TC(tp, show_peers);
	ATF_TP_ADD_TC(tp, show_peers_established);
	ATF_TP_ADD_TC(tp, show_peers_auto);
	ATF_TP_ADD_TC(tp, show_sa);
	ATF_TP_ADD_TC(tp, commands);
	return atf_no_error();
}
