/*
 * libpfkey: the extensions each message type requires and allows, per
 * direction (pfkey_rules.c).  Messages are built, encoded (encode does not
 * apply these rules) and decoded in the direction under test; the same
 * checks are made through pfkey_msg_check_required() directly.
 */
#include <sys/socket.h>
#include <errno.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"

#define FB	(&pfkey_dialect_freebsd)
#define LX	(&pfkey_dialect_linux)
#define TO	PFKEY_TO_KERNEL
#define FROM	PFKEY_FROM_KERNEL

static uint8_t buf[PFKEY_BUFSIZE];

static void
set_addr(struct pfkey_msg *m, unsigned ext, const char *text)
{
	struct pfkey_addr *a = ext == PFKEY_EXT_ADDRESS_SRC ? &m->addr_src :
	    &m->addr_dst;

	ATF_REQUIRE(pfkey_addr_parse(a, text) == 0);
	PFKEY_SET(m, ext);
}

/* A message of type with the given extensions, minimal contents. */
static void
build(struct pfkey_msg *m, uint8_t type, uint8_t errnum, uint32_t exts)
{
	unsigned ext;

	pfkey_msg_init(m, type, PFKEY_SATYPE_ESP, 3, 4242);
	m->errnum = errnum;
	for (ext = 1; ext <= PFKEY_EXT_MAX; ext++)
		if (exts & (1u << ext))
			PFKEY_SET(m, ext);
	m->present &= ~((1u << PFKEY_EXT_ADDRESS_SRC) |
	    (1u << PFKEY_EXT_ADDRESS_DST));
	if (exts & (1u << PFKEY_EXT_ADDRESS_SRC))
		set_addr(m, PFKEY_EXT_ADDRESS_SRC, "192.0.2.1");
	if (exts & (1u << PFKEY_EXT_ADDRESS_DST))
		set_addr(m, PFKEY_EXT_ADDRESS_DST, "192.0.2.2");
	/* Other address-like extensions need a valid family. */
	pfkey_addr_parse(&m->addr_proxy, "192.0.2.3");
	pfkey_addr_parse(&m->natt_oai, "192.0.2.4");
	pfkey_addr_parse(&m->natt_oar, "192.0.2.5");
	pfkey_addr_parse(&m->new_addr_src, "192.0.2.6");
	pfkey_addr_parse(&m->new_addr_dst, "192.0.2.7");
}

/* Encode with d and decode in direction dir; returns decode's result. */
static int
cycle(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    enum pfkey_direction dir, struct pfkey_error *err)
{
	struct pfkey_msg got;
	size_t n;
	int rc;

	rc = pfkey_msg_encode(m, d, buf, sizeof(buf), &n, err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "encode: %s", err->reason);
	rc = pfkey_msg_decode(buf, n, d, dir, &got, err);
	if (rc == 0)
		ATF_CHECK_EQ(got.present, m->present);
	return rc;
}

/* What only the FreeBSD dialect can carry. */
#define FREEBSD_ONLY	((1u << PFKEY_EXT_X_NAT_T_OAR) | \
			    (1u << PFKEY_EXT_X_NAT_T_FRAG) | \
			    (1u << PFKEY_EXT_X_SA_REPLAY) | \
			    (1u << PFKEY_EXT_X_NEW_ADDRESS_SRC) | \
			    (1u << PFKEY_EXT_X_NEW_ADDRESS_DST))

static void
expect(uint8_t type, uint8_t errnum, uint32_t exts,
    enum pfkey_direction dir, int code, const char *reason)
{
	struct pfkey_msg m;
	struct pfkey_error err, err2;
	const struct pfkey_dialect *d[2] = { FB, LX };
	int i, n, rc;

	build(&m, type, errnum, exts);
	n = (exts & FREEBSD_ONLY) != 0 ? 1 : 2;
	for (i = 0; i < n; i++) {
		rc = cycle(&m, d[i], dir, &err);
		ATF_CHECK_EQ_MSG(rc, code, "%s %s: rc %d (%s), want %d",
		    pfkey_msg_type_name(type), pfkey_dialect_name(d[i]), rc,
		    err.reason, code);
		if (code != 0)
			ATF_CHECK_MSG(strstr(err.reason, reason) != NULL,
			    "reason \"%s\" lacks \"%s\"", err.reason, reason);
	}
	rc = pfkey_msg_check_required(&m, dir, &err2);
	ATF_CHECK_EQ(rc, code);
	if (code != 0)
		ATF_CHECK_STREQ(err2.reason, err.reason);
}

