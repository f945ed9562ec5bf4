/*
 * The fake IKE engine of the natt tests (see natt_fake.h).
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "natt_fake.h"

uint64_t fake_now;
struct timers *fake_timers;

/* ---- The accessors ---- */

static const char *
e_peer_name(const struct oakley_peer *peer)
{
	return peer->name;
}

static struct oakley_flags *
e_peer_flags(struct oakley_peer *peer)
{
	return peer->flags;
}

static int
e_peer_sas_refresh(struct oakley_peer *peer)
{
	peer->refreshes++;
	return 0;
}

static struct oakley_peer *
e_phase1_peer(struct oakley_phase1 *p1)
{
	return p1->peer;
}

static bool
e_phase1_initiator(const struct oakley_phase1 *p1)
{
	return p1->initiator;
}

static void
e_phase1_cookies(const struct oakley_phase1 *p1, uint8_t icookie[8],
    uint8_t rcookie[8])
{
	memcpy(icookie, p1->icookie, 8);
	memcpy(rcookie, p1->rcookie, 8);
}

static int
e_phase1_local(const struct oakley_phase1 *p1, struct oakley_addr *a)
{
	*a = p1->local;
	return 0;
}

static int
e_phase1_remote(const struct oakley_phase1 *p1, struct oakley_addr *a)
{
	*a = p1->remote;
	return 0;
}

static int
e_phase1_hash(const struct oakley_phase1 *p1, const uint8_t *data,
    size_t len, uint8_t *out, size_t outlen)
{
	unsigned int n = 0;

	if (outlen < (size_t)EVP_MD_get_size(p1->md) ||
	    !EVP_Digest(data, len, out, &n, p1->md, NULL))
		return -1;
	return (int)n;
}

static int
e_phase1_float(struct oakley_phase1 *p1)
{
	p1->floats++;
	p1->local.port = FAKE_NATT_PORT;
	p1->remote.port = FAKE_NATT_PORT;
	return 0;
}

static int
e_phase1_set_remote(struct oakley_phase1 *p1, const struct oakley_addr *a)
{
	p1->set_remotes++;
	p1->remote = *a;
	return 0;
}

static int
e_phase1_send_raw(struct oakley_phase1 *p1, const uint8_t *buf, size_t len)
{
	p1->sends++;
	p1->sent_len = len < sizeof(p1->sent) ? len : sizeof(p1->sent);
	memcpy(p1->sent, buf, p1->sent_len);
	return 0;
}

static struct oakley_flags *
e_phase1_flags(struct oakley_phase1 *p1)
{
	return p1->flags;
}

/* The fake keeps one store for a phase 1's flags and profile flags. */
static struct oakley_flags *
e_phase1_profile_flags(struct oakley_phase1 *p1)
{
	return p1->flags;
}

static struct oakley_phase1 *
e_phase2_phase1(struct oakley_phase2 *p2)
{
	return p2->p1;
}

static bool
e_phase2_initiator(const struct oakley_phase2 *p2)
{
	return p2->initiator;
}

static int
e_phase2_mode(const struct oakley_phase2 *p2)
{
	return p2->mode;
}

static struct oakley_flags *
e_phase2_flags(struct oakley_phase2 *p2)
{
	return p2->flags;
}

static struct oakley_phase1 *
e_msg_phase1(struct oakley_msg *m)
{
	return m->p1;
}

static struct oakley_phase2 *
e_msg_phase2(struct oakley_msg *m)
{
	return m->p2;
}

static unsigned
e_msg_exchange(const struct oakley_msg *m)
{
	return m->exchange;
}

static unsigned
e_msg_number(const struct oakley_msg *m)
{
	return m->number;
}

static bool
e_msg_inbound(const struct oakley_msg *m)
{
	return m->inbound;
}

static int
e_msg_source(const struct oakley_msg *m, struct oakley_addr *a)
{
	*a = m->src;
	return 0;
}

static int
e_msg_destination(const struct oakley_msg *m, struct oakley_addr *a)
{
	*a = m->dst;
	return 0;
}

