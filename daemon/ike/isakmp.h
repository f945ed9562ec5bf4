/*
 * The ISAKMP message codec (RFC 2408, IPsec DOI RFC 2407, IKE RFC 2409):
 * decode and validate a received message, build one to send.  No state,
 * no I/O, no cryptography.
 *
 *   isakmp.c           header and payload chain, lookup helpers
 *   isakmp_payload.c   typed views of ID, CERT/CR, N and D payloads
 *   isakmp_sa.c        SA -> proposals -> transforms -> attributes
 *   isakmp_build.c     the builder: a growing buffer of payloads
 *   isakmp_build_sa.c  SA payloads from proposal/transform/attribute specs
 *   isakmp_names.c     names of payload, exchange, notify, ID, protocol numbers
 *
 * Decoding.  A decoded message is the header plus an ordered array of
 * payloads.  Each payload keeps its type, where its generic header starts
 * and a pointer/length of its body (the bytes after the 4-byte generic
 * header) inside the caller's buffer: nothing is copied, so the buffer
 * must outlive the message, and the bodies are exactly what the IKE hashes
 * take (SAi_b, IDii_b, Ni_b...).  Known payloads also get a typed view in
 * payload->u: SA (parsed to proposals, transforms and attributes), ID,
 * CERT and CR, N, D.  KE, HASH, SIG, NONCE and VID have no fixed part:
 * their data is the body.  Every other type (NAT-D 20/130, NAT-OA 21/131,
 * fragments 132, mode-config 14, anything unknown) is kept opaque as
 * (type, body) for the engine to hand to plugin payload handlers; whether
 * an unknown type with no handler is an error (INVALID-PAYLOAD-TYPE) is
 * the engine's decision, not the codec's.
 *
 * The SA tree lives in tables inside struct isakmp_msg (no allocation:
 * the limits below bound everything), and the views point into those
 * tables, so a struct isakmp_msg must be used where it was decoded, never
 * copied by value.  It is about 45 KB: keep one per receiving context,
 * not on a small stack.
 *
 * Validation.  A failure returns -1 and fills struct isakmp_error: a
 * distinct code per rule, the notify type RFC 2408 (3.14.1, 5) prescribes
 * for it (0 when none applies), the byte offset of the offending field in
 * the message and a one-line reason.  The rules, in order:
 *
 *   header   >= 28 bytes; major version 1 (INVALID-MAJOR-VERSION); minor
 *            version 0, or 1 from pre-RFC drafts (RFC 2408 3.1)
 *            (INVALID-MINOR-VERSION); exchange type 1-6, 32, 33 or private
 *            use 240-255 (INVALID-EXCHANGE-TYPE); no flags but E, C, A
 *            (INVALID-FLAGS); the length field equals the bytes given.  A
 *            datagram longer or shorter than its length field is rejected
 *            with UNEQUAL-PAYLOAD-LENGTHS (two codes); the engine should
 *            drop such unauthenticated packets rather than answer them.
 *   E flag   an encrypted body cannot be parsed: without
 *            ISAKMP_DECODE_PADDED the decoder refuses (ISAKMP_E_ENCRYPTED,
 *            notify 0).  The engine checks the header with
 *            isakmp_hdr_decode(), decrypts the body in place or in a copy
 *            (header unchanged) and decodes that with ISAKMP_DECODE_PADDED,
 *            which allows bytes after the last payload (the cipher's
 *            padding; their count is msg->padding).
 *   chain    every generic header lies inside the message, its length is
 *            >= 4, inside the message and >= the type's fixed part; the
 *            chain ends exactly at the message end (but for padding); a
 *            proposal or transform outside an SA is INVALID-PAYLOAD-TYPE;
 *            at most ISAKMP_MAX_PAYLOADS payloads.  RESERVED bytes are
 *            not checked on input and are sent as zero.
 *   SA       DOI 1 (DOI-NOT-SUPPORTED), situation SIT_IDENTITY_ONLY
 *            (SITUATION-NOT-SUPPORTED), at least one proposal; proposal
 *            and transform lengths nest exactly, their next-payload fields
 *            are 2/3 while more follow and 0 on the last one, proposal
 *            numbers do not decrease, #transforms equals the transforms
 *            present and is >= 1 (BAD-PROPOSAL-SYNTAX); protocol ISAKMP,
 *            AH, ESP or IPCOMP (INVALID-PROTOCOL-ID); SPI size 0 or 16 for
 *            ISAKMP, 4 for AH and ESP, 2 or 4 for IPCOMP (INVALID-SPI);
 *            transform ID not 0, and KEY_IKE for ISAKMP
 *            (INVALID-TRANSFORM-ID); attributes inside their transform
 *            (BAD-PROPOSAL-SYNTAX), at most ISAKMP_MAX_XFORM_ATTRS of them
 *            (ATTRIBUTES-NOT-SUPPORTED); the message-wide proposal,
 *            transform and attribute tables not overflowing
 *            (PAYLOAD-MALFORMED).
 *   ID       address types carry exactly their address bytes: IPV4_ADDR 4,
 *            IPV4 subnet/range 8, IPV6_ADDR 16, IPV6 subnet/range 32
 *            (INVALID-ID-INFORMATION).
 *   N        DOI 0 or 1 (DOI-NOT-SUPPORTED), the SPI inside the payload.
 *            Protocol and SPI size are not checked (peers differ).
 *   D        DOI 0 or 1; protocol ISAKMP, AH, ESP or IPCOMP; SPI size 16
 *            for ISAKMP, 4 for AH/ESP, 2 or 4 for IPCOMP (INVALID-SPI); at
 *            least one SPI; the SPIs fill the payload exactly.
 *
 * What the codec does not judge: which payloads an exchange needs, their
 * order, cookies, message IDs, attribute values, lengths of KE, NONCE and
 * HASH data.  Those are the engine's.
 *
 * Building.  struct isakmp_builder appends payloads to a growing buffer
 * (malloc, at most ISAKMP_MAX_MSG bytes, wiped before it is freed or
 * replaced by a larger one), chains the next-payload fields
 * (the header's, then each previous payload's) and fills the header length
 * in isakmp_builder_finish().  Errors are sticky: after the first failure
 * every add returns -1 and finish returns NULL, with the first error in
 * b->err.  Attributes are written TV when the value fits 16 bits and the
 * spec does not ask for the variable form, otherwise TLV with 4 bytes (8
 * when the value needs them): life duration 28800 is TV, 86400 TLV/4.
 *
 * Integers in the structures are in host byte order; cookies, SPIs and
 * data are byte strings as on the wire.
 */
