/*
 * PF_KEY v2 message codec: the sadb_msg header, the walk over the
 * extensions, X_PROMISC, and the message-level helpers of pfkey.h.
 * Extension bodies are in pfkey_ext.c, addresses in pfkey_sockaddr.c,
 * policies in pfkey_policy.c, the per-type extension rules in
 * pfkey_rules.c.
 *
 * Error numbers returned (and put in struct pfkey_error with a reason):
 *   EMSGSIZE      fewer bytes than the message claims, a message larger
 *                 than PFKEY_BUFSIZE, or a body over one of the fixed
 *                 limits of pfkey.h (key, identity, opaque, proposal,
 *                 supported, PFKEY_MAXREQ ipsecrequests);
 *   EAFNOSUPPORT  a sockaddr family other than AF_INET / AF_INET6;
 *   ENOBUFS       the encode buffer is too small;
 *   EINVAL        every other malformation, and what a dialect cannot
 *                 carry.
 *
 * Decode applies every check, the per-type extension rules included.
 * Encode checks the header, each present extension's contents and what
 * the dialect can carry, but not the per-type rules, which depend on the
 * direction: callers that want them call pfkey_msg_check_required().
 * A failed decode keeps the header fields (for an error reply) and wipes
 * the rest; a failed encode wipes what it wrote and sets *lenp to 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pfkey_wire.h"

int
pfkey_fail(struct pfkey_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return code;
}

static void
error_reset(struct pfkey_error *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->reason[0] = '\0';
}

/* Prefix the reason an extension codec gave with the extension's name. */
static int
fail_in_ext(struct pfkey_error *err, int code, unsigned wire, unsigned ext)
{
	char inner[sizeof(err->reason)];

	if (err == NULL)
		return code;
	memcpy(inner, err->reason, sizeof(inner));
	return pfkey_fail(err, code, "extension %u (%s): %s", wire,
	    pfkey_ext_name(ext), inner);
}

uint8_t *
pfkey_w_reserve(struct pfkey_writer *w, size_t n)
{
	uint8_t *p;

	if (n > w->size - w->off) {
		pfkey_fail(w->err, ENOBUFS,
		    "encode buffer of %zu bytes too small", w->size);
		return NULL;
	}
	p = w->buf + w->off;
	memset(p, 0, n);
	w->off += n;
	return p;
}

uint8_t *
pfkey_w_ext_begin(struct pfkey_writer *w, unsigned wire, size_t fixed,
    size_t *startp)
{
	uint8_t *p;

	*startp = w->off;
	if ((p = pfkey_w_reserve(w, fixed)) == NULL)
		return NULL;
	wire_put16(p + 2, (uint16_t)wire);
	return p;
}

int
pfkey_w_ext_end(struct pfkey_writer *w, size_t start)
{
	size_t len = w->off - start;
	size_t pad = wire_align8(len) - len;

	if (pad > 0 && pfkey_w_reserve(w, pad) == NULL)
		return ENOBUFS;
	len += pad;
	if (len / PFKEY_ALIGN > UINT16_MAX)
		return pfkey_fail(w->err, EMSGSIZE,
		    "extension of %zu bytes too long", len);
	wire_put16(w->buf + start, (uint16_t)(len / PFKEY_ALIGN));
	return 0;
}

void
pfkey_msg_init(struct pfkey_msg *m, uint8_t type, uint8_t satype,
    uint32_t seq, uint32_t pid)
{
	pfkey_msg_clear(m);
	m->version = PFKEY_VERSION;
	m->type = type;
	m->satype = satype;
	m->seq = seq;
	m->pid = pid;
}

void
pfkey_msg_clear(struct pfkey_msg *m)
{
	explicit_bzero(m, sizeof(*m));
}

void
pfkey_msg_error_reply(const struct pfkey_msg *req, int errnum,
    struct pfkey_msg *reply)
{
	uint8_t type = req->type, satype = req->satype;
	uint32_t seq = req->seq, pid = req->pid;

	/* req and reply may be the same message. */
	pfkey_msg_init(reply, type, satype, seq, pid);
	reply->errnum = (uint8_t)errnum;
}

static int
decode_header(const uint8_t *buf, size_t len, const struct pfkey_dialect *d,
    struct pfkey_msg *m, struct pfkey_error *err)
{
	size_t total;

