/*
 * oakleyd.conf peer negotiation settings, each a "KEYWORD VALUE" list:
 *
 *	phase1 [encryption E] [hash H] [group G] [lifetime DURATION];
 *	phase2 [encryption E] [auth A] [pfs G|none] [lifetime DURATION]
 *	    [lifesize SIZE];
 *	dpd off;  dpd interval DURATION [retries N];
 *	retransmit [interval DURATION] [count N];
 *
 * phase1 and phase2 repeat: one proposal each, in order of preference.
 * A keyword left out takes its default; a peer with no phase1 (phase2)
 * gets the one default proposal.  The AES-GCM ciphers (aes128gcm16 ...)
 * are for phase2 only and take no auth: GCM's ICV authenticates ESP
 * (RFC 4106), so the proposal has no Authentication Algorithm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

#define PROPOSALS_MAX		32
#define LIFETIME_MIN		60
#define LIFETIME_MAX		(7 * 24 * 3600)
#define LIFESIZE_MIN		1024ULL
#define LIFESIZE_MAX		(0xffffffffULL * 1024)
#define DPD_INTERVAL_MAX	3600
#define DPD_RETRIES_MAX		100
#define RETRANSMIT_INTERVAL_MAX	300
#define RETRANSMIT_COUNT_MAX	20

static const struct conf_phase1 phase1_default = {
	CONF_ENC_AES128, CONF_HASH_SHA1, CONF_DEFAULT_DH_GROUP,
	CONF_DEFAULT_P1_LIFETIME
};

static const struct conf_phase2 phase2_default = {
	CONF_ENC_AES128, CONF_INTEG_HMAC_SHA1, 0, CONF_DEFAULT_P2_LIFETIME, 0
};

/* The keywords of phase1 and phase2; the values' switch follows them. */
static const char *const phase1_kws[] = { "encryption", "hash", "group",
    "lifetime", NULL };
static const char *const phase2_kws[] = { "encryption", "auth", "pfs",
    "lifetime", "lifesize", NULL };
#define PHASE1_KW_HASH	1
#define PHASE2_KW_AUTH	1

static int
value_enc(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    bool phase2, enum conf_enc *out)
{
	int v = conf_enc_by_name(st->args[i].text);

	if (v == -1)
		return conf_fail_arg(ctx, st, i, "unknown encryption '%.*s' "
		    "(expected 3des, aes128, aes192, aes256%s)", CONF_ECHO_MAX,
		    st->args[i].text, phase2 ? ", aes128gcm16, aes192gcm16, "
		    "aes256gcm16" : "");
	if (!phase2 && conf_enc_is_aead((enum conf_enc)v))
		return conf_fail_arg(ctx, st, i, "encryption '%s' is for "
		    "phase2 only (main mode has 3des, aes128, aes192, aes256)",
		    st->args[i].text);
	*out = (enum conf_enc)v;
	return 0;
}

