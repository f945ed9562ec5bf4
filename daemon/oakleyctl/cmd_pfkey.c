/*
 * oakleyctl: PF_KEY requests and what they print.  Dumps print the way
 * setkey -D / -DP does (libpfkey's printer), an empty table prints
 * "No SAD entries." or "No SPD entries.", and a failure prints
 * "oakleyctl: [FILE:LINE: ]COMMAND: REASON" where REASON is the kernel's
 * errno as text (or the transport's own explanation when the kernel
 * never answered).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "oakleyctl.h"

static void
report(const char *where, const char *what, const char *text)
{
	if (where != NULL)
		ctl_warnx("%s: %s: %s", where, what, text);
	else
		ctl_warnx("%s: %s", what, text);
}

/* The kernel's errno when it answered, else libpfkey's explanation. */
static const char *
failure_text(int rc, bool from_kernel, const struct pfkey_error *err)
{
	if (from_kernel || err->reason[0] == '\0')
		return strerror(rc);
	return err->reason;
}

/* Send req and wait for its reply; on failure reply is cleared. */
static int
request(struct pfkey_session *s, struct pfkey_msg *req,
    struct pfkey_msg *reply, const char *where, const char *what)
{
	struct pfkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(reply, 0, sizeof(*reply));
	rc = pfkey_request(s, req, reply, PFKEY_TIMEOUT_MS, &err);
	if (rc == 0)
		return 0;
	report(where, what, failure_text(rc, reply->errnum != 0, &err));
	pfkey_msg_clear(reply);
	return rc;
}

/* A dump fails in the kernel unless the transport says otherwise. */
static bool
dump_failed_in_kernel(int rc, const struct pfkey_error *err)
{
	return rc != ETIMEDOUT && strncmp(err->reason, "PF_KEY", 6) != 0;
}

static void
print_dumped(FILE *fp, uint8_t type, const struct pfkey_msg *m, time_t now)
{
	if (type == PFKEY_DUMP)
		pfkey_print_sa(fp, m, now);
	else
		pfkey_print_policy(fp, m, now);
}

/* Decode and print every message of a dump chain. */
static int
print_chain(struct pfkey_session *s, uint8_t type,
    const struct pfkey_buf *chain, const char *where, const char *what)
{
	const struct pfkey_buf *b;
	struct pfkey_error err;
	struct pfkey_msg m;
	time_t now = time(NULL);
	int rc = 0;

	for (b = chain; b != NULL; b = b->next) {
		memset(&err, 0, sizeof(err));
		if (pfkey_msg_decode(b->data, b->len, pfkey_session_dialect(s),
		    PFKEY_FROM_KERNEL, &m, &err) != 0) {
			report(where, what, err.reason);
			pfkey_msg_clear(&m);
			rc = err.code != 0 ? err.code : EBADMSG;
			continue;
		}
		print_dumped(stdout, type, &m, now);
		pfkey_msg_clear(&m);
	}
	return rc;
}

static int
dump(struct pfkey_session *s, uint8_t type, uint8_t satype,
    const char *where, const char *what)
{
	struct pfkey_buf *chain = NULL;
	struct pfkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = pfkey_dump(s, type, satype, &chain, PFKEY_TIMEOUT_MS, &err);
	if (rc != 0) {
		report(where, what, failure_text(rc,
		    dump_failed_in_kernel(rc, &err), &err));
		return rc;
	}
	if (chain == NULL)
		printf("%s\n", type == PFKEY_DUMP ? "No SAD entries." :
		    "No SPD entries.");
	else
		rc = print_chain(s, type, chain, where, what);
	pfkey_chain_free(chain);
	fflush(stdout);
	return rc;
}

static int
flush(struct pfkey_session *s, uint8_t type, uint8_t satype,
    const char *what)
{
	struct pfkey_msg req, reply;
	int rc;

	pfkey_msg_init(&req, type, satype, 0, 0);
	rc = request(s, &req, &reply, NULL, what);
	pfkey_msg_clear(&reply);
	return rc;
}

int
cmd_dump_sa(struct pfkey_session *s, uint8_t satype)
{
	return dump(s, PFKEY_DUMP, satype, NULL, "dump");
}

int
cmd_dump_spd(struct pfkey_session *s)
{
	return dump(s, PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC, NULL, "spddump");
}

int
cmd_flush_sa(struct pfkey_session *s, uint8_t satype)
{
	return flush(s, PFKEY_FLUSH, satype, "flush");
}

int
cmd_flush_spd(struct pfkey_session *s)
{
	return flush(s, PFKEY_X_SPDFLUSH, PFKEY_SATYPE_UNSPEC, "spdflush");
}

int
cmd_run(struct pfkey_session *s, struct setkey_cmd *cmd, const char *where)
{
	const char *what = setkey_op_name(cmd->op);
	struct pfkey_msg reply;
	int rc;

	switch (cmd->op) {
	case SETKEY_DUMP:
		return dump(s, PFKEY_DUMP, cmd->msg.satype, where, what);
	case SETKEY_SPDDUMP:
		return dump(s, PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC, where,
		    what);
	default:
		break;
	}
	rc = request(s, &cmd->msg, &reply, where, what);
	if (rc == 0 && cmd->op == SETKEY_GET) {
		pfkey_print_sa(stdout, &reply, time(NULL));
		fflush(stdout);
	}
	pfkey_msg_clear(&reply);
	return rc;
}
