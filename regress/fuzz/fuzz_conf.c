/*
 * libFuzzer target for the oakleyd.conf parser: the input, as a
 * NUL-terminated string, through conf_parse_string_flags with include and
 * "psk file" disabled, then conf_print and conf_peer_equal on what
 * parsed, so the whole result is walked under ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
walk(const struct config *conf)
{
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (null != NULL) {
		conf_print(null, conf);
		fclose(null);
	}
	for (i = 0; i < conf->npeers; i++)
		if (!conf_peer_equal(&conf->peers[i], &conf->peers[i]))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *conf;
	char err[512], *text;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	conf = conf_parse_string_flags(text, "fuzz.conf",
	    CONF_F_NO_INCLUDE | CONF_F_NO_FILES, err, sizeof(err));
	if (conf != NULL)
		walk(conf);
	else if (strncmp(err, "fuzz.conf:", 10) != 0 &&
	    strcmp(err, "out of memory") != 0)
		abort();	/* every parse error names its position */
	conf_free(conf);
	free(text);
	return 0;
}