static int
value_group(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    unsigned *out)
{
	char reason[256];

	if (conf_group_by_name(st->args[i].text, out, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, i, "%s", reason);
	return 0;
}

static int
value_lifetime(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    uint64_t *out)
{
	return conf_stmt_arg_seconds(st, i, LIFETIME_MIN, LIFETIME_MAX, out,
	    ctx->err, ctx->errlen);
}

static int
phase1_value(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    size_t which, struct conf_phase1 *p1)
{
	int v;

	switch (which) {
	case 0:
		return value_enc(ctx, st, i, false, &p1->enc);
	case PHASE1_KW_HASH:
		if ((v = conf_hash_by_name(st->args[i].text)) == -1)
			return conf_fail_arg(ctx, st, i, "unknown hash '%.*s' "
			    "(expected md5, sha1, sha256, sha384, sha512)",
			    CONF_ECHO_MAX, st->args[i].text);
		p1->hash = (enum conf_hash)v;
		return 0;
	case 2:
		return value_group(ctx, st, i, &p1->group);
	default:
		return value_lifetime(ctx, st, i, &p1->lifetime);
	}
}

static int
phase2_pfs(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    struct conf_phase2 *p2)
{
	if (strcmp(st->args[i].text, "none") == 0) {
		p2->pfs_group = 0;
		return 0;
	}
	return value_group(ctx, st, i, &p2->pfs_group);
}

static int
phase2_value(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    size_t which, struct conf_phase2 *p2)
{
	uint64_t bytes;
	int v;

	switch (which) {
	case 0:
		return value_enc(ctx, st, i, true, &p2->enc);
	case PHASE2_KW_AUTH:
		if ((v = conf_integ_by_name(st->args[i].text)) == -1)
			return conf_fail_arg(ctx, st, i, "unknown auth "
			    "algorithm '%.*s' (expected hmac-md5, hmac-sha1, "
			    "hmac-sha256, hmac-sha384, hmac-sha512)",
			    CONF_ECHO_MAX, st->args[i].text);
		p2->integ = (enum conf_integ)v;
		return 0;
	case 2:
		return phase2_pfs(ctx, st, i, p2);
	case 3:
		return value_lifetime(ctx, st, i, &p2->lifetime);
	default:
		if (conf_stmt_arg_bytes(st, i, LIFESIZE_MIN, LIFESIZE_MAX,
		    &bytes, ctx->err, ctx->errlen) == -1)
			return -1;
		p2->lifetime_kb = (bytes + 1023) / 1024;
		return 0;
	}
}

static int
proposal_room(struct conf_ctx *ctx, const struct conf_stmt *st, size_t n)
{
	if (n < PROPOSALS_MAX)
		return 0;
	return conf_fail_stmt(ctx, st, "too many %s proposals (at most %d)",
	    st->key, PROPOSALS_MAX);
}

int
conf_phase1_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	struct conf_phase1 p1 = phase1_default, *np;
	unsigned seen = 0;
	size_t i, which;

	if (proposal_room(ctx, st, peer->nphase1) == -1)
		return -1;
	for (i = 0; i < st->nargs; i++)
		if (conf_kw_next(ctx, st, &i, phase1_kws, "phase1", &seen,
		    &which) == -1 ||
		    phase1_value(ctx, st, i, which, &p1) == -1)
			return -1;
	np = reallocarray(peer->phase1, peer->nphase1 + 1, sizeof(*np));
	if (np == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	peer->phase1 = np;
	np[peer->nphase1++] = p1;
	return 0;
}

int
conf_phase2_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	struct conf_phase2 p2 = phase2_default, *np;
	unsigned seen = 0;
	size_t i, which, auth_at = 0;

	if (proposal_room(ctx, st, peer->nphase2) == -1)
		return -1;
	for (i = 0; i < st->nargs; i++) {
		if (conf_kw_next(ctx, st, &i, phase2_kws, "phase2", &seen,
		    &which) == -1 ||
		    phase2_value(ctx, st, i, which, &p2) == -1)
			return -1;
		if (which == PHASE2_KW_AUTH)
			auth_at = i;
	}
	if (conf_enc_is_aead(p2.enc)) {
		if (seen & (1u << PHASE2_KW_AUTH))
			return conf_fail_arg(ctx, st, auth_at - 1, "'auth' "
			    "with encryption %s: AES-GCM authenticates by "
			    "itself (RFC 4106), leave 'auth' out",
			    conf_enc_name(p2.enc));
		p2.integ = CONF_INTEG_NONE;
	}
	np = reallocarray(peer->phase2, peer->nphase2 + 1, sizeof(*np));
	if (np == NULL)
		return conf_fail_stmt(ctx, st, "out of memory");
	peer->phase2 = np;
	np[peer->nphase2++] = p2;
	return 0;
}

/*
 * The argument of a phase1 or phase2 statement (read without error)
 * that names MD5, or 0: arguments go keyword, value, keyword, value.
 */
