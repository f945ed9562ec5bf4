/*
 * ECP Diffie-Hellman groups (RFC 5903) over OpenSSL 3, as struct
 * oakley_dh_group descriptors: group 19 (NIST P-256) and group 20
 * (P-384).
 *
 * IKE encodes a public value as x || y, each coordinate big-endian and
 * left-padded with zeros to the field's length, without SEC1's 0x04
 * prefix (RFC 5903 7; IKEv1 uses the same KE payload), and takes the
 * shared secret as the x coordinate alone (RFC 5903 9).  So public_len
 * is twice the field's length and OAKLEY_DH_SECRET_LEN (from bits) the
 * field's length: 64 and 32 bytes for P-256, 96 and 48 for P-384.
 *
 * Compiled into the dh_ecp plugin with daemon/ike/dh_evp.c (the keys,
 * the key agreement), and into its test program for the known-answer
 * tests (ecp_key_import); everything has hidden visibility.  A group is
 * a struct ecp_group whose first member is the descriptor that gets
 * registered; the functions cast it back.
 */
#ifndef OAKLEY_DH_ECP_ECP_H
#define OAKLEY_DH_ECP_ECP_H

#include <stddef.h>
#include <stdint.h>

#include "oakley/plugin.h"

#define ECP_HIDDEN	__attribute__((visibility("hidden")))

#define ECP_COORD_MAX	66		/* bytes: P-521, the largest */
#define ECP_PUBLIC_MAX	(2 * ECP_COORD_MAX)

struct ecp_group {
	struct oakley_dh_group	 dh;		/* must stay first */
	const char		*curve;		/* OpenSSL's name: "P-256" */
};

/* The groups of RFC 5903 that dh_ecp offers, in IKE number order. */
#define ECP_NGROUPS	2
ECP_HIDDEN extern const struct ecp_group ecp_groups[ECP_NGROUPS];

/* The struct oakley_dh_group functions (see oakley/plugin.h). */
ECP_HIDDEN struct oakley_dh_key *ecp_keygen(const struct oakley_dh_group *,
	    uint8_t *pub, size_t publen);
ECP_HIDDEN int	ecp_derive(const struct oakley_dh_group *,
	    struct oakley_dh_key *, const uint8_t *peer, size_t peerlen,
	    uint8_t *secret, size_t secretlen);
ECP_HIDDEN int	ecp_check_peer(const struct oakley_dh_group *,
	    const uint8_t *peer, size_t peerlen);
/* key_free is dh_evp_key_free (daemon/ike/dh_evp.h). */

/*
 * A key with a given private value (big-endian, 0 < d < the group's
 * order, at most the field's length), for known-answer tests; writes
 * its public value d G like keygen.  NULL on error.
 */
ECP_HIDDEN struct oakley_dh_key *ecp_key_import(
	    const struct oakley_dh_group *, const uint8_t *priv,
	    size_t privlen, uint8_t *pub, size_t publen);

#endif /* OAKLEY_DH_ECP_ECP_H */
