/*
 * The ISAKMP message builder: a growing buffer that starts with the
 * 28-byte header, to which payloads are appended.  Each new payload's type
 * goes into the next-payload byte of the header or of the payload before
 * it; finish writes the total length.  Errors are sticky (isakmp.h).
 * A message holds secrets before it is encrypted (nonces, HASH_I, which
 * permits guessing a pre-shared key offline): every buffer is wiped
 * before it is freed, the one a larger buffer replaces too.
 */
#include <stdlib.h>
#include <string.h>

#include "isakmp_local.h"

int
isk_build_fail(struct isakmp_builder *b, enum isakmp_errcode code,
    const char *what)
{
	if (b->failed)
		return -1;
	b->failed = true;
	return isk_fail(&b->err, code, b->len, "%s", what);
}

static void
wipe_free(uint8_t *buf, size_t len)
{
	if (buf == NULL)
		return;
	explicit_bzero(buf, len);
	free(buf);
}

/* Room for n more bytes, within ISAKMP_MAX_MSG. */
static int
reserve(struct isakmp_builder *b, size_t n)
{
	size_t cap;
	uint8_t *nbuf;

	if (b->failed)
		return -1;
	if (n > ISAKMP_MAX_MSG - b->len)
		return isk_build_fail(b, ISAKMP_E_BUILD_TOO_BIG,
		    "message would exceed 65535 bytes");
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap > 0 ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	if (cap > ISAKMP_MAX_MSG)
		cap = ISAKMP_MAX_MSG;
	nbuf = malloc(cap);	/* not realloc: the old block is wiped */
	if (nbuf == NULL)
		return isk_build_fail(b, ISAKMP_E_BUILD_NOMEM, "out of memory");
	if (b->len > 0)
		memcpy(nbuf, b->buf, b->len);
	wipe_free(b->buf, b->cap);
	b->buf = nbuf;
	b->cap = cap;
	return 0;
}

int
isk_append(struct isakmp_builder *b, const void *data, size_t len)
{
	if (reserve(b, len) != 0)
		return -1;
	if (data != NULL && len > 0)
		memcpy(b->buf + b->len, data, len);
	else if (len > 0)
		memset(b->buf + b->len, 0, len);
	b->len += len;
	return 0;
}

int
isk_open(struct isakmp_builder *b, uint8_t type, size_t *start)
{
	uint8_t gen[ISAKMP_GENERIC_LEN] = { 0, 0, 0, 0 };

	if (b->failed)
		return -1;
	if (b->n_payloads == ISAKMP_MAX_PAYLOADS)
		return isk_build_fail(b, ISAKMP_E_BUILD_COUNT,
		    "more than 64 payloads");
	*start = b->len;
	if (isk_append(b, gen, sizeof(gen)) != 0)
		return -1;
	b->buf[b->next_at] = type;
	b->next_at = *start;
	return 0;
}

/*
 * The payload opened at start ends here.  The message cap (65535) keeps
 * every payload length within 16 bits.
 */
int
isk_close(struct isakmp_builder *b, size_t start)
{
	if (b->failed)
		return -1;
	isk_put16(b->buf + start + 2, (uint16_t)(b->len - start));
	b->body_at[b->n_payloads] = start + ISAKMP_GENERIC_LEN;
	b->body_len[b->n_payloads] = b->len - start - ISAKMP_GENERIC_LEN;
	b->n_payloads++;
	return 0;
}

int
isakmp_builder_init(struct isakmp_builder *b, const struct isakmp_hdr *h)
{
	struct isakmp_hdr hdr = *h;

	memset(b, 0, sizeof(*b));
	if (hdr.major == 0 && hdr.minor == 0)
		hdr.major = ISAKMP_VERSION_MAJOR;
	hdr.next = ISAKMP_PT_NONE;
	hdr.length = ISAKMP_HDR_LEN;
	if (reserve(b, ISAKMP_HDR_LEN) != 0)
		return -1;
	isakmp_hdr_encode(&hdr, b->buf);
	b->len = ISAKMP_HDR_LEN;
	b->next_at = 16;
	return 0;
}

