/*
 * The engine's UDP sockets: one per listen address for the IKE port, and
 * one per listen address for each port a plugin registers (the natt
 * plugin's 4500, which stands for the configured natt-port).  Datagrams
 * go through the port's filter (plugin_port_classify: IKE after the
 * non-ESP marker, or dropped), then to ike_input.  What we send from a
 * plugin port gets the port's marker.
 *
 * A socket bound to a wildcard address learns each datagram's local
 * address (IP_PKTINFO / IP_RECVDSTADDR, IPV6_RECVPKTINFO) and sends with
 * the phase 1's local address as source.  A bind that fails is logged and
 * skipped: oakleyd keeps managing its policies and SAs without it.
 *
 * A plugin port with OAKLEY_PORT_ESPINUDP (NAT-T) gets the UDP_ENCAP
 * socket option with UDP_ENCAP_ESPINUDP (Linux: level SOL_UDP, option
 * 100; FreeBSD: IPPROTO_UDP, option 1; same type 2), so the kernel takes
 * the ESP-in-UDP packets arriving on it and hands up only what starts
 * with the non-ESP marker; where the option is missing or refused (no
 * IPsec in that kernel) the socket works for IKE all the same, and that
 * is logged at debug level.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "daemon.h"
#include "ike.h"
#include "log.h"
#include "plugin.h"

#define RECV_BATCH	64	/* datagrams per wake-up */
#define CMSG_SPACE_MAX	256

void
ike_addr_from_sockaddr(const void *p, struct pfkey_addr *a)
{
	const struct sockaddr *sa = p;
	const struct sockaddr_in *sin = p;
	const struct sockaddr_in6 *sin6 = p;

	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		pfkey_addr_set(a, AF_INET, &sin->sin_addr, ntohs(sin->sin_port),
		    32, PFKEY_ULPROTO_ANY);
	} else if (sa->sa_family == AF_INET6) {
		pfkey_addr_set(a, AF_INET6, &sin6->sin6_addr,
		    ntohs(sin6->sin6_port), 128, PFKEY_ULPROTO_ANY);
		a->scope_id = sin6->sin6_scope_id;
	}
}

size_t
ike_addr_to_sockaddr(const struct pfkey_addr *a, void *p)
{
	struct sockaddr_in *sin = p;
	struct sockaddr_in6 *sin6 = p;

	memset(p, 0, sizeof(struct sockaddr_storage));
	if (a->family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->addr, 4);
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->addr, 16);
		sin6->sin6_scope_id = a->scope_id;
		return sizeof(*sin6);
	}
	return 0;
}

const char *
ike_addr_text(const struct pfkey_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "?");
		return buf;
	}
	pfkey_addr_ntop(a, host, sizeof(host));
	snprintf(buf, len, "%s[%u]", host, a->port);
	return buf;
}

static bool
addr_is_any(const struct pfkey_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->addr, zero, a->family == AF_INET6 ? 16 : 4) == 0;
}

/* ---- Receiving ---- */

/* The local address of a datagram from its control messages. */
static void
recv_local(struct ike_sock *s, struct msghdr *mh, struct pfkey_addr *to)
{
	struct cmsghdr *c;

	*to = s->addr;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
#if defined(IP_PKTINFO)
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(to->addr, &pi.ipi_addr, 4);
		}
#elif defined(IP_RECVDSTADDR)
		if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_RECVDSTADDR)
			memcpy(to->addr, CMSG_DATA(c), 4);
#endif
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			memcpy(to->addr, &pi6.ipi6_addr, 16);
		}
	}
}

static void
sock_read(evutil_socket_t fd, short what, void *arg)
{
	struct ike_sock *s = arg;
	static uint8_t buf[IKE_PKT_MAX + 1];
	struct sockaddr_storage ss;
	union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE_MAX];
	} cm;
	struct iovec iov;
	struct msghdr mh;
	struct pfkey_addr from, to;
	size_t off;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < RECV_BATCH; i++) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		mh.msg_name = &ss;
		mh.msg_namelen = sizeof(ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		n = recvmsg(fd, &mh, 0);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("IKE: recvmsg: %s", strerror(errno));
			return;
		}
		ike_addr_from_sockaddr(&ss, &from);
		recv_local(s, &mh, &to);
		to.port = s->addr.port;
		if ((size_t)n > IKE_PKT_MAX || (mh.msg_flags & MSG_TRUNC)) {
			log_debug("IKE: datagram from %s too long; dropped",
			    pfkey_addr_ntop(&from, (char[64]){ 0 }, 64));
			continue;
		}
		if (plugin_port_classify(s->natt ? OAKLEY_PORT_NATT :
		    s->addr.port, buf, (size_t)n, &off) != OAKLEY_PACKET_IKE)
			continue;
		ike_input(s->ike, s, buf + off, (size_t)n - off, &from, &to);
	}
}

