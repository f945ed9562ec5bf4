/*
 * oakleyd.conf lexer: words, quoted strings, ';', '{', '}', comments.
 *
 * A word is a run of printable ASCII other than ; { } " and #, so
 * addresses ("2001:db8::/32"), numbers with units ("8h") and paths need no
 * quotes.  A string is "..." on one line with \" and \\ as its only
 * escapes.  '#' starts a comment up to the end of the line.  Positions are
 * 1-based; a tab advances the column to the next multiple of 8 plus 1 and
 * UTF-8 continuation bytes (inside strings) take no column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

void
conf_lex_init(struct conf_lexer *lx, const char *buf, size_t len,
    const struct conf_file *file)
{
	lx->buf = buf;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
	lx->file = file;
}

void
conf_token_clear(struct conf_token *tok)
{
	if (tok->text != NULL)
		conf_wipe_free(tok->text, tok->len);
	tok->text = NULL;
	tok->len = 0;
}

/* Move past one byte, keeping line and column. */
static void
lex_advance(struct conf_lexer *lx)
{
	unsigned char c = (unsigned char)lx->buf[lx->pos++];

	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if (c == '\t')
		lx->col = ((lx->col - 1) / 8 + 1) * 8 + 1;
	else if ((c & 0xc0) != 0x80)
		lx->col++;
}

static int
lex_peek(const struct conf_lexer *lx)
{
	if (lx->pos >= lx->len)
		return -1;
	return (unsigned char)lx->buf[lx->pos];
}

static bool
is_word_char(int c)
{
	if (c <= ' ' || c >= 0x7f)
		return false;
	return strchr(";{}\"#", c) == NULL;
}

static void
lex_skip_space(struct conf_lexer *lx)
{
	int c;

	while ((c = lex_peek(lx)) != -1) {
		if (c == '#') {
			while ((c = lex_peek(lx)) != -1 && c != '\n')
				lex_advance(lx);
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		lex_advance(lx);
	}
}

static int
lex_word(struct conf_lexer *lx, struct conf_token *tok)
{
	size_t start = lx->pos;

	while (is_word_char(lex_peek(lx)))
		lex_advance(lx);
	tok->len = lx->pos - start;
	tok->text = strndup(lx->buf + start, tok->len);
	if (tok->text == NULL)
		return -1;
	tok->type = CONF_TOK_WORD;
	return 0;
}

/* Copy the body of a string into tok; the opening quote is consumed. */
static int
lex_string_body(struct conf_lexer *lx, struct conf_token *tok, char *err,
    size_t errlen)
{
	size_t n = 0;
	int c, line, col;

	for (;;) {
		c = lex_peek(lx);
		if (c == -1 || c == '\n') {
			conf_errorf(err, errlen, lx->file, tok->line, tok->col,
			    "unterminated string");
			return -1;
		}
		line = lx->line;
		col = lx->col;
		lex_advance(lx);
		if (c == '"')
			break;
		if (c == '\\') {
			c = lex_peek(lx);
			if (c != '"' && c != '\\') {
				conf_errorf(err, errlen, lx->file, line, col,
				    "bad escape in string (only \\\" and \\\\ "
				    "are allowed)");
				return -1;
			}
			lex_advance(lx);
		} else if (c < ' ' && c != '\t') {
			conf_errorf(err, errlen, lx->file, line, col,
			    "control character in string");
			return -1;
		}
		tok->text[n++] = (char)c;
	}
	tok->text[n] = '\0';
	tok->len = n;
	return 0;
}

static int
lex_string(struct conf_lexer *lx, struct conf_token *tok, char *err,
    size_t errlen)
{
	size_t end, cap;

	lex_advance(lx);
	/* The body is never longer than the rest of the line. */
	end = lx->pos;
	while (end < lx->len && lx->buf[end] != '\n')
		end++;
	cap = end - lx->pos + 1;
	tok->text = malloc(cap);
	if (tok->text == NULL) {
		conf_errorf(err, errlen, lx->file, tok->line, tok->col,
		    "out of memory");
		return -1;
	}
	tok->type = CONF_TOK_STRING;
	if (lex_string_body(lx, tok, err, errlen) == -1) {
		conf_wipe_free(tok->text, cap);
		tok->text = NULL;
		return -1;
	}
	return 0;
}

static int
lex_bad_char(struct conf_lexer *lx, int c, char *err, size_t errlen)
{
	if (c == '\0')
		conf_errorf(err, errlen, lx->file, lx->line, lx->col,
		    "unexpected NUL byte");
	else
		conf_errorf(err, errlen, lx->file, lx->line, lx->col,
		    "unexpected character (byte 0x%02x)", (unsigned)c);
	return -1;
}

int
conf_lex_next(struct conf_lexer *lx, struct conf_token *tok, char *err,
    size_t errlen)
{
	int c;

	memset(tok, 0, sizeof(*tok));
	lex_skip_space(lx);
	tok->line = lx->line;
	tok->col = lx->col;
	c = lex_peek(lx);
	switch (c) {
	case -1:
		tok->type = CONF_TOK_EOF;
		return 0;
	case ';':
		tok->type = CONF_TOK_SEMI;
		break;
	case '{':
		tok->type = CONF_TOK_LBRACE;
		break;
	case '}':
		tok->type = CONF_TOK_RBRACE;
		break;
	case '"':
		return lex_string(lx, tok, err, errlen);
	default:
		if (!is_word_char(c))
			return lex_bad_char(lx, c, err, errlen);
		if (lex_word(lx, tok) == -1) {
			conf_errorf(err, errlen, lx->file, tok->line, tok->col,
			    "out of memory");
			return -1;
		}
		return 0;
	}
	lex_advance(lx);
	return 0;
}

void
conf_token_describe(const struct conf_token *tok, char *buf, size_t len)
{
	switch (tok->type) {
	case CONF_TOK_EOF:
		snprintf(buf, len, "end of file");
		break;
	case CONF_TOK_SEMI:
		snprintf(buf, len, "';'");
		break;
	case CONF_TOK_LBRACE:
		snprintf(buf, len, "'{'");
		break;
	case CONF_TOK_RBRACE:
		snprintf(buf, len, "'}'");
		break;
	case CONF_TOK_STRING:
		snprintf(buf, len, "a string");
		break;
	case CONF_TOK_WORD:
		if (tok->len > CONF_ECHO_MAX)
			snprintf(buf, len, "'%.*s...'", CONF_ECHO_MAX,
			    tok->text);
		else
			snprintf(buf, len, "'%s'", tok->text);
		break;
	}
}
