/*
 * setkey syntax: the values inside words -- numbers, addresses with their
 * [port] and /prefix parts, address-family flags and keys.  Every part of
 * a word is length-checked before it is read, and errors point at the
 * column where the bad part starts.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "setkey_int.h"

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
has_hex_prefix(const char *text, size_t len)
{
	return len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

enum setkey_num
setkey_parse_u64(const char *text, size_t len, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i;
	int d;

	if (has_hex_prefix(text, len)) {
		base = 16;
		text += 2;
		len -= 2;
	}
	if (len == 0)
		return SETKEY_NUM_BAD;
	for (i = 0; i < len; i++) {
		d = base == 16 ? hex_value(text[i]) :
		    isdigit((unsigned char)text[i]) ? text[i] - '0' : -1;
		if (d < 0)
			return SETKEY_NUM_BAD;
	}
	for (i = 0; i < len; i++) {
		d = hex_value(text[i]);
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return SETKEY_NUM_RANGE;
		v = v * base + (uint64_t)d;
	}
	if (v > max)
		return SETKEY_NUM_RANGE;
	*out = v;
	return SETKEY_NUM_OK;
}

/* Interpret len bytes of a word at column col as a number. */
static int
number_text(struct setkey_parser *p, const char *text, size_t len,
    unsigned line, unsigned col, const char *what, uint64_t max,
    uint64_t *out)
{
	char shown[64];

	setkey_describe_text(text, len, shown, sizeof(shown));
	switch (setkey_parse_u64(text, len, max, out)) {
	case SETKEY_NUM_OK:
		return 0;
	case SETKEY_NUM_RANGE:
		return setkey_fail_at(p, line, col,
		    "%s %s out of range (0 to %" PRIu64 ")", what, shown, max);
	default:
		return setkey_fail_at(p, line, col,
		    "syntax error: expected %s (decimal or 0x hex), got %s",
		    what, shown);
	}
}

int
setkey_number(struct setkey_parser *p, const char *what, uint64_t max,
    uint64_t *out)
{
	struct setkey_token t;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, what);
	return number_text(p, t.text, t.len, t.line, t.col, what, max, out);
}

int
setkey_family_flags(struct setkey_parser *p, int *family)
{
	const struct setkey_token *t;
	int want;

	*family = 0;
	for (;;) {
		t = setkey_peek(p);
		if (setkey_tok_is(t, "-n")) {
			setkey_take(p);
			continue;
		}
		if (setkey_tok_is(t, "-4"))
			want = AF_INET;
		else if (setkey_tok_is(t, "-6"))
			want = AF_INET6;
		else
			return 0;
		if (*family != 0 && *family != want)
			return setkey_fail(p, t, "-4 and -6 exclude each other");
		*family = want;
		setkey_take(p);
	}
}

/* No ':' and a letter somewhere: the user wrote a host name. */
static bool
looks_like_hostname(const char *s)
{
	bool letter = false;

	for (; *s != '\0'; s++) {
		if (*s == ':' || *s == '%')
			return false;
		if (isalpha((unsigned char)*s))
			letter = true;
	}
	return letter;
}

static int
address_family_check(struct setkey_parser *p, unsigned line, unsigned col,
    const char *role, const char *text, int family,
    const struct pfkey_addr *a)
{
	if (family == 0 || a->family == family)
		return 0;
	return setkey_fail_at(p, line, col, "%s '%s' is not an %s address (%s)",
	    role, text, family == AF_INET ? "IPv4" : "IPv6",
	    family == AF_INET ? "-4" : "-6");
}

int
setkey_address_text(struct setkey_parser *p, const char *text, size_t len,
    unsigned line, unsigned col, const char *role, int family,
    struct pfkey_addr *a)
{
	char buf[SETKEY_WORD_MAX], shown[64];

	if (len == 0)
		return setkey_fail_at(p, line, col,
		    "syntax error: missing %s", role);
	setkey_describe_text(text, len, shown, sizeof(shown));
	if (len >= sizeof(buf))
		return setkey_fail_at(p, line, col, "bad %s %s: too long",
		    role, shown);
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (pfkey_addr_parse(a, buf) != 0) {
		if (looks_like_hostname(buf))
			return setkey_fail_at(p, line, col, "bad %s %s: host "
			    "names are not resolved, give a numeric address",
			    role, shown);
		return setkey_fail_at(p, line, col, "bad %s %s", role, shown);
	}
	if (address_family_check(p, line, col, role, buf, family, a) != 0)
		return -1;
	a->port = 0;
	a->prefixlen = (uint8_t)pfkey_addr_bits(a);
	a->proto = PFKEY_ULPROTO_ANY;
	return 0;
}

