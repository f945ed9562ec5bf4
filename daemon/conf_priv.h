/*
 * Private to the configuration parser (conf*.c): the generic tree, the
 * lexer, and the helpers the interpreting files share.  Nothing outside
 * daemon/conf*.c includes this file.
 */
#ifndef OAKLEY_CONF_PRIV_H
#define OAKLEY_CONF_PRIV_H

#include <sys/stat.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define CONF_NEST_MAX		32	/* { } nesting, per file and overall */
#define CONF_ECHO_MAX		40	/* bytes of a word shown in messages */

/* A file (or string) that was read; statements point at its record. */
struct conf_file {
	struct conf_file *next;
	char		*name;		/* as shown in messages */
	char		*dir;		/* base for relative paths, "" = cwd */
};

struct conf_arg {
	char		*text;		/* NUL-terminated, escapes resolved */
	size_t		len;
	bool		quoted;
	int		line, col;
};

struct conf_stmt {
	struct conf_stmt *next;
	char		*key;
	const struct conf_file *file;
	int		line, col;
	struct conf_arg	*args;
	size_t		nargs;
	struct conf_block *block;	/* NULL: the statement ended with ';' */
};

struct conf_block {
	struct conf_stmt *first;
	struct conf_stmt *last;
	const struct conf_file *file;	/* where '{' is (NULL for the root) */
	int		line, col;
};

/* ---- conf_lex.c ---- */

enum conf_tok {
	CONF_TOK_EOF,
	CONF_TOK_WORD,
	CONF_TOK_STRING,
	CONF_TOK_SEMI,
	CONF_TOK_LBRACE,
	CONF_TOK_RBRACE
};

struct conf_token {
	enum conf_tok	type;
	char		*text;		/* WORD and STRING: malloc'd, owned */
	size_t		len;
	int		line, col;
};

struct conf_lexer {
	const char	*buf;
	size_t		len;
	size_t		pos;
	int		line, col;
	const struct conf_file *file;
};

void	conf_lex_init(struct conf_lexer *, const char *buf, size_t len,
	    const struct conf_file *);
/* 0 and a token, or -1 with "FILE:LINE:COL: reason" in err. */
int	conf_lex_next(struct conf_lexer *, struct conf_token *, char *err,
	    size_t errlen);
void	conf_token_clear(struct conf_token *);
/* "'}'", "end of file", "'word'", "a string": for "got ..." messages. */
void	conf_token_describe(const struct conf_token *, char *buf, size_t len);

/* ---- conf_tree.c ---- */

struct conf_tree_src {
	const char	*text;		/* NULL: read path */
	const char	*name;		/* name shown in messages */
	const char	*path;		/* the file to read when text is NULL */
	int		flags;		/* CONF_F_* */
};

/* Builds the root block; files read are prepended to *files. */
struct conf_block *conf_tree_build(const struct conf_tree_src *,
	    struct conf_file **files, char *err, size_t errlen);
void	conf_tree_free(struct conf_block *);
void	conf_files_free(struct conf_file *);
/* path relative to the directory of the file stmt came from. */
char	*conf_path_resolve(const struct conf_file *, const char *path);
/*
 * Whole regular file into a malloc'd, NUL-terminated buffer of at most
 * max bytes; st (may be NULL) gets its fstat.  On failure, reason reads
 * 'cannot open "PATH": No such file or directory' and the like.
 */
int	conf_read_file(const char *path, size_t max, char **bufp,
	    size_t *lenp, struct stat *st, char *reason, size_t reasonlen);
void	conf_wipe_free(char *buf, size_t len);

/* ---- conf_stmt.c ---- */