static int
e_msg_add_payload(struct oakley_msg *m, uint8_t type, const uint8_t *body,
    size_t len)
{
	struct fake_payload *p;

	if (m->nadded == FAKE_PAYLOADS || len > FAKE_BODY)
		return -1;
	p = &m->added[m->nadded++];
	p->type = type;
	memcpy(p->body, body, len);
	p->len = len;
	return 0;
}

const struct oakley_engine fake_engine = {
	.peer_name = e_peer_name,
	.peer_flags = e_peer_flags,
	.peer_sas_refresh = e_peer_sas_refresh,
	.phase1_peer = e_phase1_peer,
	.phase1_initiator = e_phase1_initiator,
	.phase1_cookies = e_phase1_cookies,
	.phase1_local = e_phase1_local,
	.phase1_remote = e_phase1_remote,
	.phase1_hash = e_phase1_hash,
	.phase1_float = e_phase1_float,
	.phase1_set_remote = e_phase1_set_remote,
	.phase1_send_raw = e_phase1_send_raw,
	.phase1_flags = e_phase1_flags,
	.phase1_profile_flags = e_phase1_profile_flags,
	.phase2_phase1 = e_phase2_phase1,
	.phase2_initiator = e_phase2_initiator,
	.phase2_mode = e_phase2_mode,
	.phase2_flags = e_phase2_flags,
	.msg_phase1 = e_msg_phase1,
	.msg_phase2 = e_msg_phase2,
	.msg_exchange = e_msg_exchange,
	.msg_number = e_msg_number,
	.msg_inbound = e_msg_inbound,
	.msg_source = e_msg_source,
	.msg_destination = e_msg_destination,
	.msg_add_payload = e_msg_add_payload,
};

/* ---- Set-up ---- */

/*
 * The daemon's log goes to fake.log for fake_log(); at teardown it is
 * copied to the real stderr (with any failed checks among it).
 */
static int saved_stderr = -1;

static void
log_capture(void)
{
	fflush(stderr);
	if (saved_stderr == -1)
		ATF_REQUIRE((saved_stderr = dup(STDERR_FILENO)) != -1);
	ATF_REQUIRE(freopen("fake.log", "w", stderr) != NULL);
}

static void
log_release(void)
{
	const char *text = fake_log();

	if (write(saved_stderr, text, strlen(text)) == -1)
		return;
	ATF_REQUIRE(dup2(saved_stderr, STDERR_FILENO) != -1);
}

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

int
fake_setup_err(const atf_tc_t *tc, const char *conf, char *err,
    size_t errlen)
{
	char dir[PATH_MAX + 64], plugin_dir[PATH_MAX];
	struct config *cfg;
	int rc;

	snprintf(dir, sizeof(dir), "%s/../../../plugins/natt",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE(realpath(dir, plugin_dir) != NULL);
	log_capture();
	log_init("oakleyd", true, LOG_LEVEL_DEBUG);
	fake_now = 1000;
	ATF_REQUIRE((fake_timers = timers_new(fake_clock, NULL)) != NULL);
	ATF_REQUIRE_EQ(plugin_host_init(&fake_engine, fake_timers), 0);
	cfg = conf_parse_string(conf != NULL ? conf : "plugin natt;\n",
	    "test.conf", err, errlen);
	ATF_REQUIRE_MSG(cfg != NULL, "%s", err);
	free(cfg->plugin_dir);
	ATF_REQUIRE((cfg->plugin_dir = strdup(plugin_dir)) != NULL);
	rc = plugin_load_config(cfg, err, errlen);
	conf_free(cfg);
	return rc;
}

void
fake_setup(const atf_tc_t *tc, const char *conf)
{
	char err[1024];

	ATF_REQUIRE_MSG(fake_setup_err(tc, conf, err, sizeof(err)) == 0,
	    "%s", err);
}

void
fake_teardown(void)
{
	plugin_host_fini();
	timers_free(fake_timers);
	fake_timers = NULL;
	log_release();
}

void
fake_addr(struct oakley_addr *a, const char *ip, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, ip, a->addr) == 1)
		a->family = AF_INET;
	else {
		ATF_REQUIRE(inet_pton(AF_INET6, ip, a->addr) == 1);
		a->family = AF_INET6;
	}
	a->port = port;
}

