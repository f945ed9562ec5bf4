/*
 * pfktool: the SPD commands.
 *
 *   spdadd|spdupdate|spdsetidx SRC DST ULPROTO DIR TYPE [REQ ...]
 *       [-lt SECS] [-vt SECS]                        -> ok id=N
 *   spddelete SRC DST ULPROTO DIR [TYPE]             -> ok id=N
 *   spddelete2 ID                                    -> ok
 *   spdget ID                                        -> policy line
 *   spddump                                          -> policy lines
 *   spdflush                                         -> ok
 *
 * SRC and DST are ADDR[/PLEN][[PORT|any]], ULPROTO any|tcp|udp|icmp|N,
 * DIR in|out, TYPE discard|none|ipsec|entrust|bypass, and each REQ is
 * setkey's PROTO/MODE/[A-B]/LEVEL[:REQID], e.g. esp/tunnel/192.0.2.1-
 * 192.0.2.2/require or esp/transport//unique:7.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfktool.h"

static int
parse_port(const char *s, uint16_t *port)
{
	uint32_t v;

	if (strcmp(s, "any") == 0) {
		*port = 0;
		return 0;
	}
	if (tool_parse_u32(s, &v) == -1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* ADDR[/PLEN][[PORT|any]] */
static int
parse_selector(struct pfkey_addr *a, const char *text, uint8_t ulproto)
{
	char buf[128], *br, *slash;
	uint32_t plen = 0;
	uint16_t port = 0;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	if ((br = strchr(buf, '[')) != NULL) {
		if (buf[strlen(buf) - 1] != ']')
			return -1;
		buf[strlen(buf) - 1] = '\0';
		*br++ = '\0';
		if (parse_port(br, &port) == -1)
			return -1;
	}
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (tool_parse_u32(slash, &plen) == -1 || plen > 128)
			return -1;
	}
	if (tool_parse_host(a, buf) == -1)
		return -1;
	a->port = port;
	if (slash != NULL)
		a->prefixlen = (uint8_t)plen;
	a->proto = ulproto;
	return 0;
}

static int
parse_ulproto(const char *s, uint8_t *p)
{
	uint32_t v;

	if (strcmp(s, "any") == 0)
		*p = PFKEY_ULPROTO_ANY;
	else if (strcmp(s, "tcp") == 0)
		*p = 6;
	else if (strcmp(s, "udp") == 0)
		*p = 17;
	else if (strcmp(s, "icmp") == 0)
		*p = 1;
	else if (tool_parse_u32(s, &v) == 0 && v <= 255)
		*p = (uint8_t)v;
	else
		return -1;
	return 0;
}

static int
parse_dir(const char *s, uint8_t *dir)
{
	if (strcmp(s, "in") == 0)
		*dir = PFKEY_DIR_INBOUND;
	else if (strcmp(s, "out") == 0)
		*dir = PFKEY_DIR_OUTBOUND;
	else if (strcmp(s, "any") == 0)
		*dir = PFKEY_DIR_ANY;
	else
		return -1;
	return 0;
}

static int
parse_type(const char *s, uint16_t *type)
{
	static const char *const names[] = { "discard", "none", "ipsec",
	    "entrust", "bypass" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*type = (uint16_t)i;
			return 0;
		}
	return -1;
}

static int
parse_level(const char *s, struct pfkey_ipsecrequest *r)
{
	static const char *const names[] = { "default", "use", "require",
	    "unique" };
	const char *colon = strchr(s, ':');
	size_t len = colon != NULL ? (size_t)(colon - s) : strlen(s), i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return -1;
	r->level = (uint8_t)i;
	if (colon != NULL)
		return tool_parse_u32(colon + 1, &r->reqid);
	return 0;
}

static int
parse_endpoints(char *s, struct pfkey_ipsecrequest *r)
{
	char *dash;

	if (*s == '\0')
		return 0;
	if ((dash = strchr(s, '-')) == NULL)
		return -1;
	*dash++ = '\0';
	if (tool_parse_host(&r->src, s) == -1 ||
	    tool_parse_host(&r->dst, dash) == -1)
		return -1;
	r->has_endpoints = true;
	return 0;
}

