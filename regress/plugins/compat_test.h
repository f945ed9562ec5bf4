/*
 * What the compat plugin tests (regress/plugins/compat_legacy,
 * compat_modern) share: a fake IKE engine, the real plugin host, and the
 * built plugins, plugins/compat_legacy/compat_legacy.so and
 * plugins/compat_modern/compat_modern.so, found from atf's "srcdir" and
 * linked into a "plugins" directory in the test's work directory, so
 * that one plugin-dir holds both.
 *
 * The fake engine has one peer ("winpeer"), one phase 1 and one message,
 * each with a real flag store; the tests play the IKE engine's part: run
 * the vendor IDs of a received message, the msg_parsed hooks, apply
 * profiles, ask for the vendor IDs to send and for retransmit verdicts.
 *
 * Expected bytes are written out here from FACTS.md, never taken from
 * the plugins' own tables.
 */
#ifndef OAKLEY_COMPAT_TEST_H
#define OAKLEY_COMPAT_TEST_H

#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include "plugin.h"

struct oakley_peer {
	const char		*name;
	struct oakley_flags	*flags;
};

struct oakley_phase1 {
	struct oakley_peer	*peer;
	bool			 initiator;
	struct oakley_flags	*flags;
	struct oakley_flags	*prof_flags;	/* phase1_profile_flags */
};

struct oakley_phase2 {
	struct oakley_phase1	*p1;
};

struct oakley_msg {
	struct oakley_phase1	*p1;
	unsigned		 exchange, number;
	bool			 inbound;
};

#define CT_PEER		"winpeer"
#define CT_VID_LEN	20

extern struct oakley_peer ct_peer;
extern struct oakley_phase1 ct_p1;
extern struct oakley_phase2 ct_p2;	/* a quick mode under ct_p1 */
extern char ct_err[2048];
extern char ct_plugin_dir[];	/* $PWD/plugins, both .so files */

/* Host up with the fake engine, a fresh peer and phase 1. */
void	ct_setup(const atf_tc_t *);
/* Unload the plugins, free the flag stores. */
void	ct_teardown(void);
/* "plugin NAME;" alone. */
void	ct_load(const char *name);
/* The "plugin" and peer blocks of text (file "test.conf"): 0, -1 (ct_err). */
int	ct_load_conf(const char *text);
/*
 * NAME alone loads with this description and registers profile (with
 * profile_desc) and not other; unloading removes it.
 */
void	ct_check_load(const atf_tc_t *, const char *name, const char *desc,
	    const char *profile, const char *profile_desc, const char *other);
/* ct_setup, then both plugins, compat_legacy first. */
void	ct_setup_both(const atf_tc_t *);
/* ct_setup, then ct_load_conf(text), which must succeed. */
void	ct_setup_conf(const atf_tc_t *, const char *text);
/*
 * Each text ("plugin NAME { ... }") fails with "plugin 'NAME':
 * DIR/NAME.so: bad configuration: " tail, and profile is not registered.
 */
struct ct_conf_error {
	const char	*text, *tail;
};
void	ct_check_conf_errors(const atf_tc_t *, const char *name,
	    const char *profile, const struct ct_conf_error *, size_t n);

/* "MS NT5 ISAKMPOAKLEY" with this version, from FACTS.md 1.1. */
void	ct_ms_vid(uint32_t version, uint8_t out[CT_VID_LEN]);
/*
 * A new phase 1 whose peer's first main-mode message (1 as responder)
 * carries these vendor IDs (count of them; NULL/0: none): each is run
 * through the registry, then the msg_parsed hooks.
 */
void	ct_first_message(const uint8_t *const *vids, const size_t *lens,
	    size_t count);

/* ct_first_message with "MS NT5 ISAKMPOAKLEY" of this version alone. */
void	ct_send_ms_vid(uint32_t version);
/* Applying "auto" succeeds and changes nothing: the configuration alone. */
void	ct_check_auto_unchanged(void);

/* The phase 1's flags (the negotiation under way). */
const char *ct_flag_str(const char *key);	/* NULL if unset */
int64_t	ct_flag_int(const char *key);		/* -1 if unset */
/* The phase 1's profile flags: what the profile applied noted. */
const char *ct_mark_str(const char *key);	/* NULL if unset */
int64_t	ct_mark_int(const char *key);		/* -1 if unset */
/* The peer's flags: what established phase 1s recorded. */
const char *ct_peer_flag_str(const char *key);	/* NULL if unset */
/* The phase 1 is established (the p1_established hooks run). */
void	ct_established(void);

/*
 * A peer sending "MS NT5 ISAKMPOAKLEY" version v lands in profile want
 * ("legacy", "modern") with this evidence, and applying "auto" applies
 * that profile: the test's proposals (first MM cipher mm_cipher).
 */
void	ct_check_lands(uint32_t version, const char *want,
	    const char *evidence, uint16_t mm_cipher);

/* Apply profile name to the peer with from_config: apply()'s result. */
int	ct_apply(const char *name, uint32_t from_config,
	    struct oakley_profile *);
void	ct_check_p1(const struct oakley_p1_proposal *, uint16_t cipher,
	    uint16_t keylen, uint16_t hash, uint16_t group, uint32_t lifetime);
void	ct_check_p2(const struct oakley_p2_proposal *, uint16_t cipher,
	    uint16_t keylen, uint16_t auth, uint16_t pfs, uint32_t lifetime,
	    uint64_t lifetime_kb);
/* The rest of what a profile sets, and the peer flags it leaves. */
void	ct_check_rest(const struct oakley_profile *, uint32_t idle,
	    uint32_t retransmit_ms, unsigned retransmit_count, uint32_t quirks);
void	ct_check_marks(const char *profile, int64_t natt_draft,
	    int64_t backoff);
/* The vendor IDs main mode would send to the peer: their count. */
size_t	ct_vids_to_send(const struct oakley_vendor_id **out, size_t max);
/*
 * With "plugin NAME { send-vendor-id RELEASE; }" the peer gets no vendor
 * ID until profile is applied, then exactly ct_ms_vid(version); and
 * what is sent is recognised as that profile again.
 */
void	ct_check_sent(const atf_tc_t *, const char *name, const char *profile,
	    const char *release, uint32_t version);

/*
 * End to end with oakleyd's own peers and engine accessors (the fake
 * phase 1 and messages on top): configuration text with both plugins and
 * the peer name; the peer's first main-mode message carries "MS NT5
 * ISAKMPOAKLEY" of version (or, version -1, no vendor ID); the peer's
 * configured profile is applied; out gets "oakleyctl show peers" as
 * text.
 */
void	ct_show_peers(const atf_tc_t *, const char *text, const char *name,
	    int64_t version, char *out, size_t outlen);

#endif /* OAKLEY_COMPAT_TEST_H */
