/*
 * What the plugin keeps per phase 1 (struct natt_p1, made on first use,
 * freed by p1_deleted), and small helpers for addresses and flags.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natt.h"

static LIST_HEAD(, natt_p1) natt_p1s = LIST_HEAD_INITIALIZER(natt_p1s);

struct natt_p1 *
natt_p1_find(struct oakley_phase1 *p1)
{
	struct natt_p1 *st;

	LIST_FOREACH(st, &natt_p1s, link)
		if (st->p1 == p1)
			return st;
	return NULL;
}

struct natt_p1 *
natt_p1_get(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	struct natt_p1 *st;

	if (p1 == NULL)
		return NULL;
	if ((st = natt_p1_find(p1)) != NULL)
		return st;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		h->log(h, OAKLEY_LOG_ERR, "out of memory");
		return NULL;
	}
	st->p1 = p1;
	LIST_INSERT_HEAD(&natt_p1s, st, link);
	return st;
}

static void
natt_p1_release(const struct oakley_host *h, struct natt_p1 *st)
{
	natt_keepalive_stop(h, st);
	LIST_REMOVE(st, link);
	free(st);
}

void
natt_p1_free(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	struct natt_p1 *st;

	if ((st = natt_p1_find(p1)) != NULL)
		natt_p1_release(h, st);
}

void
natt_p1_free_all(const struct oakley_host *h)
{
	while (!LIST_EMPTY(&natt_p1s))
		natt_p1_release(h, LIST_FIRST(&natt_p1s));
}

bool
natt_p1_udp(const struct oakley_host *h, const struct natt_p1 *st)
{
	return st != NULL && natt_rev(h, st) != NATT_NONE && st->floated &&
	    (st->nat_local || st->nat_remote);
}

/* Where the peer is now, for SAs re-installed without their phase 2. */
void
natt_note_remote(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	struct oakley_addr remote;

	if (h->engine->phase1_remote(p1, &remote) == 0)
		h->flag_set_int(h, h->engine->peer_flags(
		    h->engine->phase1_peer(p1)), "natt.remote_port",
		    remote.port);
}

const char *
natt_peer_name(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	const char *name;

	name = h->engine->peer_name(h->engine->phase1_peer(p1));
	return name != NULL ? name : "(unknown)";
}

static size_t
addr_len(const struct oakley_addr *a)
{
	return a->family == AF_INET6 ? 16 : 4;
}

bool
natt_addr_equal(const struct oakley_addr *a, const struct oakley_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, addr_len(a)) == 0;
}

const char *
natt_ip_str(const struct oakley_addr *a, char *buf, size_t len)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "(none)");
	return buf;
}

const char *
natt_addr_str(const struct oakley_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN + 8];

	natt_ip_str(a, ip, sizeof(ip));
	if (a->port != 0)
		snprintf(buf, len, "%s[%u]", ip, (unsigned)a->port);
	else
		snprintf(buf, len, "%s", ip);
	return buf;
}

int
natt_ip_parse(const char *s, struct oakley_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

int
natt_flag_int(const struct oakley_host *h, const struct oakley_flags *f,
    const char *key, int64_t dflt)
{
	int64_t v;

	if (h->flag_get_int(h, f, key, &v) != 0)
		return (int)dflt;
	return (int)v;
}
