/*
 * Small helpers shared by the atf-c unit tests.
 */
#include <atf-c.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "plugin.h"
#include "testutil.h"

#define TU_STDERR_FILE	"stderr.txt"

static int tu_saved_stderr = -1;

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

void
tu_srcdir_path(const char *srcdir, const char *rel, char *out, size_t outlen)
{
	char path[PATH_MAX], real[PATH_MAX];

	ATF_REQUIRE((size_t)snprintf(path, sizeof(path), "%s/%s", srcdir,
	    rel) < sizeof(path));
	ATF_REQUIRE_MSG(realpath(path, real) != NULL, "%s", path);
	ATF_REQUIRE(strlen(real) < outlen);
	memcpy(out, real, strlen(real) + 1);
}

int
tu_plugin_load(const char *dir, const char *name, char *err, size_t errlen)
{
	struct conf_plugin_block pb = { .name = (char *)name };

	return plugin_load(dir, &pb, err, errlen);
}

int
tu_plugin_load_conf(const char *dir, const char *text, char *err,
    size_t errlen)
{
	struct config *cfg;
	int rc;

	cfg = conf_parse_string(text, "test.conf", err, errlen);
	ATF_REQUIRE_MSG(cfg != NULL, "%s", err);
	free(cfg->plugin_dir);
	ATF_REQUIRE((cfg->plugin_dir = strdup(dir)) != NULL);
	rc = plugin_load_config(cfg, err, errlen);
	conf_free(cfg);
	return rc;
}

void
tu_stderr_start(void)
{
	int fd;

	fflush(stderr);
	ATF_REQUIRE(tu_saved_stderr == -1);
	ATF_REQUIRE((tu_saved_stderr = dup(STDERR_FILENO)) != -1);
	ATF_REQUIRE((fd = open(TU_STDERR_FILE, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) != -1);
	close(fd);
}

void
tu_stderr_end(char *buf, size_t len)
{
	FILE *fp;
	size_t n;

	ATF_REQUIRE(tu_saved_stderr != -1 && len > 0);
	fflush(stderr);
	ATF_REQUIRE(dup2(tu_saved_stderr, STDERR_FILENO) != -1);
	close(tu_saved_stderr);
	tu_saved_stderr = -1;
	ATF_REQUIRE((fp = fopen(TU_STDERR_FILE, "r")) != NULL);
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

size_t
tu_count(const char *text, const char *needle)
{
	size_t n = 0;

	if (*needle == '\0')
		return 0;
	while ((text = strstr(text, needle)) != NULL) {
		n++;
		text += strlen(needle);
	}
	return n;
}
