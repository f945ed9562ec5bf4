/*
 * Messages: sealing a built message (padding and CBC encryption of the
 * body, RFC 2408 3.1 and RFC 2409 5), opening a received one, decoding
 * into the engine's scratch struct isakmp_msg, duplicate detection, and
 * the struct oakley_msg views that plugins see (payload handlers,
 * msg_build, msg_parsed).  An inbound message's source and destination
 * are those of its datagram (a NAT may have rewritten the source); an
 * outbound one's are the phase 1's local and remote ends.
 *
 * The body is padded with zero bytes to the cipher block; the header's
 * length covers the padding.  IVs are the caller's: ike_msg_seal and
 * ike_msg_open read *iv and leave the last ciphertext block in it, so a
 * caller that may reject the message passes a copy.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike.h"
#include "log.h"
#include "plugin.h"

void
ike_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t
ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
ike_msg_seal(struct isakmp_builder *b, const struct ike_p1 *p1, uint8_t *iv,
    bool encrypt, uint8_t **pkt, size_t *len)
{
	const struct ike_cipher_alg *c = p1 != NULL ? p1->keys.cipher : NULL;
	const uint8_t *raw;
	struct ike_buf out;
	size_t rlen, body, padded;

	*pkt = NULL;
	if ((raw = isakmp_builder_finish(b, &rlen)) == NULL)
		return -1;
	if (!encrypt) {
		if (ike_buf_set(&out, raw, rlen) == -1)
			return -1;
		*pkt = out.data;
		*len = rlen;
		return 0;
	}
	if (c == NULL || p1->keys.enc_key.data == NULL)
		return -1;
	body = rlen - ISAKMP_HDR_LEN;
	padded = (body + c->blocklen - 1) / c->blocklen * c->blocklen;
	if (ISAKMP_HDR_LEN + padded > IKE_PKT_MAX ||
	    ike_buf_alloc(&out, ISAKMP_HDR_LEN + padded) == -1)
		return -1;
	memcpy(out.data, raw, rlen);
	out.data[19] |= ISAKMP_FLAG_E;
	ike_put32(out.data + 24, (uint32_t)(ISAKMP_HDR_LEN + padded));
	if (ike_cbc(c, true, p1->keys.enc_key.data, iv,
	    out.data + ISAKMP_HDR_LEN, out.data + ISAKMP_HDR_LEN, padded) ==
	    -1) {
		ike_buf_free(&out);	/* the plaintext still */
		return -1;
	}
	*pkt = out.data;
	*len = out.len;
	return 0;
}

int
ike_msg_open(const struct ike_p1 *p1, const uint8_t *pkt, size_t len,
    uint8_t *iv, struct ike_buf *plain)
{
	const struct ike_cipher_alg *c = p1->keys.cipher;
	size_t body;

	memset(plain, 0, sizeof(*plain));
	if (c == NULL || p1->keys.enc_key.data == NULL || len <= ISAKMP_HDR_LEN)
		return -1;
	body = len - ISAKMP_HDR_LEN;
	if (body % c->blocklen != 0 || ike_buf_alloc(plain, len) == -1)
		return -1;
	memcpy(plain->data, pkt, ISAKMP_HDR_LEN);
	if (ike_cbc(c, false, p1->keys.enc_key.data, iv, pkt + ISAKMP_HDR_LEN,
	    plain->data + ISAKMP_HDR_LEN, body) == -1) {
		ike_buf_free(plain);
		return -1;
	}
	return 0;
}

int
ike_msg_decode(struct ike *ike, const uint8_t *buf, size_t len,
    bool decrypted, struct isakmp_msg **out)
{
	struct isakmp_error err;

	memset(&err, 0, sizeof(err));
	if (isakmp_decode(buf, len, decrypted ? ISAKMP_DECODE_PADDED : 0,
	    ike->rx, &err) == -1) {
		log_debug("IKE: malformed %s message: %s at offset %zu: %s",
		    len >= ISAKMP_HDR_LEN ? isakmp_exchange_name(buf[18]) :
		    "short", isakmp_error_name(err.code), err.offset,
		    err.reason);
		ike->stats.dropped++;
		return -1;
	}
	*out = ike->rx;
	return 0;
}

