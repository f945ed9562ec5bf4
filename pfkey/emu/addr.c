/*
 * Address helpers for pfkeyemud: host comparison (SAs are keyed by
 * addresses, never ports), prefix matching (SPD selectors), exact
 * selector comparison, and the text form used by the traffic commands.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

static size_t
addr_bytes(const struct pfkey_addr *a)
{
	return a->family == AF_INET6 ? 16 : 4;
}

static unsigned
addr_bits(const struct pfkey_addr *a)
{
	return a->family == AF_INET6 ? 128 : 32;
}

/* Same family and address; ports, prefix and protocol do not count. */
bool
emu_addr_same_host(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	if (a->family != b->family)
		return false;
	return memcmp(a->addr, b->addr, addr_bytes(a)) == 0;
}

/*
 * Is host inside the selector's prefix, and does its port match?  The
 * selector's port 0 means any port.
 */
bool
emu_addr_in_prefix(const struct pfkey_addr *sel, const struct pfkey_addr *host)
{
	unsigned plen = sel->prefixlen, full, rest;
	uint8_t mask;

	if (sel->family != host->family)
		return false;
	if (plen > addr_bits(sel))
		plen = addr_bits(sel);
	full = plen / 8;
	rest = plen % 8;
	if (memcmp(sel->addr, host->addr, full) != 0)
		return false;
	if (rest != 0) {
		mask = (uint8_t)(0xff << (8 - rest));
		if ((sel->addr[full] & mask) != (host->addr[full] & mask))
			return false;
	}
	return sel->port == 0 || sel->port == host->port;
}

/* Exact equality of two SPD selector halves. */
bool
emu_selector_equal(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	return emu_addr_same_host(a, b) && a->prefixlen == b->prefixlen &&
	    a->port == b->port && a->proto == b->proto &&
	    a->scope_id == b->scope_id;
}

/* A host address as an SA keeps it: full prefix, any protocol. */
void
emu_addr_host(struct pfkey_addr *out, const struct pfkey_addr *in,
    uint16_t port)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family;
	memcpy(out->addr, in->addr, addr_bytes(in));
	out->scope_id = in->scope_id;
	out->prefixlen = (uint8_t)addr_bits(in);
	out->proto = PFKEY_ULPROTO_ANY;
	out->port = port;
}

/* "192.0.2.1" or "2001:db8::1": a host address, port 0. */
int
emu_addr_parse(struct pfkey_addr *a, const char *text)
{
	struct in_addr in4;
	struct in6_addr in6;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, &in4) == 1) {
		a->family = AF_INET;
		memcpy(a->addr, &in4, 4);
		a->prefixlen = 32;
	} else if (inet_pton(AF_INET6, text, &in6) == 1) {
		a->family = AF_INET6;
		memcpy(a->addr, &in6, 16);
		a->prefixlen = 128;
	} else
		return EINVAL;
	a->proto = PFKEY_ULPROTO_ANY;
	return 0;
}

const char *
emu_addr_str(const struct pfkey_addr *a, char *buf, size_t size)
{
	int af = a->family == AF_INET6 ? AF_INET6 : AF_INET;

	if (size == 0)
		return buf;
	if (inet_ntop(af, a->addr, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
	return buf;
}

/* IPsec request protocol to SA type; 0 if it has none. */
uint8_t
emu_proto_to_satype(unsigned proto)
{
	switch (proto) {
	case EMU_IPPROTO_ESP:
		return PFKEY_SATYPE_ESP;
	case EMU_IPPROTO_AH:
		return PFKEY_SATYPE_AH;
	case EMU_IPPROTO_IPCOMP:
		return PFKEY_SATYPE_IPCOMP;
	}
	return 0;
}
