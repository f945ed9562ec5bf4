/*
 * One SA the way FreeBSD's setkey -D prints it: the address line (with
 * [port] only when NAT-T extensions are present), then tab-indented lines
 * for type/mode/spi/reqid, NAT-OA, keys, replay state, lifetimes and the
 * message header fields.  Spacing, tabs and trailing blanks match setkey.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pfkey.h"
#include "print_local.h"

static const char *const mode_words[] = { "any", "transport", "tunnel" };
static const char *const state_words[] = {
	"larval", "mature", "dying", "dead"
};
/* IPComp algorithm numbers (SADB_X_CALG_*). */
static const char *const calg_words[] = { "none", "oui", "deflate", "lzs" };

#define NWORDS(t)	(sizeof(t) / sizeof((t)[0]))

static bool
has_natt(const struct pfkey_msg *m)
{
	return PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE);
}

/* "198.51.100.1[4500] 203.0.113.2[4500]", no newline. */
static void
print_endpoints(FILE *fp, const struct pfkey_msg *m)
{
	char a[PR_ADDRSTRLEN];

	fputs(pfkey_pr_addr(&m->addr_src, a, sizeof(a)), fp);
	if (has_natt(m) && PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_SPORT))
		fprintf(fp, "[%u]", m->natt_sport);
	fprintf(fp, " %s", pfkey_pr_addr(&m->addr_dst, a, sizeof(a)));
	if (has_natt(m) && PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_DPORT))
		fprintf(fp, "[%u]", m->natt_dport);
}

/* setkey -D refuses an SA without these, saying which one is missing. */
static bool
check_required(FILE *fp, const struct pfkey_msg *m, bool strict)
{
	char a[PR_ADDRSTRLEN];

	if (!PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC)) {
		fputs("no ADDRESS_SRC extension.\n", fp);
		return false;
	}
	if (!PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST)) {
		fprintf(fp, "%s\nno ADDRESS_DST extension.\n",
		    pfkey_pr_addr(&m->addr_src, a, sizeof(a)));
		return false;
	}
	if (!PFKEY_HAS(m, PFKEY_EXT_SA)) {
		print_endpoints(fp, m);
		fputs("\nno SA extension.\n", fp);
		return false;
	}
	if (strict && !PFKEY_HAS(m, PFKEY_EXT_X_SA2)) {
		print_endpoints(fp, m);
		fputs("\nno SA2 extension.\n", fp);
		return false;
	}
	return true;
}

/* "\tesp-udp mode=tunnel spi=N(0x...) reqid=N(0x...)\n" */
static void
print_ident(FILE *fp, const struct pfkey_msg *m)
{
	char num[16];
	const char *type;
	uint8_t mode = 0;
	uint32_t reqid = 0;

	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2)) {
		mode = m->sa2.mode;
		reqid = m->sa2.reqid;
	}
	if (m->satype == PFKEY_SATYPE_ESP && has_natt(m))
		type = "esp-udp";
	else
		type = pfkey_pr_satype(m->satype, num, sizeof(num));
	fprintf(fp, "\t%s ", type);
	fprintf(fp, "mode=%s ", pfkey_pr_table(mode_words, NWORDS(mode_words),
	    mode, num, sizeof(num)));
	fprintf(fp, "spi=%u(0x%08x) reqid=%u(0x%08x)\n", m->sa.spi, m->sa.spi,
	    reqid, reqid);
}

/* "\tNAT: OAI=a OAR=b\n" when NAT-T carries original addresses. */
static void
print_natoa(FILE *fp, const struct pfkey_msg *m)
{
	char a[PR_ADDRSTRLEN];
	bool oai = PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAI);
	bool oar = PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAR);

	if (!has_natt(m) || (!oai && !oar))
		return;
	fputs("\tNAT:", fp);
	if (oai)
		fprintf(fp, " OAI=%s", pfkey_pr_addr(&m->natt_oai, a, sizeof(a)));
	if (oar)
		fprintf(fp, " OAR=%s", pfkey_pr_addr(&m->natt_oar, a, sizeof(a)));
	fputc('\n', fp);
}

/* "aes-cbc ", or the number when libpfkey has no name for it. */
static void
print_alg(FILE *fp, const char *name, unsigned alg)
{
	if (name != NULL && strcmp(name, "unknown") != 0)
		fprintf(fp, "%s ", name);
	else
		fprintf(fp, "%u ", alg);
}

static void
print_key(FILE *fp, const struct pfkey_key *k)
{
	size_t len = k->bits / 8;

	if (len > sizeof(k->data))
		len = sizeof(k->data);
	pfkey_pr_hexdump(fp, k->data, len);
	fputc('\n', fp);
}