/* ---- Opening ---- */

static int
sock_options(int fd, const struct pfkey_addr *a, bool wildcard)
{
	int on = 1;

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		return -1;
	if (a->family == AF_INET6) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on)) == -1)
			return -1;
		if (wildcard && setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO,
		    &on, sizeof(on)) == -1)
			return -1;
		return 0;
	}
	if (!wildcard)
		return 0;
#if defined(IP_PKTINFO)
	return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
#elif defined(IP_RECVDSTADDR)
	return setsockopt(fd, IPPROTO_IP, IP_RECVDSTADDR, &on, sizeof(on));
#else
	return 0;
#endif
}

/* ESP-in-UDP decapsulation by the kernel on a NAT-T socket, if it can. */
static void
sock_espinudp(int fd, const char *text)
{
#if defined(UDP_ENCAP) && defined(UDP_ENCAP_ESPINUDP)
	int type = UDP_ENCAP_ESPINUDP;

	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) == -1)
		log_debug("IKE: %s: no ESP-in-UDP in the kernel (UDP_ENCAP: "
		    "%s)", text, strerror(errno));
	else
		log_debug("IKE: %s: UDP_ENCAP ESP-in-UDP set", text);
#else
	(void)fd;
	log_debug("IKE: %s: this system has no UDP_ENCAP option", text);
#endif
}

static int
sock_open(struct ike *ike, const struct pfkey_addr *addr, uint16_t port,
    const struct oakley_port *filter)
{
	struct sockaddr_storage ss;
	struct ike_sock *s;
	struct pfkey_addr a = *addr;
	char text[80];
	size_t sl;
	int fd;

	a.port = port;
	ike_addr_text(&a, text, sizeof(text));
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->ike = ike;
	s->addr = a;
	s->wildcard = addr_is_any(&a);
	if (filter != NULL) {
		s->natt = filter->port == OAKLEY_PORT_NATT;
		s->marker = filter->marker;
		s->marker_len = filter->marker_len;
	}
	sl = ike_addr_to_sockaddr(&a, &ss);
	fd = socket(a.family, SOCK_DGRAM, 0);
	if (fd == -1 || sock_options(fd, &a, s->wildcard) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, (socklen_t)sl) == -1) {
		log_err("IKE: cannot listen on %s: %s", text, strerror(errno));
		if (fd != -1)
			close(fd);
		free(s);
		return -1;
	}
	if (filter != NULL && (filter->flags & OAKLEY_PORT_ESPINUDP) != 0)
		sock_espinudp(fd, text);
	s->fd = fd;
	s->ev = event_new(ike->d->base, fd, EV_READ | EV_PERSIST, sock_read, s);
	if (s->ev == NULL || event_add(s->ev, NULL) != 0) {
		log_err("IKE: cannot watch %s", text);
		if (s->ev != NULL)
			event_free(s->ev);
		close(fd);
		free(s);
		return -1;
	}
	TAILQ_INSERT_TAIL(&ike->socks, s, link);
	log_info("IKE: listening on %s%s", text,
	    filter != NULL ? " (plugin port)" : "");
	return 0;
}

int
ike_net_open(struct ike *ike, char *err, size_t errlen)
{
	const struct config *cfg = ike->d->conf;
	const struct conf_listen *l;
	const struct oakley_port *p;
	size_t i, j;
	uint16_t port;

	(void)err;
	(void)errlen;
	TAILQ_INIT(&ike->socks);
	for (i = 0; i < cfg->nlisten; i++) {
		l = &cfg->listen[i];
		sock_open(ike, &l->addr, l->port, NULL);
		for (j = 0; j < plugin_port_count(); j++) {
			p = plugin_port_at(j);
			port = p->port == OAKLEY_PORT_NATT ? l->natt_port :
			    p->port;
			sock_open(ike, &l->addr, port, p);
		}
	}
	return 0;
}

void
ike_net_close(struct ike *ike)
{
	struct ike_sock *s;

	while ((s = TAILQ_FIRST(&ike->socks)) != NULL) {
		TAILQ_REMOVE(&ike->socks, s, link);
		event_free(s->ev);
		close(s->fd);
		free(s);
	}
}

/* ---- Routing and sending ---- */

