/*
 * dh_clash: registers a hook table and then DH group 99, which
 * test_plugin already registered; its init fails with the registry's
 * reason and the host must undo the hook registration.  With any
 * statement in its block ("plugin dh_clash { bad-bits; }") it registers
 * group 98 instead, whose 1024-bit secret cannot fit its 8-byte public
 * values, which the host refuses.
 */
#include <stddef.h>

#include "oakley/plugin.h"

static struct oakley_dh_key *
clash_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t publen)
{
	(void)g;
	(void)pub;
	(void)publen;
	return NULL;
}

static int
clash_derive(const struct oakley_dh_group *g, struct oakley_dh_key *k,
    const uint8_t *peer, size_t peerlen, uint8_t *secret, size_t secretlen)
{
	(void)g;
	(void)k;
	(void)peer;
	(void)peerlen;
	(void)secret;
	(void)secretlen;
	return -1;
}

static int
clash_check_peer(const struct oakley_dh_group *g, const uint8_t *peer,
    size_t peerlen)
{
	(void)g;
	(void)peer;
	(void)peerlen;
	return -1;
}

static void
clash_key_free(const struct oakley_dh_group *g, struct oakley_dh_key *k)
{
	(void)g;
	(void)k;
}

static const struct oakley_dh_group group = {
	.group = 99,
	.name = "clash99",
	.bits = 64,
	.public_len = 8,
	.keygen = clash_keygen,
	.derive = clash_derive,
	.check_peer = clash_check_peer,
	.key_free = clash_key_free,
};

static struct oakley_dh_group bad_bits;	/* group, but 98 and 1024 bits */

static void
clash_p1_started(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	(void)h;
	(void)p1;
}

static const struct oakley_hooks hooks = {
	.p1_started = clash_p1_started,
};

static int
clash_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	bad_bits = group;
	bad_bits.group = 98;
	bad_bits.bits = 1024;
	if (h->register_hooks(h, &hooks) != 0 ||
	    h->register_dh_group(h, h->conf_first(h, b) != NULL ? &bad_bits :
	    &group) != 0)
		return -1;
	return 0;
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "dh_clash",
	.version = "1.0",
	.description = "registers a DH group that is taken",
	.init = clash_init,
};
