/*
 * Evidence for "profile auto" (oakley/plugin.h, compat.h): what the
 * peer's MS NT5 ISAKMPOAKLEY vendor ID says, or that its first
 * main-mode (or aggressive-mode) message had none.  Recorded in the
 * phase 1's flags "profile", "profile.evidence" and "windows.version",
 * where the core's "auto" applies the profile named to that phase 1;
 * copied to the peer's flags (which "oakleyctl show peers" shows, and
 * from which the next phase 1 starts) once the phase 1 is established.
 * The first message is not authenticated: a forged one must not choose
 * the profile of the peer's other phase 1s.
 *
 * With both compat plugins loaded both record the same thing; only a
 * change of the peer's evidence is logged at the info level.
 */
#include <stdio.h>
#include <string.h>

#include "compat.h"

#define EVIDENCE_MAX	160

static void compat_vid_received(const struct oakley_host *,
    struct oakley_phase1 *, const struct oakley_vendor_id *,
    const uint8_t *, size_t);

const struct oakley_vendor_id compat_ms_vid = {
	.name = MSWIN_VID_NAME,
	.bytes = mswin_vid_prefix,
	.len = MSWIN_VID_PREFIX_LEN,
	.match_len = MSWIN_VID_PREFIX_LEN,
	.flags = OAKLEY_VID_RECOGNISE,
	.received = compat_vid_received,
};

/*
 * Set the choice, its evidence and the version (< 0: none known) in
 * flags; true if the evidence is new there.
 */
static bool
store(const struct oakley_host *h, struct oakley_flags *flags,
    const char *profile, const char *evidence, int64_t version)
{
	const char *old;
	bool changed;

	if (flags == NULL)
		return false;
	old = h->flag_get_str(h, flags, OAKLEY_FLAG_PROFILE_EVIDENCE);
	changed = old == NULL || strcmp(old, evidence) != 0;
	if (version >= 0)
		h->flag_set_int(h, flags, MSWIN_FLAG_VERSION, version);
	else
		h->flag_unset(h, flags, MSWIN_FLAG_VERSION);
	if (h->flag_set_str(h, flags, OAKLEY_FLAG_PROFILE, profile) != 0 ||
	    h->flag_set_str(h, flags, OAKLEY_FLAG_PROFILE_EVIDENCE,
	    evidence) != 0) {
		h->flag_unset(h, flags, OAKLEY_FLAG_PROFILE);
		return false;
	}
	return changed;
}

static const char *
peer_name(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	const char *name = h->engine->peer_name(h->engine->phase1_peer(p1));

	return name != NULL ? name : "?";
}

/* What the peer's message says, for this phase 1 only (see the top). */
static void
record(const struct oakley_host *h, struct oakley_phase1 *p1,
    const char *profile, const char *evidence, int64_t version)
{
	if (!store(h, h->engine->phase1_flags(p1), profile, evidence,
	    version))
		return;
	h->log(h, OAKLEY_LOG_DEBUG, "peer %s: this phase 1: %s",
	    peer_name(h, p1), evidence);
}

/* Authenticated: what the phase 1 recorded becomes the peer's. */
void
compat_p1_established(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_flags *from = e->phase1_flags(p1);
	const char *profile, *evidence;
	int64_t version;

	profile = h->flag_get_str(h, from, OAKLEY_FLAG_PROFILE);
	evidence = h->flag_get_str(h, from, OAKLEY_FLAG_PROFILE_EVIDENCE);
	if (profile == NULL || evidence == NULL)
		return;
	if (h->flag_get_int(h, from, MSWIN_FLAG_VERSION, &version) != 0)
		version = -1;
	if (!store(h, e->peer_flags(e->phase1_peer(p1)), profile, evidence,
	    version))
		return;
	h->log(h, OAKLEY_LOG_INFO, "peer %s: %s", peer_name(h, p1), evidence);
}

static void
compat_vid_received(const struct oakley_host *h, struct oakley_phase1 *p1,
    const struct oakley_vendor_id *v, const uint8_t *payload, size_t len)
{
	const struct oakley_engine *e = h->engine;
	char evidence[EVIDENCE_MAX];
	uint32_t version;

	(void)v;
	if (mswin_vid_version(payload, len, &version) != 0) {
		h->flag_set_int(h, e->phase1_flags(p1), MSWIN_FLAG_P1_VID, -1);
		snprintf(evidence, sizeof(evidence), "%s of %zu bytes, not %d "
		    "-> %s", MSWIN_VID_NAME, len, MSWIN_VID_LEN,
		    OAKLEY_PROFILE_DEFAULT);
		record(h, p1, OAKLEY_PROFILE_DEFAULT, evidence, -1);
		return;
	}
	h->flag_set_int(h, e->phase1_flags(p1), MSWIN_FLAG_P1_VID, version);
	mswin_evidence(version, evidence, sizeof(evidence));
	record(h, p1, mswin_profile(version), evidence, version);
}

/*
 * The peer's first message of a main or aggressive mode (message 1 when
 * we respond, 2 when we initiate), parsed after its vendor IDs ran:
 * without the MS vendor ID the peer is not Windows, or hides it.
 */
int
compat_msg_parsed(const struct oakley_host *h, struct oakley_msg *m)
{
	const struct oakley_engine *e = h->engine;
	struct oakley_phase1 *p1;
	unsigned exch;
	int64_t seen;

	exch = e->msg_exchange(m);
	if (!e->msg_inbound(m) ||
	    (exch != OAKLEY_EXCH_MAIN && exch != OAKLEY_EXCH_AGGRESSIVE) ||
	    (p1 = e->msg_phase1(m)) == NULL)
		return 0;
	if (e->msg_number(m) != (e->phase1_initiator(p1) ? 2u : 1u))
		return 0;
	if (h->flag_get_int(h, e->phase1_flags(p1), MSWIN_FLAG_P1_VID,
	    &seen) == 0)
		return 0;
	record(h, p1, OAKLEY_PROFILE_DEFAULT, "no "
	    MSWIN_VID_NAME " vendor ID -> " OAKLEY_PROFILE_DEFAULT, -1);
	return 0;
}
