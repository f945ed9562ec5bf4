/*
 * pfkeyemud's virtual clock and random numbers.
 *
 * Emulator time is the wall clock plus an offset that only grows (the
 * traffic command "advance N"), so tests can cross a 30 s larval timeout
 * or a one-hour lifetime without waiting.  Random numbers (SPIs) come
 * from a xorshift64* generator seeded with getentropy(); they need to be
 * unpredictable enough for a test kernel, not for cryptography.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

static uint64_t	clock_offset;
static uint64_t	random_state = 0x9e3779b97f4a7c15ULL;

time_t
emu_now(void)
{
	return time(NULL) + (time_t)clock_offset;
}

int
emu_clock_advance(uint64_t secs)
{
	if (secs > EMU_ADVANCE_MAX || clock_offset > EMU_ADVANCE_MAX * 100)
		return ERANGE;
	clock_offset += secs;
	return 0;
}

void
emu_random_init(void)
{
	uint64_t seed = 0;

	if (getentropy(&seed, sizeof(seed)) == -1)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (seed == 0)
		seed = 0x9e3779b97f4a7c15ULL;
	random_state = seed;
}

uint32_t
emu_random(void)
{
	uint64_t x = random_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	random_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}
