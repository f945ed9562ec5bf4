/*
 * libFuzzer target for the ISAKMP codec.  The input is decoded as a
 * message received in the clear and as a decrypted body (padding
 * allowed).  A failure must carry a decoder error code, its notify and a
 * reason.  A success must keep every view inside the input; it is then
 * re-encoded from the typed views (SA through specs, ID, CERT/CR, N, D
 * through their builders, the rest from (type, body)) and decoded again,
 * which must succeed and give the same message.
 */
#include <stdlib.h>
#include <string.h>

#include "ike/isakmp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct isakmp_msg first, again;

/* Storage for the specs of the SAs of one message. */
static struct isakmp_attr_spec attr_specs[ISAKMP_MAX_ATTRS];
static struct isakmp_transform_spec xf_specs[ISAKMP_MAX_TRANSFORMS];
static struct isakmp_proposal_spec prop_specs[ISAKMP_MAX_PROPOSALS];

static void
check_failure(const struct isakmp_error *err, unsigned flags)
{
	if (err->code <= ISAKMP_OK || err->code >= ISAKMP_E_BUILD_NOMEM)
		abort();
	if (err->reason[0] == '\0' ||
	    memchr(err->reason, '\0', sizeof(err->reason)) == NULL)
		abort();
	if ((err->notify == 0) != (err->code == ISAKMP_E_ENCRYPTED))
		abort();
	if (err->code == ISAKMP_E_ENCRYPTED && (flags & ISAKMP_DECODE_PADDED))
		abort();
	if (strcmp(isakmp_error_name(err->code), "unknown") == 0)
		abort();
}

static void
inside(const struct isakmp_msg *m, const uint8_t *p, size_t len)
{
	if (len == 0)
		return;
	if (p < m->raw || p + len > m->raw + m->end)
		abort();
}

static void
check_sa_views(const struct isakmp_msg *m, const struct isakmp_sa *sa)
{
	unsigned i, j, k;
	uint64_t v;

	for (i = 0; i < sa->n_proposals; i++) {
		const struct isakmp_proposal *p = &sa->proposals[i];

		inside(m, p->spi, p->spi_size);
		for (j = 0; j < p->n_transforms; j++) {
			const struct isakmp_transform *t = &p->transforms[j];

			if (t->n_attrs > ISAKMP_MAX_XFORM_ATTRS)
				abort();
			for (k = 0; k < t->n_attrs; k++) {
				inside(m, t->attrs[k].value, t->attrs[k].len);
				if ((isakmp_attr_uint(&t->attrs[k], &v) == 0) !=
				    (t->attrs[k].len >= 1 && t->attrs[k].len <= 8))
					abort();
			}
		}
	}
}

static void
check_views(const struct isakmp_msg *m, unsigned flags)
{
	const struct isakmp_payload *p;
	size_t len;
	unsigned i;

	if (m->n_payloads > ISAKMP_MAX_PAYLOADS || m->end > m->raw_len ||
	    m->end + m->padding != m->raw_len)
		abort();
	if (m->padding != 0 && (flags & ISAKMP_DECODE_PADDED) == 0)
		abort();
	for (i = 0; i < m->n_payloads; i++) {
		p = &m->payloads[i];
		inside(m, p->body, p->len);
		(void)isakmp_payload_name(p->type);
		(void)isakmp_msg_after(m, i, &len);
		if (p->type == ISAKMP_PT_SA)
			check_sa_views(m, &p->u.sa);
		if (p->type == ISAKMP_PT_N)
			(void)isakmp_notify_name(p->u.notify.type);
		if (p->type == ISAKMP_PT_D && isakmp_delete_spi(&p->u.del,
		    p->u.del.count - 1U) == NULL)
			abort();
	}
	(void)isakmp_exchange_name(m->hdr.exchange);
}

/* Specs for one decoded SA, in the static tables from *used on. */
static void
sa_to_spec(const struct isakmp_sa *sa, struct isakmp_sa_spec *out,
    size_t used[3])
{
	unsigned i, j;

	out->doi = sa->doi;
	out->situation = sa->situation;
	out->proposals = &prop_specs[used[0]];
	out->n_proposals = sa->n_proposals;
	for (i = 0; i < sa->n_proposals; i++) {
		const struct isakmp_proposal *p = &sa->proposals[i];
		struct isakmp_proposal_spec *ps = &prop_specs[used[0]++];

		ps->num = p->num;
		ps->protocol = p->protocol;
		ps->spi = p->spi;
		ps->spi_size = p->spi_size;
		ps->transforms = &xf_specs[used[1]];
		ps->n_transforms = p->n_transforms;
		for (j = 0; j < p->n_transforms; j++) {
			if (isakmp_transform_to_spec(&p->transforms[j],
			    &attr_specs[used[2]], ISAKMP_MAX_ATTRS - used[2],
			    &xf_specs[used[1]]) != 0)
				abort();
			used[2] += p->transforms[j].n_attrs;
			used[1]++;
		}
	}
}

