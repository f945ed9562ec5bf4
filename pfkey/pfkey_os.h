/*
 * The per-OS PF_KEY wire differences, in one place.
 *
 * libpfkey's struct pfkey_msg is OS-independent; a dialect says how it is
 * laid out on the wire.  FreeBSD and Linux share the message and most
 * extension numbers but differ in (FACTS.md 7.2, 7.4):
 *   - sockaddr: BSD starts with sa_len (u8) + sa_family (u8); Linux has a
 *     u16 family.  AF_INET6 is 28 on FreeBSD, 10 on Linux.
 *   - sadb_x_ipsecrequest: 8 bytes with a u16 reqid (FreeBSD), 16 bytes
 *     with a u32 reqid (Linux).
 *   - extensions 23..28: FreeBSD NAT_T_OAI, NAT_T_OAR, NAT_T_FRAG,
 *     SA_REPLAY, NEW_ADDRESS_SRC/DST; Linux 23 = NAT_T_OA (treated as OAI)
 *     and 24..26 are SEC_CTX, KMADDRESS, FILTER (not supported here).
 *   - sadb_x_policy byte 7: FreeBSD "scope", Linux reserved.
 * Algorithms are not a wire difference: AES-GCM with a 16-byte ICV is
 * encryption algorithm 20 in both headers (FreeBSD SADB_X_EALG_AESGCM16,
 * Linux SADB_X_EALG_AES_GCM_ICV16), with no authentication algorithm and
 * the 4-byte salt at the end of the encryption key (sadb_key_bits =
 * (key + 4) * 8, RFC 4106 8.1).  Linux's af_key, though, looks SAs'
 * encryption algorithms up among its plain ciphers only, not its AEADs,
 * and refuses an AES-GCM SA (ENOSYS); FreeBSD and pfkeyemud take it.
 * OpenBSD's PF_KEY (flows instead of SPD messages) is not a dialect of
 * this table; see pfkey.h.
 */
#ifndef OAKLEY_PFKEY_OS_H
#define OAKLEY_PFKEY_OS_H

#include "pfkey.h"

struct pfkey_dialect {
	const char	*name;
	uint8_t		af_inet;	/* wire value of AF_INET */
	uint8_t		af_inet6;	/* wire value of AF_INET6 */
	bool		sockaddr_has_len; /* BSD sa_len byte */
	uint16_t	ipsecrequest_len; /* bytes of sadb_x_ipsecrequest */
	bool		reqid_32bit;	/* reqid field width in ipsecrequest */
	bool		policy_has_scope;
	uint8_t		msg_max;	/* highest message type accepted */
	/* Internal extension id (enum pfkey_ext) -> wire number; 0 = none. */
	uint8_t		ext_to_wire[PFKEY_EXT_MAX + 1];
};

/* Wire number -> internal id, or 0 when the dialect has no such one. */
int	pfkey_ext_from_wire(const struct pfkey_dialect *, unsigned wire);
/* Internal id -> wire number, or 0 when the dialect cannot carry it. */
int	pfkey_ext_to_wire(const struct pfkey_dialect *, unsigned ext);

#endif /* OAKLEY_PFKEY_OS_H */
