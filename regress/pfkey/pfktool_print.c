/*
 * pfktool's output: one line per SA, policy or kernel message, fields
 * as key=value, nothing that depends on the clock, so shell tests can
 * compare it exactly.  Its own name tables keep the tests independent
 * of libpfkey's spelling.
 *
 *   SA:      SRC DST SATYPE spi=N state=S mode=M reqid=N [E=alg:hex]
 *            [A=alg:hex] [natt=SPORT:DPORT] [oai=A] [oar=A]
 *            [hard=ADD/USE/BYTES] [soft=ADD/USE/BYTES] cur=BYTES/PKTS seq=N
 *   policy:  SRC DST ULPROTO DIR TYPE [REQ ...] id=N seq=N
 *            [lifetime=N] [validtime=N]
 *   message: TYPE seq=N satype=S [errno=E] [spi=N] [src=A] [dst=A]
 *            [proto=N] [mode=M reqid=N] [policy=ID] [prop=N] [soft|hard]
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "pfktool.h"

struct name {
	unsigned	 num;
	const char	*name;
};

static const struct name satypes[] = {
	{ PFKEY_SATYPE_UNSPEC, "unspec" }, { PFKEY_SATYPE_AH, "ah" },
	{ PFKEY_SATYPE_ESP, "esp" }, { PFKEY_SATYPE_IPCOMP, "ipcomp" },
};

static const struct name ealgs[] = {
	{ PFKEY_EALG_NONE, "none" }, { PFKEY_EALG_DESCBC, "des-cbc" },
	{ PFKEY_EALG_3DESCBC, "3des-cbc" }, { PFKEY_EALG_NULL, "null" },
	{ PFKEY_EALG_AESCBC, "aes-cbc" }, { PFKEY_EALG_AESCTR, "aes-ctr" },
	{ PFKEY_EALG_AESGCM16, "aes-gcm-16" },
};

static const struct name aalgs[] = {
	{ PFKEY_AALG_NONE, "none" }, { PFKEY_AALG_MD5HMAC, "hmac-md5" },
	{ PFKEY_AALG_SHA1HMAC, "hmac-sha1" },
	{ PFKEY_AALG_SHA2_256, "hmac-sha2-256" },
	{ PFKEY_AALG_SHA2_384, "hmac-sha2-384" },
	{ PFKEY_AALG_SHA2_512, "hmac-sha2-512" },
	{ PFKEY_AALG_AES_XCBC, "aes-xcbc-mac" },
};

static const char *const types[PFKEY_MSG_MAX + 1] = {
	"reserved", "getspi", "update", "add", "delete", "get", "acquire",
	"register", "expire", "flush", "dump", "promisc", "pchange",
	"spdupdate", "spdadd", "spddelete", "spdget", "spdacquire",
	"spddump", "spdflush", "spdsetidx", "spdexpire", "spddelete2",
};

static const char *const states[] = { "larval", "mature", "dying", "dead" };
static const char *const modes[] = { "any", "transport", "tunnel" };
static const char *const levels[] = { "default", "use", "require",
    "unique" };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *
lookup(const struct name *tab, size_t n, unsigned num)
{
	static char buf[4][16];
	static int which;
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].num == num)
			return tab[i].name;
	which = (which + 1) % 4;
	snprintf(buf[which], sizeof(buf[which]), "%u", num);
	return buf[which];
}

static int
lookup_name(const struct name *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return (int)tab[i].num;
	return -1;
}

const char *
print_satype(unsigned v)
{
	return lookup(satypes, NELEM(satypes), v);
}

const char *
print_ealg(unsigned v)
{
	return lookup(ealgs, NELEM(ealgs), v);
}

const char *
print_aalg(unsigned v)
{
	return lookup(aalgs, NELEM(aalgs), v);
}

int
print_ealg_by_name(const char *s)
{
	return lookup_name(ealgs, NELEM(ealgs), s);
}

int
print_aalg_by_name(const char *s)
{
	return lookup_name(aalgs, NELEM(aalgs), s);
}

const char *
print_type(unsigned v)
{
	return v < NELEM(types) ? types[v] : "unknown";
}

int
print_type_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(types); i++)
		if (strcmp(types[i], s) == 0)
			return (int)i;
	return -1;
}

static void
print_addr_only(FILE *f, const struct pfkey_addr *a)
{
	char buf[64];
	int af = a->family == AF_INET6 ? AF_INET6 : AF_INET;

	if (inet_ntop(af, a->addr, buf, sizeof(buf)) == NULL)
		snprintf(buf, sizeof(buf), "?");
	fputs(buf, f);
}

/* An SA or message address: ADDR, with [PORT] when there is a port. */
void
print_host(FILE *f, const struct pfkey_addr *a)
{
	print_addr_only(f, a);
	if (a->port != 0)
		fprintf(f, "[%u]", a->port);
}

