/*
 * Listening AF_UNIX sockets for pfkeyemud (listen.c).
 */
#ifndef OAKLEY_EMU_LISTEN_H
#define OAKLEY_EMU_LISTEN_H

/* Non-blocking and close-on-exec; 0 or an errno. */
int	emu_fd_setup(int fd);
/* Bind and listen on path (mode 0600, stale file removed); 0 or errno. */
int	emu_unix_listen(const char *path, int type, int *fdp);

#endif /* OAKLEY_EMU_LISTEN_H */
