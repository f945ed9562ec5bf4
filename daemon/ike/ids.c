/*
 * ID payloads (RFC 2407 4.6.2): phase-2 identities from policy
 * selectors and back, the phase-1 address identity, text for logs.
 *
 * A selector is a struct pfkey_addr (address, prefix length, port) plus
 * an upper-layer protocol (PFKEY_ULPROTO_ANY for any).  A host selector
 * (/32, /128) becomes an IPV4_ADDR/IPV6_ADDR ID, anything else a SUBNET
 * ID (address and mask).  Ranges are not supported.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "ike.h"

static void
put_mask(uint8_t *mask, size_t len, unsigned bits)
{
	size_t i;

	memset(mask, 0, len);
	for (i = 0; i < len && bits > 0; i++) {
		if (bits >= 8) {
			mask[i] = 0xff;
			bits -= 8;
		} else {
			mask[i] = (uint8_t)(0xff << (8 - bits));
			bits = 0;
		}
	}
}

/* Prefix length of a contiguous mask, or -1. */
static int
mask_bits(const uint8_t *mask, size_t len)
{
	size_t i;
	int bits = 0;
	bool ended = false;
	uint8_t m;

	for (i = 0; i < len; i++) {
		m = mask[i];
		if (ended && m != 0)
			return -1;
		if (m == 0xff) {
			bits += 8;
			continue;
		}
		ended = true;
		while (m & 0x80) {
			bits++;
			m = (uint8_t)(m << 1);
		}
		if (m != 0)
			return -1;
	}
	return bits;
}

int
ike_id_from_selector(const struct pfkey_addr *sel, uint8_t proto,
    uint8_t *body, size_t *len)
{
	size_t alen = sel->family == AF_INET6 ? 16 : 4;
	unsigned full = (unsigned)alen * 8;
	bool host = sel->prefixlen >= full;

	if (sel->family != AF_INET && sel->family != AF_INET6)
		return -1;
	if (host)
		body[0] = sel->family == AF_INET ? ISAKMP_ID_IPV4_ADDR :
		    ISAKMP_ID_IPV6_ADDR;
	else
		body[0] = sel->family == AF_INET ? ISAKMP_ID_IPV4_ADDR_SUBNET :
		    ISAKMP_ID_IPV6_ADDR_SUBNET;
	body[1] = proto == PFKEY_ULPROTO_ANY ? 0 : proto;
	body[2] = (uint8_t)(sel->port >> 8);
	body[3] = (uint8_t)sel->port;
	memcpy(body + 4, sel->addr, alen);
	*len = 4 + alen;
	if (!host) {
		put_mask(body + 4 + alen, alen, sel->prefixlen);
		*len += alen;
	}
	return 0;
}

int
ike_id_from_addr(const struct pfkey_addr *a, uint8_t *body, size_t *len)
{
	struct pfkey_addr host = *a;

	host.prefixlen = a->family == AF_INET6 ? 128 : 32;
	host.port = 0;
	if (ike_id_from_selector(&host, 0, body, len) == -1)
		return -1;
	/* Phase 1: UDP port 500 (RFC 2407 4.6.2). */
	body[1] = IPPROTO_UDP;
	body[2] = 500 >> 8;
	body[3] = 500 & 0xff;
	return 0;
}

int
ike_id_to_selector(const struct isakmp_id *id, struct pfkey_addr *sel,
    uint8_t *proto)
{
	int family, bits;
	size_t alen;
	bool subnet;

	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
		family = AF_INET;
		alen = 4;
		break;
	case ISAKMP_ID_IPV6_ADDR:
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
		family = AF_INET6;
		alen = 16;
		break;
	default:
		return -1;
	}
	subnet = id->type == ISAKMP_ID_IPV4_ADDR_SUBNET ||
	    id->type == ISAKMP_ID_IPV6_ADDR_SUBNET;
	if (id->len != (subnet ? 2 * alen : alen))
		return -1;
	bits = subnet ? mask_bits(id->data + alen, alen) : (int)alen * 8;
	if (bits < 0)
		return -1;
	pfkey_addr_set(sel, family, id->data, id->port, (uint8_t)bits,
	    id->protocol == 0 ? PFKEY_ULPROTO_ANY : id->protocol);
	*proto = id->protocol == 0 ? PFKEY_ULPROTO_ANY : id->protocol;
	return 0;
}

/* Same network: family, prefix length, masked address, port, protocol. */
bool
ike_selector_equal(const struct pfkey_addr *a, uint8_t pa,
    const struct pfkey_addr *b, uint8_t pb)
{
	uint8_t ma[16], mb[16];
	size_t alen, i;

	if (a->family != b->family || a->prefixlen != b->prefixlen ||
	    a->port != b->port || pa != pb)
		return false;
	alen = a->family == AF_INET6 ? 16 : 4;
	put_mask(ma, alen, a->prefixlen);
	memcpy(mb, ma, alen);
	for (i = 0; i < alen; i++)
		if ((a->addr[i] & ma[i]) != (b->addr[i] & mb[i]))
			return false;
	return true;
}

void
ike_id_text(const struct isakmp_id *id, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	struct pfkey_addr sel;
	uint8_t proto;
	size_t n;

	if (ike_id_to_selector(id, &sel, &proto) == 0) {
		pfkey_addr_ntop(&sel, a, sizeof(a));
		if (id->type == ISAKMP_ID_IPV4_ADDR_SUBNET ||
		    id->type == ISAKMP_ID_IPV6_ADDR_SUBNET)
			snprintf(buf, len, "%s/%u", a, sel.prefixlen);
		else
			snprintf(buf, len, "%s", a);
		return;
	}
	switch (id->type) {
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
	case ISAKMP_ID_KEY_ID:
		n = id->len < len - 1 ? id->len : len - 1;
		for (size_t i = 0; i < n; i++)
			buf[i] = (id->data[i] >= 0x20 && id->data[i] < 0x7f) ?
			    (char)id->data[i] : '?';
		buf[n] = '\0';
		return;
	default:
		snprintf(buf, len, "%s (%zu bytes)",
		    isakmp_id_type_name(id->type), id->len);
	}
}