/* The source address the kernel would use towards remote. */
static int
route_source(const struct pfkey_addr *remote, struct pfkey_addr *local)
{
	struct sockaddr_storage ss, ls;
	socklen_t len = sizeof(ls);
	struct pfkey_addr r = *remote;
	size_t sl;
	int fd, rc = -1;

	if (r.port == 0)
		r.port = CONF_DEFAULT_PORT;
	sl = ike_addr_to_sockaddr(&r, &ss);
	if ((fd = socket(r.family, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, (socklen_t)sl) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ls, &len) == 0) {
		ike_addr_from_sockaddr(&ls, local);
		rc = 0;
	}
	close(fd);
	return rc;
}

int
ike_net_route(struct ike *ike, const struct pfkey_addr *remote,
    const struct pfkey_addr *local_hint, bool natt, struct ike_sock **out,
    struct pfkey_addr *local)
{
	struct ike_sock *s, *wild = NULL;
	struct pfkey_addr src;

	if (local_hint != NULL && local_hint->family == remote->family)
		src = *local_hint;
	else if (route_source(remote, &src) == -1)
		return -1;
	TAILQ_FOREACH(s, &ike->socks, link) {
		if (s->addr.family != remote->family || s->natt != natt)
			continue;
		if (s->wildcard) {
			if (wild == NULL)
				wild = s;
			continue;
		}
		if (ike_addr_same_host(&s->addr, &src))
			break;
	}
	if (s == NULL)
		s = wild;
	if (s == NULL)
		return -1;
	*out = s;
	*local = src;
	local->port = s->addr.port;
	local->prefixlen = remote->family == AF_INET6 ? 128 : 32;
	return 0;
}

static size_t
send_source(struct ike_sock *s, const struct pfkey_addr *from,
    uint8_t *cbuf, size_t cap)
{
	struct msghdr mh;
	struct cmsghdr *c;

	if (!s->wildcard || from == NULL || from->family != s->addr.family ||
	    addr_is_any(from))
		return 0;
	memset(&mh, 0, sizeof(mh));
	mh.msg_control = cbuf;
	if (from->family == AF_INET6) {
		struct in6_pktinfo pi6;

		mh.msg_controllen = CMSG_SPACE(sizeof(pi6));
		if (mh.msg_controllen > cap)
			return 0;
		memset(cbuf, 0, mh.msg_controllen);
		memset(&pi6, 0, sizeof(pi6));
		memcpy(&pi6.ipi6_addr, from->addr, 16);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi6));
		memcpy(CMSG_DATA(c), &pi6, sizeof(pi6));
		return mh.msg_controllen;
	}
#if defined(IP_PKTINFO)
	{
		struct in_pktinfo pi;

		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		if (mh.msg_controllen > cap)
			return 0;
		memset(cbuf, 0, mh.msg_controllen);
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.ipi_spec_dst, from->addr, 4);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return mh.msg_controllen;
	}
#elif defined(IP_SENDSRCADDR)
	mh.msg_controllen = CMSG_SPACE(sizeof(struct in_addr));
	if (mh.msg_controllen > cap)
		return 0;
	memset(cbuf, 0, mh.msg_controllen);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_SENDSRCADDR;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_addr));
	memcpy(CMSG_DATA(c), from->addr, 4);
	return mh.msg_controllen;
#else
	return 0;
#endif
}

int
ike_net_send(struct ike_sock *s, const struct pfkey_addr *from,
    const struct pfkey_addr *to, const uint8_t *pkt, size_t len, bool marker)
{
	struct sockaddr_storage ss;
	union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE_MAX];
	} cm;
	struct iovec iov[2];
	struct msghdr mh;
	char text[80];
	size_t sl;

	sl = ike_addr_to_sockaddr(to, &ss);
	if (sl == 0)
		return -1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &ss;
	mh.msg_namelen = (socklen_t)sl;
	mh.msg_iov = iov;
	if (marker && s->marker_len > 0) {
		iov[0].iov_base = (void *)(uintptr_t)s->marker;
		iov[0].iov_len = s->marker_len;
		iov[1].iov_base = (void *)(uintptr_t)pkt;
		iov[1].iov_len = len;
		mh.msg_iovlen = 2;
	} else {
		iov[0].iov_base = (void *)(uintptr_t)pkt;
		iov[0].iov_len = len;
		mh.msg_iovlen = 1;
	}
	mh.msg_controllen = send_source(s, from, cm.buf, sizeof(cm.buf));
	mh.msg_control = mh.msg_controllen > 0 ? cm.buf : NULL;
	if (sendmsg(s->fd, &mh, 0) == -1) {
		log_info("IKE: sending %zu bytes to %s: %s", len,
		    ike_addr_text(to, text, sizeof(text)), strerror(errno));
		return -1;
	}
	s->ike->stats.tx++;
	return 0;
}
