/*
 * setkey syntax: the security policy commands
 *
 *	spdadd|spdupdate [-4|-6|-n] SRC_RANGE DST_RANGE UPPERSPEC POLICY;
 *	spddelete [-4|-6|-n] SRC_RANGE DST_RANGE UPPERSPEC -P DIRECTION [...];
 *
 * POLICY is "-P in|out|fwd discard|none|bypass|entrust" or
 * "-P in|out|fwd ipsec REQUEST..." with REQUEST protocol/mode/src-dst/level
 * (level default, use, require, unique or unique:N; omitted = default).
 * spdflush and spddump are in setkey_parse.c.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "setkey_int.h"

#ifndef IPPROTO_IPCOMP
#define IPPROTO_IPCOMP	IPPROTO_COMP	/* Linux spelling */
#endif

struct name_value {
	const char	*name;
	unsigned	value;
};

static const struct name_value upperspecs[] = {
	{ "any", PFKEY_ULPROTO_ANY },
	{ "icmp", IPPROTO_ICMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp6", IPPROTO_ICMPV6 },
	{ "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "gre", IPPROTO_GRE },
};

static const struct name_value directions[] = {
	{ "in", PFKEY_DIR_INBOUND },
	{ "out", PFKEY_DIR_OUTBOUND },
	{ "fwd", SETKEY_DIR_FWD },
};

static const struct name_value actions[] = {
	{ "discard", PFKEY_POLICY_DISCARD },
	{ "none", PFKEY_POLICY_NONE },
	{ "bypass", PFKEY_POLICY_BYPASS },
	{ "entrust", PFKEY_POLICY_ENTRUST },
	{ "ipsec", PFKEY_POLICY_IPSEC },
};

static const struct name_value req_protos[] = {
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "ipcomp", IPPROTO_IPCOMP },
};

static const struct name_value modes[] = {
	{ "transport", PFKEY_MODE_TRANSPORT },
	{ "tunnel", PFKEY_MODE_TUNNEL },
};

static const struct name_value levels[] = {
	{ "default", PFKEY_LEVEL_DEFAULT },
	{ "use", PFKEY_LEVEL_USE },
	{ "require", PFKEY_LEVEL_REQUIRE },
	{ "unique", PFKEY_LEVEL_UNIQUE },
};

#define NV_COUNT(t)	(sizeof(t) / sizeof((t)[0]))

/* Look len bytes up in a table; -1 if absent. */
static int
nv_find(const struct name_value *nv, size_t n, const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(nv[i].name) == len &&
		    memcmp(nv[i].name, text, len) == 0)
			return (int)nv[i].value;
	return -1;
}

/* One part of a word, with its position, for precise messages. */
struct part {
	const char	*text;
	size_t		len;
	unsigned	line, col;
};

static int
part_expected(struct setkey_parser *p, const struct part *pt,
    const char *what)
{
	char shown[64];

	if (pt->len == 0)
		return setkey_fail_at(p, pt->line, pt->col,
		    "syntax error: expected %s, got nothing", what);
	setkey_describe_text(pt->text, pt->len, shown, sizeof(shown));
	return setkey_fail_at(p, pt->line, pt->col,
	    "syntax error: expected %s, got %s", what, shown);
}

static int
parse_upperspec(struct setkey_parser *p, struct pfkey_msg *m)
{
	struct setkey_token t;
	enum setkey_num rc;
	uint64_t v;
	int proto;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, "upper-layer protocol");
	proto = nv_find(upperspecs, NV_COUNT(upperspecs), t.text, t.len);
	if (proto < 0) {
		rc = setkey_parse_u64(t.text, t.len, 255, &v);
		if (rc == SETKEY_NUM_RANGE)
			return setkey_fail(p, &t, "upper-layer protocol number "
			    "out of range (0 to 255)");
		if (rc != SETKEY_NUM_OK)
			return setkey_expected(p, &t, "upper-layer protocol "
			    "(any, icmp, tcp, udp, icmp6, gre or a number)");
		proto = (int)v;
	}
	m->addr_src.proto = (uint8_t)proto;
	m->addr_dst.proto = (uint8_t)proto;
	return 0;
}

