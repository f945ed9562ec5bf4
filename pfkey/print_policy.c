/*
 * One security policy the way FreeBSD's setkey -DP prints it: the
 * selector line ("src/prefix[port] dst/prefix[port] ulproto"), then
 * tab-indented "dir type", one line per ipsecrequest
 * ("proto/mode/src-dst/level", with ":reqid" or "#reqid"), lifetimes,
 * spid/seq/pid/scope and refcnt.
 *
 * Where setkey would print "(null)" for a value it cannot name (an
 * unknown direction, policy type, protocol, mode or level), this prints
 * "(invalid <what> N)" instead.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pfkey.h"
#include "print_local.h"

#define PR_IPPROTO_IPV4		4
#define PR_IPPROTO_ICMPV6	58
#define PR_IPPROTO_ESP		50
#define PR_IPPROTO_AH		51
#define PR_IPPROTO_IPCOMP	108

static const char *const dir_words[] = { "any", "in", "out" };
static const char *const policy_words[] = {
	"discard", "none", "ipsec", "entrust", "bypass"
};
static const char *const mode_words[] = { "any", "transport", "tunnel" };
static const char *const level_words[] = {
	"default", "use", "require", "unique"
};
static const char *const scope_words[] = { NULL, "global", "ifnet",
	NULL, "pcb" };

#define NWORDS(t)	(sizeof(t) / sizeof((t)[0]))

/*
 * Upper-layer protocol names as FreeBSD's /etc/protocols spells them;
 * a fixed table so the output does not depend on the local file.
 */
static const struct {
	unsigned	 num;
	const char	*name;
} proto_names[] = {
	{ 0, "ip" }, { 1, "icmp" }, { 2, "igmp" }, { 6, "tcp" },
	{ 17, "udp" }, { 41, "ipv6" }, { 46, "rsvp" }, { 47, "gre" },
	{ 50, "esp" }, { 51, "ah" }, { 89, "ospf" }, { 103, "pim" },
	{ 108, "ipcomp" }, { 112, "vrrp" }, { 115, "l2tp" },
	{ 132, "sctp" }, { 136, "udplite" }
};

static bool
is_inet(const struct pfkey_addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

static unsigned
addr_bits(const struct pfkey_addr *a)
{
	return a->family == AF_INET ? 32 : 128;
}

/* "/24[any]": prefix only when shorter than the address, no port
 * for ICMPv6 (its "ports" are type and code). */
static void
print_prefport(FILE *fp, const struct pfkey_addr *a, unsigned ulp)
{
	if (a->prefixlen != addr_bits(a))
		fprintf(fp, "/%u", a->prefixlen);
	if (ulp == PR_IPPROTO_ICMPV6)
		return;
	if (a->port == PFKEY_PORT_ANY)
		fputs("[any]", fp);
	else
		fprintf(fp, "[%u]", a->port);
}

static void
print_selector_addr(FILE *fp, const struct pfkey_addr *a, unsigned ulp)
{
	char buf[PR_ADDRSTRLEN];

	if (!is_inet(a)) {
		fputs("unknown-af ", fp);
		return;
	}
	fputs(pfkey_pr_addr(a, buf, sizeof(buf)), fp);
	print_prefport(fp, a, ulp);
	fputc(' ', fp);
}

static void
print_upperspec(FILE *fp, unsigned ulp, unsigned sport, unsigned dport)
{
	size_t i;

	if (ulp == PFKEY_ULPROTO_ANY) {
		fputs("any", fp);
		return;
	}
	if (ulp == PR_IPPROTO_ICMPV6) {
		fputs("icmp6", fp);
		if (sport != PFKEY_PORT_ANY || dport != PFKEY_PORT_ANY)
			fprintf(fp, " %u,%u", sport, dport);
		return;
	}
	if (ulp == PR_IPPROTO_IPV4) {
		fputs("ip4", fp);
		return;
	}
	for (i = 0; i < NWORDS(proto_names); i++) {
		if (proto_names[i].num == ulp) {
			fputs(proto_names[i].name, fp);
			return;
		}
	}
	fprintf(fp, "%u", ulp);
}

/* The selector line without its newline; false when setkey stops. */
static bool
print_selector(FILE *fp, const struct pfkey_msg *m)
{
	const struct pfkey_addr *src = &m->addr_src, *dst = &m->addr_dst;
	unsigned sport, dport;

	if (!PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) ||
	    !PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST)) {
		fputs("(no selector, probably per-socket policy) ", fp);
		return true;
	}
	/* setkey takes the protocol of both from the source. */
	print_selector_addr(fp, src, src->proto);
	print_selector_addr(fp, dst, src->proto);
	if (src->proto != dst->proto) {
		fputs("upper layer protocol mismatched.\n", fp);
		return false;
	}
	sport = is_inet(src) ? src->port : 0;
	dport = is_inet(dst) ? dst->port : 0;
	print_upperspec(fp, src->proto, sport, dport);
	return true;
}