/* ---- The network ---- */

#define I_REAL		"192.0.2.2"
#define I_PUBLIC	"198.51.100.1"
#define R_REAL_NAT	"192.0.2.130"
#define R_PUBLIC	"203.0.113.2"

static void
p1_init(struct oakley_phase1 *p1, struct oakley_peer *peer, bool initiator,
    const EVP_MD *md)
{
	static const uint8_t ic[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	    0x07, 0x08 };
	static const uint8_t rc[8] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6,
	    0x07, 0x18 };

	memset(p1, 0, sizeof(*p1));
	p1->peer = peer;
	p1->initiator = initiator;
	memcpy(p1->icookie, ic, 8);
	memcpy(p1->rcookie, rc, 8);
	p1->md = md;
	ATF_REQUIRE((p1->flags = plugin_flags_new()) != NULL);
}

void
fake_net_init(struct fake_net *n, bool i_nat, bool r_nat, const EVP_MD *md)
{
	memset(n, 0, sizeof(*n));
	n->i_nat = i_nat;
	n->r_nat = r_nat;
	n->i_nat_float_port = FAKE_NAT_PORT_FLOAT;
	n->ipeer.name = "server";
	n->rpeer.name = "client";
	ATF_REQUIRE((n->ipeer.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((n->rpeer.flags = plugin_flags_new()) != NULL);
	p1_init(&n->i1, &n->ipeer, true, md);
	p1_init(&n->r1, &n->rpeer, false, md);
	fake_addr(&n->i1.local, I_REAL, 500);
	fake_addr(&n->i1.remote, R_PUBLIC, 500);
	fake_addr(&n->r1.local, r_nat ? R_REAL_NAT : R_PUBLIC, 500);
	if (i_nat)
		fake_addr(&n->r1.remote, I_PUBLIC, FAKE_NAT_PORT);
	else
		fake_addr(&n->r1.remote, I_REAL, 500);
	n->i2.p1 = &n->i1;
	n->i2.initiator = true;
	n->i2.mode = OAKLEY_MODE_TRANSPORT;
	n->r2.p1 = &n->r1;
	n->r2.mode = OAKLEY_MODE_TRANSPORT;
	ATF_REQUIRE((n->i2.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((n->r2.flags = plugin_flags_new()) != NULL);
}

void
fake_net_free(struct fake_net *n)
{
	plugin_flags_free(n->ipeer.flags);
	plugin_flags_free(n->rpeer.flags);
	plugin_flags_free(n->i1.flags);
	plugin_flags_free(n->r1.flags);
	plugin_flags_free(n->i2.flags);
	plugin_flags_free(n->r2.flags);
}

void
fake_msg(struct oakley_msg *m, struct oakley_phase1 *p1,
    struct oakley_phase2 *p2, unsigned exch, unsigned num, bool inbound)
{
	memset(m, 0, sizeof(*m));
	m->p1 = p1;
	m->p2 = p2;
	m->exchange = exch;
	m->number = num;
	m->inbound = inbound;
	m->src = inbound ? p1->remote : p1->local;
	m->dst = inbound ? p1->local : p1->remote;
}

/* The initiator's NAT: 500 and 4500 have their own mappings. */
static uint16_t
i_nat_port(const struct fake_net *n, uint16_t port)
{
	return port == FAKE_NATT_PORT ? n->i_nat_float_port : FAKE_NAT_PORT;
}

static uint16_t
i_nat_unport(const struct fake_net *n, uint16_t port)
{
	return port == n->i_nat_float_port ? FAKE_NATT_PORT : 500;
}

/* What a packet from src to dst looks like when it arrives. */
static void
travel(const struct fake_net *n, bool from_i, const struct oakley_addr *src,
    const struct oakley_addr *dst, struct oakley_addr *in_src,
    struct oakley_addr *in_dst)
{
	*in_src = *src;
	*in_dst = *dst;
	if (from_i) {
		if (n->i_nat)
			fake_addr(in_src, I_PUBLIC, i_nat_port(n, src->port));
		if (n->r_nat)
			fake_addr(in_dst, R_REAL_NAT, dst->port);
	} else {
		if (n->r_nat)
			fake_addr(in_src, R_PUBLIC, src->port);
		if (n->i_nat)
			fake_addr(in_dst, I_REAL, i_nat_unport(n, dst->port));
	}
}

int
fake_deliver(struct fake_net *n, bool from_i, const struct oakley_msg *o)
{
	struct oakley_phase1 *to = from_i ? &n->r1 : &n->i1;
	struct oakley_phase2 *p2t = NULL;
	struct oakley_msg in;
	size_t i;
	int rc;

	if (o->exchange == OAKLEY_EXCH_QUICK)
		p2t = from_i ? &n->r2 : &n->i2;
	fake_msg(&in, to, p2t, o->exchange, o->number, true);
	travel(n, from_i, &o->src, &o->dst, &in.src, &in.dst);
	for (i = 0; i < o->nadded; i++) {
		rc = plugin_run_payload(&in, o->added[i].type, o->added[i].body,
		    o->added[i].len);
		if (rc != 0)
			return rc;
	}
	return plugin_run_msg_parsed(&in);
}

int
fake_build(struct fake_net *n, bool from_i, unsigned exch, unsigned num,
    struct oakley_msg *out)
{
	struct oakley_phase1 *from = from_i ? &n->i1 : &n->r1;
	struct oakley_phase2 *p2f = NULL;
	int rc;

	if (exch == OAKLEY_EXCH_QUICK)
		p2f = from_i ? &n->i2 : &n->r2;
	fake_msg(out, from, p2f, exch, num, false);
	if ((rc = plugin_run_msg_build(out)) != 0)
		return rc;
	/* It leaves by the ports the phase 1 has now (floated or not). */
	out->src = from->local;
	out->dst = from->remote;
	return 0;
}

int
fake_send(struct fake_net *n, bool from_i, unsigned exch, unsigned num,
    struct oakley_msg *out)
{
	struct oakley_msg o;
	int rc;

	if ((rc = fake_build(n, from_i, exch, num, &o)) != 0)
		return rc;
	if (out != NULL)
		*out = o;
	return fake_deliver(n, from_i, &o);
}

/* Vendor IDs of main-mode message 1 or 2 from one end to the other. */
static void
send_vids(struct oakley_phase1 *from, struct oakley_phase1 *to)
{
	const struct oakley_vendor_id *v[16];
	size_t i, n;

	n = plugin_vendor_ids_to_send(from, v, 16);
	for (i = 0; i < n; i++)
		plugin_run_vendor_id(to, v[i]->bytes, v[i]->len);
}

void
fake_mm_vids(struct fake_net *n)
{
	send_vids(&n->i1, &n->r1);
	send_vids(&n->r1, &n->i1);
}

int
fake_mm_rest(struct fake_net *n)
{
	unsigned num;

	for (num = 3; num <= 6; num++)
		if (fake_send(n, num % 2 == 1, OAKLEY_EXCH_MAIN, num,
		    NULL) != 0)
			return (int)num;
	plugin_run_p1_established(&n->i1);
	plugin_run_p1_established(&n->r1);
	return 0;
}

int
fake_main_mode(struct fake_net *n)
{
	fake_mm_vids(n);
	return fake_mm_rest(n);
}

int64_t
fake_flag_int(struct oakley_flags *f, const char *key)
{
	int64_t v;

	return plugin_flags_get_int(f, key, &v) == 0 ? v : -1;
}

const char *
fake_flag_str(struct oakley_flags *f, const char *key)
{
	const char *s = plugin_flags_get_str(f, key);

	return s != NULL ? s : "";
}

const char *
fake_log(void)
{
	static char buf[65536];
	FILE *fp;
	size_t n;

	fflush(stderr);
	ATF_REQUIRE((fp = fopen("fake.log", "r")) != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}
