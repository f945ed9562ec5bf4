/*
 * oakleyd.conf peer blocks:
 *
 *	peer NAME { address ADDRESS; auth ...; ... }
 *
 * NAME may itself be an address, which is then the default for address.
 * Core keys are dispatched to conf_auth.c, conf_proposal.c and
 * conf_policy.c; any other "KEY { ... }" is kept as a plugin block.
 * Policies are read last, once the peer's addresses are known.  Also
 * here: freeing a peer and comparing two for a reload.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

#define PEER_NAME_MAX	64

typedef int (*peer_parser)(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);

static int peer_address(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);
static int peer_local_address(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);
static int peer_profile(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);
static int peer_local_id(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);
static int peer_remote_id(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);
static int peer_policy(struct conf_ctx *, const struct conf_stmt *,
    struct conf_peer *);

struct peer_key {
	const char	*key;
	peer_parser	parse;
	bool		once;
	bool		block;		/* may have a block */
};

enum {
	PK_ADDRESS, PK_LOCAL_ADDRESS, PK_PROFILE, PK_AUTH, PK_LOCAL_ID,
	PK_REMOTE_ID, PK_PHASE1, PK_PHASE2, PK_DPD, PK_RETRANSMIT, PK_POLICY,
	PK_COUNT
};

static const struct peer_key peer_keys[PK_COUNT] = {
	[PK_ADDRESS] = { "address", peer_address, true, false },
	[PK_LOCAL_ADDRESS] =
	    { "local-address", peer_local_address, true, false },
	[PK_PROFILE] = { "profile", peer_profile, true, false },
	[PK_AUTH] = { "auth", conf_auth_parse, true, true },
	[PK_LOCAL_ID] = { "local-id", peer_local_id, true, false },
	[PK_REMOTE_ID] = { "remote-id", peer_remote_id, true, false },
	[PK_PHASE1] = { "phase1", conf_phase1_parse, false, false },
	[PK_PHASE2] = { "phase2", conf_phase2_parse, false, false },
	[PK_DPD] = { "dpd", conf_dpd_parse, true, false },
	[PK_RETRANSMIT] = { "retransmit", conf_retransmit_parse, true, false },
	[PK_POLICY] = { "policy", peer_policy, false, false },
};

