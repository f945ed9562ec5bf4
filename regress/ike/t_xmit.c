/*
 * Retransmission and duplicates (daemon/ike/xmit.c, msg.c): the backoff
 * schedule (the first interval, doubling, capped at 60 s, at least
 * 100 ms) and the recognition of a duplicate of the last message
 * received, which the engine answers by resending its last message.
 */
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "ike/ike.h"

ATF_TC_WITHOUT_HEAD(backoff);
ATF_TC_BODY(backoff, tc)
{
	static const uint32_t want[] = { 1000, 2000, 4000, 8000, 16000, 32000,
	    60000, 60000 };
	unsigned i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ATF_CHECK_EQ_MSG(xmit_backoff_ms(1000, i + 1), want[i],
		    "transmission %u", i + 1);
	ATF_CHECK_EQ(xmit_backoff_ms(10000, 1), 10000);
	ATF_CHECK_EQ(xmit_backoff_ms(10000, 4), 60000);
	ATF_CHECK_EQ(xmit_backoff_ms(0, 1), 100);
	ATF_CHECK_EQ(xmit_backoff_ms(50, 2), 200);
	ATF_CHECK_EQ(xmit_backoff_ms(1000, 1000), 60000);
}

ATF_TC_WITHOUT_HEAD(duplicates);
ATF_TC_BODY(duplicates, tc)
{
	struct ike_xmit x;
	uint8_t a[40], b[40];

	memset(&x, 0, sizeof(x));
	memset(a, 0xab, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[39] ^= 1;
	ATF_CHECK(!ike_msg_duplicate(&x, a, sizeof(a)));
	ATF_REQUIRE_EQ(ike_msg_remember_rx(&x, a, sizeof(a)), 0);
	ATF_CHECK(ike_msg_duplicate(&x, a, sizeof(a)));
	ATF_CHECK(!ike_msg_duplicate(&x, b, sizeof(b)));
	ATF_CHECK(!ike_msg_duplicate(&x, a, sizeof(a) - 1));
	/* The copy is the engine's: changing the caller's buffer is fine. */
	a[0] = 0;
	ATF_CHECK(!ike_msg_duplicate(&x, a, sizeof(a)));
	ATF_REQUIRE_EQ(ike_msg_remember_rx(&x, b, sizeof(b)), 0);
	ATF_CHECK(ike_msg_duplicate(&x, b, sizeof(b)));
	free(x.rx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, backoff);
	ATF_TP_ADD_TC(tp, duplicates);
	return atf_no_error();
}