void
isakmp_builder_free(struct isakmp_builder *b)
{
	wipe_free(b->buf, b->cap);
	memset(b, 0, sizeof(*b));
}

int
isakmp_add_payload(struct isakmp_builder *b, uint8_t type,
    const uint8_t *body, size_t len)
{
	size_t start;

	if (isk_open(b, type, &start) != 0 || isk_append(b, body, len) != 0)
		return -1;
	return isk_close(b, start);
}

int
isakmp_add_id(struct isakmp_builder *b, const struct isakmp_id *id)
{
	uint8_t fixed[4];
	size_t start;

	fixed[0] = id->type;
	fixed[1] = id->protocol;
	isk_put16(fixed + 2, id->port);
	if (isk_open(b, ISAKMP_PT_ID, &start) != 0 ||
	    isk_append(b, fixed, sizeof(fixed)) != 0 ||
	    isk_append(b, id->data, id->len) != 0)
		return -1;
	return isk_close(b, start);
}

int
isakmp_add_cert(struct isakmp_builder *b, uint8_t type,
    const struct isakmp_cert *c)
{
	size_t start;

	if (type != ISAKMP_PT_CERT && type != ISAKMP_PT_CR)
		return isk_build_fail(b, ISAKMP_E_BUILD_VALUE,
		    "certificate payload type must be CERT or CR");
	if (isk_open(b, type, &start) != 0 ||
	    isk_append(b, &c->encoding, 1) != 0 ||
	    isk_append(b, c->data, c->len) != 0)
		return -1;
	return isk_close(b, start);
}

int
isakmp_add_notify(struct isakmp_builder *b, const struct isakmp_notify *n)
{
	uint8_t fixed[8];
	size_t start;

	isk_put32(fixed, n->doi);
	fixed[4] = n->protocol;
	fixed[5] = n->spi_size;
	isk_put16(fixed + 6, n->type);
	if (isk_open(b, ISAKMP_PT_N, &start) != 0 ||
	    isk_append(b, fixed, sizeof(fixed)) != 0 ||
	    isk_append(b, n->spi, n->spi_size) != 0 ||
	    isk_append(b, n->data, n->data_len) != 0)
		return -1;
	return isk_close(b, start);
}

int
isakmp_add_delete(struct isakmp_builder *b, const struct isakmp_delete *d)
{
	uint8_t fixed[8];
	size_t start;

	isk_put32(fixed, d->doi);
	fixed[4] = d->protocol;
	fixed[5] = d->spi_size;
	isk_put16(fixed + 6, d->count);
	if (isk_open(b, ISAKMP_PT_D, &start) != 0 ||
	    isk_append(b, fixed, sizeof(fixed)) != 0 ||
	    isk_append(b, d->spis, (size_t)d->count * d->spi_size) != 0)
		return -1;
	return isk_close(b, start);
}

uint8_t *
isakmp_builder_body(struct isakmp_builder *b, unsigned i, size_t *len)
{
	*len = 0;
	if (i >= b->n_payloads)
		return NULL;
	*len = b->body_len[i];
	return b->buf + b->body_at[i];
}

const uint8_t *
isakmp_builder_after(const struct isakmp_builder *b, unsigned i, size_t *len)
{
	size_t start;

	*len = 0;
	if (i >= b->n_payloads || i + 1 >= b->n_payloads)
		return NULL;
	start = b->body_at[i + 1] - ISAKMP_GENERIC_LEN;
	*len = b->len - start;
	return b->buf + start;
}

uint8_t *
isakmp_builder_finish(struct isakmp_builder *b, size_t *len)
{
	*len = 0;
	if (b->failed)
		return NULL;
	isk_put32(b->buf + 24, (uint32_t)b->len);
	*len = b->len;
	return b->buf;
}
