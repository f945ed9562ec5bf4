/*
 * The SA payload (RFC 2408 3.4-3.6, RFC 2407 4.6.1): DOI, situation, then
 * proposals, each with its SPI and transforms, each transform with its
 * attributes in TV or TLV form (RFC 2408 3.3).  The tree goes into the
 * message's proposal, transform and attribute tables; lengths nest
 * exactly or the payload is refused.  Also the attribute readers.
 */
#include "isakmp_local.h"

/* Where one walk is: the SA body, its offset in the message, the message. */
struct sa_walk {
	struct isakmp_msg	*m;
	const uint8_t		*b;	/* SA body */
	size_t			 base;	/* offset of b in the message */
	struct isakmp_error	*err;
};

static int
decode_attr(struct sa_walk *w, struct isakmp_transform *t, size_t *off,
    size_t end)
{
	struct isakmp_attr *a;
	uint16_t af;
	size_t left = end - *off;

	if (t->n_attrs == ISAKMP_MAX_XFORM_ATTRS)
		return isk_fail(w->err, ISAKMP_E_ATTR_COUNT, w->base + *off,
		    "transform %u has more than %d attributes", t->num,
		    ISAKMP_MAX_XFORM_ATTRS);
	if (w->m->n_attrs == ISAKMP_MAX_ATTRS)
		return isk_fail(w->err, ISAKMP_E_LIMIT_ATTRS, w->base + *off,
		    "more than %d attributes in the message",
		    ISAKMP_MAX_ATTRS);
	if (left < 4)
		return isk_fail(w->err, ISAKMP_E_ATTR_LENGTH, w->base + *off,
		    "transform %u: attribute header needs 4 bytes, %zu left",
		    t->num, left);
	a = &w->m->attr_tab[w->m->n_attrs];
	af = isk_get16(w->b + *off);
	a->type = af & 0x7fff;
	a->tv = (af & 0x8000) != 0;
	a->len = a->tv ? 2 : isk_get16(w->b + *off + 2);
	a->value = w->b + *off + (a->tv ? 2 : 4);
	if (!a->tv && a->len > left - 4)
		return isk_fail(w->err, ISAKMP_E_ATTR_LENGTH,
		    w->base + *off + 2, "transform %u: attribute %u of %u "
		    "bytes, %zu left", t->num, a->type, a->len, left - 4);
	*off += a->tv ? 4 : 4 + (size_t)a->len;
	w->m->n_attrs++;
	t->n_attrs++;
	return 0;
}

/* The next-payload rule of proposals and transforms: more ? more : 0. */
static bool
next_ok(uint8_t next, uint8_t more, bool last)
{
	return next == (last ? ISAKMP_PT_NONE : more);
}

static int
decode_transform(struct sa_walk *w, struct isakmp_proposal *pr, size_t *off,
    size_t end)
{
	struct isakmp_transform *t;
	size_t left = end - *off, tlen, aoff;

	if (left < ISAKMP_TRANSFORM_LEN)
		return isk_fail(w->err, ISAKMP_E_XF_LENGTH, w->base + *off,
		    "proposal %u: transform header needs 8 bytes, %zu left",
		    pr->num, left);
	tlen = isk_get16(w->b + *off + 2);
	if (tlen < ISAKMP_TRANSFORM_LEN || tlen > left)
		return isk_fail(w->err, ISAKMP_E_XF_LENGTH, w->base + *off + 2,
		    "proposal %u: transform length %zu, %zu bytes left",
		    pr->num, tlen, left);
	if (!next_ok(w->b[*off], ISAKMP_PT_TRANSFORM, tlen == left))
		return isk_fail(w->err, ISAKMP_E_XF_NEXT, w->base + *off,
		    "proposal %u: transform next payload %u with %zu bytes "
		    "following", pr->num, w->b[*off], left - tlen);
	if (w->m->n_transforms == ISAKMP_MAX_TRANSFORMS)
		return isk_fail(w->err, ISAKMP_E_LIMIT_TRANSFORMS,
		    w->base + *off, "more than %d transforms in the message",
		    ISAKMP_MAX_TRANSFORMS);
	t = &w->m->transform_tab[w->m->n_transforms++];
	t->num = w->b[*off + 4];
	t->id = w->b[*off + 5];
	t->n_attrs = 0;
	t->attrs = &w->m->attr_tab[w->m->n_attrs];
	if (t->id == 0 || (pr->protocol == ISAKMP_PROTO_ISAKMP &&
	    t->id != ISAKMP_XF_KEY_IKE))
		return isk_fail(w->err, ISAKMP_E_XF_ID, w->base + *off + 5,
		    "proposal %u: transform ID %u is invalid for %s", pr->num,
		    t->id, isakmp_protocol_name(pr->protocol));
	for (aoff = *off + ISAKMP_TRANSFORM_LEN; aoff < *off + tlen;)
		if (decode_attr(w, t, &aoff, *off + tlen) != 0)
			return -1;
	*off += tlen;
	pr->n_transforms++;
	return 0;
}

