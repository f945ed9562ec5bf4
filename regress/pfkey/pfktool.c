/*
 * pfktool: a test-only PF_KEY client for the pfkeyemud shell tests.
 *
 *   pfktool [-s socket] [-T timeout_ms] command [args]
 *
 * SADB commands (this file):
 *   getspi SRC DST SATYPE [MIN MAX] [seq N] [reqid N] [mode M] -> spi=N
 *   add|update SRC DST SATYPE SPI [-m mode] [-r reqid] [-E alg hex]
 *       [-A alg hex] [-lh|-ls|-uh|-us secs] [-bh|-bs bytes]
 *       [-natt SPORT DPORT] [-natt-type N] [-oai A] [-oar A] [-seq N]
 *       [-f flags] [-replay N] [-ids ID] [-idd ID]           -> ok
 *   get SRC DST SATYPE SPI                                  -> SA line
 *   delete SRC DST SATYPE [SPI]                             -> ok
 *   dump [SATYPE]                                           -> SA lines
 *   flush [SATYPE]                                          -> ok
 *   register SATYPE...              -> registered SATYPE auth=.. enc=..
 *   acquire-fail SEQ [ERRNO]        (bare-header ACQUIRE)   -> sent
 * Others: see pfktool_listen.c, pfktool_spd.c, pfktool_fuzz.c.
 * An error reply prints error=NAME and exits 1; usage errors exit 2.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfktool.h"

#define DEFAULT_SOCKET	"/var/run/pfkeyemud.sock"

static const struct {
	int		 num;
	const char	*name;
} errnames[] = {
	{ EINVAL, "EINVAL" }, { EEXIST, "EEXIST" }, { ESRCH, "ESRCH" },
	{ ENOENT, "ENOENT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { ENOBUFS, "ENOBUFS" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EMSGSIZE, "EMSGSIZE" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { EPIPE, "EPIPE" },
	{ ECONNREFUSED, "ECONNREFUSED" }, { ECONNRESET, "ECONNRESET" },
	{ EACCES, "EACCES" }, { EBADMSG, "EBADMSG" },
};

const char *
tool_errname(int error)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].num == error)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "%d", error);
	return buf;
}

int
tool_fail(int error)
{
	printf("error=%s\n", tool_errname(error));
	return 1;
}

int
tool_usage(const char *what)
{
	fprintf(stderr, "usage: pfktool [-s socket] [-T timeout_ms] %s\n",
	    what);
	return 2;
}

int
tool_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

int
tool_parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (tool_parse_u64(s, &x) == -1 || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* A host address as SA messages carry it: full prefix, any protocol. */
int
tool_parse_host(struct pfkey_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		a->prefixlen = 32;
	} else if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = AF_INET6;
		a->prefixlen = 128;
	} else {
		fprintf(stderr, "pfktool: bad address %s\n", s);
		return -1;
	}
	a->proto = PFKEY_ULPROTO_ANY;
	return 0;
}

int
tool_satype(const char *s)
{
	if (strcmp(s, "esp") == 0)
		return PFKEY_SATYPE_ESP;
	if (strcmp(s, "ah") == 0)
		return PFKEY_SATYPE_AH;
	if (strcmp(s, "ipcomp") == 0)
		return PFKEY_SATYPE_IPCOMP;
	if (strcmp(s, "unspec") == 0 || strcmp(s, "any") == 0)
		return PFKEY_SATYPE_UNSPEC;
	if (strcmp(s, "rsvp") == 0)
		return PFKEY_SATYPE_RSVP;
	return -1;
}

int
tool_hex_decode(const char *hex, uint8_t *buf, size_t size)
{
	size_t n = 0;
	unsigned v;

	while (*hex != '\0') {
		if (*hex == ' ' || *hex == ':') {
			hex++;
			continue;
		}
		if (n == size || sscanf(hex, "%2x", &v) != 1 ||
		    hex[1] == '\0' || hex[1] == ' ')
			return -1;
		buf[n++] = (uint8_t)v;
		hex += 2;
	}
	return (int)n;
}

int
tool_request(struct tool *t, struct pfkey_msg *req, struct pfkey_msg *reply)
{
	struct pfkey_error err;
	int error;

	pfkey_msg_clear(reply);
	error = pfkey_request(t->s, req, reply, t->timeout_ms, &err);
	if (error != 0 && reply->errnum == 0)
		fprintf(stderr, "pfktool: %s\n", err.reason);
	return error;
}

