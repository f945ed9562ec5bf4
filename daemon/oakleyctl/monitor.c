/*
 * oakleyctl -P: promiscuous monitor.  Turns X_PROMISC on and prints every
 * PF_KEY message that passes (pfkey_print_msg) until SIGINT or SIGTERM,
 * or until -n COUNT messages were printed, or -w SECONDS went by.
 * Waits are sliced so a signal is noticed within MONITOR_SLICE_MS.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "oakleyctl.h"

#define MONITOR_SLICE_MS	200
#define PROMISC_ON		1	/* sadb_msg_satype of X_PROMISC */
#define INNER_TYPE_OFFSET	1	/* sadb_msg_type */
#define INNER_PID_OFFSET	12	/* sadb_msg_pid, host order */

static volatile sig_atomic_t monitor_stop;

static void
monitor_on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

static void
monitor_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = monitor_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
promisc_on(struct pfkey_session *s)
{
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&reply, 0, sizeof(reply));
	pfkey_msg_init(&req, PFKEY_X_PROMISC, PROMISC_ON, 0, 0);
	rc = pfkey_request(s, &req, &reply, PFKEY_TIMEOUT_MS, &err);
	if (rc != 0)
		ctl_warnx("promiscuous mode: %s", reply.errnum != 0 ||
		    err.reason[0] == '\0' ? strerror(rc) : err.reason);
	pfkey_msg_clear(&reply);
	return rc;
}

/*
 * The kernel also hands a promiscuous socket a wrapped copy of the
 * X_PROMISC request that turned the mode on: ours, so not news.
 */
static bool
is_own_promisc_echo(struct pfkey_session *s, const struct pfkey_msg *m)
{
	uint32_t pid;

	if (m->type != PFKEY_X_PROMISC || m->inner == NULL ||
	    m->inner_len < PFKEY_MSG_HDRLEN)
		return false;
	memcpy(&pid, m->inner + INNER_PID_OFFSET, sizeof(pid));
	return m->inner[INNER_TYPE_OFFSET] == PFKEY_X_PROMISC &&
	    pid == pfkey_session_pid(s);
}

/* Print one message; false when it was skipped. */
static bool
monitor_print(struct pfkey_session *s, const struct pfkey_buf *b)
{
	struct pfkey_error err;
	struct pfkey_msg m;
	bool printed = true;

	memset(&err, 0, sizeof(err));
	if (pfkey_msg_decode(b->data, b->len, pfkey_session_dialect(s),
	    PFKEY_FROM_KERNEL, &m, &err) != 0)
		printf("undecodable message (%zu bytes): %s\n", b->len,
		    err.reason);
	else if (is_own_promisc_echo(s, &m))
		printed = false;
	else
		pfkey_print_msg(stdout, &m, time(NULL));
	pfkey_msg_clear(&m);
	fflush(stdout);
	return printed;
}

/* How long the next wait may last; 0 when -w has run out. */
static int
monitor_slice(int64_t deadline)
{
	int64_t left;

	if (deadline == 0)
		return MONITOR_SLICE_MS;
	left = deadline - monotonic_ms();
	if (left <= 0)
		return 0;
	return left < MONITOR_SLICE_MS ? (int)left : MONITOR_SLICE_MS;
}

static int
monitor_loop(struct pfkey_session *s, const struct ctl_options *o)
{
	struct pfkey_buf *b;
	struct pfkey_error err;
	int64_t deadline = 0;
	long seen = 0;
	int rc, slice;

	if (o->seconds > 0)
		deadline = monotonic_ms() + (int64_t)o->seconds * 1000;
	while (!monitor_stop && (o->count == 0 || seen < o->count)) {
		if ((slice = monitor_slice(deadline)) == 0)
			break;
		memset(&err, 0, sizeof(err));
		rc = pfkey_recv(s, &b, slice, &err);
		if (rc == ETIMEDOUT)
			continue;
		if (rc != 0) {
			ctl_warnx("%s", err.reason[0] != '\0' ? err.reason :
			    strerror(rc));
			return CTL_EXIT_FAIL;
		}
		if (monitor_print(s, b))
			seen++;
		pfkey_chain_free(b);
	}
	return CTL_EXIT_OK;
}

int
monitor_run(const struct ctl_options *o)
{
	struct pfkey_session *s;
	int status;

	monitor_signals();
	if ((s = ctl_open(o)) == NULL)
		return CTL_EXIT_FAIL;
	if (promisc_on(s) != 0) {
		pfkey_close(s);
		return CTL_EXIT_FAIL;
	}
	if (o->verbose)
		ctl_warnx("promiscuous mode on");
	status = monitor_loop(s, o);
	pfkey_close(s);
	return status;
}
