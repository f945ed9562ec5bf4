/*
 * Small helpers shared by the atf-c unit tests.
 */
#include <ctype.h>

#include "testutil.h"

static int
tu_hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
tu_hex_decode(const char *hex, uint8_t *buf, size_t bufsize)
{
	size_t n = 0;
	int hi, lo;

	while (*hex != '\0') {
		if (isspace((unsigned char)*hex)) {
			hex++;
			continue;
		}
		hi = tu_hex_nibble((unsigned char)hex[0]);
		lo = hex[1] == '\0' ? -1 : tu_hex_nibble((unsigned char)hex[1]);
		if (hi < 0 || lo < 0 || n >= bufsize)
			return -1;
		buf[n++] = (uint8_t)(hi << 4 | lo);
		hex += 2;
	}
	return (int)n;
}
