/*
 * Small helpers shared by the atf-c unit tests.  Append what you need;
 * keep each helper short and documented.
 */
#ifndef OAKLEY_TESTUTIL_H
#define OAKLEY_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Parse "0a0b.." (spaces allowed) into buf; returns bytes or -1. */
int	tu_hex_decode(const char *hex, uint8_t *buf, size_t bufsize);

#endif /* OAKLEY_TESTUTIL_H */
