/*
 * libFuzzer target for the libpfkey codec: the input is decoded with both
 * dialects in both directions.  A failure must carry one of the
 * documented errnos and a reason; a success is re-encoded (into a full
 * buffer, which must work, and into a short one, which may only fail with
 * ENOBUFS), and the re-encoding decoded again, which must succeed and
 * give the same message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pfkey.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Re-encodings can be slightly longer (an identity gains its NUL). */
static uint8_t enc[2 * PFKEY_BUFSIZE];

static void
check_failure(int rc, const struct pfkey_error *err)
{
	if (rc != EINVAL && rc != EMSGSIZE && rc != EAFNOSUPPORT)
		abort();
	if (err->code != rc || err->reason[0] == '\0')
		abort();
	if (memchr(err->reason, '\0', sizeof(err->reason)) == NULL)
		abort();
}

/* Equal as decoded messages: the inner pointer compared by content. */
static int
same_msg(const struct pfkey_msg *a, const struct pfkey_msg *b)
{
	struct pfkey_msg x = *a, y = *b;

	if (a->inner_len != b->inner_len)
		return 0;
	if (a->inner_len > 0 && memcmp(a->inner, b->inner, a->inner_len) != 0)
		return 0;
	x.inner = y.inner = NULL;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

static void
short_encode(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    size_t full)
{
	struct pfkey_error err;
	size_t n;
	int rc;

	if (full == 0)
		return;
	rc = pfkey_msg_encode(m, d, enc, full - 1, &n, &err);
	if (rc != ENOBUFS || n != 0)
		abort();
}

static void
one(const uint8_t *data, size_t size, const struct pfkey_dialect *d,
    enum pfkey_direction dir)
{
	static struct pfkey_msg m, again;
	struct pfkey_error err;
	size_t n;
	int rc;

	rc = pfkey_msg_decode(data, size, d, dir, &m, &err);
	if (rc != 0) {
		check_failure(rc, &err);
		return;
	}
	(void)pfkey_msg_type_name(m.type);
	(void)pfkey_satype_name(m.satype);
	if (pfkey_msg_check_required(&m, dir, &err) != 0)
		abort();
	if (pfkey_msg_encode(&m, d, enc, sizeof(enc), &n, &err) != 0)
		abort();
	if (pfkey_msg_decode(enc, n, d, dir, &again, &err) != 0)
		abort();
	if (!same_msg(&m, &again))
		abort();
	short_encode(&m, d, n);
	pfkey_msg_clear(&m);
	pfkey_msg_clear(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, &pfkey_dialect_freebsd, PFKEY_TO_KERNEL);
	one(data, size, &pfkey_dialect_freebsd, PFKEY_FROM_KERNEL);
	one(data, size, &pfkey_dialect_linux, PFKEY_TO_KERNEL);
	one(data, size, &pfkey_dialect_linux, PFKEY_FROM_KERNEL);
	return 0;
}
