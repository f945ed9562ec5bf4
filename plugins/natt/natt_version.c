/*
 * The NAT-T revisions: one table from revision to vendor ID, payload
 * numbers and Encapsulation Mode values (FACTS 4.1, 4.2), and the vendor
 * IDs built from it.
 *
 * An initiator announces RFC 3947 and "draft-ietf-ipsec-nat-t-ike-02\n"
 * in main-mode message 1, as Windows Vista and later do ([MS-IKEE]); a
 * responder answers with the one revision it chose, the best both sides
 * know: RFC 3947, then draft 03, 02\n, 02.  Drafts 00 and 01 are
 * recognised by name only.  For a phase 1 with the flag natt.prefer_draft
 * (the compat_legacy profile: Windows XP and Server 2003 speak draft 02)
 * an initiator announces draft 02\n alone and a responder picks the best
 * draft the initiator knows before RFC 3947.
 */
#include "natt.h"

const struct natt_version natt_versions[NATT_NREVS] = {
	[NATT_DRAFT_00] = {
		.name = "draft-ietf-ipsec-nat-t-ike-00",
		.vid = { 0x44, 0x85, 0x15, 0x2d, 0x18, 0xb6, 0xbb, 0xcd,
		    0x0b, 0xe8, 0xa8, 0x46, 0x95, 0x79, 0xdd, 0xcc },
		.rank = 0, .natd = 130, .natoa = 131,
		.udp_tunnel = 61443, .udp_transport = 61444,
	},
	[NATT_DRAFT_01] = {
		.name = "draft-ietf-ipsec-nat-t-ike-01",
		.vid = { 0x16, 0xf6, 0xca, 0x16, 0xe4, 0xa4, 0x06, 0x6d,
		    0x83, 0x82, 0x1a, 0x0f, 0x0a, 0xea, 0xa8, 0x62 },
		.rank = 0, .natd = 130, .natoa = 131,
		.udp_tunnel = 61443, .udp_transport = 61444,
	},
	[NATT_DRAFT_02] = {
		.name = "draft-ietf-ipsec-nat-t-ike-02",
		.vid = { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
		    0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 },
		.rank = 1, .natd = 130, .natoa = 131,
		.udp_tunnel = 61443, .udp_transport = 61444,
	},
	[NATT_DRAFT_02N] = {
		.name = "draft-ietf-ipsec-nat-t-ike-02\\n",
		.vid = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
		    0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f },
		.rank = 2, .initiator_sends = true, .natd = 130, .natoa = 131,
		.udp_tunnel = 61443, .udp_transport = 61444,
	},
	[NATT_DRAFT_03] = {
		.name = "draft-ietf-ipsec-nat-t-ike-03",
		.vid = { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
		    0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 },
		.rank = 3, .natd = 130, .natoa = 131,
		.udp_tunnel = 61443, .udp_transport = 61444,
	},
	[NATT_RFC3947] = {
		.name = "RFC 3947",
		.vid = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
		    0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f },
		.rank = 4, .initiator_sends = true, .natd = 20, .natoa = 21,
		.udp_tunnel = 3, .udp_transport = 4,
	},
};

static bool
is_draft(int rev)
{
	return rev != NATT_RFC3947;
}

/* Whether revision a is to be used rather than b. */
static bool
better(int a, int b, bool prefer_draft)
{
	if (prefer_draft && is_draft(a) != is_draft(b))
		return is_draft(a);
	return natt_versions[a].rank > natt_versions[b].rank;
}

int
natt_best_rev(unsigned revs, bool prefer_draft)
{
	int rev, best = NATT_NONE;

	for (rev = 0; rev < NATT_NREVS; rev++) {
		if ((revs & (1u << rev)) == 0 || natt_versions[rev].rank == 0)
			continue;
		if (best == NATT_NONE || better(rev, best, prefer_draft))
			best = rev;
	}
	return best;
}

bool
natt_prefers_draft(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	const struct oakley_engine *e = h->engine;

	return natt_flag_int(h, e->phase1_profile_flags(p1),
	    NATT_FLAG_PREFER_DRAFT, 0) == 1;
}

int
natt_rev(const struct oakley_host *h, const struct natt_p1 *st)
{
	if (st == NULL)
		return NATT_NONE;
	return natt_best_rev(st->peer_revs, natt_prefers_draft(h, st->p1));
}