	if (len < PFKEY_MSG_HDRLEN)
		return pfkey_fail(err, EMSGSIZE, "message of %zu bytes is "
		    "shorter than the %d-byte header", len, PFKEY_MSG_HDRLEN);
	m->version = buf[0];
	m->type = buf[1];
	m->errnum = buf[2];
	m->satype = buf[3];
	m->reserved = wire_get16(buf + 6);
	m->seq = wire_get32(buf + 8);
	m->pid = wire_get32(buf + 12);
	total = (size_t)wire_get16(buf + 4) * PFKEY_ALIGN;
	if (total < PFKEY_MSG_HDRLEN)
		return pfkey_fail(err, EINVAL, "sadb_msg_len %zu words is "
		    "shorter than the header", total / PFKEY_ALIGN);
	if (total > len)
		return pfkey_fail(err, EMSGSIZE, "sadb_msg_len %zu words "
		    "(%zu bytes) exceeds the %zu bytes read",
		    total / PFKEY_ALIGN, total, len);
	if (total != len)
		return pfkey_fail(err, EINVAL, "sadb_msg_len %zu words "
		    "(%zu bytes) does not match the %zu bytes read",
		    total / PFKEY_ALIGN, total, len);
	if (len > PFKEY_BUFSIZE)
		return pfkey_fail(err, EMSGSIZE, "message of %zu bytes exceeds "
		    "the %d-byte limit", len, PFKEY_BUFSIZE);
	if (m->version != PFKEY_VERSION)
		return pfkey_fail(err, EINVAL, "version %u, expected %d",
		    m->version, PFKEY_VERSION);
	if (m->type == 0 || m->type > d->msg_max || m->type > PFKEY_MSG_MAX)
		return pfkey_fail(err, EINVAL, "message type %u out of range "
		    "1..%u", m->type, d->msg_max);
	return 0;
}

/* X_PROMISC: whatever follows the header is a copied message. */
static int
decode_promisc(const uint8_t *buf, size_t len, struct pfkey_msg *m,
    struct pfkey_error *err)
{
	size_t body = len - PFKEY_MSG_HDRLEN;

	if (body == 0)
		return 0;
	if (body > UINT16_MAX)
		return pfkey_fail(err, EMSGSIZE, "X_PROMISC body of %zu bytes "
		    "too long", body);
	m->inner_len = (uint16_t)body;
	/* The buffer is the caller's; inner only lends a view into it. */
	m->inner = (uint8_t *)(uintptr_t)(buf + PFKEY_MSG_HDRLEN);
	return 0;
}

static int
decode_one_ext(const uint8_t *p, size_t rem, const struct pfkey_dialect *d,
    struct pfkey_msg *m, size_t *extlenp, struct pfkey_error *err)
{
	size_t extlen = (size_t)wire_get16(p) * PFKEY_ALIGN;
	unsigned wire = wire_get16(p + 2);
	unsigned ext = (unsigned)pfkey_ext_from_wire(d, wire);
	const char *name = ext != 0 ? pfkey_ext_name(ext) : "unknown";
	int rc;

	if (extlen == 0)
		return pfkey_fail(err, EINVAL, "extension %u (%s): zero length",
		    wire, name);
	if (extlen > rem)
		return pfkey_fail(err, EINVAL, "extension %u (%s): length %zu "
		    "words exceeds message", wire, name, extlen / PFKEY_ALIGN);
	if (ext == 0)
		return pfkey_fail(err, EINVAL, "extension %u: unknown to the "
		    "%s dialect", wire, d->name);
	if (PFKEY_HAS(m, ext))
		return pfkey_fail(err, EINVAL, "extension %u (%s): duplicate",
		    wire, name);
	if (extlen < pfkey_ext_fixed_len(ext))
		return pfkey_fail(err, EINVAL, "extension %u (%s): length %zu "
		    "bytes shorter than its fixed size %zu", wire, name, extlen,
		    pfkey_ext_fixed_len(ext));
	rc = pfkey_ext_decode(m, ext, p, extlen, d, err);
	if (rc != 0)
		return fail_in_ext(err, rc, wire, ext);
	PFKEY_SET(m, ext);
	*extlenp = extlen;
	return 0;
}

static int
decode_exts(const uint8_t *buf, size_t len, const struct pfkey_dialect *d,
    struct pfkey_msg *m, struct pfkey_error *err)
{
	size_t off = PFKEY_MSG_HDRLEN, extlen = 0;
	int rc;

	while (off < len) {
		if (len - off < 4)
			return pfkey_fail(err, EINVAL, "%zu stray bytes after "
			    "the last extension", len - off);
		rc = decode_one_ext(buf + off, len - off, d, m, &extlen, err);
		if (rc != 0)
			return rc;
		off += extlen;
	}
	return 0;
}

/* On failure keep the header (for an error reply), wipe everything else. */
static int
decode_failed(struct pfkey_msg *m, int rc)
{
	struct pfkey_msg hdr;

	pfkey_msg_init(&hdr, m->type, m->satype, m->seq, m->pid);
	hdr.version = m->version;
	hdr.errnum = m->errnum;
	hdr.reserved = m->reserved;
	pfkey_msg_clear(m);
	*m = hdr;
	return rc;
}