int
tool_raw_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* SRC DST SATYPE at argv[0..2] into an SA request. */
static int
sa_header(struct pfkey_msg *m, uint8_t type, char **argv)
{
	int satype = tool_satype(argv[2]);

	if (satype < 0) {
		fprintf(stderr, "pfktool: bad SA type %s\n", argv[2]);
		return -1;
	}
	pfkey_msg_init(m, type, (uint8_t)satype, 0, 0);
	if (tool_parse_host(&m->addr_src, argv[0]) == -1 ||
	    tool_parse_host(&m->addr_dst, argv[1]) == -1)
		return -1;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	return 0;
}

static int
sa_spi(struct pfkey_msg *m, const char *s)
{
	if (tool_parse_u32(s, &m->sa.spi) == -1) {
		fprintf(stderr, "pfktool: bad SPI %s\n", s);
		return -1;
	}
	PFKEY_SET(m, PFKEY_EXT_SA);
	return 0;
}

static int
parse_mode(const char *s, uint8_t *mode)
{
	if (strcmp(s, "transport") == 0)
		*mode = PFKEY_MODE_TRANSPORT;
	else if (strcmp(s, "tunnel") == 0)
		*mode = PFKEY_MODE_TUNNEL;
	else if (strcmp(s, "any") == 0)
		*mode = PFKEY_MODE_ANY;
	else
		return -1;
	return 0;
}

static int
set_key(struct pfkey_key *key, const char *hex)
{
	int n;

	if (strcmp(hex, "-") == 0) {
		key->bits = 0;
		return 0;
	}
	if ((n = tool_hex_decode(hex, key->data, PFKEY_KEY_MAX)) < 0)
		return -1;
	key->bits = (uint16_t)(n * 8);
	return 0;
}

/* An algorithm by name or number. */
static int
alg_id(const char *s, bool enc, uint8_t *id)
{
	int v = enc ? print_ealg_by_name(s) : print_aalg_by_name(s);
	uint32_t n;

	if (v < 0) {
		if (tool_parse_u32(s, &n) == -1 || n > 255)
			return -1;
		v = (int)n;
	}
	*id = (uint8_t)v;
	return 0;
}

static int
opt_alg(struct pfkey_msg *m, const char *opt, const char *alg,
    const char *hex)
{
	bool enc = strcmp(opt, "-E") == 0;
	struct pfkey_key *key = enc ? &m->key_encrypt : &m->key_auth;

	if (alg_id(alg, enc, enc ? &m->sa.encrypt : &m->sa.auth) == -1 ||
	    set_key(key, hex) == -1)
		return -1;
	if (key->bits != 0)
		PFKEY_SET(m, enc ? PFKEY_EXT_KEY_ENCRYPT : PFKEY_EXT_KEY_AUTH);
	return 0;
}

/* -lh -ls -uh -us -bh -bs: one lifetime field. */
static int
opt_lifetime(struct pfkey_msg *m, const char *opt, const char *val)
{
	struct pfkey_lifetime *lt = opt[2] == 'h' ? &m->life_hard :
	    &m->life_soft;
	uint64_t v;

	if (tool_parse_u64(val, &v) == -1 || (opt[2] != 'h' && opt[2] != 's'))
		return -1;
	if (opt[1] == 'l')
		lt->addtime = v;
	else if (opt[1] == 'u')
		lt->usetime = v;
	else if (opt[1] == 'b')
		lt->bytes = v;
	else
		return -1;
	PFKEY_SET(m, opt[2] == 'h' ? PFKEY_EXT_LIFETIME_HARD :
	    PFKEY_EXT_LIFETIME_SOFT);
	return 0;
}

static int
opt_addr(struct pfkey_msg *m, const char *opt, const char *val)
{
	bool oai = strcmp(opt, "-oai") == 0;

	if (tool_parse_host(oai ? &m->natt_oai : &m->natt_oar, val) == -1)
		return -1;
	PFKEY_SET(m, oai ? PFKEY_EXT_X_NAT_T_OAI : PFKEY_EXT_X_NAT_T_OAR);
	return 0;
}

static int
opt_ident(struct pfkey_msg *m, const char *opt, const char *val)
{
	bool src = strcmp(opt, "-ids") == 0;
	struct pfkey_ident *id = src ? &m->ident_src : &m->ident_dst;
	size_t n = strlen(val);

	if (n >= PFKEY_IDENT_MAX)
		return -1;
	id->type = 2;		/* FQDN */
	id->len = (uint16_t)n;
	memcpy(id->data, val, n + 1);
	PFKEY_SET(m, src ? PFKEY_EXT_IDENTITY_SRC : PFKEY_EXT_IDENTITY_DST);
	return 0;
}

