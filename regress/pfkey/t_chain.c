/*
 * libpfkey message buffers, chains and queues (chain.c).  Chains of 1, 2
 * and 1000 buffers (DUMP-like replies, queued broadcasts) are built and
 * freed; under ASan/LSan a leaked element, the last one included, fails
 * the run.
 */
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"

/* A DUMP reply for SPI spi with the given seq, encoded FreeBSD-style. */
static struct pfkey_buf *
dump_reply(uint32_t spi, uint32_t seq)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	uint8_t wire[512];
	size_t n;

	pfkey_msg_init(&m, PFKEY_DUMP, PFKEY_SATYPE_ESP, seq, 4242);
	m.sa.spi = spi;
	m.sa.state = PFKEY_SASTATE_MATURE;
	PFKEY_SET(&m, PFKEY_EXT_SA);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_src, "192.0.2.1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_dst, "192.0.2.2") == 0);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	m.key_encrypt.bits = 128;
	memset(m.key_encrypt.data, 0x42, 16);
	PFKEY_SET(&m, PFKEY_EXT_KEY_ENCRYPT);
	ATF_REQUIRE(pfkey_msg_encode(&m, &pfkey_dialect_freebsd, wire,
	    sizeof(wire), &n, &err) == 0);
	pfkey_msg_clear(&m);
	return pfkey_buf_new(wire, n);
}

/* A DUMP sequence of n replies, seq counting down to 0, as one chain. */
static struct pfkey_buf *
dump_chain(size_t n)
{
	struct pfkey_buf *head = NULL, *tail = NULL, *b;
	size_t i;

	for (i = 0; i < n; i++) {
		b = dump_reply(0x1000 + (uint32_t)i, (uint32_t)(n - 1 - i));
		ATF_REQUIRE(b != NULL);
		if (tail == NULL)
			head = b;
		else
			tail->next = b;
		tail = b;
	}
	return head;
}

/* Decode every element: SPIs ascend, seq counts down to 0 at the tail. */
static void
check_dump_chain(const struct pfkey_buf *b, size_t n)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	size_t i;

	for (i = 0; i < n; i++, b = b->next) {
		ATF_REQUIRE(b != NULL);
		ATF_REQUIRE_EQ_MSG(pfkey_msg_decode(b->data, b->len,
		    &pfkey_dialect_freebsd, PFKEY_FROM_KERNEL, &m, &err), 0,
		    "element %zu: %s", i, err.reason);
		ATF_CHECK_EQ(m.sa.spi, 0x1000 + i);
		ATF_CHECK_EQ(m.seq, n - 1 - i);
		pfkey_msg_clear(&m);
	}
	ATF_CHECK(b == NULL);
}

ATF_TC_WITHOUT_HEAD(buf_new_copies);
ATF_TC_BODY(buf_new_copies, tc)
{
	uint8_t src[24] = { 2, PFKEY_FLUSH, 0, 3, 3, 0 };
	struct pfkey_buf *b, *z;

	(void)tc;
	b = pfkey_buf_new(src, sizeof(src));
	ATF_REQUIRE(b != NULL);
	src[1] = PFKEY_DUMP;
	ATF_CHECK_EQ(b->len, 24);
	ATF_CHECK(b->next == NULL);
	ATF_CHECK_EQ(b->data[1], PFKEY_FLUSH);
	ATF_CHECK_EQ(b->data[4], 3);
	z = pfkey_buf_new(NULL, 16);
	ATF_REQUIRE(z != NULL);
	ATF_CHECK_EQ(z->len, 16);
	ATF_CHECK_EQ(z->data[0], 0);
	ATF_CHECK_EQ(z->data[15], 0);
	pfkey_chain_free(b);
	pfkey_chain_free(z);
	b = pfkey_buf_new(src, 0);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(b->len, 0);
	pfkey_chain_free(b);
	ATF_CHECK(pfkey_buf_new(NULL, (size_t)-1) == NULL);
}

ATF_TC_WITHOUT_HEAD(chain_empty);
ATF_TC_BODY(chain_empty, tc)
{
	(void)tc;
	ATF_CHECK_EQ(pfkey_chain_length(NULL), 0);
	pfkey_chain_free(NULL);
}

ATF_TC_WITHOUT_HEAD(chain_one);
ATF_TC_BODY(chain_one, tc)
{
	struct pfkey_buf *c = dump_chain(1);

	(void)tc;
	ATF_CHECK_EQ(pfkey_chain_length(c), 1);
	check_dump_chain(c, 1);
	pfkey_chain_free(c);
}

ATF_TC_WITHOUT_HEAD(chain_two);
ATF_TC_BODY(chain_two, tc)
{
	struct pfkey_buf *c = dump_chain(2);

	(void)tc;
	ATF_CHECK_EQ(pfkey_chain_length(c), 2);
	ATF_CHECK(c->next->next == NULL);
	check_dump_chain(c, 2);
	pfkey_chain_free(c);
}