#ifndef OAKLEY_IKE_ISAKMP_H
#define OAKLEY_IKE_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Sizes and limits ---- */

#define ISAKMP_HDR_LEN		28
#define ISAKMP_GENERIC_LEN	4	/* next, reserved, length */
#define ISAKMP_PROPOSAL_LEN	8	/* + num, proto, SPI size, #xf */
#define ISAKMP_TRANSFORM_LEN	8	/* + num, id, reserved */
#define ISAKMP_COOKIE_LEN	8
#define ISAKMP_MAX_MSG		65535	/* builder's largest message */

#define ISAKMP_MAX_PAYLOADS	64	/* per message */
#define ISAKMP_MAX_PROPOSALS	64	/* per message, all SA payloads */
#define ISAKMP_MAX_TRANSFORMS	256	/* per message */
#define ISAKMP_MAX_ATTRS	2048	/* per message */
#define ISAKMP_MAX_XFORM_ATTRS	32	/* per transform */

/* ---- Numbers ---- */

/* Payload types (RFC 2408 3.1; NAT-T RFC 3947 and drafts). */
#define ISAKMP_PT_NONE		0
#define ISAKMP_PT_SA		1
#define ISAKMP_PT_PROPOSAL	2
#define ISAKMP_PT_TRANSFORM	3
#define ISAKMP_PT_KE		4
#define ISAKMP_PT_ID		5
#define ISAKMP_PT_CERT		6
#define ISAKMP_PT_CR		7
#define ISAKMP_PT_HASH		8
#define ISAKMP_PT_SIG		9
#define ISAKMP_PT_NONCE		10
#define ISAKMP_PT_N		11
#define ISAKMP_PT_D		12
#define ISAKMP_PT_VID		13
#define ISAKMP_PT_ATTR		14	/* mode-config; opaque here */
#define ISAKMP_PT_NATD		20
#define ISAKMP_PT_NATOA		21
#define ISAKMP_PT_NATD_DRAFT	130
#define ISAKMP_PT_NATOA_DRAFT	131
#define ISAKMP_PT_FRAG		132