static int
opt_natt(struct pfkey_msg *m, const char *sport, const char *dport)
{
	uint32_t s, d;

	if (tool_parse_u32(sport, &s) == -1 || tool_parse_u32(dport, &d) == -1
	    || s > 65535 || d > 65535)
		return -1;
	if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
		m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = (uint16_t)s;
	m->natt_dport = (uint16_t)d;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	return 0;
}

/* Options with one value; the value is argv[1]. */
static int
opt_one(struct pfkey_msg *m, const char *opt, const char *val)
{
	uint32_t v;

	if (opt[1] == 'l' || opt[1] == 'u' || opt[1] == 'b')
		return opt_lifetime(m, opt, val);
	if (strcmp(opt, "-oai") == 0 || strcmp(opt, "-oar") == 0)
		return opt_addr(m, opt, val);
	if (strcmp(opt, "-ids") == 0 || strcmp(opt, "-idd") == 0)
		return opt_ident(m, opt, val);
	if (strcmp(opt, "-m") == 0) {
		PFKEY_SET(m, PFKEY_EXT_X_SA2);
		return parse_mode(val, &m->sa2.mode);
	}
	if (tool_parse_u32(val, &v) == -1)
		return -1;
	if (strcmp(opt, "-r") == 0) {
		m->sa2.reqid = v;
		PFKEY_SET(m, PFKEY_EXT_X_SA2);
	} else if (strcmp(opt, "-seq") == 0)
		m->seq = v;
	else if (strcmp(opt, "-f") == 0)
		m->sa.flags = v;
	else if (strcmp(opt, "-replay") == 0)
		m->sa.replay = (uint8_t)v;
	else if (strcmp(opt, "-natt-type") == 0) {
		m->natt_type = (uint8_t)v;
		PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	} else
		return -1;
	return 0;
}

static int
parse_sa_opts(struct pfkey_msg *m, int argc, char **argv)
{
	int i = 0;

	while (i < argc) {
		if ((strcmp(argv[i], "-E") == 0 || strcmp(argv[i], "-A") == 0)
		    && i + 2 < argc) {
			if (opt_alg(m, argv[i], argv[i + 1], argv[i + 2]) == -1)
				goto bad;
			i += 3;
		} else if (strcmp(argv[i], "-natt") == 0 && i + 2 < argc) {
			if (opt_natt(m, argv[i + 1], argv[i + 2]) == -1)
				goto bad;
			i += 3;
		} else if (argv[i][0] == '-' && i + 1 < argc) {
			if (opt_one(m, argv[i], argv[i + 1]) == -1)
				goto bad;
			i += 2;
		} else
			goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "pfktool: bad option near %s\n", argv[i]);
	return -1;
}

static int
reply_status(struct tool *t, struct pfkey_msg *req, bool print_sa)
{
	struct pfkey_msg reply;
	int error;

	error = tool_request(t, req, &reply);
	pfkey_msg_clear(req);
	if (error != 0) {
		pfkey_msg_clear(&reply);
		return tool_fail(error);
	}
	if (print_sa)
		print_sa_line(stdout, &reply);
	else
		printf("ok\n");
	pfkey_msg_clear(&reply);
	return 0;
}

static int
cmd_getspi_opts(struct pfkey_msg *m, int argc, char **argv)
{
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "seq") == 0) {
			if (tool_parse_u32(argv[i + 1], &m->seq) == -1)
				return -1;
		} else if (strcmp(argv[i], "reqid") == 0) {
			if (tool_parse_u32(argv[i + 1], &m->sa2.reqid) == -1)
				return -1;
			PFKEY_SET(m, PFKEY_EXT_X_SA2);
		} else if (strcmp(argv[i], "mode") == 0) {
			if (parse_mode(argv[i + 1], &m->sa2.mode) == -1)
				return -1;
			PFKEY_SET(m, PFKEY_EXT_X_SA2);
		} else if (tool_parse_u32(argv[i], &m->spirange.min) == 0 &&
		    tool_parse_u32(argv[i + 1], &m->spirange.max) == 0)
			PFKEY_SET(m, PFKEY_EXT_SPIRANGE);
		else
			return -1;
	}
	return i == argc ? 0 : -1;
}

