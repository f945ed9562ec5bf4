/*
 * Helpers shared by the setkey-style printers (print.c, print_sa.c,
 * print_policy.c).  Private to libpfkey; not part of the pfkey.h contract.
 */
#ifndef OAKLEY_PFKEY_PRINT_LOCAL_H
#define OAKLEY_PFKEY_PRINT_LOCAL_H

#include "pfkey.h"

#define PR_ADDRSTRLEN	80	/* address, "%" and an interface name */
#define PR_TIMESTRLEN	32	/* "Nov 23 10:00:00 2026" and room */

/* Numeric address as getnameinfo(NI_NUMERICHOST) writes it. */
const char *pfkey_pr_addr(const struct pfkey_addr *, char *buf, size_t size);
/* "%b %e %T %Y" in local time; 20 spaces for 0 (never). */
const char *pfkey_pr_time(uint64_t t, char *buf, size_t size);
/* Name from a table indexed by value, else the number: "esp", "7". */
const char *pfkey_pr_table(const char *const *table, size_t n,
	    unsigned value, char *buf, size_t size);
/* setkey's SA type words: "esp", "ah", "ipcomp", ... */
const char *pfkey_pr_satype(unsigned satype, char *buf, size_t size);
/* " 01234567 89abcdef ...": a space before each 4-byte group, a newline
 * after each 32 bytes (KAME ipsec_hexdump layout). */
void	pfkey_pr_hexdump(FILE *, const uint8_t *data, size_t len);

/* The SA body; strict follows setkey -D (SA2 required). */
void	pfkey_pr_sa_body(FILE *, const struct pfkey_msg *, time_t now,
	    bool strict);

#endif /* OAKLEY_PFKEY_PRINT_LOCAL_H */
