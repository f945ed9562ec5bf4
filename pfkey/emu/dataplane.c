/*
 * The data plane of pfkeyemud: what the traffic commands do.  One line
 * in, one line out (the grammar is in pfkeyemud.8):
 *
 *   out SRC DST PROTO SPORT DPORT LENGTH   a packet leaves: SPD lookup,
 *                                          SA use or ACQUIRE
 *   in SPI LENGTH [DST SAPROTO]            a packet arrives on an SA
 *   advance SECONDS | time | stats
 *
 * Answers never contain secrets; bad input gets "error <reason>".
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define MAX_TOKENS	8
#define MAX_LENGTH	(1ULL << 40)	/* bytes of one "packet" */

struct answer {
	char	*buf;
	size_t	 size;
	size_t	 len;
};

static void
say(struct answer *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct answer *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->len >= a->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(a->buf + a->len, a->size - a->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		a->len += (size_t)n < a->size - a->len ? (size_t)n :
		    a->size - a->len - 1;
}

/* A space before every item but the first. */
static void
item(struct answer *a, const char *fmt, const char *name, uint32_t v)
{
	if (a->len > 0)
		say(a, " ");
	say(a, fmt, name, v);
}

static int
parse_u64(const char *s, int base, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!isxdigit((unsigned char)*s) ||
	    (base != 16 && !isdigit((unsigned char)*s)))
		return EINVAL;	/* no sign, no space */
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || x > max)
		return EINVAL;
	*v = x;
	return 0;
}

/* Decimal, or hexadecimal after "0x". */
static int
parse_spi(const char *s, uint32_t *spi)
{
	uint64_t v;
	int error;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		error = parse_u64(s + 2, 16, UINT32_MAX, &v);
	else
		error = parse_u64(s, 10, UINT32_MAX, &v);
	if (error == 0)
		*spi = (uint32_t)v;
	return error;
}

static int
parse_proto(const char *s, uint8_t *proto)
{
	static const struct {
		const char	*name;
		uint8_t		 proto;
	} names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmp6", 58 },
		{ "any", PFKEY_ULPROTO_ANY },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*proto = names[i].proto;
			return 0;
		}
	if (parse_u64(s, 10, 255, &v) != 0)
		return EINVAL;
	*proto = (uint8_t)v;
	return 0;
}

static const char *
satype_word(uint8_t satype)
{
	switch (satype) {
	case PFKEY_SATYPE_ESP:
		return "esp";
	case PFKEY_SATYPE_AH:
		return "ah";
	case PFKEY_SATYPE_IPCOMP:
		return "ipcomp";
	}
	return "?";
}

static int
parse_saproto(const char *s, uint8_t *satype)
{
	if (strcmp(s, "esp") == 0 || strcmp(s, "50") == 0)
		*satype = PFKEY_SATYPE_ESP;
	else if (strcmp(s, "ah") == 0 || strcmp(s, "51") == 0)
		*satype = PFKEY_SATYPE_AH;
	else if (strcmp(s, "ipcomp") == 0 || strcmp(s, "108") == 0)
		*satype = PFKEY_SATYPE_IPCOMP;
	else
		return EINVAL;
	return 0;
}

/* The SA endpoints of request r for the packet. */
static void
endpoints(const struct pfkey_ipsecrequest *r, const struct emu_flow *f,
    const struct pfkey_addr **src, const struct pfkey_addr **dst)
{
	if (r->mode == PFKEY_MODE_TUNNEL && r->has_endpoints) {
		*src = &r->src;
		*dst = &r->dst;
	} else {
		*src = &f->src;
		*dst = &f->dst;
	}
}

static struct emu_sa *
request_sa(const struct pfkey_ipsecrequest *r, const struct emu_flow *f)
{
	const struct pfkey_addr *src, *dst;

	endpoints(r, f, &src, &dst);
	return sadb_find_outbound(emu_proto_to_satype(r->proto), src, dst,
	    r->mode, r->level == PFKEY_LEVEL_UNIQUE ? r->reqid : 0);
}

/* ACQUIRE for request i and its answer word. */
static void
acquire(struct answer *a, const struct emu_policy *p, unsigned i,
    const struct emu_flow *f)
{
	const struct pfkey_addr *src, *dst;
	uint32_t seq = 0;
	int error;

	endpoints(&p->pol.req[i], f, &src, &dst);
	error = acquire_start(p, i, src, dst, f, &seq);
	if (error == 0)
		item(a, "%s seq=%u", "acquire", seq);
	else if (error == EALREADY)
		item(a, "%s seq=%u", "acquire-pending", seq);
	else
		item(a, "%s%u", "acquire-failed errno=", (uint32_t)error);
}

static void
out_ipsec(struct answer *a, const struct emu_policy *p,
    const struct emu_flow *f)
{
	struct emu_sa *sa[PFKEY_MAXREQ];
	bool missing_use[PFKEY_MAXREQ];
	unsigned i, nused = 0;

	for (i = 0; i < p->pol.nreq; i++) {
		sa[i] = request_sa(&p->pol.req[i], f);
		missing_use[i] = sa[i] == NULL &&
		    p->pol.req[i].level == PFKEY_LEVEL_USE;
		if (sa[i] == NULL && !missing_use[i]) {
			acquire(a, p, i, f);	/* packet dropped */
			return;
		}
		nused += sa[i] != NULL;
	}
	if (nused == 0)
		say(a, "bypass");
	for (i = 0; i < p->pol.nreq; i++) {
		if (sa[i] == NULL)
			continue;
		item(a, "%s spi=%u", satype_word(sa[i]->satype),
		    sa[i]->sa.spi);
		sadb_use(sa[i], f->length);
	}
	for (i = 0; i < p->pol.nreq; i++)
		if (missing_use[i])
			acquire(a, p, i, f);
	if (nused > 0)
		sadb_expire_run();	/* byte limits */
}

