/*
 * Listening AF_UNIX sockets for pfkeyemud: stale socket files are
 * removed (a live one, answered by another daemon, is not), the new
 * socket is created mode 0600, non-blocking and close-on-exec.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#include "listen.h"
#include "log.h"

int
emu_fd_setup(int fd)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return errno;
	if ((flags = fcntl(fd, F_GETFD)) == -1 ||
	    fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
		return errno;
	return 0;
}

static int
fill_sun(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return ENAMETOOLONG;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/* Remove a socket file nobody answers on; refuse a live one. */
static int
remove_stale(const char *path, int type)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, live;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_err("%s exists and is not a socket", path);
		return EEXIST;
	}
	if (fill_sun(&sun, path) != 0)
		return ENAMETOOLONG;
	if ((fd = socket(AF_UNIX, type, 0)) == -1)
		return errno;
	live = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	if (live) {
		log_err("%s: another daemon is listening on it", path);
		return EADDRINUSE;
	}
	log_info("removing stale socket %s", path);
	if (unlink(path) == -1 && errno != ENOENT)
		return errno;
	return 0;
}

int
emu_unix_listen(const char *path, int type, int *fdp)
{
	struct sockaddr_un sun;
	mode_t omask;
	int fd, error;

	if ((error = fill_sun(&sun, path)) != 0) {
		log_err("%s: path too long for a unix socket", path);
		return error;
	}
	if ((error = remove_stale(path, type)) != 0)
		return error;
	if ((fd = socket(AF_UNIX, type, 0)) == -1)
		return errno;
	omask = umask(077);
	error = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ?
	    errno : 0;
	umask(omask);
	if (error == 0 && chmod(path, 0600) == -1)
		error = errno;
	if (error == 0 && listen(fd, 128) == -1)
		error = errno;
	if (error == 0)
		error = emu_fd_setup(fd);
	if (error != 0) {
		log_err("%s: %s", path, strerror(error));
		close(fd);
		return error;
	}
	*fdp = fd;
	return 0;
}