/* An SPD selector half: ADDR[/PLEN][PORT|any] (setkey -DP style). */
void
print_selector(FILE *f, const struct pfkey_addr *a)
{
	unsigned full = a->family == AF_INET6 ? 128 : 32;

	print_addr_only(f, a);
	if (a->prefixlen != full)
		fprintf(f, "/%u", a->prefixlen);
	if (a->port == 0)
		fputs("[any]", f);
	else
		fprintf(f, "[%u]", a->port);
}

static void
print_key(FILE *f, const char *tag, const char *alg,
    const struct pfkey_key *key, bool present)
{
	size_t i, n = ((size_t)key->bits + 7) / 8;

	fprintf(f, " %s=%s", tag, alg);
	if (!present)
		return;
	fputc(':', f);
	for (i = 0; i < n && i < PFKEY_KEY_MAX; i++)
		fprintf(f, "%02x", key->data[i]);
}

static void
print_lifetime(FILE *f, const char *tag, const struct pfkey_lifetime *lt)
{
	fprintf(f, " %s=%llu/%llu/%llu", tag,
	    (unsigned long long)lt->addtime, (unsigned long long)lt->usetime,
	    (unsigned long long)lt->bytes);
}

static const char *
table(const char *const *tab, size_t n, unsigned v)
{
	return v < n ? tab[v] : "?";
}

static void
print_sa_algs(FILE *f, const struct pfkey_msg *m)
{
	bool ek = PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT);
	bool ak = PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH);

	if (m->sa.encrypt != 0 || ek)
		print_key(f, "E", m->satype == PFKEY_SATYPE_IPCOMP ?
		    "deflate" : print_ealg(m->sa.encrypt), &m->key_encrypt,
		    ek);
	if (m->sa.auth != 0 || ak)
		print_key(f, "A", print_aalg(m->sa.auth), &m->key_auth, ak);
}

static void
print_sa_natt(FILE *f, const struct pfkey_msg *m)
{
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
		fprintf(f, " natt=%u:%u", m->natt_sport, m->natt_dport);
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAI)) {
		fputs(" oai=", f);
		print_addr_only(f, &m->natt_oai);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAR)) {
		fputs(" oar=", f);
		print_addr_only(f, &m->natt_oar);
	}
}

void
print_sa_line(FILE *f, const struct pfkey_msg *m)
{
	print_host(f, &m->addr_src);
	fputc(' ', f);
	print_host(f, &m->addr_dst);
	fprintf(f, " %s spi=%u state=%s mode=%s reqid=%u",
	    print_satype(m->satype), m->sa.spi,
	    table(states, NELEM(states), m->sa.state),
	    table(modes, NELEM(modes), m->sa2.mode), m->sa2.reqid);
	print_sa_algs(f, m);
	print_sa_natt(f, m);
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD))
		print_lifetime(f, "hard", &m->life_hard);
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_SOFT))
		print_lifetime(f, "soft", &m->life_soft);
	fprintf(f, " cur=%llu/%u seq=%u\n",
	    (unsigned long long)m->life_current.bytes,
	    m->life_current.allocations, m->seq);
}

