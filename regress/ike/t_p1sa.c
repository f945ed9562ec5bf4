/*
 * The phase-1 table (daemon/ike/p1sa.c): lookups by both cookies, by the
 * initiator cookie and sender for a first message, an initiator entry
 * still without a responder cookie, and the half-open caps (global and
 * per source address) as entries come, get established and go.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "ike/ike.h"

static void
addr(struct pfkey_addr *a, uint8_t last)
{
	uint8_t v4[4] = { 192, 0, 2, last };

	pfkey_addr_set(a, AF_INET, v4, 500, 32, PFKEY_ULPROTO_ANY);
}

static void
entry(struct p1_entry *e, uint32_t n, uint8_t from, bool with_rcookie)
{
	memset(e, 0, sizeof(*e));
	e->icookie[0] = 0xa5;
	e->icookie[4] = (uint8_t)(n >> 24);
	e->icookie[5] = (uint8_t)(n >> 16);
	e->icookie[6] = (uint8_t)(n >> 8);
	e->icookie[7] = (uint8_t)n;
	if (with_rcookie) {
		e->rcookie[0] = 0x5a;
		e->rcookie[7] = (uint8_t)n;
	}
	addr(&e->remote, from);
}

ATF_TC_WITHOUT_HEAD(lookups);
ATF_TC_BODY(lookups, tc)
{
	static struct p1_table t;
	struct p1_entry r, i;
	struct pfkey_addr from, other;
	uint8_t wrong[8] = { 1 }, zero[8] = { 0 };

	p1_table_init(&t, 0, 0);
	entry(&r, 1, 10, true);		/* a responder entry */
	entry(&i, 2, 11, false);	/* our MM1, not answered yet */
	p1_table_insert(&t, &r, true);
	p1_table_insert(&t, &i, false);
	ATF_CHECK_EQ(t.count, 2);
	ATF_CHECK(p1_table_find(&t, r.icookie, r.rcookie) == &r);
	ATF_CHECK(p1_table_find(&t, r.icookie, wrong) == NULL);
	ATF_CHECK(p1_table_find(&t, r.icookie, zero) == NULL);
	/* The answer to our MM1 carries a responder cookie we do not know. */
	ATF_CHECK(p1_table_find(&t, i.icookie, wrong) == &i);
	/* A first message: initiator cookie and sender. */
	addr(&from, 10);
	addr(&other, 12);
	ATF_CHECK(p1_table_find_first(&t, r.icookie, &from) == &r);
	ATF_CHECK(p1_table_find_first(&t, r.icookie, &other) == NULL);
	p1_table_remove(&t, &r);
	p1_table_remove(&t, &r);	/* twice is harmless */
	ATF_CHECK(p1_table_find(&t, r.icookie, r.rcookie) == NULL);
	ATF_CHECK_EQ(t.count, 1);
	p1_table_remove(&t, &i);
	ATF_CHECK_EQ(t.count, 0);
	ATF_CHECK_EQ(t.half_count, 0);
}

ATF_TC_WITHOUT_HEAD(caps);
ATF_TC_BODY(caps, tc)
{
	static struct p1_table t;
	struct p1_entry e[6];
	struct pfkey_addr a1, a2, a3;
	int i;

	p1_table_init(&t, 5, 3);
	addr(&a1, 1);
	addr(&a2, 2);
	addr(&a3, 3);
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE_EQ(p1_table_admit(&t, &a1), 0);
		entry(&e[i], (uint32_t)i, 1, true);
		p1_table_insert(&t, &e[i], true);
	}
	/* A fourth from the same address: the per-source cap. */
	ATF_CHECK_EQ(p1_table_admit(&t, &a1), EMFILE);
	ATF_CHECK_EQ(p1_table_half_from(&t, &a1), 3);
	ATF_CHECK_EQ(p1_table_admit(&t, &a2), 0);
	for (i = 3; i < 5; i++) {
		entry(&e[i], (uint32_t)i, 2, true);
		p1_table_insert(&t, &e[i], true);
	}
	/* Five half-open in all: the global cap, for anybody. */
	ATF_CHECK_EQ(t.half_count, 5);
	ATF_CHECK_EQ(p1_table_admit(&t, &a3), EAGAIN);
	ATF_CHECK_EQ(p1_table_admit(&t, &a1), EAGAIN);
	/* One of a1's is established: it no longer counts. */
	p1_table_established(&t, &e[0]);
	p1_table_established(&t, &e[0]);
	ATF_CHECK_EQ(t.half_count, 4);
	ATF_CHECK_EQ(p1_table_half_from(&t, &a1), 2);
	ATF_CHECK_EQ(p1_table_admit(&t, &a3), 0);
	ATF_CHECK_EQ(p1_table_admit(&t, &a1), 0);
	/* Entries that are not half open never counted. */
	entry(&e[5], 5, 3, false);
	p1_table_insert(&t, &e[5], false);
	ATF_CHECK_EQ(t.half_count, 4);
	ATF_CHECK_EQ(t.count, 6);
	/* Removing a half-open entry frees its place. */
	p1_table_remove(&t, &e[3]);
	ATF_CHECK_EQ(t.half_count, 3);
	ATF_CHECK_EQ(p1_table_half_from(&t, &a2), 1);
	for (i = 0; i < 6; i++)
		p1_table_remove(&t, &e[i]);
	ATF_CHECK_EQ(t.count, 0);
	ATF_CHECK_EQ(t.half_count, 0);
}

ATF_TC_WITHOUT_HEAD(many);
ATF_TC_BODY(many, tc)
{
	static struct p1_table t;
	struct p1_entry *e;
	uint32_t i, n = 5000;

	p1_table_init(&t, 0, 0);
	ATF_CHECK_EQ(t.half_max, IKE_HALF_OPEN_MAX);
	ATF_CHECK_EQ(t.half_per_src, IKE_HALF_OPEN_PER_SRC);
	ATF_REQUIRE((e = calloc(n, sizeof(*e))) != NULL);
	for (i = 0; i < n; i++) {
		entry(&e[i], i, (uint8_t)(i % 200 + 1), true);
		p1_table_insert(&t, &e[i], false);
	}
	for (i = 0; i < n; i++)
		ATF_CHECK(p1_table_find(&t, e[i].icookie, e[i].rcookie) ==
		    &e[i]);
	for (i = 0; i < n; i += 2)
		p1_table_remove(&t, &e[i]);
	for (i = 0; i < n; i++)
		ATF_CHECK((p1_table_find(&t, e[i].icookie, e[i].rcookie) ==
		    NULL) == (i % 2 == 0));
	ATF_CHECK_EQ(t.count, n / 2);
	free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lookups);
	ATF_TP_ADD_TC(tp, caps);
	ATF_TP_ADD_TC(tp, many);
	return atf_no_error();
}
