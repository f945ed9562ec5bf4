/*
 * pfktool: a test-only PF_KEY client for the pfkeyemud shell tests.
 * Shared declarations of its files: pfktool.c (main, SADB commands),
 * pfktool_listen.c (waiting for kernel messages), pfktool_spd.c (SPD
 * commands), pfktool_fuzz.c (raw and random messages), pfktool_print.c
 * (the one-line output formats the tests assert on).
 */
#ifndef OAKLEY_PFKTOOL_H
#define OAKLEY_PFKTOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pfkey.h"

struct tool {
	const char		*path;		/* pfkeyemud PF_KEY socket */
	struct pfkey_session	*s;
	int			 timeout_ms;
};

/* pfktool.c: helpers shared by the commands. */
int	tool_fail(int error);			/* prints error=NAME, 1 */
const char *tool_errname(int error);
int	tool_usage(const char *what);		/* prints usage, 2 */
int	tool_parse_u32(const char *, uint32_t *);
int	tool_parse_u64(const char *, uint64_t *);
int	tool_parse_host(struct pfkey_addr *, const char *);
int	tool_satype(const char *);		/* -1 if unknown */
int	tool_request(struct tool *, struct pfkey_msg *req,
	    struct pfkey_msg *reply);
int	tool_raw_connect(const char *path);	/* fd or -1 */
int	tool_hex_decode(const char *hex, uint8_t *buf, size_t size);

/* pfktool_print.c */
const char *print_satype(unsigned);
const char *print_ealg(unsigned);
const char *print_aalg(unsigned);
int	print_ealg_by_name(const char *);
int	print_aalg_by_name(const char *);
const char *print_type(unsigned);
int	print_type_by_name(const char *);
void	print_host(FILE *, const struct pfkey_addr *);
void	print_selector(FILE *, const struct pfkey_addr *);
void	print_sa_line(FILE *, const struct pfkey_msg *);
void	print_policy_line(FILE *, const struct pfkey_msg *);
void	print_event_line(FILE *, const struct pfkey_msg *);

/* pfktool_listen.c */
int	cmd_listen(struct tool *, int argc, char **argv, bool reg);
int	cmd_promisc_listen(struct tool *, int argc, char **argv);

/* pfktool_spd.c */
int	cmd_spdadd(struct tool *, int argc, char **argv, uint8_t type);
int	cmd_spddelete(struct tool *, int argc, char **argv);
int	cmd_spddelete2(struct tool *, int argc, char **argv);
int	cmd_spdget(struct tool *, int argc, char **argv);
int	cmd_spddump(struct tool *, int argc, char **argv);
int	cmd_spdflush(struct tool *, int argc, char **argv);

/* pfktool_fuzz.c */
int	cmd_raw(struct tool *, int argc, char **argv);
int	cmd_fuzzsend(struct tool *, int argc, char **argv);
int	cmd_noread(struct tool *, int argc, char **argv);

#endif /* OAKLEY_PFKTOOL_H */
