/*
 * setkey-style text for PF_KEY messages: the helpers the SA and policy
 * printers share (addresses, dates, key hex dumps, names), and the
 * one-message form used by the -P monitor (pfkey_print_msg).
 *
 * The SA body is in print_sa.c (setkey -D), the policy body in
 * print_policy.c (setkey -DP).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pfkey.h"
#include "print_local.h"

#define PR_MAX_DEPTH	1	/* X_PROMISC inside X_PROMISC: header only */

/* setkey's words for sadb_msg_satype, indexed by value. */
static const char *const satype_words[] = {
	"unspec", "unknown", "ah", "esp", "unknown", "rsvp", "ospfv2",
	"ripv2", "mip", "ipcomp", "policy", "tcp"
};

const char *
pfkey_pr_table(const char *const *table, size_t n, unsigned value,
    char *buf, size_t size)
{
	if (value < n && table[value] != NULL && table[value][0] != '\0')
		return table[value];
	snprintf(buf, size, "%u", value);
	return buf;
}

const char *
pfkey_pr_satype(unsigned satype, char *buf, size_t size)
{
	return pfkey_pr_table(satype_words,
	    sizeof(satype_words) / sizeof(satype_words[0]), satype, buf, size);
}

/* fe80::/10 and ff02::/16-style link-local multicast carry a zone name. */
static bool
is_link_scope(const uint8_t *a)
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;
	return a[0] == 0xff && (a[1] & 0x0f) == 0x02;
}

static void
append_scope(const struct pfkey_addr *a, char *buf, size_t size)
{
	char ifname[IF_NAMESIZE];
	size_t used = strlen(buf);

	if (a->scope_id == 0)
		return;
	if (is_link_scope(a->addr) && if_indextoname(a->scope_id, ifname))
		snprintf(buf + used, size - used, "%%%s", ifname);
	else
		snprintf(buf + used, size - used, "%%%u", a->scope_id);
}

const char *
pfkey_pr_addr(const struct pfkey_addr *a, char *buf, size_t size)
{
	switch (a->family) {
	case AF_INET:
		if (inet_ntop(AF_INET, a->addr, buf, size) == NULL)
			break;
		return buf;
	case AF_INET6:
		if (inet_ntop(AF_INET6, a->addr, buf, size) == NULL)
			break;
		append_scope(a, buf, size);
		return buf;
	default:
		break;
	}
	snprintf(buf, size, "unknown-af");
	return buf;
}

const char *
pfkey_pr_time(uint64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	snprintf(buf, size, "%20s", "");
	if (t == 0 || tt < 0 || (uint64_t)tt != t)
		return buf;
	if (localtime_r(&tt, &tm) == NULL)
		return buf;
	if (strftime(buf, size, "%b %e %T %Y", &tm) == 0)
		snprintf(buf, size, "%20s", "");
	return buf;
}

void
pfkey_pr_hexdump(FILE *fp, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i != 0 && i % 32 == 0)
			fputc('\n', fp);
		if (i % 4 == 0)
			fputc(' ', fp);
		fprintf(fp, "%02x", data[i]);
	}
}

static void
print_header(FILE *fp, const struct pfkey_msg *m)
{
	const char *type = pfkey_msg_type_name(m->type);
	char num[16];

	if (type == NULL || strcmp(type, "unknown") == 0) {
		snprintf(num, sizeof(num), "%u", m->type);
		type = num;
	}
	fprintf(fp, "%s ", type);
	fprintf(fp, "satype=%s errno=%u", pfkey_pr_satype(m->satype, num,
	    sizeof(num)), m->errnum);
	if (m->errnum != 0)
		fprintf(fp, " (%s)", strerror(m->errnum));
	fprintf(fp, " seq=%u pid=%u", m->seq, m->pid);
	if (m->type == PFKEY_X_PROMISC)
		fprintf(fp, " inner=%u", m->inner_len);
	fputc('\n', fp);
}

static void print_msg_depth(FILE *, const struct pfkey_msg *, time_t,
    int depth);

/* Decode a wrapped message: whichever dialect and direction accepts it. */
static int
decode_inner(const struct pfkey_msg *m, struct pfkey_msg *inner,
    struct pfkey_error *err)
{
	const struct pfkey_dialect *d[2];
	const enum pfkey_direction dir[2] = {
		PFKEY_FROM_KERNEL, PFKEY_TO_KERNEL
	};
	size_t i, j;

	d[0] = pfkey_dialect_native();
	d[1] = d[0] == &pfkey_dialect_freebsd ? &pfkey_dialect_linux :
	    &pfkey_dialect_freebsd;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			if (pfkey_msg_decode(m->inner, m->inner_len, d[i],
			    dir[j], inner, err) == 0)
				return 0;
			pfkey_msg_clear(inner);
		}
	}
	return -1;
}

static void
print_inner(FILE *fp, const struct pfkey_msg *m, time_t now, int depth)
{
	struct pfkey_msg inner;
	struct pfkey_error err;

	if (m->inner == NULL || m->inner_len == 0)
		return;
	memset(&err, 0, sizeof(err));
	fprintf(fp, "inner: ");
	if (decode_inner(m, &inner, &err) != 0) {
		fprintf(fp, "undecodable %u bytes: %s\n", m->inner_len,
		    err.reason);
		return;
	}
	print_msg_depth(fp, &inner, now, depth + 1);
	pfkey_msg_clear(&inner);
}

static bool
has_addresses(const struct pfkey_msg *m)
{
	return PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) &&
	    PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST);
}

static void
print_msg_depth(FILE *fp, const struct pfkey_msg *m, time_t now, int depth)
{
	print_header(fp, m);
	if (m->type == PFKEY_X_PROMISC) {
		if (depth < PR_MAX_DEPTH)
			print_inner(fp, m, now, depth);
		return;
	}
	if (PFKEY_HAS(m, PFKEY_EXT_SA) && has_addresses(m))
		pfkey_pr_sa_body(fp, m, now, false);
	else if (PFKEY_HAS(m, PFKEY_EXT_X_POLICY) && has_addresses(m))
		pfkey_print_policy(fp, m, now);
}

void
pfkey_print_msg(FILE *fp, const struct pfkey_msg *m, time_t now)
{
	print_msg_depth(fp, m, now, 0);
}