#define E(x)	(1u << PFKEY_EXT_##x)
#define SD	(E(ADDRESS_SRC) | E(ADDRESS_DST))

ATF_TC_WITHOUT_HEAD(getspi_to_kernel);
ATF_TC_BODY(getspi_to_kernel, tc)
{
	(void)tc;
	expect(PFKEY_GETSPI, 0, SD, TO, 0, NULL);
	expect(PFKEY_GETSPI, 0, SD | E(SPIRANGE) | E(X_SA2), TO, 0, NULL);
	expect(PFKEY_GETSPI, 0, E(ADDRESS_SRC) | E(SPIRANGE), TO, EINVAL,
	    "GETSPI to kernel: missing extension 6 (address_dst)");
	expect(PFKEY_GETSPI, 0, E(ADDRESS_DST), TO, EINVAL,
	    "GETSPI to kernel: missing extension 5 (address_src)");
}

ATF_TC_WITHOUT_HEAD(getspi_from_kernel);
ATF_TC_BODY(getspi_from_kernel, tc)
{
	(void)tc;
	expect(PFKEY_GETSPI, 0, E(SA) | SD, FROM, 0, NULL);
	expect(PFKEY_GETSPI, 0, SD, FROM, EINVAL,
	    "GETSPI from kernel: missing extension 1 (sa)");
}

ATF_TC_WITHOUT_HEAD(update_add);
ATF_TC_BODY(update_add, tc)
{
	(void)tc;
	/* Keys are not structurally required. */
	expect(PFKEY_UPDATE, 0, E(SA) | SD, TO, 0, NULL);
	expect(PFKEY_ADD, 0, E(SA) | SD | E(KEY_AUTH) | E(KEY_ENCRYPT) |
	    E(LIFETIME_HARD) | E(LIFETIME_SOFT) | E(X_NAT_T_TYPE) |
	    E(X_NAT_T_SPORT) | E(X_NAT_T_DPORT) | E(X_NAT_T_OAI), TO, 0, NULL);
	expect(PFKEY_UPDATE, 0, SD | E(KEY_AUTH), TO, EINVAL,
	    "UPDATE to kernel: missing extension 1 (sa)");
	expect(PFKEY_ADD, 0, E(SA) | E(ADDRESS_SRC), FROM, EINVAL,
	    "ADD from kernel: missing extension 6 (address_dst)");
}

ATF_TC_WITHOUT_HEAD(delete_without_sa);
ATF_TC_BODY(delete_without_sa, tc)
{
	(void)tc;
	/* FreeBSD: DELETE without SA removes every SA for src/dst. */
	expect(PFKEY_DELETE, 0, SD, TO, 0, NULL);
	expect(PFKEY_DELETE, 0, E(SA) | SD, FROM, 0, NULL);
	expect(PFKEY_DELETE, 0, E(SA) | E(ADDRESS_DST), TO, EINVAL,
	    "DELETE to kernel: missing extension 5 (address_src)");
}