ATF_TC_WITHOUT_HEAD(chain_thousand);
ATF_TC_BODY(chain_thousand, tc)
{
	struct pfkey_buf *c = dump_chain(1000);

	(void)tc;
	ATF_CHECK_EQ(pfkey_chain_length(c), 1000);
	check_dump_chain(c, 1000);
	pfkey_chain_free(c);
}

ATF_TC_WITHOUT_HEAD(queue_fifo);
ATF_TC_BODY(queue_fifo, tc)
{
	struct pfkey_queue q;
	struct pfkey_buf *b;
	uint8_t tag;

	(void)tc;
	pfkey_queue_init(&q);
	ATF_CHECK(q.head == NULL && q.tail == NULL && q.count == 0);
	ATF_CHECK(pfkey_queue_pop(&q) == NULL);
	for (tag = 1; tag <= 3; tag++)
		pfkey_queue_push(&q, pfkey_buf_new(&tag, 1));
	ATF_CHECK_EQ(q.count, 3);
	ATF_CHECK_EQ(pfkey_chain_length(q.head), 3);
	ATF_CHECK_EQ(q.tail->data[0], 3);
	for (tag = 1; tag <= 3; tag++) {
		b = pfkey_queue_pop(&q);
		ATF_REQUIRE(b != NULL);
		ATF_CHECK_EQ(b->data[0], tag);
		ATF_CHECK(b->next == NULL);
		ATF_CHECK_EQ(q.count, 3u - tag);
		pfkey_chain_free(b);
	}
	ATF_CHECK(q.head == NULL && q.tail == NULL);
	ATF_CHECK(pfkey_queue_pop(&q) == NULL);
	/* The queue works again after it ran empty. */
	tag = 9;
	pfkey_queue_push(&q, pfkey_buf_new(&tag, 1));
	ATF_CHECK_EQ(q.count, 1);
	ATF_CHECK(q.head == q.tail);
	pfkey_queue_clear(&q);
	ATF_CHECK_EQ(q.count, 0);
	ATF_CHECK(q.head == NULL);
}

/* Pushing a chain queues every element of it, in order. */
ATF_TC_WITHOUT_HEAD(queue_push_chain);
ATF_TC_BODY(queue_push_chain, tc)
{
	struct pfkey_queue q;
	struct pfkey_buf *b;
	uint8_t tag = 0;

	(void)tc;
	pfkey_queue_init(&q);
	pfkey_queue_push(&q, pfkey_buf_new(&tag, 1));
	pfkey_queue_push(&q, dump_chain(2));
	pfkey_queue_push(&q, NULL);
	ATF_CHECK_EQ(q.count, 3);
	ATF_CHECK_EQ(pfkey_chain_length(q.head), 3);
	ATF_CHECK(q.tail->next == NULL);
	b = pfkey_queue_pop(&q);
	ATF_CHECK_EQ(b->len, 1);
	pfkey_chain_free(b);
	check_dump_chain(q.head, 2);
	pfkey_queue_clear(&q);
}

/* 1000 queued broadcasts, half consumed, the rest dropped at once. */
ATF_TC_WITHOUT_HEAD(queue_thousand_clear);
ATF_TC_BODY(queue_thousand_clear, tc)
{
	struct pfkey_queue q;
	struct pfkey_buf *b;
	struct pfkey_msg m;
	struct pfkey_error err;
	uint32_t i;

	(void)tc;
	pfkey_queue_init(&q);
	for (i = 0; i < 1000; i++)
		pfkey_queue_push(&q, dump_reply(i, i));
	ATF_CHECK_EQ(q.count, 1000);
	ATF_CHECK_EQ(pfkey_chain_length(q.head), 1000);
	for (i = 0; i < 500; i++) {
		b = pfkey_queue_pop(&q);
		ATF_REQUIRE(b != NULL);
		ATF_REQUIRE(pfkey_msg_decode(b->data, b->len,
		    &pfkey_dialect_freebsd, PFKEY_FROM_KERNEL, &m, &err) == 0);
		ATF_CHECK_EQ(m.seq, i);
		pfkey_msg_clear(&m);
		pfkey_chain_free(b);
	}
	ATF_CHECK_EQ(q.count, 500);
	pfkey_queue_clear(&q);
	ATF_CHECK_EQ(q.count, 0);
	ATF_CHECK(q.head == NULL && q.tail == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, buf_new_copies);
	ATF_TP_ADD_TC(tp, chain_empty);
	ATF_TP_ADD_TC(tp, chain_one);
	ATF_TP_ADD_TC(tp, chain_two);
	ATF_TP_ADD_TC(tp, chain_thousand);
	ATF_TP_ADD_TC(tp, queue_fifo);
	ATF_TP_ADD_TC(tp, queue_push_chain);
	ATF_TP_ADD_TC(tp, queue_thousand_clear);
	return atf_no_error();
}