/* Proposal header: length, next, number order, protocol, SPI size. */
static int
check_proposal(struct sa_walk *w, size_t off, size_t left, uint8_t prev_num,
    bool first)
{
	const uint8_t *h = w->b + off;
	size_t plen;

	if (left < ISAKMP_PROPOSAL_LEN)
		return isk_fail(w->err, ISAKMP_E_PROP_LENGTH, w->base + off,
		    "proposal header needs 8 bytes, %zu left in the SA", left);
	plen = isk_get16(h + 2);
	if (plen < ISAKMP_PROPOSAL_LEN + (size_t)h[6] || plen > left)
		return isk_fail(w->err, ISAKMP_E_PROP_LENGTH, w->base + off + 2,
		    "proposal %u: length %zu with a %u-byte SPI, %zu bytes "
		    "left in the SA", h[4], plen, h[6], left);
	if (!next_ok(h[0], ISAKMP_PT_PROPOSAL, plen == left))
		return isk_fail(w->err, ISAKMP_E_PROP_NEXT, w->base + off,
		    "proposal %u: next payload %u with %zu bytes following",
		    h[4], h[0], left - plen);
	if (!first && h[4] < prev_num)
		return isk_fail(w->err, ISAKMP_E_PROP_ORDER, w->base + off + 4,
		    "proposal %u follows proposal %u", h[4], prev_num);
	if (!isk_protocol_known(h[5]))
		return isk_fail(w->err, ISAKMP_E_PROP_PROTOCOL,
		    w->base + off + 5, "proposal %u: unknown protocol %u",
		    h[4], h[5]);
	if (!isk_spi_size_ok(h[5], h[6], true))
		return isk_fail(w->err, ISAKMP_E_PROP_SPI, w->base + off + 6,
		    "proposal %u: SPI size %u is wrong for %s", h[4], h[6],
		    isakmp_protocol_name(h[5]));
	return 0;
}

static int
decode_proposal(struct sa_walk *w, struct isakmp_sa *sa, size_t *off,
    size_t end)
{
	const struct isakmp_proposal *prev = NULL;
	struct isakmp_proposal *pr;
	size_t left = end - *off, plen, xoff;

	if (sa->n_proposals > 0)
		prev = &sa->proposals[sa->n_proposals - 1];
	if (check_proposal(w, *off, left, prev ? prev->num : 0,
	    prev == NULL) != 0)
		return -1;
	if (w->m->n_proposals == ISAKMP_MAX_PROPOSALS)
		return isk_fail(w->err, ISAKMP_E_LIMIT_PROPOSALS,
		    w->base + *off, "more than %d proposals in the message",
		    ISAKMP_MAX_PROPOSALS);
	plen = isk_get16(w->b + *off + 2);
	pr = &w->m->proposal_tab[w->m->n_proposals++];
	pr->num = w->b[*off + 4];
	pr->protocol = w->b[*off + 5];
	pr->spi_size = w->b[*off + 6];
	pr->spi = pr->spi_size > 0 ? w->b + *off + ISAKMP_PROPOSAL_LEN : NULL;
	pr->n_transforms = 0;
	pr->transforms = &w->m->transform_tab[w->m->n_transforms];
	sa->n_proposals++;
	xoff = *off + ISAKMP_PROPOSAL_LEN + pr->spi_size;
	while (xoff < *off + plen)
		if (decode_transform(w, pr, &xoff, *off + plen) != 0)
			return -1;
	if (pr->n_transforms == 0 || pr->n_transforms != w->b[*off + 7])
		return isk_fail(w->err, ISAKMP_E_PROP_COUNT, w->base + *off + 7,
		    "proposal %u announces %u transforms and has %u", pr->num,
		    w->b[*off + 7], pr->n_transforms);
	*off += plen;
	return 0;
}

int
isk_decode_sa(struct isakmp_msg *m, struct isakmp_payload *p,
    struct isakmp_error *err)
{
	struct isakmp_sa *sa = &p->u.sa;
	struct sa_walk w;
	size_t off;

	w.m = m;
	w.b = p->body;
	w.base = p->offset + ISAKMP_GENERIC_LEN;
	w.err = err;
	sa->doi = isk_get32(p->body);
	sa->situation = isk_get32(p->body + 4);
	sa->n_proposals = 0;
	sa->proposals = &m->proposal_tab[m->n_proposals];
	if (sa->doi != ISAKMP_DOI_IPSEC)
		return isk_fail(err, ISAKMP_E_SA_DOI, w.base,
		    "SA: DOI %u not supported", sa->doi);
	if (sa->situation != ISAKMP_SIT_IDENTITY_ONLY)
		return isk_fail(err, ISAKMP_E_SA_SITUATION, w.base + 4,
		    "SA: situation 0x%x not supported", sa->situation);
	if (p->len == 8)
		return isk_fail(err, ISAKMP_E_SA_EMPTY, w.base + 8,
		    "SA without a proposal");
	for (off = 8; off < p->len;)
		if (decode_proposal(&w, sa, &off, p->len) != 0)
			return -1;
	return 0;
}

const struct isakmp_attr *
isakmp_attr_find(const struct isakmp_transform *t, uint16_t type)
{
	unsigned i;

	for (i = 0; i < t->n_attrs; i++)
		if (t->attrs[i].type == type)
			return &t->attrs[i];
	return NULL;
}

int
isakmp_attr_uint(const struct isakmp_attr *a, uint64_t *out)
{
	uint64_t v = 0;
	unsigned i;

	if (a->len == 0 || a->len > 8)
		return -1;
	for (i = 0; i < a->len; i++)
		v = v << 8 | a->value[i];
	*out = v;
	return 0;
}
