/*
 * setkey syntax: the lexer and error reporting.
 *
 * The input is split into words, "double-quoted strings" and ';'.  A word
 * runs up to white space, ';', '"' or '#'; '#' starts a comment that ends
 * with the line; newlines are white space.  Words are interpreted by the
 * parsers (an address range like 192.0.2.0/24[any] is one word), which
 * point at sub-parts of a word by column.  Tokens point into the input
 * buffer: nothing is copied, so no key material is duplicated here.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "setkey_int.h"

void
setkey_init(struct setkey_parser *p, const char *name, const char *buf,
    size_t len)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->buf = buf;
	p->len = len;
	p->line = 1;
	p->col = 1;
	p->last_semi = true;
}

static void
lex_advance(struct setkey_parser *p)
{
	if (p->buf[p->pos] == '\n') {
		p->line++;
		p->col = 1;
	} else
		p->col++;
	p->pos++;
}

static bool
lex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static bool
lex_ends_word(char c)
{
	return lex_is_space(c) || c == ';' || c == '"' || c == '#';
}

static void
lex_skip_blank(struct setkey_parser *p)
{
	while (p->pos < p->len) {
		if (p->buf[p->pos] == '#') {
			while (p->pos < p->len && p->buf[p->pos] != '\n')
				lex_advance(p);
		} else if (lex_is_space(p->buf[p->pos]))
			lex_advance(p);
		else
			break;
	}
}

/* A string may not span lines: a missing '"' is reported where it opened. */
static void
lex_string(struct setkey_parser *p, struct setkey_token *t)
{
	lex_advance(p);
	t->text = p->buf + p->pos;
	while (p->pos < p->len && p->buf[p->pos] != '"' &&
	    p->buf[p->pos] != '\n')
		lex_advance(p);
	if (p->pos >= p->len || p->buf[p->pos] != '"') {
		t->kind = SETKEY_TOK_BAD;
		setkey_fail_at(p, t->line, t->col,
		    "syntax error: unterminated string");
		return;
	}
	t->kind = SETKEY_TOK_STRING;
	t->len = (size_t)(p->buf + p->pos - t->text);
	lex_advance(p);
}

static struct setkey_token
lex_token(struct setkey_parser *p)
{
	struct setkey_token t;

	lex_skip_blank(p);
	memset(&t, 0, sizeof(t));
	t.line = p->line;
	t.col = p->col;
	t.text = p->buf + p->pos;
	if (p->pos >= p->len) {
		t.kind = SETKEY_TOK_EOF;
		return t;
	}
	if (p->buf[p->pos] == ';') {
		t.kind = SETKEY_TOK_SEMI;
		t.len = 1;
		lex_advance(p);
		return t;
	}
	if (p->buf[p->pos] == '"') {
		lex_string(p, &t);
		return t;
	}
	t.kind = SETKEY_TOK_WORD;
	while (p->pos < p->len && !lex_ends_word(p->buf[p->pos]))
		lex_advance(p);
	t.len = (size_t)(p->buf + p->pos - t.text);
	return t;
}

const struct setkey_token *
setkey_peek(struct setkey_parser *p)
{
	if (!p->peeked) {
		p->tok = lex_token(p);
		p->peeked = true;
	}
	return &p->tok;
}

struct setkey_token
setkey_take(struct setkey_parser *p)
{
	struct setkey_token t;

	t = *setkey_peek(p);
	p->peeked = false;
	p->last_semi = t.kind == SETKEY_TOK_SEMI;
	return t;
}

bool
setkey_tok_is(const struct setkey_token *t, const char *word)
{
	return t->kind == SETKEY_TOK_WORD && strlen(word) == t->len &&
	    memcmp(t->text, word, t->len) == 0;
}

bool
setkey_tok_is_option(const struct setkey_token *t)
{
	return t->kind == SETKEY_TOK_WORD && t->len >= 2 && t->text[0] == '-';
}

/* More hex digits than any 64-bit number has: likely key material. */
static bool
describe_is_hex_blob(const char *text, size_t len)
{
	return len > 18 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

/*
 * Quote text for a message.  A long 0x word may be key material in the
 * wrong place, so only its length is shown; long words are cut short.
 */
void
setkey_describe_text(const char *text, size_t len, char *buf, size_t size)
{
	char shown[40];
	size_t i, n;

	if (describe_is_hex_blob(text, len)) {
		snprintf(buf, size, "a hex string of %zu digits", len - 2);
		return;
	}
	n = len < 32 ? len : 32;
	for (i = 0; i < n; i++)
		shown[i] = isprint((unsigned char)text[i]) ? text[i] : '?';
	shown[n] = '\0';
	snprintf(buf, size, "'%s%s'", shown, len > n ? "..." : "");
}

void
setkey_describe(const struct setkey_token *t, char *buf, size_t size)
{
	switch (t->kind) {
	case SETKEY_TOK_EOF:
		snprintf(buf, size, "end of input");
		break;
	case SETKEY_TOK_SEMI:
		snprintf(buf, size, "';'");
		break;
	case SETKEY_TOK_STRING:
		snprintf(buf, size, "a quoted string");
		break;
	case SETKEY_TOK_BAD:
		snprintf(buf, size, "a bad token");
		break;
	case SETKEY_TOK_WORD:
		setkey_describe_text(t->text, t->len, buf, size);
		break;
	}
}

static int
fail_va(struct setkey_parser *p, unsigned line, unsigned col,
    const char *fmt, va_list ap)
{
	char msg[200];

	if (p->failed || p->err == NULL)
		return -1;
	p->failed = true;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	p->err->line = line;
	p->err->col = col;
	snprintf(p->err->text, sizeof(p->err->text), "%s:%u:%u: %s",
	    p->name, line, col, msg);
	return -1;
}

int
setkey_fail_at(struct setkey_parser *p, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_va(p, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int
setkey_fail(struct setkey_parser *p, const struct setkey_token *t,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_va(p, t->line, t->col, fmt, ap);
	va_end(ap);
	return -1;
}

int
setkey_expected(struct setkey_parser *p, const struct setkey_token *t,
    const char *what)
{
	char got[64];

	setkey_describe(t, got, sizeof(got));
	return setkey_fail(p, t, "syntax error: expected %s, got %s", what, got);
}

int
setkey_end(struct setkey_parser *p, const char *what)
{
	const struct setkey_token *t;

	t = setkey_peek(p);
	if (t->kind != SETKEY_TOK_SEMI)
		return setkey_expected(p, t, what);
	setkey_take(p);
	return 0;
}

void
setkey_reset_error(struct setkey_parser *p, struct setkey_error *err)
{
	p->err = err;
	p->failed = false;
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}
