/*
 * Internal to the libpfkey codec (pfkey.c, pfkey_ext.c, pfkey_sockaddr.c,
 * pfkey_policy.c, pfkey_rules.c): byte access at unaligned offsets, the
 * bounded output writer, and the functions those files share.  Nothing
 * outside pfkey/ includes this header.
 *
 * PF_KEY integers are in host byte order on the wire, except the SPI and
 * the ports (sockaddr ports, NAT-T ports), which are in network order.
 */
#ifndef OAKLEY_PFKEY_WIRE_H
#define OAKLEY_PFKEY_WIRE_H

#include <string.h>

#include "pfkey_os.h"

/* Wire sizes of the sockaddrs (same in both dialects). */
#define PFKEY_SIN_LEN		16
#define PFKEY_SIN6_LEN		28

static inline uint16_t
wire_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
wire_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t
wire_get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
wire_put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
wire_put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
wire_put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline uint16_t
wire_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
wire_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
wire_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wire_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline size_t
wire_align8(size_t n)
{
	return (n + PFKEY_ALIGN - 1) & ~(size_t)(PFKEY_ALIGN - 1);
}

/* Output buffer of an encode; every write is bounds-checked. */
struct pfkey_writer {
	uint8_t			*buf;
	size_t			 size;
	size_t			 off;
	struct pfkey_error	*err;
};

/* pfkey.c */
int	pfkey_fail(struct pfkey_error *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Append n zero bytes; NULL (and ENOBUFS in w->err) if they do not fit. */
uint8_t	*pfkey_w_reserve(struct pfkey_writer *, size_t n);
/* Start an extension of the given fixed size; *startp notes its offset. */
uint8_t	*pfkey_w_ext_begin(struct pfkey_writer *, unsigned wire, size_t fixed,
	    size_t *startp);
/* Pad the extension begun at start to 8 bytes and write its length. */
int	pfkey_w_ext_end(struct pfkey_writer *, size_t start);

/* pfkey_ext.c: one extension's body, by internal id (enum pfkey_ext). */
size_t	pfkey_ext_fixed_len(unsigned ext);
int	pfkey_ext_decode(struct pfkey_msg *, unsigned ext, const uint8_t *p,
	    size_t len, const struct pfkey_dialect *, struct pfkey_error *);
int	pfkey_ext_encode(const struct pfkey_msg *, unsigned ext, unsigned wire,
	    struct pfkey_writer *, const struct pfkey_dialect *);

/*
 * pfkey_sockaddr.c: sockaddrs and the sadb_address extensions.  "what"
 * prefixes the reasons: "" or e.g. "ipsecrequest 0 source: ".
 */
struct pfkey_addr *pfkey_msg_addr(struct pfkey_msg *, unsigned ext);
const struct pfkey_addr *pfkey_msg_addr_const(const struct pfkey_msg *,
	    unsigned ext);
int	pfkey_sockaddr_decode(struct pfkey_addr *, const uint8_t *p,
	    size_t avail, size_t *salenp, const struct pfkey_dialect *,
	    const char *what, struct pfkey_error *);
int	pfkey_sockaddr_encode(const struct pfkey_addr *, struct pfkey_writer *,
	    const struct pfkey_dialect *, const char *what);
int	pfkey_address_decode(struct pfkey_addr *, const uint8_t *p,
	    size_t len, const struct pfkey_dialect *, struct pfkey_error *);
int	pfkey_address_encode(const struct pfkey_addr *, unsigned wire,
	    struct pfkey_writer *, const struct pfkey_dialect *);
int	pfkey_check_families(const struct pfkey_msg *, struct pfkey_error *);

/* pfkey_policy.c: sadb_x_policy and its ipsecrequests. */
int	pfkey_policy_decode(struct pfkey_policy *, const uint8_t *p,
	    size_t len, const struct pfkey_dialect *, struct pfkey_error *);
int	pfkey_policy_encode(const struct pfkey_policy *, unsigned wire,
	    struct pfkey_writer *, const struct pfkey_dialect *);

#endif /* OAKLEY_PFKEY_WIRE_H */