/* "[PORT]" or "[any]" at text (the '[' included) up to the end. */
static int
port_text(struct setkey_parser *p, const char *text, size_t len,
    unsigned line, unsigned col, bool any_ok, uint16_t *port)
{
	char shown[64];
	uint64_t v;

	if (len < 2 || text[len - 1] != ']')
		return setkey_fail_at(p, line, col + (unsigned)len,
		    "syntax error: expected ']' to close the port");
	text++;
	len -= 2;
	if (any_ok && len == 3 && memcmp(text, "any", 3) == 0) {
		*port = PFKEY_PORT_ANY;
		return 0;
	}
	setkey_describe_text(text, len, shown, sizeof(shown));
	switch (setkey_parse_u64(text, len, UINT16_MAX, &v)) {
	case SETKEY_NUM_OK:
		*port = (uint16_t)v;
		return 0;
	case SETKEY_NUM_RANGE:
		return setkey_fail_at(p, line, col + 1,
		    "port %s out of range (0 to 65535)", shown);
	default:
		return setkey_fail_at(p, line, col + 1,
		    "syntax error: expected port%s, got %s",
		    any_ok ? " or 'any'" : "", shown);
	}
}

int
setkey_sa_address(struct setkey_parser *p, const char *role, int family,
    struct pfkey_addr *a, bool *has_port)
{
	struct setkey_token t;
	const char *bracket;
	size_t alen;
	uint16_t port;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, role);
	bracket = memchr(t.text, '[', t.len);
	alen = bracket != NULL ? (size_t)(bracket - t.text) : t.len;
	if (setkey_address_text(p, t.text, alen, t.line, t.col, role, family,
	    a) != 0)
		return -1;
	*has_port = bracket != NULL;
	if (bracket == NULL)
		return 0;
	if (port_text(p, bracket, t.len - alen, t.line, t.col + (unsigned)alen,
	    false, &port) != 0)
		return -1;
	a->port = port;
	return 0;
}

static int
prefix_text(struct setkey_parser *p, const char *text, size_t len,
    unsigned line, unsigned col, struct pfkey_addr *a)
{
	uint64_t v;
	size_t bits = pfkey_addr_bits(a);

	if (number_text(p, text, len, line, col, "prefix length", 255,
	    &v) != 0)
		return -1;
	if (v > bits)
		return setkey_fail_at(p, line, col, "prefix length %" PRIu64
		    " out of range for %s (0 to %zu)", v,
		    bits == 32 ? "IPv4" : "IPv6", bits);
	a->prefixlen = (uint8_t)v;
	return 0;
}

int
setkey_range(struct setkey_parser *p, const char *role, int family,
    struct pfkey_addr *a)
{
	struct setkey_token t;
	const char *bracket, *slash;
	size_t alen, plen;

	t = setkey_take(p);
	if (t.kind != SETKEY_TOK_WORD)
		return setkey_expected(p, &t, role);
	bracket = memchr(t.text, '[', t.len);
	plen = bracket != NULL ? (size_t)(bracket - t.text) : t.len;
	slash = memchr(t.text, '/', plen);
	alen = slash != NULL ? (size_t)(slash - t.text) : plen;
	if (setkey_address_text(p, t.text, alen, t.line, t.col, role, family,
	    a) != 0)
		return -1;
	if (slash != NULL && prefix_text(p, slash + 1, plen - alen - 1, t.line,
	    t.col + (unsigned)alen + 1, a) != 0)
		return -1;
	if (bracket != NULL && port_text(p, bracket, t.len - plen, t.line,
	    t.col + (unsigned)plen, true, &a->port) != 0)
		return -1;
	return 0;
}

static int
key_hex(struct setkey_parser *p, const struct setkey_token *t,
    const char *alg, struct pfkey_key *key)
{
	size_t digits = t->len - 2, i;
	int hi, lo;

	if (digits % 2 != 0)
		return setkey_fail(p, t, "key for %s has an odd number of hex "
		    "digits (%zu)", alg, digits);
	if (digits / 2 > PFKEY_KEY_MAX)
		return setkey_fail(p, t, "key for %s too long: %zu bytes "
		    "(at most %d)", alg, digits / 2, PFKEY_KEY_MAX);
	for (i = 0; i < digits; i += 2) {
		hi = hex_value(t->text[2 + i]);
		lo = hex_value(t->text[3 + i]);
		if (hi < 0 || lo < 0) {
			explicit_bzero(key->data, sizeof(key->data));
			return setkey_fail_at(p, t->line, t->col + 2 +
			    (unsigned)i + (hi < 0 ? 0 : 1),
			    "key for %s: bad hex digit", alg);
		}
		key->data[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	key->bits = (uint16_t)(digits / 2 * 8);
	return 0;
}

static int
key_string(struct setkey_parser *p, const struct setkey_token *t,
    const char *alg, struct pfkey_key *key)
{
	if (t->len > PFKEY_KEY_MAX)
		return setkey_fail(p, t, "key for %s too long: %zu bytes "
		    "(at most %d)", alg, t->len, PFKEY_KEY_MAX);
	memcpy(key->data, t->text, t->len);
	key->bits = (uint16_t)(t->len * 8);
	return 0;
}

int
setkey_key(struct setkey_parser *p, const char *alg, struct pfkey_key *key,
    struct setkey_token *where)
{
	char what[64];

	*where = setkey_take(p);
	memset(key, 0, sizeof(*key));
	if (where->kind == SETKEY_TOK_STRING)
		return key_string(p, where, alg, key);
	if (where->kind == SETKEY_TOK_WORD &&
	    has_hex_prefix(where->text, where->len))
		return key_hex(p, where, alg, key);
	snprintf(what, sizeof(what), "key for %s (0x hex or \"string\")", alg);
	return setkey_expected(p, where, what);
}