ATF_TC_WITHOUT_HEAD(get);
ATF_TC_BODY(get, tc)
{
	(void)tc;
	expect(PFKEY_GET, 0, E(SA) | SD, TO, 0, NULL);
	expect(PFKEY_GET, 0, SD, TO, EINVAL,
	    "GET to kernel: missing extension 1 (sa)");
	expect(PFKEY_GET, 0, E(SA) | SD | E(LIFETIME_CURRENT) | E(KEY_AUTH),
	    FROM, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(acquire);
ATF_TC_BODY(acquire, tc)
{
	(void)tc;
	/* PROPOSAL optional, as FreeBSD sends it. */
	expect(PFKEY_ACQUIRE, 0, SD | E(X_POLICY), FROM, 0, NULL);
	expect(PFKEY_ACQUIRE, 0, SD | E(X_POLICY) | E(PROPOSAL) | E(X_SA2),
	    FROM, 0, NULL);
	expect(PFKEY_ACQUIRE, 0, E(X_POLICY), FROM, EINVAL,
	    "ACQUIRE from kernel: missing extension 5 (address_src)");
	/* Header-only ACQUIRE to the kernel: valid only as a failure report. */
	expect(PFKEY_ACQUIRE, ENOENT, 0, TO, 0, NULL);
	expect(PFKEY_ACQUIRE, 0, 0, TO, EINVAL,
	    "ACQUIRE to kernel: missing extension 5 (address_src)");
}

ATF_TC_WITHOUT_HEAD(register_reply);
ATF_TC_BODY(register_reply, tc)
{
	(void)tc;
	expect(PFKEY_REGISTER, 0, 0, TO, 0, NULL);
	expect(PFKEY_REGISTER, 0, E(SUPPORTED_AUTH) | E(SUPPORTED_ENCRYPT),
	    FROM, 0, NULL);
	expect(PFKEY_REGISTER, 0, E(SUPPORTED_ENCRYPT), FROM, 0, NULL);
	expect(PFKEY_REGISTER, 0, 0, FROM, EINVAL, "REGISTER from kernel: "
	    "missing extension 14 (supported_auth) or 15 (supported_encrypt)");
}

ATF_TC_WITHOUT_HEAD(expire);
ATF_TC_BODY(expire, tc)
{
	uint32_t base = E(SA) | SD | E(LIFETIME_CURRENT);

	(void)tc;
	expect(PFKEY_EXPIRE, 0, base | E(LIFETIME_SOFT), FROM, 0, NULL);
	expect(PFKEY_EXPIRE, 0, base | E(LIFETIME_HARD) | E(X_SA2) |
	    E(X_SA_REPLAY), FROM, 0, NULL);
	expect(PFKEY_EXPIRE, 0, base, FROM, EINVAL, "EXPIRE from kernel: "
	    "missing extension 3 (lifetime_hard) or 4 (lifetime_soft)");
	expect(PFKEY_EXPIRE, 0, E(SA) | SD | E(LIFETIME_HARD), FROM, EINVAL,
	    "EXPIRE from kernel: missing extension 2 (lifetime_current)");
}

ATF_TC_WITHOUT_HEAD(spd_messages);
ATF_TC_BODY(spd_messages, tc)
{
	(void)tc;
	expect(PFKEY_X_SPDADD, 0, SD | E(X_POLICY), TO, 0, NULL);
	expect(PFKEY_X_SPDUPDATE, 0, SD | E(X_POLICY) | E(LIFETIME_HARD), TO,
	    0, NULL);
	expect(PFKEY_X_SPDADD, 0, SD, TO, EINVAL,
	    "X_SPDADD to kernel: missing extension 18 (x_policy)");
	expect(PFKEY_X_SPDUPDATE, 0, E(X_POLICY), FROM, EINVAL,
	    "X_SPDUPDATE from kernel: missing extension 5 (address_src)");
	expect(PFKEY_X_SPDDELETE, 0, SD | E(X_POLICY), TO, 0, NULL);
	expect(PFKEY_X_SPDDELETE, 0, SD, TO, EINVAL,
	    "X_SPDDELETE to kernel: missing extension 18 (x_policy)");
	expect(PFKEY_X_SPDDELETE2, 0, E(X_POLICY), TO, 0, NULL);
	expect(PFKEY_X_SPDDELETE2, 0, 0, TO, EINVAL,
	    "X_SPDDELETE2 to kernel: missing extension 18 (x_policy)");
	expect(PFKEY_X_SPDGET, 0, E(X_POLICY), TO, 0, NULL);
	expect(PFKEY_X_SPDGET, 0, 0, TO, EINVAL,
	    "X_SPDGET to kernel: missing extension 18 (x_policy)");
	expect(PFKEY_X_SPDGET, 0, SD | E(X_POLICY) | E(LIFETIME_CURRENT),
	    FROM, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(need_nothing);
ATF_TC_BODY(need_nothing, tc)
{
	(void)tc;
	expect(PFKEY_DUMP, 0, 0, TO, 0, NULL);
	expect(PFKEY_FLUSH, 0, 0, TO, 0, NULL);
	expect(PFKEY_FLUSH, 0, 0, FROM, 0, NULL);
	expect(PFKEY_X_SPDDUMP, 0, 0, TO, 0, NULL);
	expect(PFKEY_X_SPDFLUSH, 0, 0, TO, 0, NULL);
	/* DUMP replies carry whole SA records. */
	expect(PFKEY_DUMP, 0, E(SA) | E(X_SA2) | SD | E(LIFETIME_CURRENT) |
	    E(LIFETIME_HARD) | E(LIFETIME_SOFT) | E(KEY_AUTH) |
	    E(KEY_ENCRYPT) | E(IDENTITY_SRC) | E(IDENTITY_DST) |
	    E(X_NAT_T_TYPE) | E(X_NAT_T_SPORT) | E(X_NAT_T_DPORT) |
	    E(X_NAT_T_OAI), FROM, 0, NULL);
}

/* Kernel error replies are header only and need nothing. */
ATF_TC_WITHOUT_HEAD(error_reply_header_only);
ATF_TC_BODY(error_reply_header_only, tc)
{
	(void)tc;
	expect(PFKEY_GETSPI, EEXIST, 0, FROM, 0, NULL);
	expect(PFKEY_GET, ESRCH, 0, FROM, 0, NULL);
	expect(PFKEY_X_SPDADD, EINVAL, 0, FROM, 0, NULL);
	expect(PFKEY_DUMP, ENOENT, 0, FROM, 0, NULL);
	/* errnum in a request to the kernel does not waive anything. */
	expect(PFKEY_GETSPI, EEXIST, 0, TO, EINVAL,
	    "GETSPI to kernel: missing extension 5 (address_src)");
}

ATF_TC_WITHOUT_HEAD(not_allowed);
ATF_TC_BODY(not_allowed, tc)
{
	(void)tc;
	expect(PFKEY_GETSPI, 0, SD | E(KEY_ENCRYPT), TO, EINVAL,
	    "GETSPI to kernel: extension 9 (key_encrypt) not allowed");
	expect(PFKEY_FLUSH, 0, E(SA), TO, EINVAL,
	    "FLUSH to kernel: extension 1 (sa) not allowed");
	expect(PFKEY_X_SPDGET, 0, E(X_POLICY) | SD, TO, EINVAL,
	    "X_SPDGET to kernel: extension 5 (address_src) not allowed");
	expect(PFKEY_X_SPDADD, 0, SD | E(X_POLICY) | E(SA), TO, EINVAL,
	    "X_SPDADD to kernel: extension 1 (sa) not allowed");
	expect(PFKEY_REGISTER, 0, E(SUPPORTED_AUTH), TO, EINVAL,
	    "REGISTER to kernel: extension 14 (supported_auth) not allowed");
	expect(PFKEY_ADD, 0, E(SA) | SD | E(X_NEW_ADDRESS_SRC), TO, EINVAL,
	    "ADD to kernel: extension 27 (x_new_address_src) not allowed");
	/* Not waived by errnum either. */
	expect(PFKEY_GET, ESRCH, E(SPIRANGE), FROM, EINVAL,
	    "GET from kernel: extension 16 (spirange) not allowed");
}

ATF_TC_WITHOUT_HEAD(new_address_update);
ATF_TC_BODY(new_address_update, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	(void)tc;
	build(&m, PFKEY_UPDATE, 0, E(SA) | SD | E(X_NEW_ADDRESS_SRC) |
	    E(X_NEW_ADDRESS_DST));
	ATF_CHECK_EQ(cycle(&m, FB, TO, &err), 0);
	ATF_CHECK_EQ(pfkey_msg_check_required(&m, TO, &err), 0);
}

ATF_TC_WITHOUT_HEAD(check_required_bad_type);
ATF_TC_BODY(check_required_bad_type, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	(void)tc;
	pfkey_msg_init(&m, 0, 0, 0, 0);
	ATF_CHECK_EQ(pfkey_msg_check_required(&m, TO, &err), EINVAL);
	ATF_CHECK_STREQ(err.reason, "message type 0 out of range 1..22");
	pfkey_msg_init(&m, 23, 0, 0, 0);
	ATF_CHECK_EQ(pfkey_msg_check_required(&m, FROM, &err), EINVAL);
	ATF_CHECK_STREQ(err.reason, "message type 23 out of range 1..22");
	pfkey_msg_init(&m, PFKEY_X_PROMISC, 1, 0, 0);
	ATF_CHECK_EQ(pfkey_msg_check_required(&m, TO, &err), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, getspi_to_kernel);
	ATF_TP_ADD_TC(tp, getspi_from_kernel);
	ATF_TP_ADD_TC(tp, update_add);
	ATF_TP_ADD_TC(tp, delete_without_sa);
	ATF_TP_ADD_TC(tp, get);
	ATF_TP_ADD_TC(tp, acquire);
	ATF_TP_ADD_TC(tp, register_reply);
	ATF_TP_ADD_TC(tp, expire);
	ATF_TP_ADD_TC(tp, spd_messages);
	ATF_TP_ADD_TC(tp, need_nothing);
	ATF_TP_ADD_TC(tp, error_reply_header_only);
	ATF_TP_ADD_TC(tp, not_allowed);
	ATF_TP_ADD_TC(tp, new_address_update);
	ATF_TP_ADD_TC(tp, check_required_bad_type);
	return atf_no_error();
}