int
pfkey_msg_decode(const uint8_t *buf, size_t len,
    const struct pfkey_dialect *d, enum pfkey_direction dir,
    struct pfkey_msg *m, struct pfkey_error *err)
{
	int rc;

	error_reset(err);
	pfkey_msg_clear(m);
	if ((rc = decode_header(buf, len, d, m, err)) != 0)
		return decode_failed(m, rc);
	if (m->type == PFKEY_X_PROMISC) {
		if ((rc = decode_promisc(buf, len, m, err)) != 0)
			return decode_failed(m, rc);
		return 0;
	}
	if ((rc = decode_exts(buf, len, d, m, err)) != 0)
		return decode_failed(m, rc);
	if ((rc = pfkey_check_families(m, err)) != 0)
		return decode_failed(m, rc);
	if ((rc = pfkey_msg_check_required(m, dir, err)) != 0)
		return decode_failed(m, rc);
	return 0;
}

static int
encode_promisc(const struct pfkey_msg *m, struct pfkey_writer *w)
{
	uint8_t *p;

	if (m->present != 0)
		return pfkey_fail(w->err, EINVAL, "X_PROMISC carries a copied "
		    "message, not extensions");
	if (m->inner_len == 0)
		return 0;
	if (m->inner == NULL)
		return pfkey_fail(w->err, EINVAL, "X_PROMISC inner_len %u "
		    "without inner", m->inner_len);
	if (m->inner_len % PFKEY_ALIGN != 0)
		return pfkey_fail(w->err, EINVAL, "X_PROMISC inner message of "
		    "%u bytes is not a multiple of 8", m->inner_len);
	if ((p = pfkey_w_reserve(w, m->inner_len)) == NULL)
		return ENOBUFS;
	memcpy(p, m->inner, m->inner_len);
	return 0;
}

static int
encode_exts(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    struct pfkey_writer *w)
{
	unsigned ext, wire;
	int rc;

	for (ext = 1; ext <= PFKEY_EXT_MAX; ext++) {
		if (!PFKEY_HAS(m, ext))
			continue;
		wire = (unsigned)pfkey_ext_to_wire(d, ext);
		if (wire == 0)
			return pfkey_fail(w->err, EINVAL, "extension %u (%s): "
			    "the %s dialect cannot carry it", ext,
			    pfkey_ext_name(ext), d->name);
		rc = pfkey_ext_encode(m, ext, wire, w, d);
		if (rc != 0)
			return fail_in_ext(w->err, rc, wire, ext);
	}
	return 0;
}

static int
encode_check(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    struct pfkey_error *err)
{
	uint32_t known = ((1u << PFKEY_EXT_MAX) - 1) << 1;

	if (m->version != PFKEY_VERSION)
		return pfkey_fail(err, EINVAL, "version %u, expected %d",
		    m->version, PFKEY_VERSION);
	if (m->type == 0 || m->type > d->msg_max || m->type > PFKEY_MSG_MAX)
		return pfkey_fail(err, EINVAL, "message type %u out of range "
		    "1..%u", m->type, d->msg_max);
	if ((m->present & ~known) != 0)
		return pfkey_fail(err, EINVAL, "present has unknown bits "
		    "0x%08x", m->present & ~known);
	return pfkey_check_families(m, err);
}

static int
encode_body(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    struct pfkey_writer *w)
{
	uint8_t *hdr;
	int rc;

	if ((hdr = pfkey_w_reserve(w, PFKEY_MSG_HDRLEN)) == NULL)
		return ENOBUFS;
	hdr[0] = m->version;
	hdr[1] = m->type;
	hdr[2] = m->errnum;
	hdr[3] = m->satype;
	wire_put16(hdr + 6, m->reserved);
	wire_put32(hdr + 8, m->seq);
	wire_put32(hdr + 12, m->pid);
	if (m->type == PFKEY_X_PROMISC)
		rc = encode_promisc(m, w);
	else
		rc = encode_exts(m, d, w);
	if (rc != 0)
		return rc;
	if (w->off > PFKEY_BUFSIZE)
		return pfkey_fail(w->err, EMSGSIZE, "message of %zu bytes "
		    "exceeds the %d-byte limit", w->off, PFKEY_BUFSIZE);
	wire_put16(hdr + 4, (uint16_t)(w->off / PFKEY_ALIGN));
	return 0;
}

int
pfkey_msg_encode(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    uint8_t *buf, size_t bufsize, size_t *lenp, struct pfkey_error *err)
{
	struct pfkey_writer w = { buf, bufsize, 0, err };
	int rc;

	error_reset(err);
	*lenp = 0;
	if ((rc = encode_check(m, d, err)) != 0)
		return rc;
	if ((rc = encode_body(m, d, &w)) != 0) {
		explicit_bzero(buf, w.off);	/* may hold key bytes */
		return rc;
	}
	*lenp = w.off;
	return 0;
}
