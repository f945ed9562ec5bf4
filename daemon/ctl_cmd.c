/*
 * The control socket's commands (see ctl.h): argument checks, then
 * "show", "initiate", "terminate" and "reload".
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "log.h"
#include "negotiate.h"

static int
cmd_fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
	snprintf(err, errlen, fmt, arg);
	return -1;
}

static int
cmd_show(struct daemon *d, int argc, char **argv, bool json,
    struct evbuffer *out, char *err, size_t errlen)
{
	if (argc != 2)
		return cmd_fail(err, errlen, "usage: %s peers | sa | plugins",
		    "show");
	if (strcmp(argv[1], "peers") == 0)
		ctl_show_peers(d, json, out);
	else if (strcmp(argv[1], "sa") == 0)
		ctl_show_sa(d, json, out);
	else if (strcmp(argv[1], "plugins") == 0)
		ctl_show_plugins(json, out);
	else
		return cmd_fail(err, errlen, "show: unknown object '%s' "
		    "(expected peers, sa or plugins)", argv[1]);
	return 0;
}

static struct peer *
cmd_peer(struct daemon *d, int argc, char **argv, char *err, size_t errlen)
{
	struct peer *p;

	if (argc != 2) {
		cmd_fail(err, errlen, "usage: %s PEER", argv[0]);
		return NULL;
	}
	if ((p = peer_find(&d->peers, argv[1])) == NULL)
		cmd_fail(err, errlen, "no such peer '%s'", argv[1]);
	return p;
}

static void
peer_answer(struct evbuffer *out, bool json, const struct peer *p,
    const char *text)
{
	if (!json) {
		evbuffer_add_printf(out, "peer %s: %s\n", p->conf->name, text);
		return;
	}
	evbuffer_add(out, "{", 1);
	json_key(out, "peer", true);
	json_string(out, p->conf->name);
	json_key(out, "state", false);
	json_string(out, peer_state_name(p->state));
	json_key(out, "result", false);
	json_string(out, text);
	evbuffer_add(out, "}\n", 2);
}

static int
cmd_initiate(struct daemon *d, int argc, char **argv, bool json,
    struct evbuffer *out, char *err, size_t errlen)
{
	struct peer *p;
	bool busy;

	if ((p = cmd_peer(d, argc, argv, err, errlen)) == NULL)
		return -1;
	busy = p->state == PEER_NEGOTIATING;
	ike_initiate(p);
	peer_answer(out, json, p, busy ? "negotiation already in progress" :
	    "negotiation started");
	return 0;
}

static int
cmd_terminate(struct daemon *d, int argc, char **argv, bool json,
    struct evbuffer *out, char *err, size_t errlen)
{
	struct peer *p;
	char text[64];
	size_t n;

	if ((p = cmd_peer(d, argc, argv, err, errlen)) == NULL)
		return -1;
	n = ike_terminate(p, d->sa, d->kernel);
	snprintf(text, sizeof(text), "terminated, %zu SAs deleted", n);
	peer_answer(out, json, p, text);
	return 0;
}

static int
cmd_reload(struct daemon *d, int argc, char **argv, bool json,
    struct evbuffer *out, char *err, size_t errlen)
{
	if (argc != 1)
		return cmd_fail(err, errlen, "usage: %s", argv[0]);
	log_info("reload requested on the control socket");
	if (daemon_reload(d, err, errlen) != 0)
		return -1;
	if (json)
		evbuffer_add_printf(out, "{\"reloaded\":true,\"peers\":%zu}\n",
		    d->conf->npeers);
	else
		evbuffer_add_printf(out, "configuration reloaded: %zu peers\n",
		    d->conf->npeers);
	return 0;
}

int
ctl_command(struct daemon *d, int argc, char **argv, bool json,
    struct evbuffer *out, char *err, size_t errlen)
{
	if (argc == 0)
		return cmd_fail(err, errlen, "%s", "empty request");
	if (strcmp(argv[0], "show") == 0)
		return cmd_show(d, argc, argv, json, out, err, errlen);
	if (strcmp(argv[0], "initiate") == 0)
		return cmd_initiate(d, argc, argv, json, out, err, errlen);
	if (strcmp(argv[0], "terminate") == 0)
		return cmd_terminate(d, argc, argv, json, out, err, errlen);
	if (strcmp(argv[0], "reload") == 0)
		return cmd_reload(d, argc, argv, json, out, err, errlen);
	return cmd_fail(err, errlen, "unknown command '%s'", argv[0]);
}
