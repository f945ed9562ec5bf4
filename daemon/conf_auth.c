/*
 * oakleyd.conf peer authentication and identities:
 *
 *	auth psk "SECRET";
 *	auth psk file "PATH";
 *	auth rsa { cert "PATH"; key "PATH"; [ca "PATH";] }
 *	local-id | remote-id  address ADDRESS | fqdn NAME | user-fqdn NAME |
 *	    asn1dn "DN";
 *
 * A pre-shared key never appears in a message; every buffer that held
 * one is wiped.  Relative paths are relative to the configuration file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

#define AUTH_USAGE	"auth psk \"SECRET\" | auth psk file \"PATH\" | " \
			"auth rsa { cert \"PATH\"; key \"PATH\"; ca \"PATH\"; }"
#define PSK_FILE_MAX	4096

static int
psk_set(struct conf_ctx *ctx, const struct conf_stmt *st, size_t i,
    struct conf_peer *peer, const char *key, size_t len)
{
	if (len == 0)
		return conf_fail_arg(ctx, st, i, "empty pre-shared key");
	if (len > CONF_PSK_MAX)
		return conf_fail_arg(ctx, st, i, "pre-shared key longer than "
		    "%d bytes", CONF_PSK_MAX);
	if ((peer->psk = malloc(len + 1)) == NULL)
		return conf_fail_arg(ctx, st, i, "out of memory");
	memcpy(peer->psk, key, len);
	peer->psk[len] = '\0';
	peer->psk_len = len;
	return 0;
}

/* The file's contents, less one trailing newline, is the key. */
static int
psk_file_read(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	char reason[512], *buf;
	size_t len;
	int rc;

	if (conf_read_file(peer->psk_file, PSK_FILE_MAX, &buf, &len, NULL,
	    reason, sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, 2, "%s", reason);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0)
		rc = conf_fail_arg(ctx, st, 2, "pre-shared key file \"%s\" is "
		    "empty", peer->psk_file);
	else if (memchr(buf, '\0', len) != NULL)
		rc = conf_fail_arg(ctx, st, 2, "pre-shared key file \"%s\" "
		    "contains a NUL byte", peer->psk_file);
	else
		rc = psk_set(ctx, st, 2, peer, buf, len);
	conf_wipe_free(buf, len + 1);
	return rc;
}

static int
auth_psk(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	const struct conf_arg *a = st->args;
	bool file = st->nargs >= 2 && !a[1].quoted &&
	    strcmp(a[1].text, "file") == 0;

	if (conf_want_no_block(ctx, st) == -1)
		return -1;
	if (file && st->nargs == 2)
		return conf_fail_arg(ctx, st, 1, "missing path after 'auth psk "
		    "file'");
	if (st->nargs != (file ? 3u : 2u))
		return conf_want_args(ctx, st, 2, 2, AUTH_USAGE);
	peer->auth = CONF_AUTH_PSK;
	if (!file)
		return psk_set(ctx, st, 1, peer, a[1].text, a[1].len);
	if (conf_arg_path(ctx, st, 2, &peer->psk_file) == -1)
		return -1;
	if (ctx->flags & CONF_F_NO_FILES)
		return 0;
	return psk_file_read(ctx, st, peer);
}

static int
rsa_stmt(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer, const struct conf_stmt **seen)
{
	static const char *const keys[] = { "cert", "key", "ca" };
	char **fields[] = { &peer->rsa_cert, &peer->rsa_key, &peer->rsa_ca };
	size_t k;

	for (k = 0; k < 3; k++)
		if (strcmp(st->key, keys[k]) == 0)
			break;
	if (k == 3)
		return conf_fail_stmt(ctx, st, "unknown key '%.*s' in rsa "
		    "block", CONF_ECHO_MAX, st->key);
	if (seen[k] != NULL)
		return conf_fail_duplicate(ctx, st, seen[k], "in rsa block");
	seen[k] = st;
	if (conf_want_args(ctx, st, 1, 1, "cert | key | ca \"PATH\"") == -1 ||
	    conf_want_no_block(ctx, st) == -1)
		return -1;
	return conf_arg_path(ctx, st, 0, fields[k]);
}

static int
auth_rsa(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	const struct conf_stmt *seen[3] = { NULL, NULL, NULL };
	const struct conf_stmt *s;

	if (conf_want_args(ctx, st, 1, 1, AUTH_USAGE) == -1 ||
	    conf_want_block(ctx, st, AUTH_USAGE) == -1)
		return -1;
	peer->auth = CONF_AUTH_RSA;
	for (s = st->block->first; s != NULL; s = s->next)
		if (rsa_stmt(ctx, s, peer, seen) == -1)
			return -1;
	if (peer->rsa_cert == NULL)
		return conf_fail_stmt(ctx, st, "rsa block needs "
		    "'cert \"PATH\";'");
	if (peer->rsa_key == NULL)
		return conf_fail_stmt(ctx, st, "rsa block needs "
		    "'key \"PATH\";'");
	return 0;
}

int
conf_auth_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_peer *peer)
{
	const char *method;

	if (conf_want_args(ctx, st, 1, 3, AUTH_USAGE) == -1)
		return -1;
	method = st->args[0].text;
	if (strcmp(method, "psk") == 0)
		return auth_psk(ctx, st, peer);
	if (strcmp(method, "rsa") == 0)
		return auth_rsa(ctx, st, peer);
	/* Not shown: it may be a key given without "psk". */
	return conf_fail_arg(ctx, st, 0, "unknown auth method (expected psk "
	    "or rsa)");
}

int
conf_id_parse(struct conf_ctx *ctx, const struct conf_stmt *st,
    struct conf_id *id)
{
	char reason[160];
	int type;

	if (conf_want_args(ctx, st, 2, 2, "address ADDRESS | fqdn NAME | "
	    "user-fqdn NAME | asn1dn \"DN\"") == -1)
		return -1;
	type = conf_id_type_by_name(st->args[0].text);
	if (type == -1)
		return conf_fail_arg(ctx, st, 0, "unknown identifier type "
		    "'%.*s' (expected address, fqdn, user-fqdn, asn1dn)",
		    CONF_ECHO_MAX, st->args[0].text);
	id->type = (enum conf_id_type)type;
	if (type != CONF_ID_ADDRESS)
		return conf_arg_string(ctx, st, 1, &id->name);
	if (conf_parse_addr(st->args[1].text, false, &id->addr, reason,
	    sizeof(reason)) == -1)
		return conf_fail_arg(ctx, st, 1, "%s", reason);
	return 0;
}

bool
conf_id_equal(const struct conf_id *a, const struct conf_id *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == CONF_ID_ADDRESS)
		return conf_addr_equal(&a->addr, &b->addr);
	if (a->name == NULL || b->name == NULL)
		return a->name == b->name;
	return strcmp(a->name, b->name) == 0;
}