/* ---- Duplicates ---- */

bool
ike_msg_duplicate(const struct ike_xmit *x, const uint8_t *pkt, size_t len)
{
	return x->rx != NULL && x->rx_len == len &&
	    memcmp(x->rx, pkt, len) == 0;
}

int
ike_msg_remember_rx(struct ike_xmit *x, const uint8_t *pkt, size_t len)
{
	uint8_t *copy;

	if ((copy = malloc(len)) == NULL)
		return -1;
	memcpy(copy, pkt, len);
	free(x->rx);
	x->rx = copy;
	x->rx_len = len;
	x->rx_answered = false;
	return 0;
}

bool
ike_msgid_replayed(struct ike_msgids *w, uint32_t msgid)
{
	unsigned i;

	for (i = 0; i < w->count; i++)
		if (w->id[i] == msgid)
			return true;
	w->id[w->next] = msgid;
	w->next = (w->next + 1) % IKE_MSGID_WINDOW;
	if (w->count < IKE_MSGID_WINDOW)
		w->count++;
	return false;
}

/* ---- Plugins ---- */

void
ike_msg_init(struct oakley_msg *om, struct ike_p1 *p1, struct ike_p2 *p2,
    unsigned exchange, unsigned number, bool inbound)
{
	memset(om, 0, sizeof(*om));
	om->p1 = p1;
	om->p2 = p2;
	om->exchange = exchange;
	om->number = number;
	om->inbound = inbound;
	if (p1 == NULL)
		return;
	if (inbound && p1->rx_from.family != 0) {
		/* As it travelled: a NAT may have changed its source. */
		om->src = p1->rx_from;
		om->dst = p1->rx_to;
		return;
	}
	om->src = inbound ? p1->remote : p1->local;
	om->dst = inbound ? p1->local : p1->remote;
}

static bool
core_payload(uint8_t type)
{
	return type >= ISAKMP_PT_SA && type <= ISAKMP_PT_VID;
}

int
ike_msg_parsed(struct oakley_msg *om)
{
	const struct isakmp_msg *m = om->m;
	const struct isakmp_payload *pl;
	unsigned i;
	int rc;

	for (i = 0; i < m->n_payloads; i++) {
		pl = &m->payloads[i];
		if (core_payload(pl->type))
			continue;
		rc = plugin_run_payload(om, pl->type, pl->body, pl->len);
		if (rc == -1) {
			log_debug("IKE: a plugin rejected the %s payload",
			    isakmp_payload_name(pl->type));
			return -1;
		}
		if (rc == 1 && pl->type < 128) {
			log_debug("IKE: unexpected %s payload (type %u); "
			    "message dropped", isakmp_payload_name(pl->type),
			    pl->type);
			return -1;
		}
		if (rc == 1)
			log_debug("IKE: private payload type %u ignored",
			    pl->type);
	}
	if (plugin_run_msg_parsed(om) != 0) {
		log_debug("IKE: a plugin rejected the message");
		return -1;
	}
	return 0;
}

int
ike_msg_build(struct oakley_msg *om)
{
	return plugin_run_msg_build(om);
}

int
ike_builder_start(struct isakmp_builder *b, const struct ike_p1 *p1,
    uint8_t exchange, uint32_t msgid, bool encrypted)
{
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, p1->entry.icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, p1->entry.rcookie, ISAKMP_COOKIE_LEN);
	h.major = ISAKMP_VERSION_MAJOR;
	h.minor = ISAKMP_VERSION_MINOR;
	h.exchange = exchange;
	h.flags = encrypted ? ISAKMP_FLAG_E : 0;
	h.msgid = msgid;
	return isakmp_builder_init(b, &h);
}
