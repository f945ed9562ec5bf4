/*
 * compat_legacy: the profile "legacy", for Windows 2000, Windows XP and
 * Windows Server 2003 peers (FACTS.md 1, 3, 8):
 *
 *   - main mode 3DES / SHA-1 / DH group 2 (2 = "Group 2 (medium)"), with
 *     group 14 ("Group 2048 (high)", Server 2003, XP SP2 and the
 *     KB818043 update) offered first when group2048 says so; 480 minutes;
 *   - quick mode ESP 3DES / HMAC-SHA-1 ("Integrity and encryption"),
 *     1 hour and 100,000 KB, no PFS unless asked;
 *   - quick-mode SA idle time 300 s (SAIdleTime);
 *   - the responder backoff of these releases: retransmit after 1, 2, 4,
 *     8, 16, 32 s (7 transmissions, about 63 s), fail 1 s after the last;
 *   - quirks: the MS_STATUS notify (quick modes without a lifetime, and
 *     RESPONDER-LIFETIME, the engine handles so for every peer), and MD5
 *     (main-mode hash, HMAC-MD5) allowed: the core drops the MD5
 *     proposals of every other peer;
 *   - NAT-T: these releases speak draft 02 (KB818043), so the phase-1
 *     flag natt.prefer_draft = 1 asks the natt plugin for that flavour.
 *
 * What is shared with compat_modern (settings, the apply, vendor IDs,
 * evidence for "profile auto") is in plugins/compat_common.
 */
#include "compat_common/compat.h"

#define WIN_MM_LIFETIME		(480 * 60)
#define WIN_QM_LIFETIME		3600
#define WIN_QM_LIFESIZE_KB	100000
#define WIN_IDLE_TIME		300
#define WIN_BACKOFF_FIRST_MS	1000
#define WIN_BACKOFF_COUNT	6

static void
legacy_proposals(const struct compat_settings *s, struct oakley_profile *p)
{
	unsigned n = 0;

	if ((p->from_config & OAKLEY_PROFILE_CONF_PHASE1) == 0) {
		if (s->group2048)
			p->phase1[n++] = (struct oakley_p1_proposal){
			    IKE_ENC_3DES, 0, IKE_HASH_SHA1, GROUP_MODP2048,
			    s->mm_lifetime };
		p->phase1[n++] = (struct oakley_p1_proposal){
		    IKE_ENC_3DES, 0, IKE_HASH_SHA1, GROUP_MODP1024,
		    s->mm_lifetime };
		p->n_phase1 = n;
	}
	if ((p->from_config & OAKLEY_PROFILE_CONF_PHASE2) == 0) {
		p->phase2[0] = (struct oakley_p2_proposal){
		    ESP_3DES, 0, AUTH_HMAC_SHA1,
		    s->pfs ? compat_pfs_group(p) : 0, s->qm_lifetime,
		    s->qm_lifesize };
		p->n_phase2 = 1;
	}
}

static const struct oakley_profile_desc profile = {
	.name = MSWIN_PROFILE_LEGACY,
	.description = "Windows 2000, XP, Server 2003",
	.apply = compat_apply,
};

static const struct oakley_hooks hooks = {
	.p1_established = compat_p1_established,
	.retransmit = compat_retransmit,
	.msg_parsed = compat_msg_parsed,
	.peer_config = compat_peer_config,
};

static const struct compat_variant legacy = {
	.profile = MSWIN_PROFILE_LEGACY,
	.keys = COMPAT_KEY_SEND_VID | COMPAT_KEY_GROUP2048 |
	    COMPAT_KEY_MM_LIFETIME | COMPAT_KEY_QM_LIFETIME |
	    COMPAT_KEY_QM_LIFESIZE | COMPAT_KEY_IDLE_TIME | COMPAT_KEY_PFS |
	    COMPAT_KEY_NATT_DRAFT,
	.vid_min = 2,		/* Windows 2000 */
	.vid_max = 4,		/* Windows Server 2003, XP SP2 */
	.quirks = OAKLEY_QUIRK_MS_STATUS | OAKLEY_QUIRK_MD5,
	.backoff_first_ms = WIN_BACKOFF_FIRST_MS,
	.backoff_count = WIN_BACKOFF_COUNT,
	.defaults = {
		.mm_lifetime = WIN_MM_LIFETIME,
		.qm_lifetime = WIN_QM_LIFETIME,
		.qm_lifesize = WIN_QM_LIFESIZE_KB,
		.idle_time = WIN_IDLE_TIME,
		.natt_draft = true,
	},
	.proposals = legacy_proposals,
	.desc = &profile,
	.hooks = &hooks,
};

static int
legacy_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	return compat_start(&legacy, h, b);
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "compat_legacy",
	.version = "1.0",
	.description = "profile legacy: Windows 2000, XP and Server 2003 peers",
	.init = legacy_init,
	.fini = compat_fini,
};
