/*
 * oakleyd's control socket, for oakleyctl(8).
 *
 * A unix stream socket (mode 0600, removed on exit).  One request per
 * connection, one line of at most CTL_LINE_MAX bytes:
 *
 *	[json] COMMAND [ARGUMENT ...]
 *
 * words separated by blanks, ended by a newline (CR LF too) or by the
 * client's shutdown of its sending side; "json" asks for the JSON form of the
 * answer.  Commands: "show peers", "show sa", "show plugins",
 * "initiate PEER", "terminate PEER", "reload".  The answer is either
 *
 *	ok LENGTH		followed by exactly LENGTH bytes of output,
 *	error MESSAGE		one line,
 *
 * after which the daemon closes the connection.
 */
#ifndef OAKLEY_CTL_H
#define OAKLEY_CTL_H

#include <stdbool.h>
#include <stddef.h>

struct ctl;
struct daemon;
struct evbuffer;

#define CTL_LINE_MAX		1024	/* bytes of a request, newline included */
#define CTL_ARGS_MAX		8
#define CTL_CLIENTS_MAX		16	/* connections at once */
#define CTL_TIMEOUT_SECONDS	10

/* Listen on path (a stale socket is replaced).  NULL with err on failure. */
struct ctl *ctl_open(struct daemon *, const char *path, char *err,
	    size_t errlen);
/* Close every connection, stop listening, remove the socket. */
void	ctl_close(struct ctl *);

/*
 * ctl_cmd.c: run one request.  0 with the output in out, or -1 with the
 * message in err.
 */
int	ctl_command(struct daemon *, int argc, char **argv, bool json,
	    struct evbuffer *out, char *err, size_t errlen);

/* ctl_show.c: the "show" commands. */
void	ctl_show_peers(struct daemon *, bool json, struct evbuffer *);
void	ctl_show_sa(struct daemon *, bool json, struct evbuffer *);
void	ctl_show_plugins(bool json, struct evbuffer *);

/* ctl_json.c: a JSON string (quotes included), UTF-8 kept, invalid
 * bytes as U+FFFD, control characters escaped. */
void	json_string(struct evbuffer *, const char *);
/* "key": with a leading comma unless first. */
void	json_key(struct evbuffer *, const char *key, bool first);

#endif /* OAKLEY_CTL_H */
