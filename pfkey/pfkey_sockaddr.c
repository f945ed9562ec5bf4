/*
 * Sockaddrs on the PF_KEY wire and the sadb_address extensions (ADDRESS_
 * SRC/DST/PROXY, NAT_T_OAI/OAR, NEW_ADDRESS_SRC/DST).
 *
 * A sockaddr_in is 16 bytes and a sockaddr_in6 28 in both dialects; the
 * BSD layout starts with sa_len and a one-byte family, the Linux one with
 * a 16-bit family (host order).  The port is in network order.  Families
 * other than AF_INET/AF_INET6 give EAFNOSUPPORT; a sockaddr whose length
 * disagrees with its family, a prefix longer than the address, or an
 * extension too short for the padded sockaddr give EINVAL.
 */
#include <sys/socket.h>
#include <errno.h>

#include "pfkey_wire.h"

struct pfkey_addr *
pfkey_msg_addr(struct pfkey_msg *m, unsigned ext)
{
	switch (ext) {
	case PFKEY_EXT_ADDRESS_SRC:
		return &m->addr_src;
	case PFKEY_EXT_ADDRESS_DST:
		return &m->addr_dst;
	case PFKEY_EXT_ADDRESS_PROXY:
		return &m->addr_proxy;
	case PFKEY_EXT_X_NAT_T_OAI:
		return &m->natt_oai;
	case PFKEY_EXT_X_NAT_T_OAR:
		return &m->natt_oar;
	case PFKEY_EXT_X_NEW_ADDRESS_SRC:
		return &m->new_addr_src;
	case PFKEY_EXT_X_NEW_ADDRESS_DST:
		return &m->new_addr_dst;
	}
	return NULL;
}

const struct pfkey_addr *
pfkey_msg_addr_const(const struct pfkey_msg *m, unsigned ext)
{
	switch (ext) {
	case PFKEY_EXT_ADDRESS_SRC:
		return &m->addr_src;
	case PFKEY_EXT_ADDRESS_DST:
		return &m->addr_dst;
	case PFKEY_EXT_ADDRESS_PROXY:
		return &m->addr_proxy;
	case PFKEY_EXT_X_NAT_T_OAI:
		return &m->natt_oai;
	case PFKEY_EXT_X_NAT_T_OAR:
		return &m->natt_oar;
	case PFKEY_EXT_X_NEW_ADDRESS_SRC:
		return &m->new_addr_src;
	case PFKEY_EXT_X_NEW_ADDRESS_DST:
		return &m->new_addr_dst;
	}
	return NULL;
}

/* Host family of a wire family, or 0. */
static int
family_from_wire(const struct pfkey_dialect *d, unsigned wire)
{
	if (wire == d->af_inet)
		return AF_INET;
	if (wire == d->af_inet6)
		return AF_INET6;
	return 0;
}

static size_t
sockaddr_len(int family)
{
	return family == AF_INET ? PFKEY_SIN_LEN : PFKEY_SIN6_LEN;
}

int
pfkey_sockaddr_decode(struct pfkey_addr *a, const uint8_t *p, size_t avail,
    size_t *salenp, const struct pfkey_dialect *d, const char *what,
    struct pfkey_error *err)
{
	unsigned wire;
	size_t salen;
	int family;

	if (avail < 2)
		return pfkey_fail(err, EINVAL, "%sno room for a sockaddr",
		    what);
	wire = d->sockaddr_has_len ? p[1] : wire_get16(p);
	if ((family = family_from_wire(d, wire)) == 0)
		return pfkey_fail(err, EAFNOSUPPORT, "%ssockaddr family %u "
		    "not supported", what, wire);
	salen = sockaddr_len(family);
	if (d->sockaddr_has_len && p[0] != salen)
		return pfkey_fail(err, EINVAL, "%ssockaddr length %u does "
		    "not match family %u", what, p[0], wire);
	if (salen > avail)
		return pfkey_fail(err, EINVAL, "%ssockaddr of %zu bytes "
		    "exceeds the %zu bytes left", what, salen, avail);
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	a->port = wire_get_be16(p + 2);
	if (family == AF_INET) {
		memcpy(a->addr, p + 4, 4);
		a->prefixlen = 32;
	} else {
		memcpy(a->addr, p + 8, 16);
		a->scope_id = wire_get32(p + 24);
		a->prefixlen = 128;
	}
	*salenp = salen;
	return 0;
}

