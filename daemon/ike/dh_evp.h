/*
 * What the DH groups over OpenSSL 3 EVP_PKEYs share: the MODP groups of
 * modp.c (oakleyd's group 2, the dh2048 plugin) and the ECP groups of the
 * dh_ecp plugin.  A private key is an EVP_PKEY, which OpenSSL clears when
 * it is freed.
 *
 * Compiled into oakleyd and into each of those plugins, with hidden
 * visibility like modp.c (see modp.h): each shared object binds to its
 * own copy.
 */
#ifndef OAKLEY_IKE_DH_EVP_H
#define OAKLEY_IKE_DH_EVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "oakley/plugin.h"

#define DH_EVP_HIDDEN	__attribute__((visibility("hidden")))

struct oakley_dh_key {
	EVP_PKEY	*pkey;
};

/* A key holding pkey (freed on failure), or NULL. */
DH_EVP_HIDDEN struct oakley_dh_key *dh_evp_key_new(EVP_PKEY *pkey);

/* A group's key_free (see oakley/plugin.h); NULL is fine. */
DH_EVP_HIDDEN void dh_evp_key_free(const struct oakley_dh_group *,
	    struct oakley_dh_key *);

/*
 * The secret of key and the peer's public key, exactly secretlen bytes
 * (pad: left-pad a DH secret to the prime's length, EVP_KEYEXCH-DH's
 * "pad"; not for ECDH, whose x is always padded).  The peer key is not
 * validated again: the caller checked it.  0, or -1 with secret
 * possibly written (the caller clears it).
 */
DH_EVP_HIDDEN int dh_evp_derive(struct oakley_dh_key *key, EVP_PKEY *peer,
	    bool pad, uint8_t *secret, size_t secretlen);

#endif /* OAKLEY_IKE_DH_EVP_H */
