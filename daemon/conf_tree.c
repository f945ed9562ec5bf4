/*
 * oakleyd.conf, first pass: text to a generic tree of statements.
 *
 *	statement := KEY [ARG ...] ( ';' | '{' statement ... '}' )
 *
 * KEY is a word, an ARG a word or a string.  "include FILE;" may stand
 * wherever a statement may; the included file's statements join the
 * enclosing block.  Included files are found relative to the directory of
 * the including file; loops (by device and inode) and depth are checked.
 * Buffers that held file text are wiped: they may contain pre-shared keys.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"

/* One file being read, for loop detection. */
struct include_frame {
	const struct include_frame *up;
	bool		has_id;		/* false for a string source */
	dev_t		dev;
	ino_t		ino;
};

struct tree_parser {
	struct conf_lexer lx;
	struct conf_file **files;
	const struct include_frame *frames;
	int		flags;
	int		depth;		/* includes */
	int		nest;		/* open blocks */
	char		*err;
	size_t		errlen;
};

static int tree_parse_body(struct tree_parser *, struct conf_block *,
    const struct conf_stmt *);

void
conf_wipe_free(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	explicit_bzero(buf, len);
	free(buf);
}

static void
stmt_free(struct conf_stmt *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nargs; i++)
		conf_wipe_free(st->args[i].text, st->args[i].len);
	free(st->args);
	free(st->key);
	conf_tree_free(st->block);
	free(st);
}

void
conf_tree_free(struct conf_block *blk)
{
	struct conf_stmt *st, *next;

	if (blk == NULL)
		return;
	for (st = blk->first; st != NULL; st = next) {
		next = st->next;
		stmt_free(st);
	}
	free(blk);
}

void
conf_files_free(struct conf_file *f)
{
	struct conf_file *next;

	for (; f != NULL; f = next) {
		next = f->next;
		free(f->name);
		free(f->dir);
		free(f);
	}
}

/* Record a file; its directory is the name up to the last '/'. */
static struct conf_file *
file_add(struct conf_file **files, const char *name, bool has_dir)
{
	struct conf_file *f;
	const char *slash = has_dir ? strrchr(name, '/') : NULL;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->name = strdup(name);
	f->dir = strndup(name, slash == NULL ? 0 : (size_t)(slash - name + 1));
	if (f->name == NULL || f->dir == NULL) {
		conf_files_free(f);
		return NULL;
	}
	f->next = *files;
	*files = f;
	return f;
}

char *
conf_path_resolve(const struct conf_file *from, const char *path)
{
	char *out;

	if (path[0] == '/' || from == NULL || from->dir[0] == '\0')
		return strdup(path);
	if (asprintf(&out, "%s%s", from->dir, path) == -1)
		return NULL;
	return out;
}

static int
read_fd(int fd, const char *path, size_t max, char **bufp, size_t *lenp,
    struct stat *st, char *reason, size_t reasonlen)
{
	char *buf;
	size_t size, len = 0;
	ssize_t n;

	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode)) {
		snprintf(reason, reasonlen, "cannot read \"%s\": %s", path,
		    errno != 0 ? strerror(errno) : "not a regular file");
		return -1;
	}
	if ((uintmax_t)st->st_size > max) {
		snprintf(reason, reasonlen, "cannot read \"%s\": larger than "
		    "%zu bytes", path, max);
		return -1;
	}
	size = (size_t)st->st_size;
	if ((buf = malloc(size + 1)) == NULL) {
		snprintf(reason, reasonlen, "out of memory");
		return -1;
	}
	while (len < size && (n = read(fd, buf + len, size - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(reason, reasonlen, "cannot read \"%s\": %s",
			    path, strerror(errno));
			conf_wipe_free(buf, size + 1);
			return -1;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
conf_read_file(const char *path, size_t max, char **bufp, size_t *lenp,
    struct stat *st, char *reason, size_t reasonlen)
{
	struct stat sb;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_NOCTTY)) == -1) {
		snprintf(reason, reasonlen, "cannot open \"%s\": %s", path,
		    strerror(errno));
		return -1;
	}
	errno = 0;
	rc = read_fd(fd, path, max, bufp, lenp, st != NULL ? st : &sb,
	    reason, reasonlen);
	close(fd);
	return rc;
}