uint16_t
natt_udp_mode(uint16_t attr)
{
	int rev;

	for (rev = 0; rev < NATT_NREVS; rev++) {
		if (attr == natt_versions[rev].udp_tunnel)
			return NATT_ENCAP_TUNNEL;
		if (attr == natt_versions[rev].udp_transport)
			return NATT_ENCAP_TRANSPORT;
	}
	return 0;
}

/* ---- Vendor IDs ---- */

/*
 * An initiator sends what its table says (the drafts only for a peer
 * that prefers them); a responder echoes the one revision chosen from
 * the initiator's message 1, if any.
 */
static bool
should_send(const struct oakley_host *h, struct oakley_phase1 *p1, int rev)
{
	if (h->engine->phase1_initiator(p1))
		return natt_versions[rev].initiator_sends &&
		    (is_draft(rev) || !natt_prefers_draft(h, p1));
	return natt_rev(h, natt_p1_find(p1)) == rev;
}

static bool
send_02(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	return should_send(h, p1, NATT_DRAFT_02);
}

static bool
send_02n(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	return should_send(h, p1, NATT_DRAFT_02N);
}

static bool
send_03(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	return should_send(h, p1, NATT_DRAFT_03);
}

static bool
send_rfc(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	return should_send(h, p1, NATT_RFC3947);
}

static void vid_received(const struct oakley_host *, struct oakley_phase1 *,
    const struct oakley_vendor_id *, const uint8_t *, size_t);

#define VID_BOTH	(OAKLEY_VID_SEND | OAKLEY_VID_RECOGNISE)

/* Registered best first, so an initiator sends RFC 3947 first. */
static const struct oakley_vendor_id natt_vids[NATT_NREVS] = {
	[NATT_RFC3947] = { "RFC 3947", natt_versions[NATT_RFC3947].vid, 16,
	    0, VID_BOTH, NULL, send_rfc, vid_received },
	[NATT_DRAFT_03] = { "draft-ietf-ipsec-nat-t-ike-03",
	    natt_versions[NATT_DRAFT_03].vid, 16, 0, VID_BOTH, NULL, send_03,
	    vid_received },
	[NATT_DRAFT_02N] = { "draft-ietf-ipsec-nat-t-ike-02\\n",
	    natt_versions[NATT_DRAFT_02N].vid, 16, 0, VID_BOTH, NULL, send_02n,
	    vid_received },
	[NATT_DRAFT_02] = { "draft-ietf-ipsec-nat-t-ike-02",
	    natt_versions[NATT_DRAFT_02].vid, 16, 0, VID_BOTH, NULL, send_02,
	    vid_received },
	[NATT_DRAFT_01] = { "draft-ietf-ipsec-nat-t-ike-01",
	    natt_versions[NATT_DRAFT_01].vid, 16, 0, OAKLEY_VID_RECOGNISE,
	    NULL, NULL, vid_received },
	[NATT_DRAFT_00] = { "draft-ietf-ipsec-nat-t-ike-00",
	    natt_versions[NATT_DRAFT_00].vid, 16, 0, OAKLEY_VID_RECOGNISE,
	    NULL, NULL, vid_received },
};

static void
vid_received(const struct oakley_host *h, struct oakley_phase1 *p1,
    const struct oakley_vendor_id *v, const uint8_t *payload, size_t len)
{
	struct natt_p1 *st;
	int rev = (int)(v - natt_vids), best;

	(void)payload;
	(void)len;
	if ((st = natt_p1_get(h, p1)) == NULL)
		return;
	st->peer_revs |= 1u << rev;
	if (natt_versions[rev].rank == 0)
		h->log(h, OAKLEY_LOG_INFO, "peer %s announces NAT-T %s, which "
		    "is not supported (no NAT traversal with it)",
		    natt_peer_name(h, p1), natt_versions[rev].name);
	if ((best = natt_rev(h, st)) == NATT_NONE)
		return;
	h->flag_set_str(h, h->engine->phase1_flags(p1), "natt.version",
	    natt_versions[best].name);
	h->log(h, OAKLEY_LOG_DEBUG, "peer %s announces NAT-T %s; using %s",
	    natt_peer_name(h, p1), natt_versions[rev].name,
	    natt_versions[best].name);
}

int
natt_register_vendor_ids(const struct oakley_host *h)
{
	int rev;

	for (rev = NATT_NREVS - 1; rev >= 0; rev--)
		if (h->register_vendor_id(h, &natt_vids[rev]) != 0)
			return -1;
	return 0;
}