static const char *
ulproto(unsigned p)
{
	static char buf[8];

	switch (p) {
	case 255:
		return "any";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	}
	snprintf(buf, sizeof(buf), "%u", p);
	return buf;
}

static const char *
req_proto(unsigned p)
{
	switch (p) {
	case 50:
		return "esp";
	case 51:
		return "ah";
	case 108:
		return "ipcomp";
	}
	return "?";
}

/* proto/mode/src-dst/level[:reqid], as setkey writes a request. */
static void
print_request(FILE *f, const struct pfkey_ipsecrequest *r)
{
	fprintf(f, " %s/%s/", req_proto(r->proto),
	    table(modes, NELEM(modes), r->mode));
	if (r->has_endpoints) {
		print_addr_only(f, &r->src);
		fputc('-', f);
		print_addr_only(f, &r->dst);
	}
	fprintf(f, "/%s", table(levels, NELEM(levels), r->level));
	if (r->level == PFKEY_LEVEL_UNIQUE)
		fprintf(f, ":%u", r->reqid);
}

void
print_policy_line(FILE *f, const struct pfkey_msg *m)
{
	static const char *const ptypes[] = { "discard", "none", "ipsec",
	    "entrust", "bypass" };
	static const char *const dirs[] = { "any", "in", "out" };
	unsigned i;

	print_selector(f, &m->addr_src);
	fputc(' ', f);
	print_selector(f, &m->addr_dst);
	fprintf(f, " %s %s %s", ulproto(m->addr_src.proto),
	    table(dirs, NELEM(dirs), m->policy.dir),
	    table(ptypes, NELEM(ptypes), m->policy.type));
	for (i = 0; i < m->policy.nreq && i < PFKEY_MAXREQ; i++)
		print_request(f, &m->policy.req[i]);
	fprintf(f, " id=%u seq=%u", m->policy.id, m->seq);
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD) && m->life_hard.addtime)
		fprintf(f, " lifetime=%llu",
		    (unsigned long long)m->life_hard.addtime);
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD) && m->life_hard.usetime)
		fprintf(f, " validtime=%llu",
		    (unsigned long long)m->life_hard.usetime);
	fputc('\n', f);
}

static void
print_event_addrs(FILE *f, const struct pfkey_msg *m)
{
	if (PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC)) {
		fputs(" src=", f);
		print_host(f, &m->addr_src);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST)) {
		fputs(" dst=", f);
		print_host(f, &m->addr_dst);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) && m->addr_src.proto != 255)
		fprintf(f, " proto=%u", m->addr_src.proto);
}

void
print_event_line(FILE *f, const struct pfkey_msg *m)
{
	fprintf(f, "%s seq=%u satype=%s", print_type(m->type), m->seq,
	    print_satype(m->satype));
	if (m->errnum != 0)
		fprintf(f, " errno=%s", tool_errname(m->errnum));
	if (PFKEY_HAS(m, PFKEY_EXT_SA))
		fprintf(f, " spi=%u", m->sa.spi);
	print_event_addrs(f, m);
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2))
		fprintf(f, " mode=%s reqid=%u",
		    table(modes, NELEM(modes), m->sa2.mode), m->sa2.reqid);
	if (PFKEY_HAS(m, PFKEY_EXT_X_POLICY))
		fprintf(f, " policy=%u", m->policy.id);
	if (PFKEY_HAS(m, PFKEY_EXT_PROPOSAL))
		fprintf(f, " prop=%u", m->proposal.ncomb);
	if (m->type == PFKEY_EXPIRE)
		fputs(PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD) ? " hard" : " soft",
		    f);
	if (m->type == PFKEY_X_PROMISC && m->inner_len >= PFKEY_MSG_HDRLEN)
		fprintf(f, " inner=%s", print_type(m->inner[1]));
	fputc('\n', f);
}