int
pfkey_sockaddr_encode(const struct pfkey_addr *a, struct pfkey_writer *w,
    const struct pfkey_dialect *d, const char *what)
{
	unsigned wire;
	size_t salen;
	uint8_t *p;

	if (a->family == AF_INET)
		wire = d->af_inet;
	else if (a->family == AF_INET6)
		wire = d->af_inet6;
	else
		return pfkey_fail(w->err, EAFNOSUPPORT, "%ssockaddr family "
		    "%u not supported", what, a->family);
	salen = sockaddr_len(a->family);
	if ((p = pfkey_w_reserve(w, salen)) == NULL)
		return ENOBUFS;
	if (d->sockaddr_has_len) {
		p[0] = (uint8_t)salen;
		p[1] = (uint8_t)wire;
	} else
		wire_put16(p, (uint16_t)wire);
	wire_put_be16(p + 2, a->port);
	if (a->family == AF_INET)
		memcpy(p + 4, a->addr, 4);
	else {
		memcpy(p + 8, a->addr, 16);
		wire_put32(p + 24, a->scope_id);
	}
	return 0;
}

int
pfkey_address_decode(struct pfkey_addr *a, const uint8_t *p, size_t len,
    const struct pfkey_dialect *d, struct pfkey_error *err)
{
	uint8_t proto = p[4], prefixlen = p[5];
	size_t salen = 0;
	int rc;

	/*
	 * The sockaddr must fit in the extension; as len is a multiple of
	 * 8, the extension then also covers the padded sockaddr.
	 */
	rc = pfkey_sockaddr_decode(a, p + 8, len - 8, &salen, d, "",
	    err);
	if (rc != 0)
		return rc;
	if (prefixlen > pfkey_addr_bits(a))
		return pfkey_fail(err, EINVAL, "prefixlen %u longer than the "
		    "%zu-bit address", prefixlen, pfkey_addr_bits(a));
	a->proto = proto;
	a->prefixlen = prefixlen;
	return 0;
}

int
pfkey_address_encode(const struct pfkey_addr *a, unsigned wire,
    struct pfkey_writer *w, const struct pfkey_dialect *d)
{
	size_t start;
	uint8_t *p;
	int rc;

	if (pfkey_addr_bits(a) == 0)
		return pfkey_fail(w->err, EAFNOSUPPORT, "sockaddr family %u "
		    "not supported", a->family);
	if (a->prefixlen > pfkey_addr_bits(a))
		return pfkey_fail(w->err, EINVAL, "prefixlen %u longer than "
		    "the %zu-bit address", a->prefixlen, pfkey_addr_bits(a));
	if ((p = pfkey_w_ext_begin(w, wire, 8, &start)) == NULL)
		return ENOBUFS;
	p[4] = a->proto;
	p[5] = a->prefixlen;
	if ((rc = pfkey_sockaddr_encode(a, w, d, "")) != 0)
		return rc;
	return pfkey_w_ext_end(w, start);
}

/* ADDRESS_SRC and ADDRESS_DST of one message share a family. */
int
pfkey_check_families(const struct pfkey_msg *m, struct pfkey_error *err)
{
	if (!PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC) ||
	    !PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST))
		return 0;
	if (m->addr_src.family != m->addr_dst.family)
		return pfkey_fail(err, EINVAL, "address_src family %u and "
		    "address_dst family %u differ", m->addr_src.family,
		    m->addr_dst.family);
	return 0;
}
