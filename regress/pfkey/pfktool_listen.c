/*
 * pfktool: waiting for what the kernel sends on its own.
 *
 *   listen COUNT SECONDS [TYPE]
 *   register-listen SATYPE COUNT SECONDS [TYPE]
 *   promisc-listen COUNT SECONDS [TYPE]
 *
 * Each first makes sure the daemon knows the socket (a round trip; for
 * register-listen the REGISTER itself, for promisc-listen the X_PROMISC
 * that turns promiscuous mode on) and prints "listening", "registered"
 * or "promiscuous": a shell test waits for that line before it makes
 * the daemon send.  Then it prints the next COUNT messages (of TYPE
 * only, if given; other sockets' REGISTER broadcasts are skipped), one
 * line each, or "timeout" and exit 1 when SECONDS pass first.
 * promisc-listen counts only X_PROMISC copies, TYPE naming the copied
 * message, and prints "promisc inner=TYPE seq=N errno=E".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pfktool.h"

struct listen_args {
	uint32_t	count;
	uint32_t	seconds;
	int		type;		/* -1: any but REGISTER */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
parse_listen(int argc, char **argv, struct listen_args *la)
{
	if (argc < 2 || argc > 3 || tool_parse_u32(argv[0], &la->count) == -1
	    || tool_parse_u32(argv[1], &la->seconds) == -1 ||
	    la->seconds > 3600)
		return -1;
	la->type = -1;
	if (argc == 3 && (la->type = print_type_by_name(argv[2])) < 0)
		return -1;
	return 0;
}

/* A round trip: X_SPDGET of policy 0, which never exists. */
static int
ping(struct tool *t)
{
	struct pfkey_msg req, reply;
	int error;

	pfkey_msg_init(&req, PFKEY_X_SPDGET, 0, 0, 0);
	PFKEY_SET(&req, PFKEY_EXT_X_POLICY);
	error = tool_request(t, &req, &reply);
	return error == 0 || error == ENOENT ? 0 : error;
}

static int
announce(struct tool *t, bool reg, int satype)
{
	struct pfkey_msg req, reply;
	int error;

	if (!reg) {
		if ((error = ping(t)) != 0)
			return tool_fail(error);
		printf("listening\n");
		return 0;
	}
	pfkey_msg_init(&req, PFKEY_REGISTER, (uint8_t)satype, 0, 0);
	if ((error = tool_request(t, &req, &reply)) != 0)
		return tool_fail(error);
	printf("registered\n");
	return 0;
}

static bool
wanted(const struct pfkey_msg *m, int type)
{
	if (type >= 0)
		return m->type == type;
	return m->type != PFKEY_REGISTER;
}

/*
 * The next message within the deadline: 0, ETIMEDOUT or an errno.  The
 * caller frees *bp, which m->inner (X_PROMISC) points into.
 */
static int
next_msg(struct tool *t, int64_t deadline, struct pfkey_msg *m,
    struct pfkey_buf **bp)
{
	struct pfkey_error err;
	int64_t left = deadline - now_ms();
	int error;

	*bp = NULL;
	if (left <= 0)
		return ETIMEDOUT;
	if ((error = pfkey_recv(t->s, bp, (int)left, &err)) != 0)
		return error;
	error = pfkey_msg_decode((*bp)->data, (*bp)->len,
	    &pfkey_dialect_freebsd, PFKEY_FROM_KERNEL, m, &err);
	if (error != 0) {
		printf("undecodable %s\n", err.reason);
		return EAGAIN;
	}
	return 0;
}

/* Print m if it is one of those counted; true if it was. */
static bool
show(const struct pfkey_msg *m, const struct listen_args *la, bool promisc)
{
	if (!promisc) {
		if (!wanted(m, la->type))
			return false;
		print_event_line(stdout, m);
		return true;
	}
	if (m->type != PFKEY_X_PROMISC || m->inner_len < PFKEY_MSG_HDRLEN ||
	    (la->type >= 0 && m->inner[1] != la->type))
		return false;
	printf("promisc inner=%s errno=%u\n", print_type(m->inner[1]),
	    m->inner[2]);
	return true;
}

static int
listen_loop(struct tool *t, const struct listen_args *la, bool promisc)
{
	int64_t deadline = now_ms() + (int64_t)la->seconds * 1000;
	struct pfkey_buf *b;
	struct pfkey_msg m;
	uint32_t n = 0;
	int error;

	while (n < la->count) {
		error = next_msg(t, deadline, &m, &b);
		if (error == 0 && show(&m, la, promisc))
			n++;
		pfkey_chain_free(b);
		if (error == ETIMEDOUT) {
			printf("timeout\n");
			return 1;
		}
		if (error != 0 && error != EAGAIN)
			return tool_fail(error);
	}
	return 0;
}

int
cmd_listen(struct tool *t, int argc, char **argv, bool reg)
{
	struct listen_args la;
	int satype = 0, rc;

	if (reg) {
		if (argc < 1 || (satype = tool_satype(argv[0])) < 0)
			return tool_usage("register-listen SATYPE COUNT SECONDS "
			    "[TYPE]");
		argc--;
		argv++;
	}
	if (parse_listen(argc, argv, &la) == -1)
		return tool_usage("listen COUNT SECONDS [TYPE]");
	if ((rc = announce(t, reg, satype)) != 0)
		return rc;
	return listen_loop(t, &la, false);
}

int
cmd_promisc_listen(struct tool *t, int argc, char **argv)
{
	struct pfkey_msg req, reply;
	struct listen_args la;
	int error;

	if (parse_listen(argc, argv, &la) == -1)
		return tool_usage("promisc-listen COUNT SECONDS [TYPE]");
	pfkey_msg_init(&req, PFKEY_X_PROMISC, 1, 0, 0);
	if ((error = tool_request(t, &req, &reply)) != 0)
		return tool_fail(error);
	printf("promiscuous\n");
	return listen_loop(t, &la, true);
}
