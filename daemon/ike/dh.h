/*
 * Diffie-Hellman groups as the IKE engine sees them: the core's built-in
 * group 2 (1024-bit MODP, RFC 2409 6.2) and lookup by IKE group number in
 * the plugin host's registry, which plugins (dh2048, ...) extend.
 *
 *	plugin_host_init(...);
 *	dh_register_builtin();		before the plugins load
 *	g = dh_group(14);		NULL: nobody offers it
 *	k = dh_keygen(g, pub, g->public_len);
 *	dh_derive(g, k, peer, peerlen, secret, dh_secret_len(g));
 *	dh_key_free(g, k);
 *
 * The wrappers check lengths and the peer value before calling the
 * group, so a group's functions never see a malformed KE payload.
 */
#ifndef OAKLEY_IKE_DH_H
#define OAKLEY_IKE_DH_H

#include <stddef.h>
#include <stdint.h>

#include "oakley/plugin.h"

#define DH_GROUP_MODP1024	2	/* the one built in */
#define DH_PUBLIC_MAX		1024	/* bytes: 8192-bit MODP */

/* The built-in group 2 descriptor, registered or not. */
const struct oakley_dh_group *dh_modp1024(void);

/*
 * Register the built-in groups with the plugin host: after
 * plugin_host_init, before any plugin loads (plugin_host_fini forgets
 * them).  0 or -1.
 */
int	dh_register_builtin(void);

/* The group with this IKE number (attribute 4), or NULL. */
const struct oakley_dh_group *dh_group(uint16_t group);

/*
 * The length of the group's shared secret: public_len for MODP groups,
 * the x coordinate alone (half of public_len) for ECP groups.
 */
size_t	dh_secret_len(const struct oakley_dh_group *);

/* New key; pub gets public_len bytes.  NULL on error. */
struct oakley_dh_key *dh_keygen(const struct oakley_dh_group *,
	    uint8_t *pub, size_t publen);
/* The shared secret (secretlen == dh_secret_len); 0, or -1 (bad peer). */
int	dh_derive(const struct oakley_dh_group *, struct oakley_dh_key *,
	    const uint8_t *peer, size_t peerlen, uint8_t *secret,
	    size_t secretlen);
/* 0 if the peer's public value is acceptable, else -1. */
int	dh_check_peer(const struct oakley_dh_group *, const uint8_t *peer,
	    size_t peerlen);
/* NULL is fine. */
void	dh_key_free(const struct oakley_dh_group *, struct oakley_dh_key *);

#endif /* OAKLEY_IKE_DH_H */
