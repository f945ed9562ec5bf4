/*
 * JSON text for the control socket's "json" answers: string escaping
 * (RFC 8259) and object keys.  Valid UTF-8 passes through; a byte that
 * does not start or continue a valid sequence becomes U+FFFD, so the
 * output is always valid JSON whatever a name contains.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "ctl.h"

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629 table 3). */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void
json_escape_byte(struct evbuffer *out, unsigned char c)
{
	switch (c) {
	case '"':
		evbuffer_add(out, "\\\"", 2);
		break;
	case '\\':
		evbuffer_add(out, "\\\\", 2);
		break;
	case '\n':
		evbuffer_add(out, "\\n", 2);
		break;
	case '\r':
		evbuffer_add(out, "\\r", 2);
		break;
	case '\t':
		evbuffer_add(out, "\\t", 2);
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			evbuffer_add_printf(out, "\\u%04x", c);
		else
			evbuffer_add(out, &c, 1);
		break;
	}
}

void
json_string(struct evbuffer *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	if (str == NULL) {
		evbuffer_add(out, "null", 4);
		return;
	}
	evbuffer_add(out, "\"", 1);
	while (*s != '\0') {
		n = utf8_len(s);
		if (n == 0) {
			evbuffer_add(out, "\\ufffd", 6);
			s++;
		} else if (n == 1) {
			json_escape_byte(out, *s++);
		} else {
			evbuffer_add(out, s, n);
			s += n;
		}
	}
	evbuffer_add(out, "\"", 1);
}

void
json_key(struct evbuffer *out, const char *key, bool first)
{
	if (!first)
		evbuffer_add(out, ",", 1);
	json_string(out, key);
	evbuffer_add(out, ":", 1);
}
