/*
 * setkey syntax: the command dispatcher and the SA commands
 *
 *	add [-4|-6|-n] SRC DST PROTOCOL SPI [EXTENSIONS] ALGORITHM...;
 *	get|delete [-4|-6|-n] SRC DST PROTOCOL SPI;
 *	deleteall [-4|-6|-n] SRC DST PROTOCOL;
 *	flush [PROTOCOL];  dump [PROTOCOL];
 *
 * PROTOCOL is esp, esp-udp (ESP in UDP, NAT-T), ah or ipcomp.  The policy
 * commands are in setkey_spd.c.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "setkey_int.h"

#define NATT_DEFAULT_PORT	4500

/* What add has seen so far, for duplicate and consistency checks. */
struct add_state {
	struct setkey_token proto_tok;
	bool		natt;
	unsigned	seen;		/* 1 << index in add_options[] */
	bool		has_ealg, has_aalg, has_calg, aead;
	struct setkey_token ealg_tok, aalg_tok, calg_tok;
};

typedef int (*add_option_fn)(struct setkey_parser *, struct setkey_cmd *,
    struct add_state *, const struct setkey_token *);

static int	opt_mode(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_number(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_flag(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_nat_oa(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_ealg(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_aalg(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);
static int	opt_calg(struct setkey_parser *, struct setkey_cmd *,
		    struct add_state *, const struct setkey_token *);

static const struct {
	const char	*name;
	add_option_fn	parse;
} add_options[] = {
	{ "-m", opt_mode },
	{ "-r", opt_number },
	{ "-u", opt_number },
	{ "-f", opt_flag },
	{ "-lh", opt_number },
	{ "-ls", opt_number },
	{ "-bh", opt_number },
	{ "-bs", opt_number },
	{ "-natoai", opt_nat_oa },
	{ "-natoar", opt_nat_oa },
	{ "-E", opt_ealg },
	{ "-A", opt_aalg },
	{ "-C", opt_calg },
};

static int	parse_flush_dump(struct setkey_parser *, struct setkey_cmd *);
static int	parse_spd_simple(struct setkey_parser *, struct setkey_cmd *);

static const struct {
	const char	*name;
	enum setkey_op	op;
	int		(*parse)(struct setkey_parser *, struct setkey_cmd *);
} commands[] = {
	{ "add", SETKEY_ADD, setkey_parse_add },
	{ "get", SETKEY_GET, setkey_parse_sa_ref },
	{ "delete", SETKEY_DELETE, setkey_parse_sa_ref },
	{ "deleteall", SETKEY_DELETEALL, setkey_parse_sa_ref },
	{ "flush", SETKEY_FLUSH, parse_flush_dump },
	{ "dump", SETKEY_DUMP, parse_flush_dump },
	{ "spdadd", SETKEY_SPDADD, setkey_parse_spd },
	{ "spdupdate", SETKEY_SPDUPDATE, setkey_parse_spd },
	{ "spddelete", SETKEY_SPDDELETE, setkey_parse_spddelete },
	{ "spdflush", SETKEY_SPDFLUSH, parse_spd_simple },
	{ "spddump", SETKEY_SPDDUMP, parse_spd_simple },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

const char *
setkey_op_name(enum setkey_op op)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].op == op)
			return commands[i].name;
	return "?";
}

void
setkey_cmd_clear(struct setkey_cmd *cmd)
{
	pfkey_msg_clear(&cmd->msg);
	explicit_bzero(cmd, sizeof(*cmd));
}

/* After an error, drop the rest of the command up to its ';'. */
static void
resync(struct setkey_parser *p)
{
	struct setkey_token t;

	if (p->last_semi)
		return;
	do
		t = setkey_take(p);
	while (t.kind != SETKEY_TOK_SEMI && t.kind != SETKEY_TOK_EOF);
}

static int
dispatch(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	struct setkey_token t;
	char shown[64];
	size_t i;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, "a command");
	for (i = 0; i < NCOMMANDS; i++) {
		if (!setkey_tok_is(&t, commands[i].name))
			continue;
		cmd->op = commands[i].op;
		cmd->line = t.line;
		return commands[i].parse(p, cmd);
	}
	setkey_describe(&t, shown, sizeof(shown));
	return setkey_fail(p, &t, "syntax error: unknown command %s", shown);
}

int
setkey_next(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct setkey_error *err)
{
	memset(cmd, 0, sizeof(*cmd));
	setkey_reset_error(p, err);
	while (setkey_peek(p)->kind == SETKEY_TOK_SEMI)
		setkey_take(p);		/* empty commands */
	if (setkey_peek(p)->kind == SETKEY_TOK_EOF)
		return 0;
	if (dispatch(p, cmd) == 0)
		return 1;
	setkey_cmd_clear(cmd);
	resync(p);
	return -1;
}

int
setkey_protocol(struct setkey_parser *p, uint8_t *satype, bool *natt)
{
	struct setkey_token t;

	t = setkey_take(p);
	*natt = false;
	if (setkey_tok_is(&t, "esp"))
		*satype = PFKEY_SATYPE_ESP;
	else if (setkey_tok_is(&t, "esp-udp")) {
		*satype = PFKEY_SATYPE_ESP;
		*natt = true;
	} else if (setkey_tok_is(&t, "ah"))
		*satype = PFKEY_SATYPE_AH;
	else if (setkey_tok_is(&t, "ipcomp"))
		*satype = PFKEY_SATYPE_IPCOMP;
	else
		return setkey_expected(p, &t,
		    "protocol (esp, esp-udp, ah or ipcomp)");
	return 0;
}

/* SRC DST PROTOCOL, shared by add, get, delete and deleteall. */
static int
parse_endpoints(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct setkey_token *proto_tok, bool *natt)
{
	struct pfkey_msg *m = &cmd->msg;
	const struct setkey_token *dst_tok;
	bool sport, dport;
	int family;

	if (setkey_family_flags(p, &family) != 0 ||
	    setkey_sa_address(p, "source address", family, &m->addr_src,
	    &sport) != 0)
		return -1;
	dst_tok = setkey_peek(p);
	if (dst_tok->kind == SETKEY_TOK_WORD)
		*proto_tok = *dst_tok;	/* remembered for the family check */
	if (setkey_sa_address(p, "destination address", family, &m->addr_dst,
	    &dport) != 0)
		return -1;
	if (m->addr_src.family != m->addr_dst.family)
		return setkey_fail(p, proto_tok, "source and destination "
		    "address families differ");
	*proto_tok = *setkey_peek(p);
	if (setkey_protocol(p, &m->satype, natt) != 0)
		return -1;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	if (*natt && !sport)
		m->addr_src.port = NATT_DEFAULT_PORT;
	if (*natt && !dport)
		m->addr_dst.port = NATT_DEFAULT_PORT;
	return 0;
}

static int
parse_spi(struct setkey_parser *p, struct pfkey_msg *m)
{
	uint64_t spi;

	if (setkey_number(p, "SPI", UINT32_MAX, &spi) != 0)
		return -1;
	m->sa.spi = (uint32_t)spi;
	PFKEY_SET(m, PFKEY_EXT_SA);
	return 0;
}

/* get, delete, deleteall: the SA (or all SAs) between two addresses. */
int
setkey_parse_sa_ref(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	struct setkey_token proto_tok;
	uint8_t type;
	bool natt;

	type = cmd->op == SETKEY_GET ? PFKEY_GET : PFKEY_DELETE;
	pfkey_msg_init(&cmd->msg, type, 0, 0, 0);
	if (parse_endpoints(p, cmd, &proto_tok, &natt) != 0)
		return -1;
	if (cmd->op != SETKEY_DELETEALL && parse_spi(p, &cmd->msg) != 0)
		return -1;
	return setkey_end(p, "';'");
}

static int
parse_flush_dump(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	uint8_t satype = PFKEY_SATYPE_UNSPEC;
	bool natt;

	if (setkey_peek(p)->kind != SETKEY_TOK_SEMI &&
	    setkey_protocol(p, &satype, &natt) != 0)
		return -1;
	pfkey_msg_init(&cmd->msg, cmd->op == SETKEY_FLUSH ? PFKEY_FLUSH :
	    PFKEY_DUMP, satype, 0, 0);
	return setkey_end(p, "';'");
}

static int
parse_spd_simple(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	pfkey_msg_init(&cmd->msg, cmd->op == SETKEY_SPDFLUSH ?
	    PFKEY_X_SPDFLUSH : PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC, 0, 0);
	return setkey_end(p, "';'");
}

/* -m transport|tunnel|any */
static int
opt_mode(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	struct setkey_token t;

	(void)st;
	(void)opt;
	t = setkey_take(p);
	if (setkey_tok_is(&t, "transport"))
		cmd->msg.sa2.mode = PFKEY_MODE_TRANSPORT;
	else if (setkey_tok_is(&t, "tunnel"))
		cmd->msg.sa2.mode = PFKEY_MODE_TUNNEL;
	else if (setkey_tok_is(&t, "any"))
		cmd->msg.sa2.mode = PFKEY_MODE_ANY;
	else
		return setkey_expected(p, &t, "mode (transport, tunnel or any)");
	return 0;
}

/* -r SIZE, -u REQID, -lh/-ls SECONDS, -bh/-bs BYTES */
static int
opt_number(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	struct pfkey_msg *m = &cmd->msg;
	uint64_t v;

	(void)st;
	if (setkey_tok_is(opt, "-r")) {
		/* Bytes of bitmap, as setkey; X_SA_REPLAY counts packets. */
		if (setkey_number(p, "replay window size", UINT32_MAX / 8,
		    &v) != 0)
			return -1;
		m->sa.replay = v > UINT8_MAX ? UINT8_MAX : (uint8_t)v;
		if (v > UINT8_MAX) {
			m->sa_replay = (uint32_t)v * 8;
			PFKEY_SET(m, PFKEY_EXT_X_SA_REPLAY);
		}
		return 0;
	}
	if (setkey_tok_is(opt, "-u")) {
		if (setkey_number(p, "reqid", UINT32_MAX, &v) != 0)
			return -1;
		m->sa2.reqid = (uint32_t)v;
		return 0;
	}
	if (setkey_number(p, opt->text[1] == 'l' ? "lifetime in seconds" :
	    "lifetime in bytes", UINT64_MAX, &v) != 0)
		return -1;
	if (setkey_tok_is(opt, "-lh"))
		m->life_hard.addtime = v;
	else if (setkey_tok_is(opt, "-ls"))
		m->life_soft.addtime = v;
	else if (setkey_tok_is(opt, "-bh"))
		m->life_hard.bytes = v;
	else
		m->life_soft.bytes = v;
	PFKEY_SET(m, opt->text[2] == 'h' ? PFKEY_EXT_LIFETIME_HARD :
	    PFKEY_EXT_LIFETIME_SOFT);
	return 0;
}

/* -f: KAME padding and sequence flags, accepted and ignored. */
static int
opt_flag(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	static const char *const flags[] = { "pad-option", "nocyclic-seq",
	    "cyclic-seq", "zero-pad", "random-pad", "seq-pad" };
	struct setkey_token t;
	size_t i;

	(void)cmd;
	(void)st;
	(void)opt;
	t = setkey_take(p);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (setkey_tok_is(&t, flags[i]))
			return 0;
	return setkey_expected(p, &t, "flag (pad-option, nocyclic-seq, "
	    "cyclic-seq, zero-pad, random-pad or seq-pad)");
}

/* -natoai ADDR, -natoar ADDR: NAT-T original addresses (initiator, responder) */
static int
opt_nat_oa(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	struct pfkey_msg *m = &cmd->msg;
	struct setkey_token t;
	bool oai = setkey_tok_is(opt, "-natoai");
	struct pfkey_addr *a = oai ? &m->natt_oai : &m->natt_oar;
	const char *role = oai ? "NAT-T original initiator address" :
	    "NAT-T original responder address";

	if (!st->natt)
		return setkey_fail(p, opt, "%.*s needs protocol esp-udp",
		    (int)opt->len, opt->text);
	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, role);
	if (setkey_address_text(p, t.text, t.len, t.line, t.col, role, 0,
	    a) != 0)
		return -1;
	PFKEY_SET(m, oai ? PFKEY_EXT_X_NAT_T_OAI : PFKEY_EXT_X_NAT_T_OAR);
	return 0;
}

static int
check_key(struct setkey_parser *p, const struct setkey_alg *alg,
    const struct pfkey_key *key, const struct setkey_token *where)
{
	char sizes[48];

	if (setkey_alg_key_ok(alg, key->bits))
		return 0;
	setkey_alg_sizes(alg, sizes, sizeof(sizes));
	return setkey_fail(p, where, "bad key length for %s: %u bits, expected "
	    "%s", alg->name, key->bits, sizes);
}

static bool
next_is_key(struct setkey_parser *p)
{
	const struct setkey_token *t = setkey_peek(p);

	return t->kind == SETKEY_TOK_STRING || (t->kind == SETKEY_TOK_WORD &&
	    t->len >= 2 && t->text[0] == '0' &&
	    (t->text[1] == 'x' || t->text[1] == 'X'));
}

/* -E ALGORITHM KEY; "null" may omit its (empty) key. */
static int
opt_ealg(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	const struct setkey_alg *alg;
	struct setkey_token t;

	(void)opt;
	st->ealg_tok = t = setkey_take(p);
	alg = setkey_ealg_find(&t);
	if (alg == NULL)
		return setkey_expected(p, &t, "encryption algorithm");
	st->has_ealg = true;
	st->aead = alg->aead;
	cmd->msg.sa.encrypt = alg->id;
	if (alg->id == PFKEY_EALG_NULL && !next_is_key(p))
		return 0;
	if (setkey_key(p, alg->name, &cmd->msg.key_encrypt, &t) != 0 ||
	    check_key(p, alg, &cmd->msg.key_encrypt, &t) != 0)
		return -1;
	if (cmd->msg.key_encrypt.bits > 0)
		PFKEY_SET(&cmd->msg, PFKEY_EXT_KEY_ENCRYPT);
	return 0;
}

/* -A ALGORITHM KEY */
static int
opt_aalg(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	const struct setkey_alg *alg;
	struct setkey_token t;

	(void)opt;
	st->aalg_tok = t = setkey_take(p);
	alg = setkey_aalg_find(&t);
	if (alg == NULL)
		return setkey_expected(p, &t, "authentication algorithm");
	st->has_aalg = true;
	cmd->msg.sa.auth = alg->id;
	if (setkey_key(p, alg->name, &cmd->msg.key_auth, &t) != 0 ||
	    check_key(p, alg, &cmd->msg.key_auth, &t) != 0)
		return -1;
	PFKEY_SET(&cmd->msg, PFKEY_EXT_KEY_AUTH);
	return 0;
}

/* -C ALGORITHM (IPComp, no key) */
static int
opt_calg(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st, const struct setkey_token *opt)
{
	const struct setkey_alg *alg;
	struct setkey_token t;

	(void)opt;
	st->calg_tok = t = setkey_take(p);
	alg = setkey_calg_find(&t);
	if (alg == NULL)
		return setkey_expected(p, &t,
		    "compression algorithm (deflate, lzs or oui)");
	st->has_calg = true;
	cmd->msg.sa.encrypt = alg->id;
	return 0;
}

static int
add_option(struct setkey_parser *p, struct setkey_cmd *cmd,
    struct add_state *st)
{
	struct setkey_token t;
	char shown[64];
	size_t i;

	t = setkey_take(p);
	for (i = 0; i < sizeof(add_options) / sizeof(add_options[0]); i++) {
		if (!setkey_tok_is(&t, add_options[i].name))
			continue;
		if ((st->seen & (1u << i)) && add_options[i].parse != opt_flag)
			return setkey_fail(p, &t, "duplicate option %s",
			    add_options[i].name);
		st->seen |= 1u << i;
		return add_options[i].parse(p, cmd, st, &t);
	}
	setkey_describe(&t, shown, sizeof(shown));
	return setkey_fail(p, &t, "syntax error: unknown option %s for add",
	    shown);
}

/* The algorithms must fit the protocol: esp -E [-A], ah -A, ipcomp -C. */
static int
add_check_algorithms(struct setkey_parser *p, const struct setkey_cmd *cmd,
    const struct add_state *st)
{
	const struct setkey_token *pt = &st->proto_tok;
	int plen = (int)pt->len;

	switch (cmd->msg.satype) {
	case PFKEY_SATYPE_ESP:
		if (st->has_calg)
			return setkey_fail(p, &st->calg_tok, "-C is for ipcomp, "
			    "not %.*s", plen, pt->text);
		if (!st->has_ealg)
			return setkey_fail(p, pt, "%.*s needs an encryption "
			    "algorithm (-E)", plen, pt->text);
		if (st->aead && st->has_aalg)
			return setkey_fail(p, &st->aalg_tok, "-A is not allowed "
			    "with a combined-mode cipher");
		return 0;
	case PFKEY_SATYPE_AH:
		if (st->has_ealg || st->has_calg)
			return setkey_fail(p, st->has_ealg ? &st->ealg_tok :
			    &st->calg_tok, "ah takes only -A");
		if (!st->has_aalg)
			return setkey_fail(p, pt, "ah needs an authentication "
			    "algorithm (-A)");
		return 0;
	default:
		if (st->has_ealg || st->has_aalg)
			return setkey_fail(p, st->has_ealg ? &st->ealg_tok :
			    &st->aalg_tok, "ipcomp takes only -C");
		if (!st->has_calg)
			return setkey_fail(p, pt, "ipcomp needs a compression "
			    "algorithm (-C)");
		return 0;
	}
}

static void
add_set_natt(struct pfkey_msg *m)
{
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = m->addr_src.port;
	m->natt_dport = m->addr_dst.port;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
}

int
setkey_parse_add(struct setkey_parser *p, struct setkey_cmd *cmd)
{
	struct pfkey_msg *m = &cmd->msg;
	struct add_state st;

	memset(&st, 0, sizeof(st));
	pfkey_msg_init(m, PFKEY_ADD, 0, 0, 0);
	if (parse_endpoints(p, cmd, &st.proto_tok, &st.natt) != 0 ||
	    parse_spi(p, m) != 0)
		return -1;
	m->sa.state = PFKEY_SASTATE_MATURE;
	m->sa2.mode = PFKEY_MODE_ANY;
	PFKEY_SET(m, PFKEY_EXT_X_SA2);
	while (setkey_tok_is_option(setkey_peek(p)))
		if (add_option(p, cmd, &st) != 0)
			return -1;
	if (setkey_peek(p)->kind != SETKEY_TOK_SEMI)
		return setkey_expected(p, setkey_peek(p), "an option or ';'");
	if (add_check_algorithms(p, cmd, &st) != 0)
		return -1;
	if (st.natt)
		add_set_natt(m);
	return setkey_end(p, "';'");
}
