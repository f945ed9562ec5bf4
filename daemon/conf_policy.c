/*
 * oakleyd.conf peer policies, one statement each:
 *
 *	policy local SELECTOR remote SELECTOR [proto PROTO]
 *	    [transport | tunnel] [endpoints LOCAL-ADDRESS PEER-ADDRESS]
 *	    [require | use] [reqid NUMBER];
 *	SELECTOR := ADDRESS[/PREFIXLEN] [port NUMBER | port any]
 *
 * The keywords may come in any order.  Defaults: proto any, transport,
 * require, no reqid; tunnel endpoints are the peer's local-address (or
 * the kernel's choice) and address.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

#define NO_ARG	SIZE_MAX

enum {				/* bits of policy_parse.seen */
	SEEN_LOCAL = 1 << 0,
	SEEN_REMOTE = 1 << 1,
	SEEN_PROTO = 1 << 2,
	SEEN_MODE = 1 << 3,
	SEEN_ENDPOINTS = 1 << 4,
	SEEN_LEVEL = 1 << 5,
	SEEN_REQID = 1 << 6
};

struct policy_parse {
	struct conf_ctx	*ctx;
	const struct conf_stmt *st;
	struct conf_policy *pol;
	unsigned	seen;
	size_t		mode_arg, level_arg, port_arg, remote_arg;
	size_t		endpoints_arg;
};

static int
once(struct policy_parse *pp, size_t i, unsigned bit, size_t nvalues)
{
	const struct conf_stmt *st = pp->st;

	if (pp->seen & bit)
		return conf_fail_arg(pp->ctx, st, i, "duplicate '%s' in policy",
		    st->args[i].text);
	if (i + nvalues >= st->nargs)
		return conf_fail_arg(pp->ctx, st, i, "missing value after "
		    "'%s'", st->args[i].text);
	pp->seen |= bit;
	return 0;
}

static int
parse_addr(struct policy_parse *pp, size_t i, bool prefix,
    struct pfkey_addr *out)
{
	char reason[160];

