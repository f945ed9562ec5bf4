/*
 * Internals shared by the setkey lexer (setkey_lex.c), the value parsers
 * (setkey_value.c), the algorithm table (setkey_alg.c) and the command
 * parsers (setkey_parse.c for SAs, setkey_spd.c for policies).  Not for
 * use outside daemon/oakleyctl/setkey_*.c.
 */
#ifndef OAKLEY_SETKEY_INT_H
#define OAKLEY_SETKEY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "setkey.h"

/* Longest word copied for interpretation (an address with scope, ...). */
#define SETKEY_WORD_MAX	128

/* setkey_lex.c */
const struct setkey_token *setkey_peek(struct setkey_parser *);
struct setkey_token setkey_take(struct setkey_parser *);
bool	setkey_tok_is(const struct setkey_token *, const char *word);
bool	setkey_tok_is_option(const struct setkey_token *);
/* Record "FILE:LINE:COL: message" (the first error of a command wins). */
int	setkey_fail_at(struct setkey_parser *, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	setkey_fail(struct setkey_parser *, const struct setkey_token *,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "syntax error: expected WHAT, got 'TOKEN'" at the token. */
int	setkey_expected(struct setkey_parser *, const struct setkey_token *,
	    const char *what);
/* Quote a token for a message, without ever showing key material. */
void	setkey_describe(const struct setkey_token *, char *buf, size_t size);
void	setkey_describe_text(const char *text, size_t len, char *buf,
	    size_t size);
/* Take a ';' or fail with "expected WHAT". */
int	setkey_end(struct setkey_parser *, const char *what);
void	setkey_reset_error(struct setkey_parser *, struct setkey_error *);

/* setkey_value.c */
enum setkey_num {
	SETKEY_NUM_OK,
	SETKEY_NUM_BAD,
	SETKEY_NUM_RANGE
};
enum setkey_num setkey_parse_u64(const char *text, size_t len, uint64_t max,
	    uint64_t *out);
/* Take a word holding a decimal or 0x number no greater than max. */
int	setkey_number(struct setkey_parser *, const char *what, uint64_t max,
	    uint64_t *out);
/* Take a word holding an address, or "(-4|-6|-n)" flags before it. */
int	setkey_family_flags(struct setkey_parser *, int *family);
/* Take "ADDR" or "ADDR[PORT]" (SA commands). */
int	setkey_sa_address(struct setkey_parser *, const char *role, int family,
	    struct pfkey_addr *, bool *has_port);
/* Take "ADDR[/PREFIX][[PORT|any]]" (policy selectors). */
int	setkey_range(struct setkey_parser *, const char *role, int family,
	    struct pfkey_addr *);
/* Parse len bytes at text (column col of the current line) as an address. */
int	setkey_address_text(struct setkey_parser *, const char *text,
	    size_t len, unsigned line, unsigned col, const char *role,
	    int family, struct pfkey_addr *);
/* Take a key: 0x hex digits or a "quoted string". */
int	setkey_key(struct setkey_parser *, const char *alg,
	    struct pfkey_key *, struct setkey_token *where);

/* setkey_alg.c */
struct setkey_alg {
	const char	*name;
	uint8_t		id;
	bool		aead;		/* combined mode: no -A with it */
	unsigned	nsizes;		/* key sizes listed in sizes[] ... */
	uint16_t	sizes[3];
	uint16_t	minbits, maxbits; /* ... else any multiple of 8 here */
};
const struct setkey_alg *setkey_ealg_find(const struct setkey_token *);
const struct setkey_alg *setkey_aalg_find(const struct setkey_token *);
const struct setkey_alg *setkey_calg_find(const struct setkey_token *);
bool	setkey_alg_key_ok(const struct setkey_alg *, unsigned bits);
void	setkey_alg_sizes(const struct setkey_alg *, char *buf, size_t size);

/* setkey_parse.c (SA commands) and setkey_spd.c (policy commands) */
int	setkey_parse_add(struct setkey_parser *, struct setkey_cmd *);
int	setkey_parse_sa_ref(struct setkey_parser *, struct setkey_cmd *);
int	setkey_parse_spd(struct setkey_parser *, struct setkey_cmd *);
int	setkey_parse_spddelete(struct setkey_parser *, struct setkey_cmd *);
/* Protocol word (esp, esp-udp, ah, ipcomp) -> satype; *natt for esp-udp. */
int	setkey_protocol(struct setkey_parser *, uint8_t *satype, bool *natt);

#endif /* OAKLEY_SETKEY_INT_H */