/*
 * "lifetime 8h", "policy local ...": never more than the first argument,
 * never a string, and after "auth" only "psk" or "rsa", so that a
 * pre-shared key cannot end up in a message.
 */
static void
stmt_echo(const struct conf_stmt *st, char *buf, size_t len)
{
	const char *arg = "", *sep = "", *more = "";

	if (st->nargs > 0) {
		sep = " ";
		arg = st->args[0].quoted ? "\"...\"" : st->args[0].text;
		if (strcmp(st->key, "auth") == 0 && strcmp(arg, "psk") != 0 &&
		    strcmp(arg, "rsa") != 0)
			arg = "...";
		if (strlen(arg) > CONF_ECHO_MAX)
			more = "...";
	}
	if (st->nargs > 1)
		more = " ...";
	snprintf(buf, len, "%.*s%s%.*s%s", CONF_ECHO_MAX, st->key, sep,
	    CONF_ECHO_MAX, arg, more);
}

static int
stmt_add_arg(struct conf_stmt *st, struct conf_token *tok)
{
	struct conf_arg *args, *a;

	args = reallocarray(st->args, st->nargs + 1, sizeof(*args));
	if (args == NULL)
		return -1;
	st->args = args;
	a = &args[st->nargs++];
	a->text = tok->text;
	a->len = tok->len;
	a->quoted = tok->type == CONF_TOK_STRING;
	a->line = tok->line;
	a->col = tok->col;
	tok->text = NULL;
	return 0;
}

static int
tree_open_block(struct tree_parser *p, struct conf_stmt *st,
    const struct conf_token *tok)
{
	int rc;

	if (p->nest >= CONF_NEST_MAX) {
		conf_errorf(p->err, p->errlen, p->lx.file, tok->line, tok->col,
		    "blocks nested too deeply (more than %d levels)",
		    CONF_NEST_MAX);
		return -1;
	}
	if ((st->block = calloc(1, sizeof(*st->block))) == NULL) {
		conf_errorf(p->err, p->errlen, p->lx.file, tok->line, tok->col,
		    "out of memory");
		return -1;
	}
	st->block->file = p->lx.file;
	st->block->line = tok->line;
	st->block->col = tok->col;
	p->nest++;
	rc = tree_parse_body(p, st->block, st);
	p->nest--;
	return rc;
}

/* Arguments up to ';' or a block. */
static int
tree_parse_rest(struct tree_parser *p, struct conf_stmt *st)
{
	struct conf_token tok;
	char echo[128], got[64];

	for (;;) {
		if (conf_lex_next(&p->lx, &tok, p->err, p->errlen) == -1)
			return -1;
		switch (tok.type) {
		case CONF_TOK_WORD:
		case CONF_TOK_STRING:
			if (stmt_add_arg(st, &tok) == -1) {
				conf_token_clear(&tok);
				conf_errorf(p->err, p->errlen, p->lx.file,
				    tok.line, tok.col, "out of memory");
				return -1;
			}
			break;
		case CONF_TOK_SEMI:
			return 0;
		case CONF_TOK_LBRACE:
			return tree_open_block(p, st, &tok);
		default:
			stmt_echo(st, echo, sizeof(echo));
			conf_token_describe(&tok, got, sizeof(got));
			conf_errorf(p->err, p->errlen, p->lx.file, tok.line,
			    tok.col, "expected ';' after '%s', got %s", echo,
			    got);
			return -1;
		}
	}
}