static int
addr_arg(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct pfkey_addr *out)
{
	char reason[160];

	if (conf_want_args(ctx, st, 1, 1, "address ADDRESS") == -1)
		return -1;
	if (conf_parse_addr(st->args[0].text, false, out, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, 0, "%s", reason);
	return 0;
}

/* address ADDRESS [port NUMBER] */
static int
peer_address(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	char reason[160];
	uint64_t port;

	if (conf_want_args(ctx, st, 1, 3, "address ADDRESS [port NUMBER]") ==
	    -1)
		return -1;
	if (conf_parse_addr(st->args[0].text, false, &peer->address, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, 0, "%s", reason);
	peer->port = CONF_DEFAULT_PORT;
	if (st->nargs == 1)
		return 0;
	if (st->nargs != 3 || strcmp(st->args[1].text, "port") != 0)
		return conf_fail_arg(ctx, st, 1, "expected 'port NUMBER'");
	if (conf_stmt_arg_number(st, 2, 1, 65535, &port, ctx->err,
	    ctx->errlen) == -1)
		return -1;
	peer->port = (uint16_t)port;
	return 0;
}

static int
peer_local_address(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	return addr_arg(ctx, st, &peer->local_address);
}

static int
peer_profile(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	if (conf_want_args(ctx, st, 1, 1, "profile NAME") == -1)
		return -1;
	return conf_arg_string(ctx, st, 0, &peer->profile);
}

static int
peer_local_id(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	return conf_id_parse(ctx, st, &peer->local_id);
}

static int
peer_remote_id(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	return conf_id_parse(ctx, st, &peer->remote_id);
}

static int
peer_policy(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	struct conf_policy *pol;

	pol = reallocarray(peer->policies, peer->npolicies + 1, sizeof(*pol));
	if (pol == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	peer->policies = pol;
	if (conf_policy_parse(ctx, st, peer, &pol[peer->npolicies]) == -1)
		return -1;
	peer->npolicies++;
	return 0;
}

static int
peer_key_index(const char *key)
{
	int i;

	for (i = 0; i < PK_COUNT; i++)
		if (strcmp(peer_keys[i].key, key) == 0)
			return i;
	return -1;
}

/* One statement of the first pass: everything but policies. */
static int
peer_stmt(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer, const struct conf_stmt **seen)
{
	int k = peer_key_index(st->key);

	if (k == -1 && st->block == NULL)
		return conf_fail_stmt(ctx, st, "unknown key '%.*s' in peer "
		    "block", CONF_ECHO_MAX, st->key);
	if (k == -1 && st->nargs > 0)
		return conf_fail_arg(ctx, st, 0, "plugin block '%.*s' takes "
		    "no arguments", CONF_ECHO_MAX, st->key);
	if (k == -1)
		return conf_plugin_block_add(ctx, &peer->plugins,
		    &peer->nplugins, st, st->key, "in peer block");
	if (peer_keys[k].once && seen[k] != NULL)
		return conf_fail_duplicate(ctx, st, seen[k], "in peer block");
	seen[k] = st;
	if (!peer_keys[k].block && conf_want_no_block(ctx, st) == -1)
		return -1;
	if (k == PK_POLICY)
		return 0;
	return peer_keys[k].parse(ctx, st, peer);
}

static int
peer_policies(struct conf_ctx *ctx, const struct conf_stmt *peer_st,
    struct conf_peer *peer)
{
	const struct conf_stmt *st;

	for (st = peer_st->block->first; st != NULL; st = st->next)
		if (strcmp(st->key, "policy") == 0 &&
		    peer_policy(ctx, st, peer) == -1)
			return -1;
	return 0;
}

/* What must be there once the block is read, and the defaults. */
static int
peer_complete(struct conf_ctx *ctx, const struct conf_stmt *peer_st,
    struct conf_peer *peer, const struct conf_stmt **seen)
{
	const struct conf_stmt *la = seen[PK_LOCAL_ADDRESS];

	if (peer->port == 0)
		peer->port = CONF_DEFAULT_PORT;
	if (peer->address.family == 0)
		return conf_fail_stmt(ctx, peer_st, "peer '%s' has no address "
		    "(expected 'address ADDRESS;')", peer->name);
	if (peer->auth == CONF_AUTH_NONE)
		return conf_fail_stmt(ctx, peer_st, "peer '%s' has no auth "
		    "(expected 'auth psk ...;' or 'auth rsa { ... }')",
		    peer->name);
	if (la != NULL && peer->local_address.family != peer->address.family)
		return conf_fail_arg(ctx, la, 0, "local-address and address "
		    "are of different address families");
	if (peer->profile == NULL &&
	    (peer->profile = strdup(CONF_DEFAULT_PROFILE)) == NULL)
		return conf_fail_stmt(ctx, peer_st, "out of memory");
	if (conf_proposals_md5(ctx, peer_st, peer) == -1)
		return -1;
	if (conf_proposals_default(peer) == -1)
		return conf_fail_stmt(ctx, peer_st, "out of memory");
	return peer_policies(ctx, peer_st, peer);
}

static int
peer_body(struct conf_ctx *ctx, const struct conf_stmt *peer_st,
    struct conf_peer *peer)
{
	const struct conf_stmt *seen[PK_COUNT] = { NULL };
	const struct conf_stmt *st;

	for (st = peer_st->block->first; st != NULL; st = st->next)
		if (peer_stmt(ctx, st, peer, seen) == -1)
			return -1;
	return peer_complete(ctx, peer_st, peer, seen);
}

/* Name and address must be unique among the peers read so far. */
static int
peer_unique(struct conf_ctx *ctx, const struct conf_stmt *st,
    const struct conf_peer *peer, bool check_address)
{
	const struct config *conf = ctx->conf;
	const struct conf_peer *p;
	char text[INET6_ADDRSTRLEN + 8];
	size_t i;

	for (i = 0; i < conf->npeers; i++) {
		p = &conf->peers[i];
		if (!check_address && strcmp(p->name, peer->name) == 0)
			return conf_fail_arg(ctx, st, 0, "duplicate peer '%s' "
			    "(first defined at %s:%d:%d)", peer->name,
			    p->file, p->line, p->col);
		if (check_address &&
		    conf_addr_equal(&p->address, &peer->address)) {
			conf_addr_format(&peer->address, text, sizeof(text));
			return conf_fail_stmt(ctx, st, "peer '%s' has the same "
			    "address %s as peer '%s' (%s:%d:%d)", peer->name,
			    text, p->name, p->file, p->line, p->col);
		}
	}
	return 0;
}

static int
peer_start(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	char reason[160];

	if (conf_want_args(ctx, st, 1, 1, "peer NAME { ... }") == -1 ||
	    conf_want_block(ctx, st, "peer NAME { ... }") == -1)
		return -1;
	if (st->args[0].len > PEER_NAME_MAX)
		return conf_fail_arg(ctx, st, 0, "peer name longer than %d "
		    "bytes", PEER_NAME_MAX);
	if (conf_arg_string(ctx, st, 0, &peer->name) == -1)
		return -1;
	peer->file = conf_file_name(st->file);
	peer->line = st->line;
	peer->col = st->col;
	if (peer_unique(ctx, st, peer, false) == -1)
		return -1;
	/* A name that is an address is the default address. */
	if (conf_parse_addr(peer->name, false, &peer->address, reason,
	    sizeof(reason)) == -1)
		memset(&peer->address, 0, sizeof(peer->address));
	return 0;
}

int
conf_peer_parse(struct conf_ctx *ctx, const struct conf_stmt *st)
{
	struct config *conf = ctx->conf;
	struct conf_peer peer, *peers;

	memset(&peer, 0, sizeof(peer));
	peer.dpd_retries = CONF_DEFAULT_DPD_RETRIES;
	peer.retransmit_interval = CONF_DEFAULT_RETRANSMIT_INTERVAL;
	peer.retransmit_count = CONF_DEFAULT_RETRANSMIT_COUNT;
	if (peer_start(ctx, st, &peer) == -1 ||
	    peer_body(ctx, st, &peer) == -1 ||
	    peer_unique(ctx, st, &peer, true) == -1)
		goto fail;
	peers = reallocarray(conf->peers, conf->npeers + 1, sizeof(*peers));
	if (peers == NULL) {
		conf_fail_stmt(ctx, st, "out of memory");
		goto fail;
	}
	conf->peers = peers;
	peers[conf->npeers++] = peer;
	return 0;
fail:
	conf_peer_clear(&peer);
	return -1;
}

void
conf_peer_clear(struct conf_peer *peer)
{
	free(peer->name);
	free(peer->profile);
	if (peer->psk != NULL)
		conf_wipe_free(peer->psk, peer->psk_len);
	free(peer->psk_file);
	free(peer->rsa_cert);
	free(peer->rsa_key);
	free(peer->rsa_ca);
	free(peer->local_id.name);
	free(peer->remote_id.name);
	free(peer->phase1);
	free(peer->phase2);
	free(peer->policies);
	conf_plugin_blocks_free(peer->plugins, peer->nplugins);
	memset(peer, 0, sizeof(*peer));
}

/* ---- Comparison for a reload ---- */

static bool
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
auth_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	if (a->auth != b->auth || a->psk_len != b->psk_len)
		return false;
	if (a->psk_len > 0 && memcmp(a->psk, b->psk, a->psk_len) != 0)
		return false;
	return str_equal(a->psk_file, b->psk_file) &&
	    str_equal(a->rsa_cert, b->rsa_cert) &&
	    str_equal(a->rsa_key, b->rsa_key) &&
	    str_equal(a->rsa_ca, b->rsa_ca);
}

static bool
phase1_equal(const struct conf_phase1 *a, const struct conf_phase1 *b)
{
	return a->enc == b->enc && a->hash == b->hash &&
	    a->group == b->group && a->lifetime == b->lifetime;
}

static bool
phase2_equal(const struct conf_phase2 *a, const struct conf_phase2 *b)
{
	return a->enc == b->enc && a->integ == b->integ &&
	    a->pfs_group == b->pfs_group && a->lifetime == b->lifetime &&
	    a->lifetime_kb == b->lifetime_kb;
}

static bool
proposals_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	size_t i;

	if (a->nphase1 != b->nphase1 || a->nphase2 != b->nphase2 ||
	    a->phase1_default != b->phase1_default ||
	    a->phase2_default != b->phase2_default)
		return false;
	for (i = 0; i < a->nphase1; i++)
		if (!phase1_equal(&a->phase1[i], &b->phase1[i]))
			return false;
	for (i = 0; i < a->nphase2; i++)
		if (!phase2_equal(&a->phase2[i], &b->phase2[i]))
			return false;
	return true;
}

static bool
policies_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	size_t i;

	if (a->npolicies != b->npolicies)
		return false;
	for (i = 0; i < a->npolicies; i++)
		if (!conf_policy_equal(&a->policies[i], &b->policies[i]))
			return false;
	return true;
}

static bool
plugins_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	size_t i;

	if (a->nplugins != b->nplugins)
		return false;
	for (i = 0; i < a->nplugins; i++)
		if (strcmp(a->plugins[i].name, b->plugins[i].name) != 0 ||
		    !conf_block_equal(a->plugins[i].block, b->plugins[i].block))
			return false;
	return true;
}

bool
conf_peer_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	return strcmp(a->name, b->name) == 0 &&
	    conf_addr_equal(&a->address, &b->address) &&
	    a->port == b->port &&
	    conf_addr_equal(&a->local_address, &b->local_address) &&
	    strcmp(a->profile, b->profile) == 0 &&
	    auth_equal(a, b) &&
	    conf_id_equal(&a->local_id, &b->local_id) &&
	    conf_id_equal(&a->remote_id, &b->remote_id) &&
	    proposals_equal(a, b) &&
	    a->dpd_interval == b->dpd_interval &&
	    a->dpd_retries == b->dpd_retries &&
	    a->retransmit_interval == b->retransmit_interval &&
	    a->retransmit_count == b->retransmit_count &&
	    policies_equal(a, b) &&
	    plugins_equal(a, b);
}