/* "A-B": the tunnel endpoints of a request. */
static int
parse_endpoints(struct setkey_parser *p, const struct part *pt,
    struct pfkey_ipsecrequest *req)
{
	const char *dash;
	size_t slen;

	dash = memchr(pt->text, '-', pt->len);
	if (dash == NULL)
		return part_expected(p, pt, "tunnel endpoints SRC-DST");
	slen = (size_t)(dash - pt->text);
	if (setkey_address_text(p, pt->text, slen, pt->line, pt->col,
	    "tunnel source address", 0, &req->src) != 0 ||
	    setkey_address_text(p, dash + 1, pt->len - slen - 1, pt->line,
	    pt->col + (unsigned)slen + 1, "tunnel destination address", 0,
	    &req->dst) != 0)
		return -1;
	if (req->src.family != req->dst.family)
		return setkey_fail_at(p, pt->line, pt->col,
		    "tunnel endpoint address families differ");
	req->src.proto = req->dst.proto = 0;
	req->has_endpoints = true;
	return 0;
}

/* default | use | require | unique | unique:N */
static int
parse_level(struct setkey_parser *p, const struct part *pt,
    struct pfkey_ipsecrequest *req)
{
	const char *colon;
	size_t nlen;
	uint64_t v;
	int level;

	req->level = PFKEY_LEVEL_DEFAULT;
	if (pt->len == 0)
		return 0;
	colon = memchr(pt->text, ':', pt->len);
	nlen = colon != NULL ? (size_t)(colon - pt->text) : pt->len;
	level = nv_find(levels, NV_COUNT(levels), pt->text, nlen);
	if (level < 0 || (colon != NULL && level != PFKEY_LEVEL_UNIQUE))
		return part_expected(p, pt, "level (default, use, require, "
		    "unique or unique:N)");
	req->level = (uint8_t)level;
	if (colon == NULL)
		return 0;
	if (setkey_parse_u64(colon + 1, pt->len - nlen - 1, PFKEY_REQID_MAX,
	    &v) != SETKEY_NUM_OK || v == 0)
		return setkey_fail_at(p, pt->line, pt->col + (unsigned)nlen + 1,
		    "bad reqid in unique:N: expected 1 to %d", PFKEY_REQID_MAX);
	req->reqid = (uint32_t)v;
	return 0;
}

/* Split a word at '/' into at most max parts; returns the count or -1. */
static int
split_request(struct setkey_parser *p, const struct setkey_token *t,
    struct part *parts, int max)
{
	size_t start = 0, i;
	int n = 0;

	for (i = 0; i <= t->len; i++) {
		if (i < t->len && t->text[i] != '/')
			continue;
		if (n == max)
			return setkey_fail_at(p, t->line, t->col + (unsigned)start
			    - 1, "syntax error: expected end of request after "
			    "the level");
		parts[n].text = t->text + start;
		parts[n].len = i - start;
		parts[n].line = t->line;
		parts[n].col = t->col + (unsigned)start;
		n++;
		start = i + 1;
	}
	return n;
}

static int
parse_request(struct setkey_parser *p, const struct setkey_token *t,
    struct pfkey_ipsecrequest *req)
{
	struct part parts[4], none;
	int n, v;

	if ((n = split_request(p, t, parts, 4)) < 0)
		return -1;
	if ((v = nv_find(req_protos, NV_COUNT(req_protos), parts[0].text,
	    parts[0].len)) < 0)
		return part_expected(p, &parts[0], "request protocol (esp, ah "
		    "or ipcomp)");
	req->proto = (uint16_t)v;
	none = parts[0];
	none.col += (unsigned)parts[0].len;
	none.len = 0;
	if (n < 2 || (v = nv_find(modes, NV_COUNT(modes), parts[1].text,
	    parts[1].len)) < 0)
		return part_expected(p, n < 2 ? &none : &parts[1],
		    "mode (transport or tunnel)");
	req->mode = (uint8_t)v;
	if (req->mode == PFKEY_MODE_TUNNEL) {
		none = parts[1];
		none.col += (unsigned)parts[1].len;
		none.len = 0;
		if (parse_endpoints(p, n < 3 ? &none : &parts[2], req) != 0)
			return -1;
	} else if (n >= 3 && parts[2].len != 0)
		return setkey_fail_at(p, parts[2].line, parts[2].col,
		    "transport mode takes no tunnel endpoints");
	if (n < 4) {
		req->level = PFKEY_LEVEL_DEFAULT;
		return 0;
	}
	return parse_level(p, &parts[3], req);
}