/* "\tE: aes-cbc  01234567 ...\n" and "\tA: hmac-sha1  ...\n". */
static void
print_keys(FILE *fp, const struct pfkey_msg *m)
{
	char num[16];

	if (m->satype == PFKEY_SATYPE_IPCOMP) {
		/* setkey ends this line with no newline: so do we. */
		fprintf(fp, "\tC: %s ", pfkey_pr_table(calg_words,
		    NWORDS(calg_words), m->sa.encrypt, num, sizeof(num)));
	} else if (m->satype == PFKEY_SATYPE_ESP &&
	    PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT)) {
		fputs("\tE: ", fp);
		print_alg(fp, pfkey_ealg_name(m->sa.encrypt), m->sa.encrypt);
		print_key(fp, &m->key_encrypt);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH)) {
		fputs("\tA: ", fp);
		print_alg(fp, pfkey_aalg_name(m->sa.auth), m->sa.auth);
		print_key(fp, &m->key_auth);
	}
}

/* "\tseq=0x... replay=N flags=0x... state=mature \n" */
static void
print_state(FILE *fp, const struct pfkey_msg *m)
{
	char num[16];
	uint32_t sequence = 0, replay;

	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2))
		sequence = m->sa2.sequence;
	/* X_SA_REPLAY counts packets; setkey shows it in bytes. */
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA_REPLAY))
		replay = m->sa_replay >> 3;
	else
		replay = m->sa.replay;
	fprintf(fp, "\tseq=0x%08x replay=%u flags=0x%08x ", sequence, replay,
	    m->sa.flags);
	fprintf(fp, "state=%s \n", pfkey_pr_table(state_words,
	    NWORDS(state_words), m->sa.state, num, sizeof(num)));
}

static const struct pfkey_lifetime *
lifetime_or_zero(const struct pfkey_msg *m, int ext,
    const struct pfkey_lifetime *lt)
{
	static const struct pfkey_lifetime zero;

	return PFKEY_HAS(m, ext) ? lt : &zero;
}

/* created/current, diff/hard/soft, last/hard/soft, bytes, allocations. */
static void
print_lifetimes(FILE *fp, const struct pfkey_msg *m, time_t now)
{
	const struct pfkey_lifetime *c = &m->life_current, *h, *s;
	char t[PR_TIMESTRLEN];
	uint64_t diff;

	h = lifetime_or_zero(m, PFKEY_EXT_LIFETIME_HARD, &m->life_hard);
	s = lifetime_or_zero(m, PFKEY_EXT_LIFETIME_SOFT, &m->life_soft);
	diff = c->addtime == 0 ? 0 : (uint64_t)now - c->addtime;

	fprintf(fp, "\tcreated: %s", pfkey_pr_time(c->addtime, t, sizeof(t)));
	fprintf(fp, "\tcurrent: %s\n", pfkey_pr_time((uint64_t)now, t,
	    sizeof(t)));
	fprintf(fp, "\tdiff: %llu(s)\thard: %llu(s)\tsoft: %llu(s)\n",
	    (unsigned long long)diff, (unsigned long long)h->addtime,
	    (unsigned long long)s->addtime);
	fprintf(fp, "\tlast: %s", pfkey_pr_time(c->usetime, t, sizeof(t)));
	fprintf(fp, "\thard: %llu(s)\tsoft: %llu(s)\n",
	    (unsigned long long)h->usetime, (unsigned long long)s->usetime);
	/* setkey formats byte counts through a double: "%.0f". */
	fprintf(fp, "\tcurrent: %.0f(bytes)\thard: %.0f(bytes)"
	    "\tsoft: %.0f(bytes)\n", (double)c->bytes, (double)h->bytes,
	    (double)s->bytes);
	fprintf(fp, "\tallocated: %u\thard: %u\tsoft: %u\n", c->allocations,
	    h->allocations, s->allocations);
}

void
pfkey_pr_sa_body(FILE *fp, const struct pfkey_msg *m, time_t now,
    bool strict)
{
	if (!check_required(fp, m, strict))
		return;
	print_endpoints(fp, m);
	fputc('\n', fp);
	print_ident(fp, m);
	print_natoa(fp, m);
	print_keys(fp, m);
	print_state(fp, m);
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_CURRENT))
		print_lifetimes(fp, m, now);
	fprintf(fp, "\tsadb_seq=%u pid=%u refcnt=%u\n", m->seq, m->pid,
	    m->reserved);
}

void
pfkey_print_sa(FILE *fp, const struct pfkey_msg *m, time_t now)
{
	pfkey_pr_sa_body(fp, m, now, true);
}