/* Exchange types. */
#define ISAKMP_EXCH_BASE	1
#define ISAKMP_EXCH_IDPROT	2	/* main mode */
#define ISAKMP_EXCH_AUTH_ONLY	3
#define ISAKMP_EXCH_AGGRESSIVE	4
#define ISAKMP_EXCH_INFO	5
#define ISAKMP_EXCH_TRANSACTION	6
#define ISAKMP_EXCH_QUICK	32
#define ISAKMP_EXCH_NEWGROUP	33
#define ISAKMP_EXCH_PRIVATE_MIN	240

/* Header flags. */
#define ISAKMP_FLAG_E		0x01	/* encrypted */
#define ISAKMP_FLAG_C		0x02	/* commit */
#define ISAKMP_FLAG_A		0x04	/* authentication only */

#define ISAKMP_VERSION_MAJOR	1
#define ISAKMP_VERSION_MINOR	0

/* DOI, situation, protocols, transform IDs. */
#define ISAKMP_DOI_ISAKMP	0
#define ISAKMP_DOI_IPSEC	1
#define ISAKMP_SIT_IDENTITY_ONLY 1
#define ISAKMP_PROTO_ISAKMP	1
#define ISAKMP_PROTO_AH		2
#define ISAKMP_PROTO_ESP	3
#define ISAKMP_PROTO_IPCOMP	4
#define ISAKMP_XF_KEY_IKE	1

/* Phase-1 attribute classes (RFC 2409 App. A). */
#define ISAKMP_ATTR_ENC		1
#define ISAKMP_ATTR_HASH	2
#define ISAKMP_ATTR_AUTH	3
#define ISAKMP_ATTR_GROUP_DESC	4
#define ISAKMP_ATTR_GROUP_TYPE	5
#define ISAKMP_ATTR_GROUP_PRIME	6
#define ISAKMP_ATTR_LIFE_TYPE	11
#define ISAKMP_ATTR_LIFE_DURATION 12
#define ISAKMP_ATTR_PRF		13
#define ISAKMP_ATTR_KEY_LENGTH	14

/* IPsec DOI SA attribute classes (RFC 2407 4.5). */
#define IPSEC_ATTR_LIFE_TYPE	1
#define IPSEC_ATTR_LIFE_DURATION 2
#define IPSEC_ATTR_GROUP_DESC	3
#define IPSEC_ATTR_ENCAP_MODE	4
#define IPSEC_ATTR_AUTH_ALG	5
#define IPSEC_ATTR_KEY_LENGTH	6

#define ISAKMP_LIFE_SECONDS	1
#define ISAKMP_LIFE_KILOBYTES	2

/* ID types (RFC 2407 4.6.2.1). */
#define ISAKMP_ID_IPV4_ADDR		1
#define ISAKMP_ID_FQDN			2
#define ISAKMP_ID_USER_FQDN		3
#define ISAKMP_ID_IPV4_ADDR_SUBNET	4
#define ISAKMP_ID_IPV6_ADDR		5
#define ISAKMP_ID_IPV6_ADDR_SUBNET	6
#define ISAKMP_ID_IPV4_ADDR_RANGE	7
#define ISAKMP_ID_IPV6_ADDR_RANGE	8
#define ISAKMP_ID_DER_ASN1_DN		9
#define ISAKMP_ID_DER_ASN1_GN		10
#define ISAKMP_ID_KEY_ID		11

/* Notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706). */
#define ISAKMP_N_INVALID_PAYLOAD_TYPE		1
#define ISAKMP_N_DOI_NOT_SUPPORTED		2
#define ISAKMP_N_SITUATION_NOT_SUPPORTED	3
#define ISAKMP_N_INVALID_COOKIE			4
#define ISAKMP_N_INVALID_MAJOR_VERSION		5
#define ISAKMP_N_INVALID_MINOR_VERSION		6
#define ISAKMP_N_INVALID_EXCHANGE_TYPE		7
#define ISAKMP_N_INVALID_FLAGS			8
#define ISAKMP_N_INVALID_MESSAGE_ID		9
#define ISAKMP_N_INVALID_PROTOCOL_ID		10
#define ISAKMP_N_INVALID_SPI			11
#define ISAKMP_N_INVALID_TRANSFORM_ID		12
#define ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED	13
#define ISAKMP_N_NO_PROPOSAL_CHOSEN		14
#define ISAKMP_N_BAD_PROPOSAL_SYNTAX		15
#define ISAKMP_N_PAYLOAD_MALFORMED		16
#define ISAKMP_N_INVALID_KEY_INFORMATION	17
#define ISAKMP_N_INVALID_ID_INFORMATION		18
#define ISAKMP_N_INVALID_CERT_ENCODING		19
#define ISAKMP_N_INVALID_CERTIFICATE		20
#define ISAKMP_N_CERT_TYPE_UNSUPPORTED		21
#define ISAKMP_N_INVALID_CERT_AUTHORITY		22
#define ISAKMP_N_INVALID_HASH_INFORMATION	23
#define ISAKMP_N_AUTHENTICATION_FAILED		24
#define ISAKMP_N_INVALID_SIGNATURE		25
#define ISAKMP_N_ADDRESS_NOTIFICATION		26
#define ISAKMP_N_NOTIFY_SA_LIFETIME		27
#define ISAKMP_N_CERTIFICATE_UNAVAILABLE	28
#define ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE	29
#define ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS	30
#define ISAKMP_N_CONNECTED			16384
#define ISAKMP_N_RESPONDER_LIFETIME		24576
#define ISAKMP_N_REPLAY_STATUS			24577
#define ISAKMP_N_INITIAL_CONTACT		24578
#define ISAKMP_N_DPD_R_U_THERE			36136
#define ISAKMP_N_DPD_R_U_THERE_ACK		36137

/* ---- Errors ---- */

