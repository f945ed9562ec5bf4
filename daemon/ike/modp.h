/*
 * MODP Diffie-Hellman groups (RFC 2409 6, RFC 3526) over OpenSSL 3, as
 * struct oakley_dh_group descriptors.
 *
 * This code is compiled twice: into oakleyd (daemon/ike/dh.c uses it for
 * the built-in group 2) and into the dh2048 plugin (groups 14, 15, 16),
 * which must not link against oakleyd's symbols.  Everything here has
 * hidden visibility, so each shared object binds to its own copy.  The
 * only headers it needs are the plugin ABI and dh_evp.h (keys and key
 * agreement, compiled in alongside).
 *
 * A group is a struct modp_group whose first member is the descriptor
 * that gets registered; the functions cast the descriptor back.  All
 * groups use the generator 2.
 */
#ifndef OAKLEY_IKE_MODP_H
#define OAKLEY_IKE_MODP_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>

#include "dh_evp.h"
#include "oakley/plugin.h"

#define MODP_HIDDEN	__attribute__((visibility("hidden")))

struct modp_group {
	struct oakley_dh_group	 dh;		/* must stay first */
	BIGNUM			*(*prime)(BIGNUM *); /* BN_get_rfc..._prime_N */
	int			 priv_bits;	/* private exponent length */
};

/*
 * A static const initialiser: group number, name, prime bits, the
 * function returning the prime, the private exponent length in bits.
 */
#define MODP_GROUP(num, nm, nbits, primefn, privbits) {			\
	.dh = {								\
		.group = (num),						\
		.name = (nm),						\
		.bits = (nbits),					\
		.public_len = (nbits) / 8,				\
		.keygen = modp_keygen,					\
		.derive = modp_derive,					\
		.check_peer = modp_check_peer,				\
		.key_free = dh_evp_key_free				\
	},								\
	.prime = (primefn),						\
	.priv_bits = (privbits)						\
}

/* The struct oakley_dh_group functions (see oakley/plugin.h). */
MODP_HIDDEN struct oakley_dh_key *modp_keygen(const struct oakley_dh_group *,
	    uint8_t *pub, size_t publen);
MODP_HIDDEN int	modp_derive(const struct oakley_dh_group *,
	    struct oakley_dh_key *, const uint8_t *peer, size_t peerlen,
	    uint8_t *secret, size_t secretlen);
MODP_HIDDEN int	modp_check_peer(const struct oakley_dh_group *,
	    const uint8_t *peer, size_t peerlen);

/*
 * A key with a given private exponent (big-endian, 1 < x < p - 1), for
 * known-answer tests; writes its public value g^x mod p like keygen.
 */
MODP_HIDDEN struct oakley_dh_key *modp_key_import(
	    const struct oakley_dh_group *, const uint8_t *priv,
	    size_t privlen, uint8_t *pub, size_t publen);

/* The group's prime, big-endian, into buf of exactly public_len bytes. */
MODP_HIDDEN int	modp_prime_bytes(const struct oakley_dh_group *,
	    uint8_t *buf, size_t len);

#endif /* OAKLEY_IKE_MODP_H */
