/*
 * pfkeyemud's SA table: storage in creation order (oldest first), the
 * lookups the messages and the data plane need, SPI allocation, traffic
 * accounting, and the lifetime checks (FreeBSD key_flush_sad): larval SAs
 * older than the larval lifetime vanish silently; a hard limit removes
 * the SA with EXPIRE(hard); a soft limit on a mature SA makes it dying
 * with EXPIRE(soft).  Limits are exceeded when strictly passed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu.h"
#include "log.h"

static TAILQ_HEAD(, emu_sa) sadb = TAILQ_HEAD_INITIALIZER(sadb);
static unsigned	sadb_size;
static uint64_t	sadb_serial;
static unsigned	larval_lifetime = EMU_LARVAL_LIFETIME;

void
sadb_set_larval_lifetime(unsigned seconds)
{
	larval_lifetime = seconds;
}

struct emu_sa *
sadb_first(void)
{
	return TAILQ_FIRST(&sadb);
}

struct emu_sa *
sadb_next(const struct emu_sa *sa)
{
	return TAILQ_NEXT(sa, entry);
}

static bool
is_alive(const struct emu_sa *sa)
{
	return sa->sa.state == PFKEY_SASTATE_MATURE ||
	    sa->sa.state == PFKEY_SASTATE_DYING;
}

/* By (SPI, destination, SA type), in any state. */
struct emu_sa *
sadb_find(uint8_t satype, uint32_t spi, const struct pfkey_addr *dst)
{
	struct emu_sa *sa;

	TAILQ_FOREACH(sa, &sadb, entry)
		if (sa->satype == satype && sa->sa.spi == spi &&
		    emu_addr_same_host(&sa->dst, dst))
			return sa;
	return NULL;
}

/* An inbound packet's SA: satype 0 and dst NULL match any. */
struct emu_sa *
sadb_find_inbound(uint32_t spi, uint8_t satype, const struct pfkey_addr *dst)
{
	struct emu_sa *sa;

	TAILQ_FOREACH(sa, &sadb, entry) {
		if (sa->sa.spi != spi || !is_alive(sa))
			continue;
		if (satype != 0 && sa->satype != satype)
			continue;
		if (dst != NULL && !emu_addr_same_host(&sa->dst, dst))
			continue;
		return sa;
	}
	return NULL;
}

/*
 * The SA an outbound packet uses: the oldest mature or dying one for the
 * endpoints (preferred_oldsa), whose mode is "any" or the request's, and
 * whose reqid matches when the request names one (level unique).
 */
struct emu_sa *
sadb_find_outbound(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst, uint8_t mode, uint32_t reqid)
{
	struct emu_sa *sa;

	TAILQ_FOREACH(sa, &sadb, entry) {
		if (sa->satype != satype || !is_alive(sa))
			continue;
		if (!emu_addr_same_host(&sa->src, src) ||
		    !emu_addr_same_host(&sa->dst, dst))
			continue;
		if (sa->sa2.mode != PFKEY_MODE_ANY && sa->sa2.mode != mode)
			continue;
		if (reqid != 0 && sa->sa2.reqid != reqid)
			continue;
		return sa;
	}
	return NULL;
}

int
sadb_insert(const struct emu_sa *tmpl, struct emu_sa **out)
{
	struct emu_sa *sa;

	if (sadb_size >= EMU_MAX_SA)
		return ENOBUFS;
	if ((sa = malloc(sizeof(*sa))) == NULL)
		return ENOBUFS;
	*sa = *tmpl;
	sa->serial = ++sadb_serial;
	TAILQ_INSERT_TAIL(&sadb, sa, entry);
	sadb_size++;
	if (out != NULL)
		*out = sa;
	return 0;
}

void
sadb_remove(struct emu_sa *sa)
{
	TAILQ_REMOVE(&sadb, sa, entry);
	sadb_size--;
	explicit_bzero(sa, sizeof(*sa));	/* keys */
	free(sa);
}

static bool
spi_taken(uint8_t satype, const struct pfkey_addr *dst, uint32_t spi)
{
	return sadb_find(satype, spi, dst) != NULL;
}

/*
 * A free SPI in [min, max] for (dst, satype).  Wide ranges get random
 * draws (EMU_SPI_TRIES of them, as FreeBSD); small ranges are walked
 * whole from a random start, so EEXIST means every value is taken.
 */
