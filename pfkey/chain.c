/*
 * Message buffers, chains of them (DUMP replies, queued broadcasts) and
 * FIFO queues of chains.  Buffers may hold key material (DUMP, GET
 * replies), so each is wiped before it is freed; freeing a chain frees
 * every element, the last one included.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfkey.h"

struct pfkey_buf *
pfkey_buf_new(const void *data, size_t len)
{
	struct pfkey_buf *b;

	if (len > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = malloc(sizeof(*b) + len)) == NULL)
		return NULL;
	b->next = NULL;
	b->len = len;
	if (data != NULL)
		memcpy(b->data, data, len);
	else
		memset(b->data, 0, len);
	return b;
}

static void
buf_free(struct pfkey_buf *b)
{
	explicit_bzero(b->data, b->len);
	free(b);
}

void
pfkey_chain_free(struct pfkey_buf *head)
{
	struct pfkey_buf *next;

	for (; head != NULL; head = next) {
		next = head->next;
		buf_free(head);
	}
}

size_t
pfkey_chain_length(const struct pfkey_buf *head)
{
	size_t n = 0;

	for (; head != NULL; head = head->next)
		n++;
	return n;
}

void
pfkey_queue_init(struct pfkey_queue *q)
{
	q->head = NULL;
	q->tail = NULL;
	q->count = 0;
}

/* Append b, and whatever is chained behind it, at the tail. */
void
pfkey_queue_push(struct pfkey_queue *q, struct pfkey_buf *b)
{
	if (b == NULL)
		return;
	if (q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	for (;;) {
		q->count++;
		if (b->next == NULL)
			break;
		b = b->next;
	}
	q->tail = b;
}

/* The oldest buffer, unlinked (its next is NULL), or NULL if empty. */
struct pfkey_buf *
pfkey_queue_pop(struct pfkey_queue *q)
{
	struct pfkey_buf *b = q->head;

	if (b == NULL)
		return NULL;
	q->head = b->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->count--;
	b->next = NULL;
	return b;
}

void
pfkey_queue_clear(struct pfkey_queue *q)
{
	pfkey_chain_free(q->head);
	pfkey_queue_init(q);
}
