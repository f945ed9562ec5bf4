/*
 * struct pfkey_addr helpers: set, parse from text, compare, print.
 *
 * Text form (what setkey prints): an IPv4 or IPv6 address, optionally
 * "/prefixlen" (default: the full length), optionally "[port]" or "[any]"
 * (port 0), in that order: "192.0.2.0/24[any]", "2001:db8::1[500]".
 * proto is left 0; callers set it (PFKEY_ULPROTO_ANY or a protocol).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "pfkey.h"

void
pfkey_addr_set(struct pfkey_addr *a, int family, const void *addr,
    uint16_t port, uint8_t prefixlen, uint8_t proto)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	a->port = port;
	a->prefixlen = prefixlen;
	a->proto = proto;
	if (family == AF_INET)
		memcpy(a->addr, addr, 4);
	else if (family == AF_INET6)
		memcpy(a->addr, addr, 16);
}

size_t
pfkey_addr_bits(const struct pfkey_addr *a)
{
	if (a->family == AF_INET)
		return 32;
	if (a->family == AF_INET6)
		return 128;
	return 0;
}

/* Decimal digits at *pp up to max; advances *pp.  -1 if none or too big. */
static int
parse_decimal(const char **pp, unsigned long max, unsigned long *vp)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -1;
	}
	*pp = p;
	*vp = v;
	return 0;
}

static int
parse_host(const char *text, size_t len, int *familyp, uint8_t *bin)
{
	char host[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(host))
		return -1;
	memcpy(host, text, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, bin) == 1) {
		*familyp = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, host, bin) == 1) {
		*familyp = AF_INET6;
		return 0;
	}
	return -1;
}

static int
parse_port(const char **pp, unsigned long *portp)
{
	const char *p = *pp;

	if (strncmp(p, "any]", 4) == 0) {
		*portp = PFKEY_PORT_ANY;
		*pp = p + 4;
		return 0;
	}
	if (parse_decimal(&p, UINT16_MAX, portp) != 0 || *p != ']')
		return -1;
	*pp = p + 1;
	return 0;
}

int
pfkey_addr_parse(struct pfkey_addr *a, const char *text)
{
	size_t hlen = strcspn(text, "/[");
	const char *p = text + hlen;
	unsigned long prefix, port = PFKEY_PORT_ANY;
	uint8_t bin[16];
	int family;

	if (parse_host(text, hlen, &family, bin) != 0)
		goto bad;
	prefix = family == AF_INET ? 32 : 128;
	if (*p == '/') {
		p++;
		if (parse_decimal(&p, prefix, &prefix) != 0)
			goto bad;
	}
	if (*p == '[') {
		p++;
		if (parse_port(&p, &port) != 0)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	pfkey_addr_set(a, family, bin, (uint16_t)port, (uint8_t)prefix, 0);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static int
cmp_num(unsigned long a, unsigned long b)
{
	return a < b ? -1 : a > b;
}

int
pfkey_addr_cmp(const struct pfkey_addr *a, const struct pfkey_addr *b)
{
	size_t n = pfkey_addr_bits(a) / 8;
	int c;

	if (a->family != b->family)
		return cmp_num(a->family, b->family);
	if (n > 0 && (c = memcmp(a->addr, b->addr, n)) != 0)
		return c < 0 ? -1 : 1;
	if (a->prefixlen != b->prefixlen)
		return cmp_num(a->prefixlen, b->prefixlen);
	if (a->port != b->port)
		return cmp_num(a->port, b->port);
	if (a->proto != b->proto)
		return cmp_num(a->proto, b->proto);
	return cmp_num(a->scope_id, b->scope_id);
}

/* The address alone (no prefix, no port); "?" for an unknown family. */
const char *
pfkey_addr_ntop(const struct pfkey_addr *a, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if (a->family == AF_INET || a->family == AF_INET6)
		if (inet_ntop(a->family, a->addr, buf, (socklen_t)size) != NULL)
			return buf;
	strncpy(buf, "?", size);
	buf[size - 1] = '\0';
	return buf;
}
