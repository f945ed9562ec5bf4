/*
 * oakleyd.conf: the configuration language and its parser.
 *
 * A file is read in two passes.  conf_lex.c and conf_tree.c turn the text
 * (and every included file) into a generic tree of statements,
 *
 *	KEY [ARG ...] ( ';' | '{' STATEMENT ... '}' )
 *
 * each statement and argument carrying FILE:LINE:COLUMN.  conf.c and its
 * helpers then interpret the tree into struct config below; the contents
 * of plugin blocks stay generic and are read by the plugins themselves
 * through the conf_block / conf_stmt accessors.
 *
 * Every error message has the form "FILE:LINE:COL: what was expected".
 * Columns count from 1, a tab advances to the next multiple of 8 plus 1.
 * Pre-shared keys never appear in any message and are wiped when freed.
 */
#ifndef OAKLEY_CONF_H
#define OAKLEY_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pfkey.h"

/* ---- The generic tree (also the plugin configuration API) ---- */

struct conf_block;	/* the statements of one { ... } */
struct conf_stmt;	/* one statement: KEY [ARG ...] ( ';' | '{' ... '}' ) */

const struct conf_stmt *conf_block_first(const struct conf_block *);
const struct conf_stmt *conf_stmt_next(const struct conf_stmt *);
const char *conf_stmt_key(const struct conf_stmt *);
size_t	conf_stmt_nargs(const struct conf_stmt *);
/* NULL if i >= nargs */
const char *conf_stmt_arg(const struct conf_stmt *, size_t i);
/* Typed argument accessors: 0, or -1 with "FILE:LINE:COL: reason" in err. */
int	conf_stmt_arg_number(const struct conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out, char *err, size_t errlen);
/* units s m h */
int	conf_stmt_arg_seconds(const struct conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out, char *err, size_t errlen);
/* units KB MB */
int	conf_stmt_arg_bytes(const struct conf_stmt *, size_t i, uint64_t min,
	    uint64_t max, uint64_t *out, char *err, size_t errlen);
/* yes/no on/off true/false */
int	conf_stmt_arg_bool(const struct conf_stmt *, size_t i, bool *out,
	    char *err, size_t errlen);
/* nested { } or NULL */
const struct conf_block *conf_stmt_block(const struct conf_stmt *);
void	conf_stmt_where(const struct conf_stmt *, const char **file, int *line,
	    int *col);