static int
include_check_loop(struct tree_parser *p, const struct conf_stmt *st,
    const char *path, const struct stat *sb)
{
	const struct include_frame *fr;
	const struct conf_arg *a = &st->args[0];

	for (fr = p->frames; fr != NULL; fr = fr->up) {
		if (!fr->has_id || fr->dev != sb->st_dev ||
		    fr->ino != sb->st_ino)
			continue;
		if (fr == p->frames)
			conf_errorf(p->err, p->errlen, st->file, a->line,
			    a->col, "include loop: \"%s\" includes itself",
			    st->file->name);
		else
			conf_errorf(p->err, p->errlen, st->file, a->line,
			    a->col, "include loop: \"%s\" includes \"%s\", "
			    "which is already being read", st->file->name,
			    path);
		return -1;
	}
	return 0;
}

/* Parse the text of an included file into blk. */
static int
include_parse(struct tree_parser *p, struct conf_block *blk,
    const char *path, const char *text, size_t len, const struct stat *sb)
{
	struct conf_lexer saved = p->lx;
	struct include_frame fr;
	struct conf_file *f;
	int rc;

	if ((f = file_add(p->files, path, true)) == NULL) {
		snprintf(p->err, p->errlen, "out of memory");
		return -1;
	}
	fr.up = p->frames;
	fr.has_id = true;
	fr.dev = sb->st_dev;
	fr.ino = sb->st_ino;
	p->frames = &fr;
	p->depth++;
	conf_lex_init(&p->lx, text, len, f);
	rc = tree_parse_body(p, blk, NULL);
	p->depth--;
	p->frames = fr.up;
	p->lx = saved;
	return rc;
}

static int
tree_include(struct tree_parser *p, struct conf_block *blk,
    const struct conf_stmt *st)
{
	const struct conf_arg *a = st->args;
	char reason[512], *path, *text;
	struct stat sb;
	size_t len;
	int rc;

	if (p->flags & CONF_F_NO_INCLUDE) {
		conf_errorf(p->err, p->errlen, st->file, st->line, st->col,
		    "include is disabled here");
		return -1;
	}
	if (st->nargs != 1 || st->block != NULL) {
		conf_errorf(p->err, p->errlen, st->file, st->line, st->col,
		    "expected 'include \"FILE\";'");
		return -1;
	}
	if (p->depth >= CONF_INCLUDE_DEPTH_MAX) {
		conf_errorf(p->err, p->errlen, st->file, a->line, a->col,
		    "includes nested too deeply (more than %d levels)",
		    CONF_INCLUDE_DEPTH_MAX);
		return -1;
	}
	if ((path = conf_path_resolve(st->file, a->text)) == NULL) {
		conf_errorf(p->err, p->errlen, st->file, a->line, a->col,
		    "out of memory");
		return -1;
	}
	if (conf_read_file(path, CONF_FILE_SIZE_MAX, &text, &len, &sb,
	    reason, sizeof(reason)) == -1) {
		conf_errorf(p->err, p->errlen, st->file, a->line, a->col, "%s",
		    reason);
		free(path);
		return -1;
	}
	rc = include_check_loop(p, st, path, &sb);
	if (rc == 0)
		rc = include_parse(p, blk, path, text, len, &sb);
	conf_wipe_free(text, len + 1);
	free(path);
	return rc;
}

static int
tree_parse_stmt(struct tree_parser *p, struct conf_block *blk,
    struct conf_token *keytok)
{
	struct conf_stmt *st;
	int rc;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		conf_errorf(p->err, p->errlen, p->lx.file, keytok->line,
		    keytok->col, "out of memory");
		return -1;
	}
	st->key = keytok->text;
	keytok->text = NULL;
	st->file = p->lx.file;
	st->line = keytok->line;
	st->col = keytok->col;
	if (tree_parse_rest(p, st) == -1) {
		stmt_free(st);
		return -1;
	}
	if (strcmp(st->key, "include") == 0) {
		rc = tree_include(p, blk, st);
		stmt_free(st);
		return rc;
	}
	if (blk->last == NULL)
		blk->first = st;
	else
		blk->last->next = st;
	blk->last = st;
	return 0;
}

