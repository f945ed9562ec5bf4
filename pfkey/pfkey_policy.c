/*
 * The KAME X_POLICY extension: sadb_x_policy followed by up to
 * PFKEY_MAXREQ sadb_x_ipsecrequests.
 *
 * Each ipsecrequest states its own length in BYTES (not 64-bit words),
 * at least the dialect's request size (8 on FreeBSD, 16 on Linux) and a
 * multiple of 8.  Anything beyond the request proper is the pair of tunnel
 * endpoint sockaddrs, source then destination, back to back, padded so the
 * request ends 8-byte aligned.  FreeBSD carries a 16-bit reqid, Linux a
 * 32-bit one; only FreeBSD has the policy scope byte.
 */
#include <sys/socket.h>
#include <errno.h>

#include "pfkey_wire.h"

/* The tunnel endpoints after the request header: src, dst, padding. */
static int
decode_endpoints(struct pfkey_ipsecrequest *r, const uint8_t *p,
    size_t rlen, const struct pfkey_dialect *d, unsigned idx,
    struct pfkey_error *err)
{
	size_t hdr = d->ipsecrequest_len, srclen = 0, dstlen = 0;
	char what[48];
	int rc;

	snprintf(what, sizeof(what), "ipsecrequest %u source: ", idx);
	rc = pfkey_sockaddr_decode(&r->src, p + hdr, rlen - hdr, &srclen, d,
	    what, err);
	if (rc != 0)
		return rc;
	snprintf(what, sizeof(what), "ipsecrequest %u destination: ", idx);
	rc = pfkey_sockaddr_decode(&r->dst, p + hdr + srclen,
	    rlen - hdr - srclen, &dstlen, d, what, err);
	if (rc != 0)
		return rc;
	if (r->src.family != r->dst.family)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: endpoint "
		    "families %u and %u differ", idx, r->src.family,
		    r->dst.family);
	if (wire_align8(hdr + srclen + dstlen) != rlen)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: length %zu "
		    "bytes, endpoints fill %zu", idx, rlen,
		    wire_align8(hdr + srclen + dstlen));
	r->has_endpoints = true;
	return 0;
}

static int
decode_request(struct pfkey_ipsecrequest *r, const uint8_t *p, size_t rem,
    const struct pfkey_dialect *d, unsigned idx, size_t *rlenp,
    struct pfkey_error *err)
{
	size_t hdr = d->ipsecrequest_len, rlen;

	if (rem < hdr)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: %zu bytes "
		    "left, shorter than the %zu-byte request", idx, rem, hdr);
	rlen = wire_get16(p);
	if (rlen < hdr)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: length %zu "
		    "bytes shorter than the %zu-byte request", idx, rlen, hdr);
	if (rlen % PFKEY_ALIGN != 0)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: length %zu "
		    "bytes not a multiple of 8", idx, rlen);
	if (rlen > rem)
		return pfkey_fail(err, EINVAL, "ipsecrequest %u: length %zu "
		    "bytes exceeds the policy extension", idx, rlen);
	r->proto = wire_get16(p + 2);
	r->mode = p[4];
	r->level = p[5];
	r->reqid = d->reqid_32bit ? wire_get32(p + 8) : wire_get16(p + 6);
	*rlenp = rlen;
	if (rlen == hdr)
		return 0;
	return decode_endpoints(r, p, rlen, d, idx, err);
}

int
pfkey_policy_decode(struct pfkey_policy *pol, const uint8_t *p, size_t len,
    const struct pfkey_dialect *d, struct pfkey_error *err)
{
	size_t off = 16, rlen = 0;
	int rc;

	pol->type = wire_get16(p + 4);
	pol->dir = p[6];
	pol->scope = d->policy_has_scope ? p[7] : 0;
	pol->id = wire_get32(p + 8);
	pol->priority = wire_get32(p + 12);
	while (off < len) {
		if (pol->nreq == PFKEY_MAXREQ)
			return pfkey_fail(err, EMSGSIZE, "more than %d "
			    "ipsecrequests", PFKEY_MAXREQ);
		rc = decode_request(&pol->req[pol->nreq], p + off, len - off, d,
		    pol->nreq, &rlen, err);
		if (rc != 0)
			return rc;
		pol->nreq++;
		off += rlen;
	}
	return 0;
}

static int
encode_request(const struct pfkey_ipsecrequest *r, unsigned idx,
    struct pfkey_writer *w, const struct pfkey_dialect *d)
{
	size_t start = w->off, pad;
	uint8_t *p;
	int rc;

	if (!d->reqid_32bit && r->reqid > UINT16_MAX)
		return pfkey_fail(w->err, EINVAL, "ipsecrequest %u: reqid %u "
		    "does not fit the %s dialect's 16 bits", idx, r->reqid,
		    d->name);
	if (r->has_endpoints && r->src.family != r->dst.family)
		return pfkey_fail(w->err, EINVAL, "ipsecrequest %u: endpoint "
		    "families %u and %u differ", idx, r->src.family,
		    r->dst.family);
	if ((p = pfkey_w_reserve(w, d->ipsecrequest_len)) == NULL)
		return ENOBUFS;
	wire_put16(p + 2, r->proto);
	p[4] = r->mode;
	p[5] = r->level;
	if (d->reqid_32bit)
		wire_put32(p + 8, r->reqid);
	else
		wire_put16(p + 6, (uint16_t)r->reqid);
	if (r->has_endpoints) {
		if ((rc = pfkey_sockaddr_encode(&r->src, w, d,
		    "ipsecrequest source: ")) != 0)
			return rc;
		if ((rc = pfkey_sockaddr_encode(&r->dst, w, d,
		    "ipsecrequest destination: ")) != 0)
			return rc;
	}
	pad = wire_align8(w->off - start) - (w->off - start);
	if (pad > 0 && pfkey_w_reserve(w, pad) == NULL)
		return ENOBUFS;
	wire_put16(w->buf + start, (uint16_t)(w->off - start));
	return 0;
}

int
pfkey_policy_encode(const struct pfkey_policy *pol, unsigned wire,
    struct pfkey_writer *w, const struct pfkey_dialect *d)
{
	size_t start;
	unsigned i;
	uint8_t *p;
	int rc;

	if (pol->nreq > PFKEY_MAXREQ)
		return pfkey_fail(w->err, EMSGSIZE, "%u ipsecrequests, more "
		    "than %d", pol->nreq, PFKEY_MAXREQ);
	if (!d->policy_has_scope && pol->scope != 0)
		return pfkey_fail(w->err, EINVAL, "scope %u: the %s dialect "
		    "has no policy scope", pol->scope, d->name);
	if ((p = pfkey_w_ext_begin(w, wire, 16, &start)) == NULL)
		return ENOBUFS;
	wire_put16(p + 4, pol->type);
	p[6] = pol->dir;
	p[7] = pol->scope;
	wire_put32(p + 8, pol->id);
	wire_put32(p + 12, pol->priority);
	for (i = 0; i < pol->nreq; i++)
		if ((rc = encode_request(&pol->req[i], i, w, d)) != 0)
			return rc;
	return pfkey_w_ext_end(w, start);
}