static int
add_one(struct isakmp_builder *b, const struct isakmp_payload *p,
    size_t used[3])
{
	struct isakmp_sa_spec sa;

	switch (p->type) {
	case ISAKMP_PT_SA:
		sa_to_spec(&p->u.sa, &sa, used);
		return isakmp_add_sa(b, &sa);
	case ISAKMP_PT_ID:
		return isakmp_add_id(b, &p->u.id);
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		return isakmp_add_cert(b, p->type, &p->u.cert);
	case ISAKMP_PT_N:
		return isakmp_add_notify(b, &p->u.notify);
	case ISAKMP_PT_D:
		return isakmp_add_delete(b, &p->u.del);
	default:
		return isakmp_add_payload(b, p->type, p->body, p->len);
	}
}

static bool
same_bytes(const uint8_t *a, const uint8_t *b, size_t len)
{
	return len == 0 || memcmp(a, b, len) == 0;
}

static bool
same_transform(const struct isakmp_transform *a,
    const struct isakmp_transform *b)
{
	unsigned k;

	if (a->num != b->num || a->id != b->id || a->n_attrs != b->n_attrs)
		return false;
	for (k = 0; k < a->n_attrs; k++) {
		const struct isakmp_attr *x = &a->attrs[k], *y = &b->attrs[k];

		if (x->type != y->type || x->tv != y->tv || x->len != y->len ||
		    !same_bytes(x->value, y->value, x->len))
			return false;
	}
	return true;
}

/* Reserved bytes inside an SA are not kept: compare the trees. */
static bool
same_sa(const struct isakmp_sa *a, const struct isakmp_sa *b)
{
	unsigned i, j;

	if (a->doi != b->doi || a->situation != b->situation ||
	    a->n_proposals != b->n_proposals)
		return false;
	for (i = 0; i < a->n_proposals; i++) {
		const struct isakmp_proposal *p = &a->proposals[i];
		const struct isakmp_proposal *q = &b->proposals[i];

		if (p->num != q->num || p->protocol != q->protocol ||
		    p->spi_size != q->spi_size ||
		    !same_bytes(p->spi, q->spi, p->spi_size) ||
		    p->n_transforms != q->n_transforms)
			return false;
		for (j = 0; j < p->n_transforms; j++)
			if (!same_transform(&p->transforms[j],
			    &q->transforms[j]))
				return false;
	}
	return true;
}

static bool
same_msg(const struct isakmp_msg *a, const struct isakmp_msg *b)
{
	const struct isakmp_hdr *x = &a->hdr, *y = &b->hdr;
	unsigned i;

	if (memcmp(x->icookie, y->icookie, 8) != 0 ||
	    memcmp(x->rcookie, y->rcookie, 8) != 0 || x->next != y->next ||
	    x->major != y->major || x->minor != y->minor ||
	    x->exchange != y->exchange || x->flags != y->flags ||
	    x->msgid != y->msgid || y->length != a->end)
		return false;
	if (a->n_payloads != b->n_payloads)
		return false;
	for (i = 0; i < a->n_payloads; i++) {
		const struct isakmp_payload *p = &a->payloads[i];
		const struct isakmp_payload *q = &b->payloads[i];

		if (p->type != q->type)
			return false;
		if (p->type == ISAKMP_PT_SA) {
			if (!same_sa(&p->u.sa, &q->u.sa))
				return false;
			continue;
		}
		if (p->len != q->len || !same_bytes(p->body, q->body, p->len))
			return false;
	}
	return true;
}

static void
reencode(const struct isakmp_msg *m, unsigned flags)
{
	struct isakmp_builder b;
	struct isakmp_error err;
	size_t used[3] = { 0, 0, 0 }, len;
	const uint8_t *out;
	uint8_t *copy;
	unsigned i;

	if (isakmp_builder_init(&b, &m->hdr) != 0)
		abort();
	for (i = 0; i < m->n_payloads; i++)
		if (add_one(&b, &m->payloads[i], used) != 0)
			abort();
	out = isakmp_builder_finish(&b, &len);
	if (out == NULL || len != m->end)
		abort();
	copy = malloc(len);
	if (copy == NULL)
		abort();
	memcpy(copy, out, len);
	isakmp_builder_free(&b);
	if (isakmp_decode(copy, len, flags, &again, &err) != 0)
		abort();
	if (again.padding != 0 || !same_msg(m, &again))
		abort();
	free(copy);
}

static void
one(const uint8_t *data, size_t size, unsigned flags)
{
	struct isakmp_error err;

	if (isakmp_decode(data, size, flags, &first, &err) != 0) {
		check_failure(&err, flags);
		return;
	}
	check_views(&first, flags);
	if (first.end <= ISAKMP_MAX_MSG)
		reencode(&first, flags);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isakmp_hdr h;
	struct isakmp_error err;

	if (isakmp_hdr_decode(data, size, &h, &err) != 0)
		check_failure(&err, 0);
	one(data, size, 0);
	one(data, size, ISAKMP_DECODE_PADDED);
	return 0;
}
