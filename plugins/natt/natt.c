/*
 * natt: NAT traversal for IKEv1 main mode and quick mode, RFC 3947 and
 * RFC 3948, and the drafts Windows XP and Server 2003 speak (02, 02\n,
 * 03).  See natt(8) and natt.h for the parts.
 *
 * Configuration ("plugin natt { ... }"), optional:
 *	keepalive DURATION;	NAT-keepalive interval from the end behind
 *				a NAT, 0 = none (default 20 s)
 *	assume-udp-encapsulation-context-on-send-rule 0|1|2;
 *				Windows' rule for servers behind NAT
 *				(default 0)
 *
 * Flags it keeps, for "oakleyctl show": phase 1 natt.version (the
 * revision in use), natt.nat (none, local, remote, both), natt.refused
 * (the rule that refused it); peer natt.remote_port; phase 2 natt.udp,
 * natt.oai, natt.oar.
 */
#include <string.h>

#include "natt.h"

struct natt_config natt_conf = {
	.keepalive_s = NATT_DEFAULT_KEEPALIVE,
	.send_rule = 0,
};

#define KEEPALIVE_MAX	3600	/* seconds */
#define SEND_RULE_MAX	2

/* ---- Configuration ---- */

static int
conf_one(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    const char *key, bool *seen)
{
	uint64_t v;

	if (*seen) {
		h->conf_error(h, s, "%s given twice", key);
		return -1;
	}
	*seen = true;
	if (h->conf_nargs(h, s) != 1) {
		h->conf_error(h, s, "%s takes one value", key);
		return -1;
	}
	if (strcmp(key, "keepalive") == 0) {
		if (h->conf_seconds(h, s, 0, 0, KEEPALIVE_MAX, &v) != 0)
			return -1;
		natt_conf.keepalive_s = (uint32_t)v;
		return 0;
	}
	if (h->conf_number(h, s, 0, 0, SEND_RULE_MAX, &v) != 0)
		return -1;
	natt_conf.send_rule = (unsigned)v;
	return 0;
}

static int
configure(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	const struct oakley_conf_stmt *s;
	const char *key;
	bool seen_ka = false, seen_rule = false;

	natt_conf.keepalive_s = NATT_DEFAULT_KEEPALIVE;
	natt_conf.send_rule = 0;
	for (s = h->conf_first(h, b); s != NULL; s = h->conf_next(h, s)) {
		key = h->conf_key(h, s);
		if (strcmp(key, "keepalive") == 0) {
			if (conf_one(h, s, key, &seen_ka) != 0)
				return -1;
		} else if (strcmp(key, NATT_SEND_RULE_KEY) == 0) {
			if (conf_one(h, s, key, &seen_rule) != 0)
				return -1;
		} else {
			h->conf_error(h, s, "unknown option '%s' (expected "
			    "keepalive or " NATT_SEND_RULE_KEY ")", key);
			return -1;
		}
	}
	return 0;
}

/* ---- Hooks ---- */

static void
natt_p1_established(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	struct natt_p1 *st = natt_p1_find(p1);

	if (st == NULL)
		return;
	st->established = true;
	natt_keepalive_start(h, st);
}

static void
natt_p1_deleted(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	natt_p1_free(h, p1);
}

static int
natt_msg_build(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	unsigned exch = e->msg_exchange(m), num = e->msg_number(m);
	struct oakley_phase1 *p1 = e->msg_phase1(m);

	if (exch == OAKLEY_EXCH_MAIN && (num == 3 || num == 4))
		return natt_natd_build(h, m);
	if (exch == OAKLEY_EXCH_MAIN && num == 5 && e->phase1_initiator(p1))
		return natt_float_initiator(h, p1);
	if (exch == OAKLEY_EXCH_QUICK && (num == 1 || num == 2))
		return natt_natoa_build(h, m);
	return 0;
}

static int
natt_msg_parsed(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	unsigned exch = e->msg_exchange(m), num = e->msg_number(m);

	if (!e->msg_inbound(m))
		return 0;
	if (exch == OAKLEY_EXCH_MAIN && (num == 3 || num == 4))
		natt_natd_finish(h, m);
	if (exch == OAKLEY_EXCH_MAIN && num == 5)
		natt_float_responder(h, m);
	if (exch == OAKLEY_EXCH_QUICK && (num == 1 || num == 2))
		natt_natoa_finish(h, m);
	if ((exch == OAKLEY_EXCH_MAIN && num >= 5) ||
	    exch == OAKLEY_EXCH_QUICK || exch == OAKLEY_EXCH_INFO)
		natt_follow(h, m);
	return 0;
}

static const struct oakley_hooks natt_hooks = {
	.p1_established = natt_p1_established,
	.p1_deleted = natt_p1_deleted,
	.p2_encap = natt_p2_encap,
	.msg_build = natt_msg_build,
	.msg_parsed = natt_msg_parsed,
	.sa_install = natt_sa_install,
};

/*
 * NAT-D and NAT-OA handlers for the payload numbers of the revisions in
 * use (20/21 and 130/131), taken from the table.
 */
static struct oakley_payload_handler natt_handlers[2 * NATT_NREVS];

static int
add_handler(const struct oakley_host *h, size_t *n, uint8_t type,
    const char *name, int (*parse)(const struct oakley_host *,
    struct oakley_msg *, uint8_t, const uint8_t *, size_t))
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (natt_handlers[i].type == type)
			return 0;
	natt_handlers[*n].type = type;
	natt_handlers[*n].name = name;
	natt_handlers[*n].parse = parse;
	return h->register_payload(h, &natt_handlers[(*n)++]);
}

static int
register_payloads(const struct oakley_host *h)
{
	size_t n = 0;
	int rev;

	for (rev = 0; rev < NATT_NREVS; rev++) {
		if (natt_versions[rev].rank == 0)
			continue;
		if (add_handler(h, &n, natt_versions[rev].natd, "NAT-D",
		    natt_natd_parse) != 0 ||
		    add_handler(h, &n, natt_versions[rev].natoa, "NAT-OA",
		    natt_natoa_parse) != 0)
			return -1;
	}
	return 0;
}

static int
natt_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	if (configure(h, b) != 0)
		return -1;
	/* The host records why a registration fails. */
	if (h->register_hooks(h, &natt_hooks) != 0 ||
	    natt_register_vendor_ids(h) != 0 ||
	    register_payloads(h) != 0 ||
	    h->register_port(h, &natt_port) != 0)
		return -1;
	h->log(h, OAKLEY_LOG_DEBUG, "keepalive %u s, " NATT_SEND_RULE_KEY
	    " %u", (unsigned)natt_conf.keepalive_s, natt_conf.send_rule);
	return 0;
}

static void
natt_fini(const struct oakley_host *h)
{
	natt_p1_free_all(h);
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "natt",
	.version = "1.0",
	.description = "NAT traversal (RFC 3947, RFC 3948, drafts 02 and 03)",
	.init = natt_init,
	.fini = natt_fini,
};