/* PROTO/MODE/[A-B]/LEVEL[:REQID] */
static int
parse_request(const char *text, struct pfkey_ipsecrequest *r)
{
	char buf[160], *f[4], *p;
	uint32_t v;
	int n = 0;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	for (p = buf; n < 4; n++) {
		f[n] = p;
		if ((p = strchr(p, '/')) == NULL)
			break;
		*p++ = '\0';
	}
	if (n != 3 || p != NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	if (strcmp(f[0], "esp") == 0)
		r->proto = 50;
	else if (strcmp(f[0], "ah") == 0)
		r->proto = 51;
	else if (strcmp(f[0], "ipcomp") == 0)
		r->proto = 108;
	else if (tool_parse_u32(f[0], &v) == 0 && v <= 255)
		r->proto = (uint16_t)v;
	else
		return -1;
	if (strcmp(f[1], "transport") == 0)
		r->mode = PFKEY_MODE_TRANSPORT;
	else if (strcmp(f[1], "tunnel") == 0)
		r->mode = PFKEY_MODE_TUNNEL;
	else if (strcmp(f[1], "any") == 0)
		r->mode = PFKEY_MODE_ANY;
	else
		return -1;
	if (parse_endpoints(f[2], r) == -1)
		return -1;
	return parse_level(f[3], r);
}

/* SRC DST ULPROTO DIR [TYPE] into an SPD request. */
static int
spd_header(struct pfkey_msg *m, uint8_t type, int argc, char **argv)
{
	uint8_t ulproto;

	pfkey_msg_init(m, type, 0, 0, 0);
	if (argc < 4 || parse_ulproto(argv[2], &ulproto) == -1 ||
	    parse_selector(&m->addr_src, argv[0], ulproto) == -1 ||
	    parse_selector(&m->addr_dst, argv[1], ulproto) == -1 ||
	    parse_dir(argv[3], &m->policy.dir) == -1)
		return -1;
	m->policy.type = PFKEY_POLICY_IPSEC;
	if (argc > 4 && parse_type(argv[4], &m->policy.type) == -1)
		return -1;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
	return 0;
}

static int
spd_opts(struct pfkey_msg *m, int argc, char **argv)
{
	uint64_t v;
	int i;

	for (i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "-lt") == 0 ||
		    strcmp(argv[i], "-vt") == 0) && i + 1 < argc) {
			if (tool_parse_u64(argv[i + 1], &v) == -1)
				return -1;
			if (argv[i][1] == 'l')
				m->life_hard.addtime = v;
			else
				m->life_hard.usetime = v;
			PFKEY_SET(m, PFKEY_EXT_LIFETIME_HARD);
			i++;
		} else if (m->policy.nreq < PFKEY_MAXREQ) {
			if (parse_request(argv[i],
			    &m->policy.req[m->policy.nreq]) == -1)
				return -1;
			m->policy.nreq++;
		} else
			return -1;
	}
	return 0;
}

static int
request_id(struct tool *t, struct pfkey_msg *req, bool print_id)
{
	struct pfkey_msg reply;
	int error;

	if ((error = tool_request(t, req, &reply)) != 0)
		return tool_fail(error);
	if (print_id)
		printf("ok id=%u\n", reply.policy.id);
	else
		printf("ok\n");
	return 0;
}

int
cmd_spdadd(struct tool *t, int argc, char **argv, uint8_t type)
{
	struct pfkey_msg req;

	if (argc < 5 || spd_header(&req, type, argc, argv) == -1 ||
	    spd_opts(&req, argc - 5, argv + 5) == -1)
		return tool_usage("spdadd SRC DST ULPROTO DIR TYPE [REQ ...] "
		    "[-lt SECS] [-vt SECS]");
	return request_id(t, &req, true);
}

int
cmd_spddelete(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;

	if ((argc != 4 && argc != 5) ||
	    spd_header(&req, PFKEY_X_SPDDELETE, argc, argv) == -1)
		return tool_usage("spddelete SRC DST ULPROTO DIR [TYPE]");
	return request_id(t, &req, true);
}

static int
by_id(struct pfkey_msg *m, uint8_t type, int argc, char **argv)
{
	pfkey_msg_init(m, type, 0, 0, 0);
	if (argc != 1 || tool_parse_u32(argv[0], &m->policy.id) == -1)
		return -1;
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
	return 0;
}

int
cmd_spddelete2(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;

	if (by_id(&req, PFKEY_X_SPDDELETE2, argc, argv) == -1)
		return tool_usage("spddelete2 ID");
	return request_id(t, &req, false);
}

int
cmd_spdget(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req, reply;
	int error;

	if (by_id(&req, PFKEY_X_SPDGET, argc, argv) == -1)
		return tool_usage("spdget ID");
	if ((error = tool_request(t, &req, &reply)) != 0)
		return tool_fail(error);
	print_policy_line(stdout, &reply);
	return 0;
}

int
cmd_spddump(struct tool *t, int argc, char **argv)
{
	struct pfkey_buf *chain, *b;
	struct pfkey_error err;
	struct pfkey_msg m;
	int error;

	(void)argv;
	if (argc != 0)
		return tool_usage("spddump");
	error = pfkey_dump(t->s, PFKEY_X_SPDDUMP, 0, &chain, t->timeout_ms,
	    &err);
	if (error != 0)
		return tool_fail(error);
	if (chain == NULL)
		return tool_fail(ENOENT);
	for (b = chain; b != NULL; b = b->next) {
		if (pfkey_msg_decode(b->data, b->len, &pfkey_dialect_freebsd,
		    PFKEY_FROM_KERNEL, &m, &err) != 0)
			printf("undecodable %s\n", err.reason);
		else
			print_policy_line(stdout, &m);
	}
	pfkey_chain_free(chain);
	return 0;
}

int
cmd_spdflush(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;

	(void)argv;
	if (argc != 0)
		return tool_usage("spdflush");
	pfkey_msg_init(&req, PFKEY_X_SPDFLUSH, 0, 0, 0);
	return request_id(t, &req, false);
}