void	conf_errorf(char *err, size_t errlen, const struct conf_file *,
	    int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
void	conf_verrorf(char *err, size_t errlen, const struct conf_file *,
	    int line, int col, const char *fmt, va_list ap)
	    __attribute__((format(printf, 6, 0)));
const char *conf_file_name(const struct conf_file *);
/* Parsers behind the typed accessors; reason without position. */
int	conf_parse_number(const char *, uint64_t *, char *reason, size_t);
int	conf_parse_seconds(const char *, uint64_t *, char *reason, size_t);
int	conf_parse_bytes(const char *, uint64_t *, char *reason, size_t);
int	conf_parse_bool(const char *, bool *);

/* ---- conf.c: the interpretation context ---- */

struct conf_ctx {
	struct config	*conf;
	int		flags;
	char		*err;
	size_t		errlen;
};

int	conf_fail_stmt(struct conf_ctx *, const struct conf_stmt *,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int	conf_fail_arg(struct conf_ctx *, const struct conf_stmt *, size_t i,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Argument count in [min, max] and (no) block, with a usage message. */
int	conf_want_args(struct conf_ctx *, const struct conf_stmt *,
	    size_t min, size_t max, const char *usage);
int	conf_want_no_block(struct conf_ctx *, const struct conf_stmt *);
int	conf_want_block(struct conf_ctx *, const struct conf_stmt *,
	    const char *usage);
/* A duplicate of a key that may appear once; first is the earlier one. */
int	conf_fail_duplicate(struct conf_ctx *, const struct conf_stmt *,
	    const struct conf_stmt *first, const char *where);
int	conf_arg_string(struct conf_ctx *, const struct conf_stmt *, size_t i,
	    char **out);
int	conf_arg_path(struct conf_ctx *, const struct conf_stmt *, size_t i,
	    char **out);
/* Append "NAME { ... }" (block may be NULL: an empty one is used). */
int	conf_plugin_block_add(struct conf_ctx *, struct conf_plugin_block **,
	    size_t *, const struct conf_stmt *, const char *name,
	    const char *where);
void	conf_plugin_blocks_free(struct conf_plugin_block *, size_t);
/*
 * "KEYWORD VALUE" lists (phase1 encryption aes128 hash sha1 ...): the
 * keyword at argument *i among names (NULL-terminated), which must not
 * repeat (seen: bit per name) and must have a value.  *which gets the
 * index; *i advances past the keyword.
 */
int	conf_kw_next(struct conf_ctx *, const struct conf_stmt *, size_t *i,
	    const char *const *names, const char *where, unsigned *seen,
	    size_t *which);

/* ---- conf_value.c ---- */

/* Address, with "/LEN" when allow_prefix; reason without position. */
int	conf_parse_addr(const char *, bool allow_prefix, struct pfkey_addr *,
	    char *reason, size_t);
bool	conf_addr_equal(const struct pfkey_addr *, const struct pfkey_addr *);
/* "192.0.2.1", "2001:db8::/32" (prefix shown when shorter than host). */
void	conf_addr_format(const struct pfkey_addr *, char *buf, size_t len);
int	conf_enc_by_name(const char *);		/* -1 if unknown */
int	conf_hash_by_name(const char *);
int	conf_integ_by_name(const char *);
int	conf_group_by_name(const char *, unsigned *, char *reason, size_t);
int	conf_proto_by_name(const char *, uint8_t *, char *reason, size_t);
int	conf_id_type_by_name(const char *);
/* "8h", "90m", "45s": the largest unit that divides exactly. */
void	conf_format_seconds(uint64_t, char *buf, size_t len);
/* "100MB", "64KB", "1000": likewise. */
void	conf_format_bytes(uint64_t, char *buf, size_t len);

/* ---- conf_peer.c, conf_auth.c, conf_proposal.c, conf_policy.c ---- */

int	conf_peer_parse(struct conf_ctx *, const struct conf_stmt *);
void	conf_peer_clear(struct conf_peer *);
int	conf_auth_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_peer *);
int	conf_id_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_id *);
bool	conf_id_equal(const struct conf_id *, const struct conf_id *);
int	conf_phase1_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_peer *);
int	conf_phase2_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_peer *);
int	conf_proposals_default(struct conf_peer *);
/* md5/hmac-md5 under profile default: an error at the value. */
int	conf_proposals_md5(struct conf_ctx *, const struct conf_stmt *peer_st,
	    const struct conf_peer *);
int	conf_dpd_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_peer *);
int	conf_retransmit_parse(struct conf_ctx *, const struct conf_stmt *,
	    struct conf_peer *);
int	conf_policy_parse(struct conf_ctx *, const struct conf_stmt *,
	    const struct conf_peer *, struct conf_policy *);
bool	conf_policy_equal(const struct conf_policy *,
	    const struct conf_policy *);

#endif /* OAKLEY_CONF_PRIV_H */
