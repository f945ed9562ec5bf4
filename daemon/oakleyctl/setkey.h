/*
 * setkey(8) command syntax for oakleyctl: a lexer and parser that turn
 * text such as "add A B esp 0x1000 -E aes-cbc 0x...;" into the PF_KEY
 * request (struct pfkey_msg) that carries it out.
 *
 * The parser never talks to the kernel and never resolves names.  Every
 * error carries the file name, line and column of the offending token.
 * Parsed commands may hold key material: release them with
 * setkey_cmd_clear(), which wipes it.
 */
#ifndef OAKLEY_SETKEY_H
#define OAKLEY_SETKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "pfkey.h"

/* What a parsed command does; msg.type alone cannot tell get from dump. */
enum setkey_op {
	SETKEY_ADD,
	SETKEY_GET,
	SETKEY_DELETE,
	SETKEY_DELETEALL,
	SETKEY_FLUSH,
	SETKEY_DUMP,
	SETKEY_SPDADD,
	SETKEY_SPDUPDATE,
	SETKEY_SPDDELETE,
	SETKEY_SPDFLUSH,
	SETKEY_SPDDUMP
};

/* Linux IPSEC_DIR_FWD; pfkey.h has no name for it (FreeBSD lacks it). */
#define SETKEY_DIR_FWD		3

/* IPComp algorithms (sadb_sa_encrypt of an IPCOMP SA). */
#define SETKEY_CALG_OUI		1
#define SETKEY_CALG_DEFLATE	2
#define SETKEY_CALG_LZS		3

struct setkey_cmd {
	enum setkey_op	op;
	unsigned	line;		/* line of the command word */
	struct pfkey_msg msg;		/* the request; seq and pid left 0 */
};

struct setkey_error {
	unsigned	line, col;	/* 1-based; col counts bytes */
	char		text[256];	/* "FILE:LINE:COL: message" */
};

/* One token: a word, a "string", ';' or the end of the input. */
enum setkey_tok_kind {
	SETKEY_TOK_EOF,
	SETKEY_TOK_WORD,
	SETKEY_TOK_STRING,	/* text excludes the quotes */
	SETKEY_TOK_SEMI,
	SETKEY_TOK_BAD		/* lexical error, already reported */
};

struct setkey_token {
	enum setkey_tok_kind kind;
	const char	*text;		/* points into the input */
	size_t		len;
	unsigned	line, col;
};

/* Parser state; lives on the caller's stack, holds no allocation. */
struct setkey_parser {
	const char	*name;		/* file name for messages */
	const char	*buf;
	size_t		len;
	size_t		pos;
	unsigned	line, col;	/* of buf[pos] */
	bool		peeked;
	struct setkey_token tok;	/* the lookahead when peeked */
	struct setkey_error *err;	/* where the current command reports */
	bool		failed;		/* err holds this command's error */
	bool		last_semi;	/* the last token taken was ';' */
};

void	setkey_init(struct setkey_parser *, const char *name,
	    const char *buf, size_t len);
/*
 * Parse the next command.  Returns 1 with *cmd filled in, 0 at the end of
 * the input, -1 with *err filled in; after an error the parser has skipped
 * past the next ';' so the caller may go on to report further errors.
 */
int	setkey_next(struct setkey_parser *, struct setkey_cmd *cmd,
	    struct setkey_error *err);
void	setkey_cmd_clear(struct setkey_cmd *);	/* wipes key material */
const char *setkey_op_name(enum setkey_op);

#endif /* OAKLEY_SETKEY_H */