static int
cmd_getspi(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req, reply;
	int error;

	if (argc < 3 || sa_header(&req, PFKEY_GETSPI, argv) == -1 ||
	    cmd_getspi_opts(&req, argc - 3, argv + 3) == -1)
		return tool_usage("getspi SRC DST SATYPE [MIN MAX] [seq N] "
		    "[reqid N] [mode M]");
	if ((error = tool_request(t, &req, &reply)) != 0)
		return tool_fail(error);
	printf("spi=%u\n", reply.sa.spi);
	return 0;
}

static int
cmd_add(struct tool *t, int argc, char **argv, uint8_t type)
{
	struct pfkey_msg req;

	if (argc < 4 || sa_header(&req, type, argv) == -1 ||
	    sa_spi(&req, argv[3]) == -1 ||
	    parse_sa_opts(&req, argc - 4, argv + 4) == -1) {
		pfkey_msg_clear(&req);
		return tool_usage("add|update SRC DST SATYPE SPI [options]");
	}
	req.sa.state = PFKEY_SASTATE_MATURE;
	return reply_status(t, &req, false);
}

static int
cmd_get(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;

	if (argc != 4 || sa_header(&req, PFKEY_GET, argv) == -1 ||
	    sa_spi(&req, argv[3]) == -1)
		return tool_usage("get SRC DST SATYPE SPI");
	return reply_status(t, &req, true);
}

static int
cmd_delete(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;

	if ((argc != 3 && argc != 4) ||
	    sa_header(&req, PFKEY_DELETE, argv) == -1 ||
	    (argc == 4 && sa_spi(&req, argv[3]) == -1))
		return tool_usage("delete SRC DST SATYPE [SPI]");
	return reply_status(t, &req, false);
}

static int
satype_arg(int argc, char **argv)
{
	return argc == 0 ? PFKEY_SATYPE_UNSPEC : tool_satype(argv[0]);
}

static int
cmd_dump(struct tool *t, int argc, char **argv)
{
	struct pfkey_buf *chain, *b;
	struct pfkey_error err;
	struct pfkey_msg m;
	int satype = satype_arg(argc, argv), error;

	if (argc > 1 || satype < 0)
		return tool_usage("dump [SATYPE]");
	error = pfkey_dump(t->s, PFKEY_DUMP, (uint8_t)satype, &chain,
	    t->timeout_ms, &err);
	if (error != 0)
		return tool_fail(error);
	if (chain == NULL)
		return tool_fail(ENOENT);
	for (b = chain; b != NULL; b = b->next) {
		if (pfkey_msg_decode(b->data, b->len, &pfkey_dialect_freebsd,
		    PFKEY_FROM_KERNEL, &m, &err) != 0)
			printf("undecodable %s\n", err.reason);
		else
			print_sa_line(stdout, &m);
		pfkey_msg_clear(&m);
	}
	pfkey_chain_free(chain);
	return 0;
}

static int
cmd_flush(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req;
	int satype = satype_arg(argc, argv);

	if (argc > 1 || satype < 0)
		return tool_usage("flush [SATYPE]");
	pfkey_msg_init(&req, PFKEY_FLUSH, (uint8_t)satype, 0, 0);
	return reply_status(t, &req, false);
}

static void
print_algs(const char *tag, const struct pfkey_supported *sup)
{
	unsigned i;

	printf(" %s=", tag);
	for (i = 0; i < sup->count && i < PFKEY_ALG_MAX; i++)
		printf("%s%u", i > 0 ? "," : "", sup->alg[i].id);
}

/* register SATYPE...: one REGISTER each, one line each, same socket. */
static int
cmd_register(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req, reply;
	int satype, error, i, rc = 0;

	if (argc < 1)
		return tool_usage("register SATYPE...");
	for (i = 0; i < argc; i++) {
		if ((satype = tool_satype(argv[i])) < 0)
			return tool_usage("register SATYPE...");
		pfkey_msg_init(&req, PFKEY_REGISTER, (uint8_t)satype, 0, 0);
		if ((error = tool_request(t, &req, &reply)) != 0) {
			rc = tool_fail(error);
			continue;
		}
		printf("registered %s", print_satype(reply.satype));
		print_algs("auth", &reply.supported_auth);
		print_algs("enc", &reply.supported_encrypt);
		printf("\n");
	}
	return rc;
}