/* Format "FILE:LINE:COL: <fmt>" for a statement into buf. */
void	conf_stmt_errorf(const struct conf_stmt *, char *buf, size_t len,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Extra accessors, beyond what the plugin ABI needs. */
bool	conf_stmt_arg_quoted(const struct conf_stmt *, size_t i);
/* Position of argument i; the statement's if i >= nargs. */
void	conf_stmt_arg_where(const struct conf_stmt *, size_t i,
	    const char **file, int *line, int *col);
bool	conf_block_equal(const struct conf_block *, const struct conf_block *);

/* ---- Values ---- */

enum conf_enc {			/* phase 1 and phase 2 encryption */
	CONF_ENC_3DES = 1,
	CONF_ENC_AES128,
	CONF_ENC_AES192,
	CONF_ENC_AES256,
	CONF_ENC_AES128GCM16,		/* phase 2 only, no auth (RFC 4106) */
	CONF_ENC_AES192GCM16,
	CONF_ENC_AES256GCM16
};

enum conf_hash {		/* phase 1 hash */
	CONF_HASH_MD5 = 1,
	CONF_HASH_SHA1,
	CONF_HASH_SHA256,
	CONF_HASH_SHA384,
	CONF_HASH_SHA512
};

enum conf_integ {		/* phase 2 (ESP) authentication */
	CONF_INTEG_NONE = 0,		/* with AES-GCM only */
	CONF_INTEG_HMAC_MD5,
	CONF_INTEG_HMAC_SHA1,
	CONF_INTEG_HMAC_SHA256,
	CONF_INTEG_HMAC_SHA384,
	CONF_INTEG_HMAC_SHA512
};

enum conf_auth_method {
	CONF_AUTH_NONE = 0,
	CONF_AUTH_PSK,
	CONF_AUTH_RSA
};

enum conf_id_type {
	CONF_ID_DEFAULT = 0,	/* the IP address the exchange uses */
	CONF_ID_ADDRESS,	/* id.addr */
	CONF_ID_FQDN,		/* id.name */
	CONF_ID_USER_FQDN,	/* id.name */
	CONF_ID_ASN1DN		/* id.name, text form "C=.., O=.., CN=.." */
};

enum conf_mode {
	CONF_MODE_TRANSPORT = 1,
	CONF_MODE_TUNNEL
};

enum conf_level {
	CONF_LEVEL_REQUIRE = 1,
	CONF_LEVEL_USE
};

/* Defaults (documented in oakleyd.conf.5). */
#ifndef CONF_DEFAULT_PLUGIN_DIR
#define CONF_DEFAULT_PLUGIN_DIR		"/usr/local/lib/oakley"
#endif
#define CONF_DEFAULT_PFKEY		"kernel"
#define CONF_DEFAULT_CONTROL_SOCKET	"/var/run/oakleyd.sock"
#define CONF_DEFAULT_PIDFILE		"/var/run/oakleyd.pid"
#define CONF_DEFAULT_PORT		500
#define CONF_DEFAULT_NATT_PORT		4500
#define CONF_DEFAULT_HALF_OPEN		256
#define CONF_DEFAULT_HALF_OPEN_PER_SOURCE 16
#define CONF_HALF_OPEN_LIMIT		65536	/* the largest allowed */
#define CONF_DEFAULT_PROFILE		"default"
#define CONF_DEFAULT_P1_LIFETIME	(8 * 3600)
#define CONF_DEFAULT_P2_LIFETIME	3600
#define CONF_DEFAULT_DH_GROUP		2	/* modp1024 */
#define CONF_DEFAULT_DPD_RETRIES	5
#define CONF_DEFAULT_RETRANSMIT_INTERVAL 10
#define CONF_DEFAULT_RETRANSMIT_COUNT	5
#define CONF_PSK_MAX			512	/* bytes */
#define CONF_INCLUDE_DEPTH_MAX		16
#define CONF_FILE_SIZE_MAX		(1024 * 1024)

struct conf_id {
	enum conf_id_type type;
	struct pfkey_addr addr;		/* CONF_ID_ADDRESS */
	char		*name;		/* FQDN, USER_FQDN, ASN1DN; else NULL */
};

struct conf_phase1 {			/* one main-mode proposal */
	enum conf_enc	enc;
	enum conf_hash	hash;
	unsigned	group;		/* IKE group number: 2 = modp1024 */
	uint64_t	lifetime;	/* seconds */
};

struct conf_phase2 {			/* one quick-mode (ESP) proposal */
	enum conf_enc	enc;
	enum conf_integ	integ;
	unsigned	pfs_group;	/* IKE group number, 0 = no PFS */
	uint64_t	lifetime;	/* seconds */
	uint64_t	lifetime_kb;	/* kilobytes, 0 = no limit */
};

/*
 * One policy, as installed in both directions.  local/remote carry the
 * selector: family, address, prefixlen, port (0 = any) and proto (the
 * same value as the proto field).
 */
struct conf_policy {
	struct pfkey_addr local, remote;
	uint8_t		proto;		/* upper layer, PFKEY_ULPROTO_ANY */
	enum conf_mode	mode;
	/*
	 * Tunnel endpoints.  Unless given (endpoints_set), tunnel_remote is
	 * the peer's address and tunnel_local its local-address, or family
	 * 0 (AF_UNSPEC) when that is unset: the address the kernel picks.
	 */
	bool		endpoints_set;
	struct pfkey_addr tunnel_local, tunnel_remote;
	enum conf_level	level;
	uint32_t	reqid;		/* 0 = let the daemon choose */
	const char	*file;
	int		line, col;
};

/* A block handed to a plugin: "plugin NAME { }" or "NAME { }" in a peer. */
struct conf_plugin_block {
	char		*name;
	const struct conf_block *block;	/* never NULL; may be empty */
	const char	*file;
	int		line, col;
};

struct conf_listen {
	struct pfkey_addr addr;		/* address only; port fields below */
	uint16_t	port;		/* IKE, default 500 */
	uint16_t	natt_port;	/* NAT-T, default 4500 */
};

struct conf_peer {
	char		*name;
	struct pfkey_addr address;	/* host address, prefixlen 32/128 */
	uint16_t	port;		/* its IKE port: "address A port N" */
	struct pfkey_addr local_address;	/* family 0 if not set */
	char		*profile;	/* "default" unless set */

	enum conf_auth_method auth;
	char		*psk;		/* NUL-terminated; wiped when freed */
	size_t		psk_len;
	char		*psk_file;	/* "auth psk file" path, else NULL */
	char		*rsa_cert, *rsa_key, *rsa_ca;	/* rsa_ca may be NULL */

	struct conf_id	local_id, remote_id;

	struct conf_phase1 *phase1;	/* in order of preference */
	size_t		nphase1;
	bool		phase1_default;	/* none given: the one default */
	struct conf_phase2 *phase2;
	size_t		nphase2;
	bool		phase2_default;

	uint64_t	dpd_interval;	/* seconds, 0 = DPD off */
	unsigned	dpd_retries;
	uint64_t	retransmit_interval;	/* seconds */
	unsigned	retransmit_count;

	struct conf_policy *policies;
	size_t		npolicies;
	struct conf_plugin_block *plugins;	/* per-peer plugin blocks */
	size_t		nplugins;

	const char	*file;
	int		line, col;
};

struct conf_file;		/* private: names of the files read */

struct config {
	char		*pfkey;		/* "kernel" or "unix:PATH" */
	struct conf_listen *listen;	/* default: 0.0.0.0 and ::, 500/4500 */
	size_t		nlisten;
	char		*plugin_dir;
	char		*control_socket;
	char		*pidfile;
	int		log_level;	/* enum log_level, default info */
	bool		flush_on_exit;	/* SIGTERM removes policies and SAs */
	/* Caps on responder phase 1s not yet established (half open). */
	uint32_t	half_open;		/* in all */
	uint32_t	half_open_per_source;	/* from one address */
	struct conf_plugin_block *plugins;	/* in order of appearance */
	size_t		nplugins;
	struct conf_peer *peers;
	size_t		npeers;

	/* Private: the generic tree the plugin blocks point into. */
	struct conf_block *root;
	struct conf_file *files;
};

/* ---- Loading ---- */

#define CONF_F_NO_INCLUDE	0x01	/* "include" is an error (fuzzer) */
#define CONF_F_NO_FILES		0x02	/* do not read "psk file" contents */

struct config *conf_load(const char *path, char *err, size_t errlen);
/* Includes are relative to the current directory. */
struct config *conf_parse_string(const char *text, const char *name,
	    char *err, size_t errlen);
struct config *conf_parse_string_flags(const char *text, const char *name,
	    int flags, char *err, size_t errlen);
void	conf_free(struct config *);

/* Same settings (positions ignored): a reload keeps this peer's SAs. */
bool	conf_peer_equal(const struct conf_peer *, const struct conf_peer *);
const struct conf_peer *conf_peer_by_name(const struct config *,
	    const char *name);

/* conf_dump.c: canonical text, the PSK as "********". */
void	conf_print(FILE *, const struct config *);

/* Names of values, as the configuration spells them. */
const char *conf_enc_name(enum conf_enc);
const char *conf_hash_name(enum conf_hash);
const char *conf_integ_name(enum conf_integ);	/* NULL for NONE */
/* A combined-mode cipher (AES-GCM): ESP only, and no auth algorithm. */
bool	conf_enc_is_aead(enum conf_enc);
const char *conf_group_name(unsigned group);	/* NULL if it has no name */
const char *conf_id_type_name(enum conf_id_type);
const char *conf_proto_name(uint8_t proto);	/* NULL if numeric only */

#endif /* OAKLEY_CONF_H */