enum isakmp_errcode {
	ISAKMP_OK = 0,
	/* Header. */
	ISAKMP_E_HDR_SHORT,		/* fewer than 28 bytes */
	ISAKMP_E_HDR_MAJOR,		/* major version not 1 */
	ISAKMP_E_HDR_MINOR,		/* minor version above 1 */
	ISAKMP_E_HDR_EXCHANGE,		/* reserved exchange type */
	ISAKMP_E_HDR_FLAGS,		/* unknown flag bits */
	ISAKMP_E_HDR_TRUNCATED,		/* length field > bytes given */
	ISAKMP_E_HDR_EXCESS,		/* bytes given > length field */
	ISAKMP_E_ENCRYPTED,		/* E flag, not decrypted */
	/* Payload chain. */
	ISAKMP_E_PL_TRUNCATED,		/* no room for a generic header */
	ISAKMP_E_PL_LENGTH,		/* payload length < 4 */
	ISAKMP_E_PL_OVERRUN,		/* payload past the message end */
	ISAKMP_E_PL_TRAILING,		/* bytes after the last payload */
	ISAKMP_E_PL_SHORT,		/* below its type's fixed part */
	ISAKMP_E_PL_TYPE,		/* proposal/transform outside an SA */
	ISAKMP_E_PL_COUNT,		/* more than ISAKMP_MAX_PAYLOADS */
	/* SA, proposals, transforms, attributes. */
	ISAKMP_E_SA_DOI,		/* DOI not IPsec */
	ISAKMP_E_SA_SITUATION,		/* situation not identity-only */
	ISAKMP_E_SA_EMPTY,		/* no proposal */
	ISAKMP_E_PROP_LENGTH,		/* proposal header/length vs the SA */
	ISAKMP_E_PROP_NEXT,		/* proposal next-payload field */
	ISAKMP_E_PROP_ORDER,		/* proposal numbers decrease */
	ISAKMP_E_PROP_PROTOCOL,		/* unknown protocol ID */
	ISAKMP_E_PROP_SPI,		/* SPI size wrong for the protocol */
	ISAKMP_E_PROP_COUNT,		/* #transforms vs transforms present */
	ISAKMP_E_XF_LENGTH,		/* transform length vs proposal */
	ISAKMP_E_XF_NEXT,		/* transform next-payload field */
	ISAKMP_E_XF_ID,			/* reserved transform ID */
	ISAKMP_E_ATTR_LENGTH,		/* attribute past its transform */
	ISAKMP_E_ATTR_COUNT,		/* > ISAKMP_MAX_XFORM_ATTRS */
	ISAKMP_E_LIMIT_PROPOSALS,	/* > ISAKMP_MAX_PROPOSALS */
	ISAKMP_E_LIMIT_TRANSFORMS,	/* > ISAKMP_MAX_TRANSFORMS */
	ISAKMP_E_LIMIT_ATTRS,		/* > ISAKMP_MAX_ATTRS */
	/* ID, N, D. */
	ISAKMP_E_ID_LENGTH,		/* address ID with the wrong length */
	ISAKMP_E_N_DOI,			/* notify DOI not 0 or 1 */
	ISAKMP_E_N_SPI,			/* notify SPI past the payload */
	ISAKMP_E_D_DOI,			/* delete DOI not 0 or 1 */
	ISAKMP_E_D_PROTOCOL,		/* delete protocol unknown */
	ISAKMP_E_D_SPI,			/* delete SPI size vs protocol */
	ISAKMP_E_D_EMPTY,		/* delete with no SPI */
	ISAKMP_E_D_LENGTH,		/* SPIs do not fill the payload */
	/* Builder (notify 0). */
	ISAKMP_E_BUILD_NOMEM,
	ISAKMP_E_BUILD_TOO_BIG,		/* message or payload too long */
	ISAKMP_E_BUILD_COUNT,		/* more than ISAKMP_MAX_PAYLOADS */
	ISAKMP_E_BUILD_VALUE,		/* a field does not fit the wire */
	ISAKMP_E_MAX
};

struct isakmp_error {
	enum isakmp_errcode code;
	uint16_t	notify;		/* ISAKMP_N_* answer, 0 none */
	size_t		offset;		/* of the offending field */
	char		reason[160];	/* one line, no secrets */
};

/* ---- Decoded message ---- */

struct isakmp_hdr {
	uint8_t		icookie[ISAKMP_COOKIE_LEN];
	uint8_t		rcookie[ISAKMP_COOKIE_LEN];
	uint8_t		next;		/* first payload */
	uint8_t		major, minor;
	uint8_t		exchange;
	uint8_t		flags;
	uint32_t	msgid;
	uint32_t	length;		/* whole message, header included */
};

/* An attribute (RFC 2408 3.3).  For TV, value points at its 2 bytes. */
struct isakmp_attr {
	uint16_t	 type;		/* attribute class, AF bit cleared */
	bool		 tv;		/* basic (TV) form */
	uint16_t	 len;		/* bytes at value */
	const uint8_t	*value;
};

struct isakmp_transform {
	uint8_t		 num;
	uint8_t		 id;
	unsigned	 n_attrs;
	const struct isakmp_attr *attrs;
};

struct isakmp_proposal {
	uint8_t		 num;
	uint8_t		 protocol;	/* ISAKMP_PROTO_* */
	uint8_t		 spi_size;
	const uint8_t	*spi;		/* NULL when spi_size is 0 */
	unsigned	 n_transforms;
	const struct isakmp_transform *transforms;
};

struct isakmp_sa {
	uint32_t	 doi;
	uint32_t	 situation;
	unsigned	 n_proposals;
	const struct isakmp_proposal *proposals;
};

struct isakmp_id {
	uint8_t		 type;		/* ISAKMP_ID_* */
	uint8_t		 protocol;	/* IP protocol, 0 = any */
	uint16_t	 port;
	const uint8_t	*data;
	size_t		 len;
};

/* CERT (encoding + certificate) and CR (type + certificate authority). */
struct isakmp_cert {
	uint8_t		 encoding;
	const uint8_t	*data;
	size_t		 len;
};

