/*
 * compat_modern: the profile "modern", for Windows Vista, Server 2008,
 * 7, Server 2008 R2 and later peers (FACTS.md 1, 8):
 *
 *   - one main-mode proposal, as these releases configure and send
 *     (only one key-exchange combination), by default AES-CBC-256 /
 *     SHA-256 / DH group 14, 480 minutes;
 *   - quick mode ESP AES-CBC-256 / HMAC-SHA-256, then AES-CBC-128 /
 *     HMAC-SHA-1, 1 hour and 100,000 KB, no PFS unless asked;
 *   - quick-mode SA idle time 300 s;
 *   - quirks: one main-mode proposal, the MS_STATUS notify (AuthIP's
 *     exchanges 243, 244 and 246 the engine drops for every peer);
 *   - NAT-T: RFC 3947 (natt.prefer_draft = 0);
 *   - their vendor IDs "MS-Negotiation Discovery Capable", "IKE CGA
 *     version 1" and "MS-MamieExists" (AuthIP) are recognised and shown
 *     as the flags windows.nd_capable, windows.cga, windows.authip (of
 *     the phase 1, and of the peer once that is established).
 *
 * What is shared with compat_legacy is in plugins/compat_common.
 */
#include <stddef.h>

#include "compat_common/compat.h"

#define WIN_MM_LIFETIME		(480 * 60)
#define WIN_QM_LIFETIME		3600
#define WIN_QM_LIFESIZE_KB	100000
#define WIN_IDLE_TIME		300

static void
modern_proposals(const struct compat_settings *s, struct oakley_profile *p)
{
	uint16_t pfs;

	if ((p->from_config & OAKLEY_PROFILE_CONF_PHASE1) == 0) {
		p->phase1[0] = s->mm;
		p->phase1[0].lifetime = s->mm_lifetime;
		p->n_phase1 = 1;
	}
	if ((p->from_config & OAKLEY_PROFILE_CONF_PHASE2) == 0) {
		pfs = s->pfs ? compat_pfs_group(p) : 0;
		p->phase2[0] = (struct oakley_p2_proposal){
		    ESP_AES_CBC, 256, AUTH_HMAC_SHA2_256, pfs, s->qm_lifetime,
		    s->qm_lifesize };
		p->phase2[1] = (struct oakley_p2_proposal){
		    ESP_AES_CBC, 128, AUTH_HMAC_SHA1, pfs, s->qm_lifetime,
		    s->qm_lifesize };
		p->n_phase2 = 2;
	}
}

static const struct oakley_profile_desc profile = {
	.name = MSWIN_PROFILE_MODERN,
	.description = "Windows Vista, Server 2008, 7, Server 2008 R2 and later",
	.apply = compat_apply,
};

static const struct oakley_hooks hooks = {
	.p1_established = compat_p1_established,
	.msg_parsed = compat_msg_parsed,
	.peer_config = compat_peer_config,
};

/* The Vista+ capability vendor IDs (FACTS.md 1.1), MD5 of their names. */
static const uint8_t vid_nd[] = {
	0xfb, 0x1d, 0xe3, 0xcd, 0xf3, 0x41, 0xb7, 0xea,
	0x16, 0xb7, 0xe5, 0xbe, 0x08, 0x55, 0xf1, 0x20
};
static const uint8_t vid_cga[] = {
	0xe3, 0xa5, 0x96, 0x6a, 0x76, 0x37, 0x9f, 0xe7,
	0x07, 0x22, 0x82, 0x31, 0xe5, 0xce, 0x86, 0x52
};
static const uint8_t vid_authip[] = {
	0x21, 0x4c, 0xa4, 0xfa, 0xff, 0xa7, 0xf3, 0x2d,
	0x67, 0x48, 0xe5, 0x30, 0x33, 0x95, 0xae, 0x83
};

static const struct oakley_vendor_id capabilities[] = {
	{ .name = "MS-Negotiation Discovery Capable", .bytes = vid_nd,
	  .len = sizeof(vid_nd), .flags = OAKLEY_VID_RECOGNISE,
	  .peer_flag = "windows.nd_capable" },
	{ .name = "IKE CGA version 1", .bytes = vid_cga,
	  .len = sizeof(vid_cga), .flags = OAKLEY_VID_RECOGNISE,
	  .peer_flag = "windows.cga" },
	{ .name = "MS-MamieExists", .bytes = vid_authip,
	  .len = sizeof(vid_authip), .flags = OAKLEY_VID_RECOGNISE,
	  .peer_flag = "windows.authip" },
};

static const struct compat_variant modern = {
	.profile = MSWIN_PROFILE_MODERN,
	.keys = COMPAT_KEY_SEND_VID | COMPAT_KEY_MM_PROPOSAL |
	    COMPAT_KEY_MM_LIFETIME | COMPAT_KEY_QM_LIFETIME |
	    COMPAT_KEY_QM_LIFESIZE | COMPAT_KEY_IDLE_TIME | COMPAT_KEY_PFS,
	.vid_min = 5,		/* Windows Vista */
	.vid_max = 9,		/* Windows 8 and later */
	.quirks = OAKLEY_QUIRK_P1_ONE_PROPOSAL | OAKLEY_QUIRK_MS_STATUS,
	.defaults = {
		.mm = { IKE_ENC_AES_CBC, 256, IKE_HASH_SHA2_256,
		    GROUP_MODP2048, 0 },
		.mm_lifetime = WIN_MM_LIFETIME,
		.qm_lifetime = WIN_QM_LIFETIME,
		.qm_lifesize = WIN_QM_LIFESIZE_KB,
		.idle_time = WIN_IDLE_TIME,
		.natt_draft = false,
	},
	.proposals = modern_proposals,
	.desc = &profile,
	.hooks = &hooks,
	.vids = capabilities,
	.nvids = sizeof(capabilities) / sizeof(capabilities[0]),
};

static int
modern_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	return compat_start(&modern, h, b);
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "compat_modern",
	.version = "1.0",
	.description = "profile modern: Windows Vista, Server 2008, 7 and later "
	    "peers",
	.init = modern_init,
	.fini = compat_fini,
};
