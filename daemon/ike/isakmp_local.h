/*
 * Internals shared by the ISAKMP codec files: big-endian field access,
 * the error recorder and the per-payload decoders isakmp.c calls.  Not
 * for use outside daemon/ike/isakmp*.c.
 */
#ifndef OAKLEY_IKE_ISAKMP_LOCAL_H
#define OAKLEY_IKE_ISAKMP_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp.h"

static inline uint16_t
isk_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
isk_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
isk_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
isk_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Record an error (code, its notify, offset, reason) and return -1.
 * err may be NULL.
 */
int	isk_fail(struct isakmp_error *err, enum isakmp_errcode code,
	    size_t offset, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* The fixed part of a payload type's body (0 for opaque types). */
size_t	isk_fixed_len(uint8_t type);

/*
 * Typed views of payload p (its type, offset, body and len already set):
 * 0, or -1 with *err set.  isk_decode_view dispatches on the type.
 */
int	isk_decode_sa(struct isakmp_msg *, struct isakmp_payload *,
	    struct isakmp_error *);
int	isk_decode_view(struct isakmp_msg *, struct isakmp_payload *,
	    struct isakmp_error *);

/* Protocol and SPI-size rules shared by proposals and deletes. */
bool	isk_protocol_known(uint8_t protocol);
bool	isk_spi_size_ok(uint8_t protocol, uint8_t size, bool proposal);

/*
 * Builder internals.  isk_open appends a generic header for a payload of
 * this type and chains it; isk_append adds bytes (zeros when data is
 * NULL); isk_close writes the length of the payload opened at start and
 * records its body.  isk_build_fail makes the builder fail (first error
 * kept).  All return 0 or -1.
 */
int	isk_open(struct isakmp_builder *, uint8_t type, size_t *start);
int	isk_append(struct isakmp_builder *, const void *data, size_t len);
int	isk_close(struct isakmp_builder *, size_t start);
int	isk_build_fail(struct isakmp_builder *, enum isakmp_errcode,
	    const char *what);

#endif /* OAKLEY_IKE_ISAKMP_LOCAL_H */