static int
cmd_acquire_fail(struct tool *t, int argc, char **argv)
{
	struct pfkey_error err;
	uint8_t hdr[PFKEY_MSG_HDRLEN];
	uint32_t seq, errnum = ENOENT, pid = pfkey_session_pid(t->s);
	uint16_t words = PFKEY_MSG_HDRLEN / PFKEY_ALIGN;

	if (argc < 1 || argc > 2 || tool_parse_u32(argv[0], &seq) == -1 ||
	    (argc == 2 && tool_parse_u32(argv[1], &errnum) == -1))
		return tool_usage("acquire-fail SEQ [ERRNO]");
	memset(hdr, 0, sizeof(hdr));
	hdr[0] = PFKEY_VERSION;
	hdr[1] = PFKEY_ACQUIRE;
	hdr[2] = (uint8_t)errnum;
	hdr[3] = PFKEY_SATYPE_ESP;
	memcpy(hdr + 4, &words, sizeof(words));
	memcpy(hdr + 8, &seq, sizeof(seq));
	memcpy(hdr + 12, &pid, sizeof(pid));
	if (pfkey_send_raw(t->s, hdr, sizeof(hdr), &err) != 0)
		return tool_fail(err.code);
	printf("sent\n");
	return 0;
}

static int
dispatch(struct tool *t, const char *cmd, int argc, char **argv)
{
	if (strcmp(cmd, "getspi") == 0)
		return cmd_getspi(t, argc, argv);
	if (strcmp(cmd, "add") == 0)
		return cmd_add(t, argc, argv, PFKEY_ADD);
	if (strcmp(cmd, "update") == 0)
		return cmd_add(t, argc, argv, PFKEY_UPDATE);
	if (strcmp(cmd, "get") == 0)
		return cmd_get(t, argc, argv);
	if (strcmp(cmd, "delete") == 0)
		return cmd_delete(t, argc, argv);
	if (strcmp(cmd, "dump") == 0)
		return cmd_dump(t, argc, argv);
	if (strcmp(cmd, "flush") == 0)
		return cmd_flush(t, argc, argv);
	if (strcmp(cmd, "register") == 0)
		return cmd_register(t, argc, argv);
	if (strcmp(cmd, "acquire-fail") == 0)
		return cmd_acquire_fail(t, argc, argv);
	if (strcmp(cmd, "listen") == 0)
		return cmd_listen(t, argc, argv, false);
	if (strcmp(cmd, "register-listen") == 0)
		return cmd_listen(t, argc, argv, true);
	if (strcmp(cmd, "promisc-listen") == 0)
		return cmd_promisc_listen(t, argc, argv);
	if (strcmp(cmd, "spdadd") == 0)
		return cmd_spdadd(t, argc, argv, PFKEY_X_SPDADD);
	if (strcmp(cmd, "spdupdate") == 0)
		return cmd_spdadd(t, argc, argv, PFKEY_X_SPDUPDATE);
	if (strcmp(cmd, "spdsetidx") == 0)
		return cmd_spdadd(t, argc, argv, PFKEY_X_SPDSETIDX);
	if (strcmp(cmd, "spddelete") == 0)
		return cmd_spddelete(t, argc, argv);
	if (strcmp(cmd, "spddelete2") == 0)
		return cmd_spddelete2(t, argc, argv);
	if (strcmp(cmd, "spdget") == 0)
		return cmd_spdget(t, argc, argv);
	if (strcmp(cmd, "spddump") == 0)
		return cmd_spddump(t, argc, argv);
	if (strcmp(cmd, "spdflush") == 0)
		return cmd_spdflush(t, argc, argv);
	return tool_usage("command [args] (see pfktool.c)");
}

int
main(int argc, char **argv)
{
	struct tool t = { DEFAULT_SOCKET, NULL, PFKEY_TIMEOUT_MS };
	struct pfkey_error err;
	char spec[256];
	int ch, rc;

	while ((ch = getopt(argc, argv, "+s:T:")) != -1) {
		switch (ch) {
		case 's':
			t.path = optarg;
			break;
		case 'T':
			t.timeout_ms = atoi(optarg);
			break;
		default:
			return tool_usage("command [args]");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || t.timeout_ms <= 0)
		return tool_usage("command [args]");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[0], "raw") == 0)
		return cmd_raw(&t, argc - 1, argv + 1);
	if (strcmp(argv[0], "fuzzsend") == 0)
		return cmd_fuzzsend(&t, argc - 1, argv + 1);
	if (strcmp(argv[0], "noread") == 0)
		return cmd_noread(&t, argc - 1, argv + 1);
	snprintf(spec, sizeof(spec), "unix:%s", t.path);
	if ((t.s = pfkey_open(spec, &err)) == NULL) {
		fprintf(stderr, "pfktool: %s\n", err.reason);
		return 2;
	}
	rc = dispatch(&t, argv[0], argc - 1, argv + 1);
	pfkey_close(t.s);
	return rc;
}