static int
parse_requests(struct setkey_parser *p, struct pfkey_policy *pol)
{
	struct setkey_token t;

	while (setkey_peek(p)->kind != SETKEY_TOK_SEMI) {
		t = setkey_take(p);
		if (t.kind != SETKEY_TOK_WORD)
			return setkey_expected(p, &t, "a request or ';'");
		if (pol->nreq == PFKEY_MAXREQ)
			return setkey_fail(p, &t, "too many requests (at most "
			    "%d)", PFKEY_MAXREQ);
		if (parse_request(p, &t, &pol->req[pol->nreq]) != 0)
			return -1;
		pol->nreq++;
	}
	if (pol->nreq == 0)
		return setkey_expected(p, setkey_peek(p),
		    "a request (protocol/mode/src-dst/level)");
	return 0;
}

static int
parse_word_nv(struct setkey_parser *p, const struct name_value *nv,
    size_t n, const char *what, unsigned *out)
{
	struct setkey_token t;
	int v;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD ||
	    (v = nv_find(nv, n, t.text, t.len)) < 0)
		return setkey_expected(p, &t, what);
	*out = (unsigned)v;
	return 0;
}

/* -P DIRECTION [ACTION [REQUEST...]]; the action is optional for delete. */
static int
parse_policy(struct setkey_parser *p, struct pfkey_msg *m, bool need_action)
{
	struct pfkey_policy *pol = &m->policy;
	struct setkey_token t;
	unsigned v;

	t = setkey_take(p);
	if (!setkey_tok_is(&t, "-P"))
		return setkey_expected(p, &t, "'-P'");
	if (parse_word_nv(p, directions, NV_COUNT(directions),
	    "direction (in, out or fwd)", &v) != 0)
		return -1;
	pol->dir = (uint8_t)v;
	pol->scope = PFKEY_SCOPE_GLOBAL;
	pol->type = PFKEY_POLICY_DISCARD;	/* delete: ignored by the kernel */
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
	if (!need_action && setkey_peek(p)->kind == SETKEY_TOK_SEMI)
		return 0;
	if (parse_word_nv(p, actions, NV_COUNT(actions), "policy (discard, "
	    "none, bypass, entrust or ipsec)", &v) != 0)
		return -1;
	pol->type = (uint16_t)v;
	if (pol->type == PFKEY_POLICY_IPSEC)
		return parse_requests(p, pol);
	return 0;
}

/* SRC_RANGE DST_RANGE UPPERSPEC, shared by all three commands. */
static int
parse_selector(struct setkey_parser *p, struct pfkey_msg *m)
{
	struct setkey_token dst_tok;
	int family;

	if (setkey_family_flags(p, &family) != 0 ||
	    setkey_range(p, "source range", family, &m->addr_src) != 0)
		return -1;
	dst_tok = *setkey_peek(p);
	if (setkey_range(p, "destination range", family, &m->addr_dst) != 0)
		return -1;
	if (m->addr_src.family != m->addr_dst.family)
		return setkey_fail(p, &dst_tok, "source and destination "
		    "address families differ");
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	return parse_upperspec(p, m);
}

int
setkey_parse_spd(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	pfkey_msg_init(&cmd->msg, cmd->op == SETKEY_SPDADD ? PFKEY_X_SPDADD :
	    PFKEY_X_SPDUPDATE, PFKEY_SATYPE_UNSPEC, 0, 0);
	if (parse_selector(p, &cmd->msg) != 0 ||
	    parse_policy(p, &cmd->msg, true) != 0)
		return -1;
	return setkey_end(p, "';'");
}

int
setkey_parse_spddelete(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	pfkey_msg_init(&cmd->msg, PFKEY_X_SPDDELETE, PFKEY_SATYPE_UNSPEC, 0, 0);
	if (parse_selector(p, &cmd->msg) != 0 ||
	    parse_policy(p, &cmd->msg, false) != 0)
		return -1;
	return setkey_end(p, "';'");
}
