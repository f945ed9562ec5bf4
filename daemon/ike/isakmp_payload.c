/*
 * Typed views of the fixed-layout ISAKMP payloads: ID (RFC 2407 4.6.2),
 * CERT and CR (RFC 2408 3.9, 3.10), N (3.14, RFC 2407 4.6.3) and D
 * (3.15), and the fixed part of every payload type the core knows.  The
 * SA payload is isakmp_sa.c.
 */
#include "isakmp_local.h"

size_t
isk_fixed_len(uint8_t type)
{
	switch (type) {
	case ISAKMP_PT_SA:
		return 8;	/* DOI, situation */
	case ISAKMP_PT_ID:
		return 4;	/* type, protocol, port */
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		return 1;	/* encoding */
	case ISAKMP_PT_N:
	case ISAKMP_PT_D:
		return 8;	/* DOI, protocol, SPI size, type / count */
	default:
		return 0;
	}
}

bool
isk_protocol_known(uint8_t protocol)
{
	return protocol >= ISAKMP_PROTO_ISAKMP &&
	    protocol <= ISAKMP_PROTO_IPCOMP;
}

/* The data length an address ID type requires, 0 for variable types. */
static size_t
id_addr_len(uint8_t type)
{
	switch (type) {
	case ISAKMP_ID_IPV4_ADDR:
		return 4;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		return 8;
	case ISAKMP_ID_IPV6_ADDR:
		return 16;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		return 32;
	default:
		return 0;
	}
}

static int
decode_id(struct isakmp_payload *p, struct isakmp_error *err)
{
	struct isakmp_id *id = &p->u.id;
	size_t want;

	id->type = p->body[0];
	id->protocol = p->body[1];
	id->port = isk_get16(p->body + 2);
	id->data = p->body + 4;
	id->len = p->len - 4;
	want = id_addr_len(id->type);
	if (want != 0 && id->len != want)
		return isk_fail(err, ISAKMP_E_ID_LENGTH,
		    p->offset + ISAKMP_GENERIC_LEN + 4,
		    "%s ID with %zu bytes of data, %zu expected",
		    isakmp_id_type_name(id->type), id->len, want);
	return 0;
}

static void
decode_cert(struct isakmp_payload *p)
{
	p->u.cert.encoding = p->body[0];
	p->u.cert.data = p->body + 1;
	p->u.cert.len = p->len - 1;
}

static int
decode_notify(struct isakmp_payload *p, struct isakmp_error *err)
{
	struct isakmp_notify *n = &p->u.notify;
	size_t base = p->offset + ISAKMP_GENERIC_LEN;

	n->doi = isk_get32(p->body);
	n->protocol = p->body[4];
	n->spi_size = p->body[5];
	n->type = isk_get16(p->body + 6);
	if (n->doi != ISAKMP_DOI_ISAKMP && n->doi != ISAKMP_DOI_IPSEC)
		return isk_fail(err, ISAKMP_E_N_DOI, base,
		    "notify %s: DOI %u not supported",
		    isakmp_notify_name(n->type), n->doi);
	if (n->spi_size > p->len - 8)
		return isk_fail(err, ISAKMP_E_N_SPI, base + 5,
		    "notify %s: SPI of %u bytes, %zu left in the payload",
		    isakmp_notify_name(n->type), n->spi_size, p->len - 8);
	n->spi = n->spi_size > 0 ? p->body + 8 : NULL;
	n->data = p->body + 8 + n->spi_size;
	n->data_len = p->len - 8 - n->spi_size;
	return 0;
}

/*
 * SPI sizes by protocol: ISAKMP's is the cookie pair (16), which a
 * proposal may leave out (0); AH and ESP 4; an IPCOMP CPI 2, or 4.
 */
bool
isk_spi_size_ok(uint8_t protocol, uint8_t size, bool proposal)
{
	switch (protocol) {
	case ISAKMP_PROTO_ISAKMP:
		return size == 16 || (proposal && size == 0);
	case ISAKMP_PROTO_AH:
	case ISAKMP_PROTO_ESP:
		return size == 4;
	case ISAKMP_PROTO_IPCOMP:
		return size == 2 || size == 4;
	default:
		return false;
	}
}

static int
decode_delete(struct isakmp_payload *p, struct isakmp_error *err)
{
	struct isakmp_delete *d = &p->u.del;
	size_t base = p->offset + ISAKMP_GENERIC_LEN;

	d->doi = isk_get32(p->body);
	d->protocol = p->body[4];
	d->spi_size = p->body[5];
	d->count = isk_get16(p->body + 6);
	d->spis = p->body + 8;
	if (d->doi != ISAKMP_DOI_ISAKMP && d->doi != ISAKMP_DOI_IPSEC)
		return isk_fail(err, ISAKMP_E_D_DOI, base,
		    "delete: DOI %u not supported", d->doi);
	if (!isk_protocol_known(d->protocol))
		return isk_fail(err, ISAKMP_E_D_PROTOCOL, base + 4,
		    "delete: unknown protocol %u", d->protocol);
	if (!isk_spi_size_ok(d->protocol, d->spi_size, false))
		return isk_fail(err, ISAKMP_E_D_SPI, base + 5,
		    "delete: SPI size %u is wrong for %s", d->spi_size,
		    isakmp_protocol_name(d->protocol));
	if (d->count == 0)
		return isk_fail(err, ISAKMP_E_D_EMPTY, base + 6,
		    "delete: no SPI");
	if ((size_t)d->count * d->spi_size != p->len - 8)
		return isk_fail(err, ISAKMP_E_D_LENGTH, base + 6,
		    "delete: %u SPIs of %u bytes in %zu bytes", d->count,
		    d->spi_size, p->len - 8);
	return 0;
}

int
isk_decode_view(struct isakmp_msg *m, struct isakmp_payload *p,
    struct isakmp_error *err)
{
	switch (p->type) {
	case ISAKMP_PT_SA:
		return isk_decode_sa(m, p, err);
	case ISAKMP_PT_ID:
		return decode_id(p, err);
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		decode_cert(p);
		return 0;
	case ISAKMP_PT_N:
		return decode_notify(p, err);
	case ISAKMP_PT_D:
		return decode_delete(p, err);
	default:
		return 0;	/* data only, or opaque */
	}
}
