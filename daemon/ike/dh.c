/*
 * The DH group registry as the engine uses it (see dh.h).  Group 2 is
 * built in, as a MODP group of modp.c over BN_get_rfc2409_prime_1024()
 * with g = 2; every other group comes from a plugin through the plugin
 * host's registry (plugin_dh_lookup).
 */
#include <openssl/crypto.h>

#include "dh.h"
#include "modp.h"
#include "plugin.h"

/*
 * A 192-bit private exponent: more than twice the ~80-bit strength of a
 * 1024-bit prime (NIST SP 800-57), as OpenSSL does for its named groups.
 */
static const struct modp_group modp1024 = MODP_GROUP(DH_GROUP_MODP1024,
    "modp1024", 1024, BN_get_rfc2409_prime_1024, 192);

const struct oakley_dh_group *
dh_modp1024(void)
{
	return &modp1024.dh;
}

int
dh_register_builtin(void)
{
	return plugin_dh_register_builtin(&modp1024.dh);
}

const struct oakley_dh_group *
dh_group(uint16_t group)
{
	return plugin_dh_lookup(group);
}

size_t
dh_secret_len(const struct oakley_dh_group *g)
{
	return OAKLEY_DH_SECRET_LEN(g);
}

struct oakley_dh_key *
dh_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t publen)
{
	if (g == NULL || pub == NULL || publen != g->public_len)
		return NULL;
	return g->keygen(g, pub, publen);
}

int
dh_check_peer(const struct oakley_dh_group *g, const uint8_t *peer,
    size_t peerlen)
{
	if (g == NULL || peer == NULL || peerlen != g->public_len)
		return -1;
	return g->check_peer(g, peer, peerlen);
}

int
dh_derive(const struct oakley_dh_group *g, struct oakley_dh_key *key,
    const uint8_t *peer, size_t peerlen, uint8_t *secret, size_t secretlen)
{
	if (g == NULL || key == NULL || secret == NULL ||
	    secretlen != dh_secret_len(g))
		return -1;
	if (dh_check_peer(g, peer, peerlen) == -1 ||
	    g->derive(g, key, peer, peerlen, secret, secretlen) == -1) {
		OPENSSL_cleanse(secret, secretlen);
		return -1;
	}
	return 0;
}

void
dh_key_free(const struct oakley_dh_group *g, struct oakley_dh_key *key)
{
	if (g != NULL && key != NULL)
		g->key_free(g, key);
}