struct isakmp_notify {
	uint32_t	 doi;
	uint8_t		 protocol;
	uint8_t		 spi_size;
	uint16_t	 type;		/* ISAKMP_N_* */
	const uint8_t	*spi;		/* NULL when spi_size is 0 */
	const uint8_t	*data;
	size_t		 data_len;
};

/* count SPIs of spi_size bytes each, back to back at spis. */
struct isakmp_delete {
	uint32_t	 doi;
	uint8_t		 protocol;
	uint8_t		 spi_size;
	uint16_t	 count;
	const uint8_t	*spis;
};

struct isakmp_payload {
	uint8_t		 type;
	size_t		 offset;	/* of its generic header */
	const uint8_t	*body;		/* after the generic header */
	size_t		 len;		/* of the body */
	union {
		struct isakmp_sa	sa;	/* ISAKMP_PT_SA */
		struct isakmp_id	id;	/* ISAKMP_PT_ID */
		struct isakmp_cert	cert;	/* CERT, CR */
		struct isakmp_notify	notify;	/* ISAKMP_PT_N */
		struct isakmp_delete	del;	/* ISAKMP_PT_D */
	} u;
};

struct isakmp_msg {
	struct isakmp_hdr hdr;
	const uint8_t	*raw;		/* the buffer decoded */
	size_t		 raw_len;
	size_t		 end;		/* after the last payload */
	size_t		 padding;	/* raw_len - end */
	unsigned	 n_payloads;
	struct isakmp_payload payloads[ISAKMP_MAX_PAYLOADS];
	/* Storage for the SA trees; reached through the views. */
	unsigned	 n_proposals, n_transforms, n_attrs;
	struct isakmp_proposal	proposal_tab[ISAKMP_MAX_PROPOSALS];
	struct isakmp_transform	transform_tab[ISAKMP_MAX_TRANSFORMS];
	struct isakmp_attr	attr_tab[ISAKMP_MAX_ATTRS];
};

/* Decode flags. */
#define ISAKMP_DECODE_PADDED	0x01	/* decrypted: padding ok */

/* Header only (all header rules, including the length): 0 or -1. */
int	isakmp_hdr_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *,
	    struct isakmp_error *);
/* Write 28 bytes; length as given in the structure. */
void	isakmp_hdr_encode(const struct isakmp_hdr *, uint8_t *out);

/* The whole message: 0, or -1 with *err filled. */
int	isakmp_decode(const uint8_t *buf, size_t len, unsigned flags,
	    struct isakmp_msg *, struct isakmp_error *);

/* The first payload of a type after prev (NULL: from the start), or NULL. */
const struct isakmp_payload *isakmp_msg_find(const struct isakmp_msg *,
	    uint8_t type, const struct isakmp_payload *prev);
unsigned isakmp_msg_count(const struct isakmp_msg *, uint8_t type);
/*
 * The bytes after payload i up to the last payload's end, generic headers
 * included (quick mode HASH(1), HASH(2), informational HASH); NULL with
 * *len 0 when i is the last payload or out of range.
 */
const uint8_t *isakmp_msg_after(const struct isakmp_msg *, unsigned i,
	    size_t *len);

/* SPI number i of a delete payload (i < count). */
const uint8_t *isakmp_delete_spi(const struct isakmp_delete *, unsigned i);

/* Attributes. */
const struct isakmp_attr *isakmp_attr_find(const struct isakmp_transform *,
	    uint16_t type);
/* Value as an integer, big-endian, 1 to 8 bytes: 0, or -1 if longer/empty. */
int	isakmp_attr_uint(const struct isakmp_attr *, uint64_t *);

/* ---- Building ---- */

/*
 * Attribute to send.  ISAKMP_ATTR_INT: TV if value <= 0xffff, else TLV
 * of 4 (value <= 0xffffffff) or 8 bytes.  ISAKMP_ATTR_VARIABLE: an
 * integer always in TLV form (4 or 8 bytes).  ISAKMP_ATTR_BYTES: TLV with
 * exactly data/len.
 */
