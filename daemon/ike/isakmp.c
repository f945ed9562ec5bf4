/*
 * ISAKMP message decoding: the 28-byte header and the chain of generic
 * payload headers (RFC 2408 3.1, 3.2, 5.1, 5.2), plus lookups over a
 * decoded message.  The typed views of the payloads are isakmp_payload.c
 * and isakmp_sa.c; the rules are listed in isakmp.h.
 */
#include <string.h>

#include "isakmp_local.h"

static bool
exchange_valid(uint8_t exchange)
{
	if (exchange >= ISAKMP_EXCH_BASE &&
	    exchange <= ISAKMP_EXCH_TRANSACTION)
		return true;
	if (exchange == ISAKMP_EXCH_QUICK || exchange == ISAKMP_EXCH_NEWGROUP)
		return true;
	return exchange >= ISAKMP_EXCH_PRIVATE_MIN;
}

static void
hdr_read(const uint8_t *buf, struct isakmp_hdr *h)
{
	memcpy(h->icookie, buf, ISAKMP_COOKIE_LEN);
	memcpy(h->rcookie, buf + 8, ISAKMP_COOKIE_LEN);
	h->next = buf[16];
	h->major = buf[17] >> 4;
	h->minor = buf[17] & 0x0f;
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msgid = isk_get32(buf + 20);
	h->length = isk_get32(buf + 24);
}

int
isakmp_hdr_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
    struct isakmp_error *err)
{
	uint8_t unknown;

	if (len < ISAKMP_HDR_LEN)
		return isk_fail(err, ISAKMP_E_HDR_SHORT, 0,
		    "message of %zu bytes is shorter than the %d-byte header",
		    len, ISAKMP_HDR_LEN);
	hdr_read(buf, h);
	if (h->major != ISAKMP_VERSION_MAJOR)
		return isk_fail(err, ISAKMP_E_HDR_MAJOR, 17,
		    "major version %u, only 1 is supported", h->major);
	if (h->minor > 1)
		return isk_fail(err, ISAKMP_E_HDR_MINOR, 17,
		    "minor version %u, only 0 or 1 is supported", h->minor);
	if (!exchange_valid(h->exchange))
		return isk_fail(err, ISAKMP_E_HDR_EXCHANGE, 18,
		    "exchange type %u is reserved", h->exchange);
	unknown = h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A);
	if (unknown != 0)
		return isk_fail(err, ISAKMP_E_HDR_FLAGS, 19,
		    "flags 0x%02x: unknown bits 0x%02x", h->flags, unknown);
	if (h->length > len)
		return isk_fail(err, ISAKMP_E_HDR_TRUNCATED, 24,
		    "length field says %u bytes, only %zu received",
		    h->length, len);
	if (h->length < len)
		return isk_fail(err, ISAKMP_E_HDR_EXCESS, 24,
		    "length field says %u bytes, %zu received", h->length, len);
	return 0;
}

void
isakmp_hdr_encode(const struct isakmp_hdr *h, uint8_t *out)
{
	memcpy(out, h->icookie, ISAKMP_COOKIE_LEN);
	memcpy(out + 8, h->rcookie, ISAKMP_COOKIE_LEN);
	out[16] = h->next;
	out[17] = (uint8_t)((h->major & 0x0f) << 4 | (h->minor & 0x0f));
	out[18] = h->exchange;
	out[19] = h->flags;
	isk_put32(out + 20, h->msgid);
	isk_put32(out + 24, h->length);
}

/*
 * One payload of type "type" whose generic header starts at off; named by
 * the next-payload byte at named_at.  Appends it to m->payloads.
 */
