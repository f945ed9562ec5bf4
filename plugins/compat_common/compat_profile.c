/*
 * The profile a compat plugin applies to a peer (see compat.h): the
 * variant's proposals, lifetimes, idle timeout, retransmission and
 * quirks for what the peer's configuration left out, and the phase-1
 * flags that tell the other hooks (and the natt plugin) which profile is
 * in force.  Also the MS NT5 ISAKMPOAKLEY vendor ID it sends, only to the
 * peers it applied to.
 */
#include <stdio.h>
#include <string.h>

#include "compat.h"

static uint8_t send_bytes[MSWIN_VID_LEN];	/* set once, by init() */

static bool compat_should_send(const struct oakley_host *,
    struct oakley_phase1 *);

static const struct oakley_vendor_id send_vid = {
	.name = MSWIN_VID_NAME,
	.bytes = send_bytes,
	.len = MSWIN_VID_LEN,
	.flags = OAKLEY_VID_SEND,
	.should_send = compat_should_send,
};

int
compat_start(const struct compat_variant *v, const struct oakley_host *h,
    const struct oakley_conf_block *b)
{
	const struct compat_settings *s;
	size_t i;

	if (compat_init(v, h, b) != 0 ||
	    h->register_profile(h, v->desc) != 0 ||
	    h->register_hooks(h, v->hooks) != 0 ||
	    h->register_vendor_id(h, &compat_ms_vid) != 0)
		return -1;
	for (i = 0; i < v->nvids; i++)
		if (h->register_vendor_id(h, &v->vids[i]) != 0)
			return -1;
	if ((s = compat_settings(NULL))->send_version == 0)
		return 0;
	mswin_vid_bytes(s->send_version, send_bytes);
	return h->register_vendor_id(h, &send_vid);
}

/* The profile applied to the phase 1 is ours. */
static bool
compat_should_send(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	const char *applied;

	applied = h->flag_get_str(h, h->engine->phase1_profile_flags(p1),
	    COMPAT_FLAG_PROFILE);
	return applied != NULL &&
	    strcmp(applied, compat_variant()->profile) == 0;
}

uint16_t
compat_pfs_group(const struct oakley_profile *prof)
{
	return prof->n_phase1 > 0 ? prof->phase1[0].group : GROUP_MODP1024;
}

static int
mark_phase1(const struct oakley_host *h, struct oakley_flags *flags,
    const struct compat_settings *s, bool backoff)
{
	if (h->flag_set_str(h, flags, COMPAT_FLAG_PROFILE,
	    compat_variant()->profile) != 0 ||
	    h->flag_set_int(h, flags, COMPAT_FLAG_NATT_DRAFT,
	    s->natt_draft) != 0)
		return -1;
	if (!backoff) {
		h->flag_unset(h, flags, COMPAT_FLAG_BACKOFF);
		return 0;
	}
	return h->flag_set_int(h, flags, COMPAT_FLAG_BACKOFF, 1);
}

int
compat_apply(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_profile *prof)
{
	const struct compat_variant *v = compat_variant();
	const struct oakley_engine *e = h->engine;
	const char *name = e->peer_name(e->phase1_peer(p1));
	const struct compat_settings *s = compat_settings(name);
	bool backoff;

	v->proposals(s, prof);
	if ((prof->from_config & OAKLEY_PROFILE_CONF_IDLE) == 0)
		prof->idle_timeout = s->idle_time;
	backoff = v->backoff_count > 0 &&
	    (prof->from_config & OAKLEY_PROFILE_CONF_RETRANSMIT) == 0;
	if (backoff) {
		prof->retransmit_ms = v->backoff_first_ms;
		prof->retransmit_count = v->backoff_count;
	}
	prof->quirks |= v->quirks;
	if (mark_phase1(h, e->phase1_profile_flags(p1), s, backoff) != 0) {
		h->log(h, OAKLEY_LOG_ERR, "peer %s: cannot record the profile",
		    name != NULL ? name : "?");
		return -1;
	}
	h->log(h, OAKLEY_LOG_DEBUG, "peer %s: profile %s: %u main-mode and "
	    "%u quick-mode proposals, idle %lu s", name != NULL ? name : "?",
	    v->profile, prof->n_phase1, prof->n_phase2,
	    (unsigned long)prof->idle_timeout);
	return 0;
}

/*
 * Phase 1 only (where the Windows pattern was measured, FACTS.md 8):
 * transmission n+1 follows transmission n after first_ms * 2^(n-1)
 * (apply() set the first wait, first_ms, as the retransmit interval; the
 * hook is asked with sent = n when transmission n+1 goes out, and says
 * how long to wait after it).  For Windows 2000/XP/2003 that is 1, 2,
 * 4, 8, 16 and 32 s between seven transmissions, 63 s in all; after the
 * last, first_ms more, then the core's schedule, whose count apply()
 * set, ends the exchange: about a minute, as KB325034 describes.
 */
enum oakley_retransmit
compat_retransmit(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_phase2 *p2, unsigned sent, uint32_t *next_ms)
{
	const struct compat_variant *v = compat_variant();
	const struct oakley_engine *e = h->engine;
	int64_t on = 0;

	if (p2 != NULL || sent == 0 || sent > v->backoff_count)
		return OAKLEY_RETRANSMIT_DEFAULT;
	if (h->flag_get_int(h, e->phase1_profile_flags(p1), COMPAT_FLAG_BACKOFF,
	    &on) != 0 || on != 1)
		return OAKLEY_RETRANSMIT_DEFAULT;
	if (sent < v->backoff_count)
		*next_ms = v->backoff_first_ms << sent;
	else
		*next_ms = v->backoff_first_ms;
	return OAKLEY_RETRANSMIT_AFTER;
}