int
sadb_new_spi(uint8_t satype, const struct pfkey_addr *dst, uint32_t min,
    uint32_t max, uint32_t *spi)
{
	uint64_t span, i, start;
	uint32_t v;

	if (min < EMU_SPI_MIN)
		min = EMU_SPI_MIN;
	if (min > max)
		return EINVAL;
	span = (uint64_t)max - min + 1;
	if (span <= EMU_SPI_TRIES) {
		start = emu_random() % span;
		for (i = 0; i < span; i++) {
			v = (uint32_t)(min + (start + i) % span);
			if (!spi_taken(satype, dst, v)) {
				*spi = v;
				return 0;
			}
		}
		return EEXIST;
	}
	for (i = 0; i < EMU_SPI_TRIES; i++) {
		v = (uint32_t)(min + emu_random() % span);
		if (!spi_taken(satype, dst, v)) {
			*spi = v;
			return 0;
		}
	}
	return EEXIST;
}

/* DELETE without an SA: every mature/dying SA between the two hosts. */
unsigned
sadb_delete_hosts(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst)
{
	struct emu_sa *sa, *next;
	unsigned n = 0;

	for (sa = TAILQ_FIRST(&sadb); sa != NULL; sa = next) {
		next = TAILQ_NEXT(sa, entry);
		if (sa->satype != satype || !is_alive(sa) ||
		    !emu_addr_same_host(&sa->src, src) ||
		    !emu_addr_same_host(&sa->dst, dst))
			continue;
		sadb_remove(sa);
		n++;
	}
	return n;
}

/* Every SA of the type (UNSPEC: every SA). */
void
sadb_flush(uint8_t satype)
{
	struct emu_sa *sa, *next;

	for (sa = TAILQ_FIRST(&sadb); sa != NULL; sa = next) {
		next = TAILQ_NEXT(sa, entry);
		if (satype == PFKEY_SATYPE_UNSPEC || sa->satype == satype)
			sadb_remove(sa);
	}
}

void
sadb_clear(void)
{
	sadb_flush(PFKEY_SATYPE_UNSPEC);
}

unsigned
sadb_count(uint8_t satype)
{
	struct emu_sa *sa;
	unsigned n = 0;

	TAILQ_FOREACH(sa, &sadb, entry)
		if (satype == PFKEY_SATYPE_UNSPEC || sa->satype == satype)
			n++;
	return n;
}

unsigned
sadb_count_larval(void)
{
	struct emu_sa *sa;
	unsigned n = 0;

	TAILQ_FOREACH(sa, &sadb, entry)
		if (sa->sa.state == PFKEY_SASTATE_LARVAL)
			n++;
	return n;
}

/* A packet of the given size went through the SA. */
void
sadb_use(struct emu_sa *sa, uint64_t bytes)
{
	sa->bytes += bytes;
	sa->allocations++;
	if (sa->firstused == 0)
		sa->firstused = emu_now();
}

/* Has the SA passed one of the limits of lt? */
static bool
limit_passed(const struct emu_sa *sa, const struct pfkey_lifetime *lt,
    time_t now)
{
	if (lt->addtime != 0 && now - sa->created > 0 &&
	    (uint64_t)(now - sa->created) > lt->addtime)
		return true;
	if (lt->usetime != 0 && sa->firstused != 0 &&
	    now - sa->firstused > 0 &&
	    (uint64_t)(now - sa->firstused) > lt->usetime)
		return true;
	return lt->bytes != 0 && sa->bytes > lt->bytes;
}

static bool
larval_expired(const struct emu_sa *sa, time_t now)
{
	return sa->sa.state == PFKEY_SASTATE_LARVAL &&
	    now - sa->created > (time_t)larval_lifetime;
}

static bool
hard_expired(const struct emu_sa *sa, time_t now)
{
	return is_alive(sa) && (sa->exts & (1u << PFKEY_EXT_LIFETIME_HARD)) &&
	    limit_passed(sa, &sa->hard, now);
}

static bool
soft_expired(const struct emu_sa *sa, time_t now)
{
	return sa->sa.state == PFKEY_SASTATE_MATURE &&
	    (sa->exts & (1u << PFKEY_EXT_LIFETIME_SOFT)) &&
	    limit_passed(sa, &sa->soft, now);
}

void
sadb_expire_run(void)
{
	struct emu_sa *sa, *next;
	time_t now = emu_now();

	for (sa = TAILQ_FIRST(&sadb); sa != NULL; sa = next) {
		next = TAILQ_NEXT(sa, entry);
		if (larval_expired(sa, now)) {
			log_debug("larval SA spi 0x%08x timed out", sa->sa.spi);
			sadb_remove(sa);
		} else if (hard_expired(sa, now)) {
			log_debug("SA spi 0x%08x: hard lifetime", sa->sa.spi);
			sa->sa.state = PFKEY_SASTATE_DEAD;
			sadb_send_expire(sa, true);
			sadb_remove(sa);
		} else if (soft_expired(sa, now)) {
			log_debug("SA spi 0x%08x: soft lifetime", sa->sa.spi);
			sa->sa.state = PFKEY_SASTATE_DYING;
			sadb_send_expire(sa, false);
		}
	}
}