static int
decode_payload(struct isakmp_msg *m, uint8_t type, size_t off,
    size_t named_at, struct isakmp_error *err)
{
	struct isakmp_payload *p;
	size_t left = m->raw_len - off;
	size_t plen;

	if (type == ISAKMP_PT_PROPOSAL || type == ISAKMP_PT_TRANSFORM)
		return isk_fail(err, ISAKMP_E_PL_TYPE, named_at,
		    "%s payload outside an SA payload",
		    isakmp_payload_name(type));
	if (m->n_payloads == ISAKMP_MAX_PAYLOADS)
		return isk_fail(err, ISAKMP_E_PL_COUNT, off,
		    "more than %d payloads", ISAKMP_MAX_PAYLOADS);
	if (left < ISAKMP_GENERIC_LEN)
		return isk_fail(err, ISAKMP_E_PL_TRUNCATED, off,
		    "%s payload at offset %zu: %zu bytes left, its header "
		    "needs 4", isakmp_payload_name(type), off, left);
	plen = isk_get16(m->raw + off + 2);
	if (plen < ISAKMP_GENERIC_LEN)
		return isk_fail(err, ISAKMP_E_PL_LENGTH, off + 2,
		    "%s payload at offset %zu: length %zu is below 4",
		    isakmp_payload_name(type), off, plen);
	if (plen > left)
		return isk_fail(err, ISAKMP_E_PL_OVERRUN, off + 2,
		    "%s payload at offset %zu: length %zu, %zu bytes left",
		    isakmp_payload_name(type), off, plen, left);
	if (plen - ISAKMP_GENERIC_LEN < isk_fixed_len(type))
		return isk_fail(err, ISAKMP_E_PL_SHORT, off + 2,
		    "%s payload at offset %zu: body of %zu bytes, at least %zu "
		    "needed", isakmp_payload_name(type), off,
		    plen - ISAKMP_GENERIC_LEN, isk_fixed_len(type));
	p = &m->payloads[m->n_payloads++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->offset = off;
	p->body = m->raw + off + ISAKMP_GENERIC_LEN;
	p->len = plen - ISAKMP_GENERIC_LEN;
	return isk_decode_view(m, p, err);
}

static void
msg_reset(struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	memset(&m->hdr, 0, sizeof(m->hdr));
	m->raw = buf;
	m->raw_len = len;
	m->end = 0;
	m->padding = 0;
	m->n_payloads = 0;
	m->n_proposals = 0;
	m->n_transforms = 0;
	m->n_attrs = 0;
}

int
isakmp_decode(const uint8_t *buf, size_t len, unsigned flags,
    struct isakmp_msg *m, struct isakmp_error *err)
{
	const struct isakmp_payload *p;
	size_t off = ISAKMP_HDR_LEN, named_at = 16;
	uint8_t next;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	msg_reset(m, buf, len);
	if (isakmp_hdr_decode(buf, len, &m->hdr, err) != 0)
		return -1;
	if ((m->hdr.flags & ISAKMP_FLAG_E) != 0 &&
	    (flags & ISAKMP_DECODE_PADDED) == 0)
		return isk_fail(err, ISAKMP_E_ENCRYPTED, 19,
		    "encrypted body: decrypt it first");
	next = m->hdr.next;
	while (next != ISAKMP_PT_NONE) {
		if (decode_payload(m, next, off, named_at, err) != 0)
			return -1;
		p = &m->payloads[m->n_payloads - 1];
		next = m->raw[p->offset];
		named_at = p->offset;
		off = p->offset + ISAKMP_GENERIC_LEN + p->len;
	}
	if (off < len && (flags & ISAKMP_DECODE_PADDED) == 0)
		return isk_fail(err, ISAKMP_E_PL_TRAILING, off,
		    "%zu bytes after the last payload", len - off);
	m->end = off;
	m->padding = len - off;
	return 0;
}

const struct isakmp_payload *
isakmp_msg_find(const struct isakmp_msg *m, uint8_t type,
    const struct isakmp_payload *prev)
{
	unsigned i = 0;

	if (prev != NULL)
		i = (unsigned)(prev - m->payloads) + 1;
	for (; i < m->n_payloads; i++)
		if (m->payloads[i].type == type)
			return &m->payloads[i];
	return NULL;
}

unsigned
isakmp_msg_count(const struct isakmp_msg *m, uint8_t type)
{
	unsigned i, n = 0;

	for (i = 0; i < m->n_payloads; i++)
		if (m->payloads[i].type == type)
			n++;
	return n;
}

const uint8_t *
isakmp_msg_after(const struct isakmp_msg *m, unsigned i, size_t *len)
{
	size_t start;

	*len = 0;
	if (i >= m->n_payloads || i + 1 >= m->n_payloads)
		return NULL;
	start = m->payloads[i + 1].offset;
	*len = m->end - start;
	return m->raw + start;
}

const uint8_t *
isakmp_delete_spi(const struct isakmp_delete *d, unsigned i)
{
	if (i >= d->count)
		return NULL;
	return d->spis + (size_t)i * d->spi_size;
}
