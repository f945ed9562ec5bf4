/*
 * One PF_KEY message from a client to its handler, the way FreeBSD's
 * key_parse() does it: framing and decode (FreeBSD dialect, to-kernel
 * extension rules), the SA-type gate, then the handler of the type.
 * Anything malformed is answered with a header-only error reply to the
 * sender: the request's header where it could be read, sadb_msg_len of
 * one header and sadb_msg_errno set.  Framing errors are EINVAL, like the
 * kernel's (the codec's EMSGSIZE is reported as EINVAL).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "log.h"

#define HDR_VERSION	0
#define HDR_TYPE	1
#define HDR_ERRNO	2
#define HDR_LEN		4
#define HDR_SEQ		8

typedef int (*msg_handler)(struct emu_client *, const struct pfkey_msg *);

/* Types without a handler (EXPIRE, X_PCHANGE, ...) are EINVAL. */
static const msg_handler handlers[PFKEY_MSG_MAX + 1] = {
	[PFKEY_GETSPI] = sadb_msg_getspi,
	[PFKEY_UPDATE] = sadb_msg_update,
	[PFKEY_ADD] = sadb_msg_add,
	[PFKEY_DELETE] = sadb_msg_delete,
	[PFKEY_GET] = sadb_msg_get,
	[PFKEY_ACQUIRE] = acquire_msg,
	[PFKEY_REGISTER] = register_msg,
	[PFKEY_FLUSH] = sadb_msg_flush,
	[PFKEY_DUMP] = sadb_msg_dump,
	[PFKEY_X_PROMISC] = promisc_msg,
	[PFKEY_X_SPDUPDATE] = spd_msg_add,
	[PFKEY_X_SPDADD] = spd_msg_add,
	[PFKEY_X_SPDDELETE] = spd_msg_delete,
	[PFKEY_X_SPDGET] = spd_msg_get,
	[PFKEY_X_SPDDUMP] = spd_msg_dump,
	[PFKEY_X_SPDFLUSH] = spd_msg_flush,
	[PFKEY_X_SPDSETIDX] = spd_msg_add,
	[PFKEY_X_SPDDELETE2] = spd_msg_delete2,
};

static uint32_t
raw_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t
raw_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The request's header (what of it arrived), errno set, no extensions. */
static void
reply_raw_error(struct emu_client *c, const uint8_t *buf, size_t len,
    int code)
{
	uint8_t hdr[PFKEY_MSG_HDRLEN];
	uint16_t words = PFKEY_MSG_HDRLEN / PFKEY_ALIGN;

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, buf, len < sizeof(hdr) ? len : sizeof(hdr));
	hdr[HDR_ERRNO] = (uint8_t)code;
	memcpy(hdr + HDR_LEN, &words, sizeof(words));
	server_send_raw(c, hdr, sizeof(hdr));
}

static void
reply_error(struct emu_client *c, const struct pfkey_msg *req, int code)
{
	struct pfkey_msg *reply;

	if ((reply = malloc(sizeof(*reply))) == NULL)
		return;
	pfkey_msg_error_reply(req, code, reply);
	server_send(c, reply, EMU_TO_SENDER, 0);
	free(reply);
}

/*
 * A bare-header ACQUIRE is a key manager's failure report (errno and seq
 * set): it releases the pending ACQUIRE and gets no reply, even when
 * incomplete (FreeBSD key_acquire2).
 */
static bool
is_acquire_report(const uint8_t *buf, size_t len)
{
	return len == PFKEY_MSG_HDRLEN && buf[HDR_VERSION] == PFKEY_VERSION &&
	    buf[HDR_TYPE] == PFKEY_ACQUIRE &&
	    raw_u16(buf + HDR_LEN) == PFKEY_MSG_HDRLEN / PFKEY_ALIGN;
}

/* The SA types each message accepts (FreeBSD key_parse). */
static int
satype_gate(const struct pfkey_msg *m)
{
	bool spd = m->type >= PFKEY_X_SPDUPDATE;

	switch (m->satype) {
	case PFKEY_SATYPE_UNSPEC:
		switch (m->type) {
		case PFKEY_GETSPI:
		case PFKEY_UPDATE:
		case PFKEY_ADD:
		case PFKEY_DELETE:
		case PFKEY_GET:
		case PFKEY_ACQUIRE:
		case PFKEY_EXPIRE:
			return EINVAL;
		}
		return 0;
	case PFKEY_SATYPE_AH:
	case PFKEY_SATYPE_ESP:
	case PFKEY_SATYPE_IPCOMP:
		return spd ? EINVAL : 0;
	case PFKEY_SATYPE_RSVP:
	case PFKEY_SATYPE_OSPFV2:
	case PFKEY_SATYPE_RIPV2:
	case PFKEY_SATYPE_MIP:
		return EOPNOTSUPP;
	case 1:
		return m->type == PFKEY_X_PROMISC ? 0 : EINVAL;
	}
	return EINVAL;
}

static void
handle(struct emu_client *c, const uint8_t *buf, size_t len,
    struct pfkey_msg *m)
{
	struct pfkey_error err;
	msg_handler fn;
	int error;

	error = pfkey_msg_decode(buf, len, &pfkey_dialect_freebsd,
	    PFKEY_TO_KERNEL, m, &err);
	if (error != 0) {
		log_debug("client %u: malformed message: %s",
		    server_client_id(c), err.reason);
		reply_raw_error(c, buf, len, error == EMSGSIZE ? EINVAL :
		    error);
		return;
	}
	server_promisc_copy(buf, len);
	if ((error = satype_gate(m)) == 0) {
		fn = handlers[m->type];
		error = fn != NULL ? fn(c, m) : EINVAL;
	}
	log_debug("client %u: type %u satype %u seq %u: %s",
	    server_client_id(c), m->type, m->satype, m->seq,
	    error == 0 ? "ok" : strerror(error));
	if (error != 0)
		reply_error(c, m, error);
}

void
dispatch_message(struct emu_client *c, const uint8_t *buf, size_t len,
    bool truncated)
{
	struct pfkey_msg *m;

	if (len == 0) {
		log_debug("client %u: empty message dropped",
		    server_client_id(c));
		return;
	}
	if (truncated || len < PFKEY_MSG_HDRLEN) {
		log_debug("client %u: %s message of %zu bytes",
		    server_client_id(c), truncated ? "oversized" : "short",
		    len);
		reply_raw_error(c, buf, len, EINVAL);
		return;
	}
	if (is_acquire_report(buf, len)) {
		if (buf[HDR_ERRNO] != 0 && raw_u32(buf + HDR_SEQ) != 0)
			acquire_failed(raw_u32(buf + HDR_SEQ));
		return;
	}
	if ((m = malloc(sizeof(*m))) == NULL) {
		reply_raw_error(c, buf, len, ENOBUFS);
		return;
	}
	handle(c, buf, len, m);
	pfkey_msg_clear(m);		/* wipes keys */
	free(m);
}