	if (conf_parse_addr(pp->st->args[i].text, prefix, out, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(pp->ctx, pp->st, i, "%s", reason);
	return 0;
}

/* ADDRESS[/LEN] [port N|any] at *i; *i ends on its last argument. */
static int
parse_selector(struct policy_parse *pp, size_t *i, struct pfkey_addr *sel)
{
	const struct conf_stmt *st = pp->st;
	uint64_t port;

	if (parse_addr(pp, ++*i, true, sel) == -1)
		return -1;
	if (*i + 1 >= st->nargs || strcmp(st->args[*i + 1].text, "port") != 0)
		return 0;
	if (*i + 2 >= st->nargs)
		return conf_fail_arg(pp->ctx, st, *i + 1, "missing value after "
		    "'port'");
	if (pp->port_arg == NO_ARG)
		pp->port_arg = *i + 1;
	*i += 2;
	if (strcmp(st->args[*i].text, "any") == 0) {
		sel->port = 0;
		return 0;
	}
	if (conf_stmt_arg_number(st, *i, 1, 65535, &port, pp->ctx->err,
	    pp->ctx->errlen) == -1)
		return -1;
	sel->port = (uint16_t)port;
	return 0;
}

static int
parse_proto(struct policy_parse *pp, size_t i)
{
	char reason[160];

	if (conf_proto_by_name(pp->st->args[i].text, &pp->pol->proto, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(pp->ctx, pp->st, i, "%s", reason);
	return 0;
}

static int
parse_endpoints(struct policy_parse *pp, size_t *i)
{
	struct conf_policy *pol = pp->pol;

	pp->endpoints_arg = *i;
	if (parse_addr(pp, *i + 1, false, &pol->tunnel_local) == -1 ||
	    parse_addr(pp, *i + 2, false, &pol->tunnel_remote) == -1)
		return -1;
	*i += 2;
	pol->endpoints_set = true;
	if (pol->tunnel_local.family != pol->tunnel_remote.family)
		return conf_fail_arg(pp->ctx, pp->st, *i, "tunnel endpoints "
		    "are of different address families");
	return 0;
}

static int
parse_reqid(struct policy_parse *pp, size_t i)
{
	uint64_t v;

	if (conf_stmt_arg_number(pp->st, i, 1, PFKEY_REQID_MAX, &v,
	    pp->ctx->err, pp->ctx->errlen) == -1)
		return -1;
	pp->pol->reqid = (uint32_t)v;
	return 0;
}

/* transport | tunnel, require | use: one of each pair. */
static int
parse_flag(struct policy_parse *pp, size_t i, unsigned bit, int value)
{
	const struct conf_stmt *st = pp->st;
	size_t *first = bit == SEEN_MODE ? &pp->mode_arg : &pp->level_arg;

	if ((pp->seen & bit) &&
	    strcmp(st->args[*first].text, st->args[i].text) == 0)
		return conf_fail_arg(pp->ctx, st, i, "duplicate '%s' in policy",
		    st->args[i].text);
	if (pp->seen & bit)
		return conf_fail_arg(pp->ctx, st, i, "'%s' conflicts with "
		    "'%s' in policy", st->args[i].text,
		    st->args[*first].text);
	pp->seen |= bit;
	*first = i;
	if (bit == SEEN_MODE)
		pp->pol->mode = (enum conf_mode)value;
	else
		pp->pol->level = (enum conf_level)value;
	return 0;
}

static int
parse_local_remote(struct policy_parse *pp, size_t *i, bool local)
{
	if (once(pp, *i, local ? SEEN_LOCAL : SEEN_REMOTE, 1) == -1)
		return -1;
	if (!local)
		pp->remote_arg = *i + 1;
	return parse_selector(pp, i, local ? &pp->pol->local :
	    &pp->pol->remote);
}

/* The keyword at *i and its values; *i ends on the last one. */
static int
parse_keyword(struct policy_parse *pp, size_t *i)
{
	const char *kw = pp->st->args[*i].quoted ? "" : pp->st->args[*i].text;

	if (strcmp(kw, "local") == 0 || strcmp(kw, "remote") == 0)
		return parse_local_remote(pp, i, kw[0] == 'l');
	if (strcmp(kw, "proto") == 0) {
		if (once(pp, *i, SEEN_PROTO, 1) == -1)
			return -1;
		return parse_proto(pp, ++*i);
	}
	if (strcmp(kw, "endpoints") == 0) {
		if (once(pp, *i, SEEN_ENDPOINTS, 2) == -1)
			return -1;
		return parse_endpoints(pp, i);
	}
	if (strcmp(kw, "reqid") == 0) {
		if (once(pp, *i, SEEN_REQID, 1) == -1)
			return -1;
		return parse_reqid(pp, ++*i);
	}
	if (strcmp(kw, "transport") == 0)
		return parse_flag(pp, *i, SEEN_MODE, CONF_MODE_TRANSPORT);
	if (strcmp(kw, "tunnel") == 0)
		return parse_flag(pp, *i, SEEN_MODE, CONF_MODE_TUNNEL);
	if (strcmp(kw, "require") == 0)
		return parse_flag(pp, *i, SEEN_LEVEL, CONF_LEVEL_REQUIRE);
	if (strcmp(kw, "use") == 0)
		return parse_flag(pp, *i, SEEN_LEVEL, CONF_LEVEL_USE);
	return conf_fail_arg(pp->ctx, pp->st, *i, "unknown key '%.*s' in "
	    "policy", CONF_ECHO_MAX, pp->st->args[*i].text);
}

static bool
proto_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

static int
policy_check(struct policy_parse *pp)
{
	struct conf_policy *pol = pp->pol;

	if (!(pp->seen & SEEN_LOCAL))
		return conf_fail_stmt(pp->ctx, pp->st, "policy needs 'local "
		    "ADDRESS[/PREFIXLEN]'");
	if (!(pp->seen & SEEN_REMOTE))
		return conf_fail_stmt(pp->ctx, pp->st, "policy needs 'remote "
		    "ADDRESS[/PREFIXLEN]'");
	if (pol->local.family != pol->remote.family)
		return conf_fail_arg(pp->ctx, pp->st, pp->remote_arg, "local "
		    "and remote selectors are of different address families");
	if (pp->port_arg != NO_ARG && !proto_has_ports(pol->proto))
		return conf_fail_arg(pp->ctx, pp->st, pp->port_arg, "port "
		    "needs proto tcp, udp or sctp");
	if (pol->endpoints_set && pol->mode != CONF_MODE_TUNNEL)
		return conf_fail_arg(pp->ctx, pp->st, pp->endpoints_arg,
		    "endpoints need tunnel mode");
	return 0;
}

int
conf_policy_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    const struct conf_peer *peer, struct conf_policy *pol)
{
	struct policy_parse pp;
	size_t i;

	memset(pol, 0, sizeof(*pol));
	pol->proto = PFKEY_ULPROTO_ANY;
	pol->mode = CONF_MODE_TRANSPORT;
	pol->level = CONF_LEVEL_REQUIRE;
	pol->file = conf_file_name(st->file);
	pol->line = st->line;
	pol->col = st->col;
	memset(&pp, 0, sizeof(pp));
	pp.ctx = ctx;
	pp.st = st;
	pp.pol = pol;
	pp.port_arg = pp.endpoints_arg = NO_ARG;
	for (i = 0; i < st->nargs; i++)
		if (parse_keyword(&pp, &i) == -1)
			return -1;
	if (policy_check(&pp) == -1)
		return -1;
	pol->local.proto = pol->remote.proto = pol->proto;
	if (pol->mode == CONF_MODE_TUNNEL && !pol->endpoints_set) {
		pol->tunnel_local = peer->local_address;
		pol->tunnel_remote = peer->address;
	}
	return 0;
}

bool
conf_policy_equal(const struct conf_policy *a, const struct conf_policy *b)
{
	return conf_addr_equal(&a->local, &b->local) &&
	    conf_addr_equal(&a->remote, &b->remote) &&
	    a->proto == b->proto && a->mode == b->mode &&
	    a->endpoints_set == b->endpoints_set &&
	    conf_addr_equal(&a->tunnel_local, &b->tunnel_local) &&
	    conf_addr_equal(&a->tunnel_remote, &b->tunnel_remote) &&
	    a->level == b->level && a->reqid == b->reqid;
}