static int
parse_flow(char **tok, struct emu_flow *f, struct answer *a)
{
	uint64_t sport, dport, len;

	memset(f, 0, sizeof(*f));
	if (emu_addr_parse(&f->src, tok[0]) != 0 ||
	    emu_addr_parse(&f->dst, tok[1]) != 0) {
		say(a, "error bad address");
		return EINVAL;
	}
	if (f->src.family != f->dst.family) {
		say(a, "error address families differ");
		return EINVAL;
	}
	if (parse_proto(tok[2], &f->proto) != 0) {
		say(a, "error bad protocol '%s'", tok[2]);
		return EINVAL;
	}
	if (parse_u64(tok[3], 10, 65535, &sport) != 0 ||
	    parse_u64(tok[4], 10, 65535, &dport) != 0) {
		say(a, "error bad port");
		return EINVAL;
	}
	if (parse_u64(tok[5], 10, MAX_LENGTH, &len) != 0) {
		say(a, "error bad length '%s'", tok[5]);
		return EINVAL;
	}
	f->src.port = (uint16_t)sport;
	f->dst.port = (uint16_t)dport;
	f->length = len;
	return 0;
}

static void
cmd_out(struct answer *a, char **tok, int ntok)
{
	struct emu_flow f;
	struct emu_policy *p;

	if (ntok != 7) {
		say(a, "error usage: out SRC DST PROTO SPORT DPORT LENGTH");
		return;
	}
	if (parse_flow(tok + 1, &f, a) != 0)
		return;
	p = spd_lookup(PFKEY_DIR_OUTBOUND, &f.src, &f.dst, f.proto);
	if (p == NULL || p->pol.type == PFKEY_POLICY_NONE ||
	    p->pol.type == PFKEY_POLICY_BYPASS)
		say(a, "bypass");
	else if (p->pol.type == PFKEY_POLICY_DISCARD)
		say(a, "discard");
	else
		out_ipsec(a, p, &f);
}

static void
cmd_in(struct answer *a, char **tok, int ntok)
{
	struct pfkey_addr dst;
	struct emu_sa *sa;
	uint64_t len;
	uint32_t spi;
	uint8_t satype = 0;

	if (ntok != 3 && ntok != 5) {
		say(a, "error usage: in SPI LENGTH [DST esp|ah|ipcomp]");
		return;
	}
	if (parse_spi(tok[1], &spi) != 0 ||
	    parse_u64(tok[2], 10, MAX_LENGTH, &len) != 0) {
		say(a, "error bad SPI or length");
		return;
	}
	if (ntok == 5 && (emu_addr_parse(&dst, tok[3]) != 0 ||
	    parse_saproto(tok[4], &satype) != 0)) {
		say(a, "error bad destination or SA protocol");
		return;
	}
	sa = sadb_find_inbound(spi, satype, ntok == 5 ? &dst : NULL);
	if (sa == NULL) {
		say(a, "no-sa");
		return;
	}
	say(a, "ok %s spi=%u", satype_word(sa->satype), sa->sa.spi);
	sadb_use(sa, len);
	sadb_expire_run();
}

static void
cmd_advance(struct answer *a, char **tok, int ntok)
{
	uint64_t secs;

	if (ntok != 2 || parse_u64(tok[1], 10, EMU_ADVANCE_MAX, &secs) != 0) {
		say(a, "error usage: advance SECONDS (0..%llu)",
		    (unsigned long long)EMU_ADVANCE_MAX);
		return;
	}
	if (emu_clock_advance(secs) != 0) {
		say(a, "error clock offset limit reached");
		return;
	}
	emu_expire_all();
	say(a, "ok now=%lld", (long long)emu_now());
}

static void
cmd_stats(struct answer *a)
{
	say(a, "sa=%u larval=%u policies=%u clients=%u registered=%u",
	    sadb_count(PFKEY_SATYPE_UNSPEC), sadb_count_larval(), spd_count(),
	    server_client_count(), server_registered_count());
}

static int
tokenize(char *line, char **tok, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
}

void
dataplane_command(char *line, char *buf, size_t size)
{
	struct answer a = { buf, size, 0 };
	char *tok[MAX_TOKENS];
	int ntok;

	buf[0] = '\0';
	if ((ntok = tokenize(line, tok, MAX_TOKENS)) <= 0) {
		say(&a, ntok == 0 ? "error empty command" :
		    "error too many words");
		return;
	}
	if (strcmp(tok[0], "out") == 0)
		cmd_out(&a, tok, ntok);
	else if (strcmp(tok[0], "in") == 0)
		cmd_in(&a, tok, ntok);
	else if (strcmp(tok[0], "advance") == 0)
		cmd_advance(&a, tok, ntok);
	else if (strcmp(tok[0], "time") == 0 && ntok == 1)
		say(&a, "now=%lld", (long long)emu_now());
	else if (strcmp(tok[0], "stats") == 0 && ntok == 1)
		cmd_stats(&a);
	else
		say(&a, "error unknown command");
}