static size_t
md5_arg(const struct conf_stmt *st)
{
	bool p1 = strcmp(st->key, "phase1") == 0;
	const char *kw = p1 ? phase1_kws[PHASE1_KW_HASH] :
	    phase2_kws[PHASE2_KW_AUTH];
	size_t i;

	if (!p1 && strcmp(st->key, "phase2") != 0)
		return 0;
	for (i = 0; i + 1 < st->nargs; i += 2) {
		if (strcmp(st->args[i].text, kw) != 0)
			continue;
		if (p1 ? conf_hash_by_name(st->args[i + 1].text) ==
		    CONF_HASH_MD5 : conf_integ_by_name(st->args[i + 1].text) ==
		    CONF_INTEG_HMAC_MD5)
			return i + 1;
	}
	return 0;
}

/*
 * MD5 works only under a profile that allows it, which plugins provide
 * (for legacy peers); the core's own "default" never does.  Profiles of
 * plugins are not known yet: the engine drops MD5 proposals at run time.
 */
int
conf_proposals_md5(struct conf_ctx *ctx, const struct conf_stmt *peer_st,
    const struct conf_peer *peer)
{
	const struct conf_stmt *st;
	size_t i;

	if (strcmp(peer->profile, CONF_DEFAULT_PROFILE) != 0)
		return 0;
	for (st = peer_st->block->first; st != NULL; st = st->next) {
		if ((i = md5_arg(st)) == 0)
			continue;
		return conf_fail_arg(ctx, st, i, "%s is for legacy peers "
		    "only: peer '%s' has profile %s (expected profile legacy "
		    "or auto)", st->args[i].text, peer->name, peer->profile);
	}
	return 0;
}

int
conf_proposals_default(struct conf_peer *peer)
{
	if (peer->nphase1 == 0) {
		if ((peer->phase1 = malloc(sizeof(*peer->phase1))) == NULL)
			return -1;
		peer->phase1[0] = phase1_default;
		peer->nphase1 = 1;
		peer->phase1_default = true;
	}
	if (peer->nphase2 == 0) {
		if ((peer->phase2 = malloc(sizeof(*peer->phase2))) == NULL)
			return -1;
		peer->phase2[0] = phase2_default;
		peer->nphase2 = 1;
		peer->phase2_default = true;
	}
	return 0;
}

static int
value_count(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    uint64_t min, uint64_t max, unsigned *out)
{
	uint64_t v;

	if (conf_stmt_arg_number(st, i, min, max, &v, ctx->err,
	    ctx->errlen) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
conf_dpd_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	static const char *const kws[] = { "interval", "retries", NULL };
	unsigned seen = 0;
	size_t i, which;
	int rc;

	if (conf_want_args(ctx, st, 1, 4, "dpd off | dpd interval DURATION "
	    "[retries NUMBER]") == -1)
		return -1;
	if (st->nargs == 1 && strcmp(st->args[0].text, "off") == 0) {
		peer->dpd_interval = 0;
		return 0;
	}
	for (i = 0; i < st->nargs; i++) {
		if (conf_kw_next(ctx, st, &i, kws, "dpd", &seen, &which) == -1)
			return -1;
		if (which == 0)
			rc = conf_stmt_arg_seconds(st, i, 1, DPD_INTERVAL_MAX,
			    &peer->dpd_interval, ctx->err, ctx->errlen);
		else
			rc = value_count(ctx, st, i, 1, DPD_RETRIES_MAX,
			    &peer->dpd_retries);
		if (rc == -1)
			return -1;
	}
	if (!(seen & 1))
		return conf_fail_stmt(ctx, st, "dpd needs 'interval DURATION' "
		    "(or 'dpd off')");
	return 0;
}

int
conf_retransmit_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	static const char *const kws[] = { "interval", "count", NULL };
	unsigned seen = 0;
	size_t i, which;
	int rc;

	for (i = 0; i < st->nargs; i++) {
		if (conf_kw_next(ctx, st, &i, kws, "retransmit", &seen,
		    &which) == -1)
			return -1;
		if (which == 0)
			rc = conf_stmt_arg_seconds(st, i, 1,
			    RETRANSMIT_INTERVAL_MAX,
			    &peer->retransmit_interval, ctx->err, ctx->errlen);
		else
			rc = value_count(ctx, st, i, 0, RETRANSMIT_COUNT_MAX,
			    &peer->retransmit_count);
		if (rc == -1)
			return -1;
	}
	return 0;
}