enum isakmp_attr_form {
	ISAKMP_ATTR_INT = 0,
	ISAKMP_ATTR_VARIABLE,
	ISAKMP_ATTR_BYTES
};

struct isakmp_attr_spec {
	uint16_t	 type;		/* < 0x8000 */
	enum isakmp_attr_form form;
	uint64_t	 value;		/* INT, VARIABLE */
	const uint8_t	*data;		/* BYTES */
	size_t		 len;
};

struct isakmp_transform_spec {
	uint8_t		 num;
	uint8_t		 id;
	const struct isakmp_attr_spec *attrs;
	size_t		 n_attrs;
};

struct isakmp_proposal_spec {
	uint8_t		 num;
	uint8_t		 protocol;
	const uint8_t	*spi;
	size_t		 spi_size;
	const struct isakmp_transform_spec *transforms;
	size_t		 n_transforms;	/* 1..255 */
};

struct isakmp_sa_spec {
	uint32_t	 doi;
	uint32_t	 situation;
	const struct isakmp_proposal_spec *proposals;
	size_t		 n_proposals;
};

/*
 * Specs from a decoded SA, to answer with the chosen proposal or to
 * re-send what was received: the TV/TLV form is kept, so the bytes come
 * out as they went in.  isakmp_transform_to_spec fills attrs[0..cap) and
 * fails (-1) when the transform has more than cap attributes.
 */
void	isakmp_attr_to_spec(const struct isakmp_attr *,
	    struct isakmp_attr_spec *);
int	isakmp_transform_to_spec(const struct isakmp_transform *,
	    struct isakmp_attr_spec *attrs, size_t cap,
	    struct isakmp_transform_spec *);

struct isakmp_builder {
	uint8_t		*buf;
	size_t		 len, cap;
	size_t		 next_at;	/* next-payload byte to set */
	unsigned	 n_payloads;
	size_t		 body_at[ISAKMP_MAX_PAYLOADS];
	size_t		 body_len[ISAKMP_MAX_PAYLOADS];
	bool		 failed;
	struct isakmp_error err;
};

/*
 * Start a message with the header's cookies, version (0.0 is taken as
 * 1.0), exchange, flags and message ID; next and length are filled in.
 */
int	isakmp_builder_init(struct isakmp_builder *, const struct isakmp_hdr *);
void	isakmp_builder_free(struct isakmp_builder *);
/* Any payload from its body; body NULL writes len zero bytes (a HASH to
 * fill in later with isakmp_builder_body). */
int	isakmp_add_payload(struct isakmp_builder *, uint8_t type,
	    const uint8_t *body, size_t len);
int	isakmp_add_sa(struct isakmp_builder *, const struct isakmp_sa_spec *);
int	isakmp_add_id(struct isakmp_builder *, const struct isakmp_id *);
int	isakmp_add_cert(struct isakmp_builder *, uint8_t type /* CERT, CR */,
	    const struct isakmp_cert *);
int	isakmp_add_notify(struct isakmp_builder *,
	    const struct isakmp_notify *);
int	isakmp_add_delete(struct isakmp_builder *,
	    const struct isakmp_delete *);
/*
 * Body of payload i, writable, valid until the next add; the bytes after
 * payload i to the end (as isakmp_msg_after).  NULL if out of range.
 */
uint8_t	*isakmp_builder_body(struct isakmp_builder *, unsigned i,
	    size_t *len);
const uint8_t *isakmp_builder_after(const struct isakmp_builder *, unsigned i,
	    size_t *len);
/* Fill the header length; the message, or NULL after any failure. */
uint8_t	*isakmp_builder_finish(struct isakmp_builder *, size_t *len);

/* ---- Names, for logs (a static "unknown" when not known) ---- */

const char *isakmp_payload_name(unsigned type);
const char *isakmp_exchange_name(unsigned type);
const char *isakmp_notify_name(unsigned type);
const char *isakmp_id_type_name(unsigned type);
const char *isakmp_protocol_name(unsigned protocol);
const char *isakmp_error_name(enum isakmp_errcode);	/* "HDR_SHORT" */

#endif /* OAKLEY_IKE_ISAKMP_H */