static void
print_word(FILE *fp, const char *const *table, size_t n, unsigned value,
    const char *what)
{
	if (value < n && table[value] != NULL)
		fputs(table[value], fp);
	else
		fprintf(fp, "(invalid %s %u)", what, value);
}

static void
print_req_proto(FILE *fp, unsigned proto)
{
	switch (proto) {
	case PR_IPPROTO_ESP:
		fputs("esp", fp);
		break;
	case PR_IPPROTO_AH:
		fputs("ah", fp);
		break;
	case PR_IPPROTO_IPCOMP:
		fputs("ipcomp", fp);
		break;
	default:
		fprintf(fp, "(invalid protocol %u)", proto);
		break;
	}
}

/* "esp/tunnel/198.51.100.1-203.0.113.2/unique:7" */
static void
print_request(FILE *fp, const struct pfkey_ipsecrequest *r)
{
	char a[PR_ADDRSTRLEN];

	print_req_proto(fp, r->proto);
	fputc('/', fp);
	print_word(fp, mode_words, NWORDS(mode_words), r->mode, "mode");
	fputc('/', fp);
	if (r->has_endpoints) {
		fputs(pfkey_pr_addr(&r->src, a, sizeof(a)), fp);
		fprintf(fp, "-%s", pfkey_pr_addr(&r->dst, a, sizeof(a)));
	}
	fputc('/', fp);
	print_word(fp, level_words, NWORDS(level_words), r->level, "level");
	if (r->reqid != 0)
		fprintf(fp, "%c%u", r->reqid > PFKEY_REQID_MAX ? '#' : ':',
		    r->reqid);
}

/* "\n\tout ipsec\n\tesp/.../require\n" */
static void
print_policy_spec(FILE *fp, const struct pfkey_policy *p)
{
	unsigned i, nreq;

	fputs("\n\t", fp);
	print_word(fp, dir_words, NWORDS(dir_words), p->dir, "direction");
	fputc(' ', fp);
	print_word(fp, policy_words, NWORDS(policy_words), p->type,
	    "policy type");
	nreq = p->nreq > PFKEY_MAXREQ ? PFKEY_MAXREQ : p->nreq;
	for (i = 0; p->type == PFKEY_POLICY_IPSEC && i < nreq; i++) {
		fputs("\n\t", fp);
		print_request(fp, &p->req[i]);
	}
	fputc('\n', fp);
}

static void
print_policy_lifetimes(FILE *fp, const struct pfkey_msg *m)
{
	char t[PR_TIMESTRLEN];

	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_CURRENT)) {
		fprintf(fp, "\tcreated: %s  ", pfkey_pr_time(
		    m->life_current.addtime, t, sizeof(t)));
		fprintf(fp, "lastused: %s\n", pfkey_pr_time(
		    m->life_current.usetime, t, sizeof(t)));
	}
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD))
		fprintf(fp, "\tlifetime: %llu(s) validtime: %llu(s)\n",
		    (unsigned long long)m->life_hard.addtime,
		    (unsigned long long)m->life_hard.usetime);
}

/* "\tspid=5 seq=0 pid=4242 scope=global \n" (setkey's trailing blank). */
static void
print_policy_ids(FILE *fp, const struct pfkey_msg *m)
{
	const struct pfkey_policy *p = &m->policy;
	char num[16], ifname[IF_NAMESIZE];

	fprintf(fp, "\tspid=%u seq=%u pid=%u scope=", p->id, m->seq, m->pid);
	fprintf(fp, "%s ", pfkey_pr_table(scope_words, NWORDS(scope_words),
	    p->scope, num, sizeof(num)));
	if (p->scope == PFKEY_SCOPE_IFNET &&
	    if_indextoname(p->priority, ifname) != NULL)
		fprintf(fp, "ifname=%s", ifname);
	fputc('\n', fp);
}

void
pfkey_print_policy(FILE *fp, const struct pfkey_msg *m, time_t now)
{
	(void)now;	/* setkey -DP prints no "current:" line */

	if (!print_selector(fp, m))
		return;
	if (!PFKEY_HAS(m, PFKEY_EXT_X_POLICY)) {
		fputs("no X_POLICY extension.\n", fp);
		return;
	}
	print_policy_spec(fp, &m->policy);
	print_policy_lifetimes(fp, m);
	print_policy_ids(fp, m);
	fprintf(fp, "\trefcnt=%u\n", m->reserved);
}
