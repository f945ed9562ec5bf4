/*
 * Building SA payloads (RFC 2408 3.4-3.6) from proposal, transform and
 * attribute specs, with the TV/TLV choice of isakmp.h; and specs from a
 * decoded SA, keeping each attribute's form.
 */
#include "isakmp_local.h"

/* An integer in TLV form: 4 bytes, or 8 when it needs them. */
static int
put_attr_tlv_int(struct isakmp_builder *b, uint16_t type, uint64_t value)
{
	uint8_t a[12];
	size_t n = value <= 0xffffffffu ? 4 : 8, i;

	isk_put16(a, type);
	isk_put16(a + 2, (uint16_t)n);
	for (i = 0; i < n; i++)
		a[4 + i] = (uint8_t)(value >> (8 * (n - 1 - i)));
	return isk_append(b, a, 4 + n);
}

static int
put_attr(struct isakmp_builder *b, const struct isakmp_attr_spec *s)
{
	uint8_t a[4];

	if (s->type >= 0x8000)
		return isk_build_fail(b, ISAKMP_E_BUILD_VALUE,
		    "attribute type above 32767");
	switch (s->form) {
	case ISAKMP_ATTR_INT:
		if (s->value > 0xffff)
			return put_attr_tlv_int(b, s->type, s->value);
		isk_put16(a, (uint16_t)(s->type | 0x8000));
		isk_put16(a + 2, (uint16_t)s->value);
		return isk_append(b, a, sizeof(a));
	case ISAKMP_ATTR_VARIABLE:
		return put_attr_tlv_int(b, s->type, s->value);
	case ISAKMP_ATTR_BYTES:
		if (s->len > 0xffff)
			return isk_build_fail(b, ISAKMP_E_BUILD_VALUE,
			    "attribute value longer than 65535 bytes");
		isk_put16(a, s->type);
		isk_put16(a + 2, (uint16_t)s->len);
		if (isk_append(b, a, sizeof(a)) != 0)
			return -1;
		return isk_append(b, s->data, s->len);
	default:
		return isk_build_fail(b, ISAKMP_E_BUILD_VALUE,
		    "unknown attribute form");
	}
}

/* Write the length of a proposal or transform that started at start. */
static void
set_sub_len(struct isakmp_builder *b, size_t start)
{
	if (!b->failed)
		isk_put16(b->buf + start + 2, (uint16_t)(b->len - start));
}

static int
put_transform(struct isakmp_builder *b, const struct isakmp_transform_spec *t,
    bool last)
{
	uint8_t h[ISAKMP_TRANSFORM_LEN] = { 0 };
	size_t start = b->len, i;

	h[0] = last ? ISAKMP_PT_NONE : ISAKMP_PT_TRANSFORM;
	h[4] = t->num;
	h[5] = t->id;
	if (isk_append(b, h, sizeof(h)) != 0)
		return -1;
	for (i = 0; i < t->n_attrs; i++)
		if (put_attr(b, &t->attrs[i]) != 0)
			return -1;
	set_sub_len(b, start);
	return 0;
}

static int
put_proposal(struct isakmp_builder *b, const struct isakmp_proposal_spec *p,
    bool last)
{
	uint8_t h[ISAKMP_PROPOSAL_LEN] = { 0 };
	size_t start = b->len, i;

	if (p->spi_size > 255 || p->n_transforms > 255)
		return isk_build_fail(b, ISAKMP_E_BUILD_VALUE,
		    "proposal SPI size or transform count above 255");
	h[0] = last ? ISAKMP_PT_NONE : ISAKMP_PT_PROPOSAL;
	h[4] = p->num;
	h[5] = p->protocol;
	h[6] = (uint8_t)p->spi_size;
	h[7] = (uint8_t)p->n_transforms;
	if (isk_append(b, h, sizeof(h)) != 0 ||
	    isk_append(b, p->spi, p->spi_size) != 0)
		return -1;
	for (i = 0; i < p->n_transforms; i++)
		if (put_transform(b, &p->transforms[i],
		    i + 1 == p->n_transforms) != 0)
			return -1;
	set_sub_len(b, start);
	return 0;
}

int
isakmp_add_sa(struct isakmp_builder *b, const struct isakmp_sa_spec *sa)
{
	uint8_t fixed[8];
	size_t start, i;

	isk_put32(fixed, sa->doi);
	isk_put32(fixed + 4, sa->situation);
	if (isk_open(b, ISAKMP_PT_SA, &start) != 0 ||
	    isk_append(b, fixed, sizeof(fixed)) != 0)
		return -1;
	for (i = 0; i < sa->n_proposals; i++)
		if (put_proposal(b, &sa->proposals[i],
		    i + 1 == sa->n_proposals) != 0)
			return -1;
	return isk_close(b, start);
}

void
isakmp_attr_to_spec(const struct isakmp_attr *a, struct isakmp_attr_spec *s)
{
	s->type = a->type;
	s->value = 0;
	s->data = NULL;
	s->len = 0;
	if (a->tv) {
		s->form = ISAKMP_ATTR_INT;
		s->value = isk_get16(a->value);
		return;
	}
	s->form = ISAKMP_ATTR_BYTES;
	s->data = a->value;
	s->len = a->len;
}

int
isakmp_transform_to_spec(const struct isakmp_transform *t,
    struct isakmp_attr_spec *attrs, size_t cap,
    struct isakmp_transform_spec *out)
{
	unsigned i;

	if (t->n_attrs > cap)
		return -1;
	for (i = 0; i < t->n_attrs; i++)
		isakmp_attr_to_spec(&t->attrs[i], &attrs[i]);
	out->num = t->num;
	out->id = t->id;
	out->attrs = attrs;
	out->n_attrs = t->n_attrs;
	return 0;
}