static int
tree_unclosed(struct tree_parser *p, const struct conf_token *tok,
    const struct conf_stmt *open)
{
	char echo[128];

	stmt_echo(open, echo, sizeof(echo));
	conf_errorf(p->err, p->errlen, p->lx.file, tok->line, tok->col,
	    "expected '}' closing '%s' (opened at %s:%d:%d), got end of file",
	    echo, open->block->file->name, open->block->line,
	    open->block->col);
	return -1;
}

/* Statements up to '}' (open != NULL) or the end of the file. */
static int
tree_parse_body(struct tree_parser *p, struct conf_block *blk,
    const struct conf_stmt *open)
{
	struct conf_token tok;
	char got[64];

	for (;;) {
		if (conf_lex_next(&p->lx, &tok, p->err, p->errlen) == -1)
			return -1;
		switch (tok.type) {
		case CONF_TOK_EOF:
			if (open != NULL)
				return tree_unclosed(p, &tok, open);
			return 0;
		case CONF_TOK_RBRACE:
			if (open != NULL)
				return 0;
			conf_errorf(p->err, p->errlen, p->lx.file, tok.line,
			    tok.col, "unexpected '}' (no block is open)");
			return -1;
		case CONF_TOK_WORD:
			if (tree_parse_stmt(p, blk, &tok) == -1)
				return -1;
			break;
		default:
			conf_token_describe(&tok, got, sizeof(got));
			conf_token_clear(&tok);
			conf_errorf(p->err, p->errlen, p->lx.file, tok.line,
			    tok.col, "expected a key, got %s", got);
			return -1;
		}
	}
}

static int
tree_build_text(struct tree_parser *p, struct conf_block *root,
    const char *name, const char *text, size_t len,
    const struct include_frame *fr)
{
	struct conf_file *f;

	if ((f = file_add(p->files, name, fr->has_id)) == NULL) {
		snprintf(p->err, p->errlen, "out of memory");
		return -1;
	}
	root->file = f;
	root->line = 1;
	root->col = 1;
	p->frames = fr;
	conf_lex_init(&p->lx, text, len, f);
	return tree_parse_body(p, root, NULL);
}

static int
tree_build_src(struct tree_parser *p, struct conf_block *root,
    const struct conf_tree_src *src)
{
	struct include_frame fr = { NULL, false, 0, 0 };
	struct stat sb;
	char *text;
	size_t len;
	int rc;

	if (src->text != NULL) {
		len = strlen(src->text);
		if (len > CONF_FILE_SIZE_MAX) {
			snprintf(p->err, p->errlen, "%s: larger than %d bytes",
			    src->name, CONF_FILE_SIZE_MAX);
			return -1;
		}
		return tree_build_text(p, root, src->name, src->text, len,
		    &fr);
	}
	if (conf_read_file(src->path, CONF_FILE_SIZE_MAX, &text, &len, &sb,
	    p->err, p->errlen) == -1)
		return -1;
	fr.has_id = true;
	fr.dev = sb.st_dev;
	fr.ino = sb.st_ino;
	rc = tree_build_text(p, root, src->name, text, len, &fr);
	conf_wipe_free(text, len + 1);
	return rc;
}

struct conf_block *
conf_tree_build(const struct conf_tree_src *src, struct conf_file **files,
    char *err, size_t errlen)
{
	struct tree_parser p;
	struct conf_block *root;

	memset(&p, 0, sizeof(p));
	p.files = files;
	p.flags = src->flags;
	p.err = err;
	p.errlen = errlen;
	if ((root = calloc(1, sizeof(*root))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (tree_build_src(&p, root, src) == -1) {
		conf_tree_free(root);
		return NULL;
	}
	return root;
}
