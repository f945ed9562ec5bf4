/*
 * The compat plugins' configuration (see compat.h): the plugin block
 *
 *	plugin compat_legacy { KEY VALUE; ... }
 *
 * and a peer's own block, which starts from the plugin block's settings:
 *
 *	peer P { compat_legacy { KEY VALUE; ... } }
 *
 * Keys (each at most once in a block; a variant takes a subset):
 *	send-vendor-id RELEASE|no;	the MS NT5 version to send
 *	group2048 BOOL;			legacy: offer DH group 14 too
 *	mm-proposal ENC HASH GROUP;	modern: the one main-mode proposal
 *	mm-lifetime DURATION;		main-mode SA lifetime
 *	qm-lifetime DURATION;		quick-mode SA lifetime
 *	qm-lifesize SIZE;		quick-mode SA lifetime in bytes
 *	idle-time DURATION;		quick-mode SA idle timeout
 *	pfs BOOL;			quick-mode PFS with the MM group
 *	natt-draft BOOL;		legacy: prefer draft NAT-T
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

#define LIFETIME_MIN	300			/* 5 minutes */
#define LIFETIME_MAX	(48 * 3600)
#define LIFESIZE_MIN_KB	20480ULL		/* 20 MB */
#define LIFESIZE_MAX_KB	2147483647ULL		/* 2 TB */
#define IDLE_MIN	300			/* SAIdleTime, FACTS.md 2 */
#define IDLE_MAX	3600
#define EXPECT_MAX	256

typedef int (*key_parser)(const struct oakley_host *,
    const struct oakley_conf_stmt *, struct compat_settings *);

struct compat_key {
	const char	*name;
	unsigned	 bit;
	key_parser	 parse;
};

struct compat_peer {
	struct compat_peer	*next;
	char			*name;
	struct compat_settings	 s;
};

static const struct compat_variant *variant;
static struct compat_settings global;
static struct compat_peer *peers;

/* ---- Values ---- */

struct name_num {
	const char	*name;
	uint16_t	 num, keylen;
};

static const struct name_num ciphers[] = {
	{ "3des", IKE_ENC_3DES, 0 },
	{ "aes128", IKE_ENC_AES_CBC, 128 },
	{ "aes192", IKE_ENC_AES_CBC, 192 },
	{ "aes256", IKE_ENC_AES_CBC, 256 },
	{ NULL, 0, 0 }
};

static const struct name_num hashes[] = {
	{ "sha1", IKE_HASH_SHA1, 0 },
	{ "sha256", IKE_HASH_SHA2_256, 0 },
	{ "sha384", IKE_HASH_SHA2_384, 0 },
	{ NULL, 0, 0 }
};

/* Windows Vista and later: DH 2, 14 and ECDH P-256, P-384 in main mode. */
static const struct name_num groups[] = {
	{ "modp1024", GROUP_MODP1024, 0 }, { "2", GROUP_MODP1024, 0 },
	{ "modp2048", GROUP_MODP2048, 0 }, { "14", GROUP_MODP2048, 0 },
	{ "ecp256", 19, 0 }, { "19", 19, 0 },
	{ "ecp384", 20, 0 }, { "20", 20, 0 },
	{ NULL, 0, 0 }
};

static const struct name_num *
by_name(const struct name_num *t, const char *name)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static int
want_args(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    size_t n, const char *usage)
{
	if (h->conf_nargs(h, s) == n)
		return 0;
	h->conf_error(h, s, "expected '%s;'", usage);
	return -1;
}

static int
seconds_arg(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    uint64_t min, uint64_t max, uint32_t *out, const char *usage)
{
	uint64_t v;

	if (want_args(h, s, 1, usage) != 0 ||
	    h->conf_seconds(h, s, 0, min, max, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
bool_arg(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    bool *out, const char *usage)
{
	if (want_args(h, s, 1, usage) != 0)
		return -1;
	return h->conf_bool(h, s, 0, out);
}

/* ---- Keys ---- */

/* "win2000 (2), winxp (3), win2003 (4)": the variant's releases. */
static void
releases_text(char *buf, size_t len)
{
	const struct mswin_release *r;
	size_t used = 0;

	buf[0] = '\0';
	for (r = mswin_releases; r->word != NULL && used < len; r++)
		if (r->version >= variant->vid_min &&
		    r->version <= variant->vid_max)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s (%lu)", used > 0 ? ", " : "", r->word,
			    (unsigned long)r->version);
}

static int
key_send_vid(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    struct compat_settings *cs)
{
	const struct mswin_release *r;
	const char *arg;
	char expect[EXPECT_MAX];

	if (want_args(h, s, 1, "send-vendor-id RELEASE") != 0)
		return -1;
	arg = h->conf_arg(h, s, 0);
	if (strcmp(arg, "no") == 0) {
		cs->send_version = 0;
		return 0;
	}
	r = mswin_release_parse(arg);
	if (r == NULL || r->version < variant->vid_min ||
	    r->version > variant->vid_max) {
		releases_text(expect, sizeof(expect));
		h->conf_error(h, s, "unknown Windows release '%s' for profile "
		    "%s (expected %s or no)", arg, variant->profile, expect);
		return -1;
	}
	cs->send_version = r->version;
	return 0;
}

static int
key_group2048(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    struct compat_settings *cs)
{
	return bool_arg(h, s, &cs->group2048, "group2048 yes|no");
}

static int
key_mm_proposal(const struct oakley_host *h,
    const struct oakley_conf_stmt *s, struct compat_settings *cs)
{
	const struct name_num *enc, *hash, *group;
	const char *arg;

	if (want_args(h, s, 3, "mm-proposal ENCRYPTION HASH GROUP") != 0)
		return -1;
	if ((enc = by_name(ciphers, arg = h->conf_arg(h, s, 0))) == NULL) {
		h->conf_error(h, s, "unknown encryption '%s' (expected 3des, "
		    "aes128, aes192 or aes256)", arg);
		return -1;
	}
	if ((hash = by_name(hashes, arg = h->conf_arg(h, s, 1))) == NULL) {
		h->conf_error(h, s, "unknown hash '%s' (expected sha1, sha256 "
		    "or sha384)", arg);
		return -1;
	}
	if ((group = by_name(groups, arg = h->conf_arg(h, s, 2))) == NULL) {
		h->conf_error(h, s, "unknown group '%s' (expected modp1024, "
		    "modp2048, ecp256, ecp384, 2, 14, 19 or 20)", arg);
		return -1;
	}
	cs->mm.cipher = enc->num;
	cs->mm.keylen = enc->keylen;
	cs->mm.hash = hash->num;
	cs->mm.group = group->num;
	return 0;
}

static int
key_mm_lifetime(const struct oakley_host *h,
    const struct oakley_conf_stmt *s, struct compat_settings *cs)
{
	return seconds_arg(h, s, LIFETIME_MIN, LIFETIME_MAX, &cs->mm_lifetime,
	    "mm-lifetime DURATION");
}

static int
key_qm_lifetime(const struct oakley_host *h,
    const struct oakley_conf_stmt *s, struct compat_settings *cs)
{
	return seconds_arg(h, s, LIFETIME_MIN, LIFETIME_MAX, &cs->qm_lifetime,
	    "qm-lifetime DURATION");
}

static int
key_qm_lifesize(const struct oakley_host *h,
    const struct oakley_conf_stmt *s, struct compat_settings *cs)
{
	uint64_t bytes, kb;

	if (want_args(h, s, 1, "qm-lifesize SIZE") != 0 ||
	    h->conf_bytes(h, s, 0, 1, UINT64_MAX, &bytes) != 0)
		return -1;
	kb = bytes / 1024 + (bytes % 1024 != 0);
	if (kb < LIFESIZE_MIN_KB || kb > LIFESIZE_MAX_KB) {
		h->conf_error(h, s, "qm-lifesize %s out of range (%lluKB to "
		    "%lluKB)", h->conf_arg(h, s, 0), LIFESIZE_MIN_KB,
		    LIFESIZE_MAX_KB);
		return -1;
	}
	cs->qm_lifesize = kb;
	return 0;
}

static int
key_idle_time(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    struct compat_settings *cs)
{
	return seconds_arg(h, s, IDLE_MIN, IDLE_MAX, &cs->idle_time,
	    "idle-time DURATION");
}

static int
key_pfs(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    struct compat_settings *cs)
{
	return bool_arg(h, s, &cs->pfs, "pfs yes|no");
}

static int
key_natt_draft(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    struct compat_settings *cs)
{
	return bool_arg(h, s, &cs->natt_draft, "natt-draft yes|no");
}

static const struct compat_key keys[] = {
	{ "send-vendor-id", COMPAT_KEY_SEND_VID, key_send_vid },
	{ "group2048", COMPAT_KEY_GROUP2048, key_group2048 },
	{ "mm-proposal", COMPAT_KEY_MM_PROPOSAL, key_mm_proposal },
	{ "mm-lifetime", COMPAT_KEY_MM_LIFETIME, key_mm_lifetime },
	{ "qm-lifetime", COMPAT_KEY_QM_LIFETIME, key_qm_lifetime },
	{ "qm-lifesize", COMPAT_KEY_QM_LIFESIZE, key_qm_lifesize },
	{ "idle-time", COMPAT_KEY_IDLE_TIME, key_idle_time },
	{ "pfs", COMPAT_KEY_PFS, key_pfs },
	{ "natt-draft", COMPAT_KEY_NATT_DRAFT, key_natt_draft },
	{ NULL, 0, NULL }
};

/* ---- Blocks ---- */

/* "mm-lifetime, qm-lifetime or pfs": the keys allowed here. */
static void
keys_text(unsigned allowed, char *buf, size_t len)
{
	const struct compat_key *k;
	size_t used = 0, n = 0, i = 0;

	for (k = keys; k->name != NULL; k++)
		n += (allowed & k->bit) != 0;
	buf[0] = '\0';
	for (k = keys; k->name != NULL && used < len; k++) {
		if ((allowed & k->bit) == 0)
			continue;
		i++;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    k->name, i == n ? "" : i + 1 == n ? " or " : ", ");
	}
}

static int
parse_block(const struct oakley_host *h, const struct oakley_conf_block *b,
    struct compat_settings *cs, bool peer)
{
	const struct oakley_conf_stmt *s;
	const struct compat_key *k;
	unsigned allowed = variant->keys, seen = 0;
	char expect[EXPECT_MAX];

	if (peer)
		allowed &= ~(unsigned)COMPAT_KEY_SEND_VID;
	for (s = h->conf_first(h, b); s != NULL; s = h->conf_next(h, s)) {
		for (k = keys; k->name != NULL; k++)
			if (strcmp(k->name, h->conf_key(h, s)) == 0)
				break;
		if (peer && k->bit == COMPAT_KEY_SEND_VID &&
		    (variant->keys & k->bit) != 0) {
			h->conf_error(h, s, "%s belongs in the plugin block, "
			    "not in a peer's", k->name);
			return -1;
		}
		if (k->name == NULL || (allowed & k->bit) == 0) {
			keys_text(allowed, expect, sizeof(expect));
			h->conf_error(h, s, "unknown option '%s' (expected "
			    "%s)", h->conf_key(h, s), expect);
			return -1;
		}
		if (seen & k->bit) {
			h->conf_error(h, s, "%s given twice", k->name);
			return -1;
		}
		seen |= k->bit;
		if (k->parse(h, s, cs) != 0)
			return -1;
	}
	return 0;
}

int
compat_init(const struct compat_variant *v, const struct oakley_host *h,
    const struct oakley_conf_block *b)
{
	variant = v;
	global = v->defaults;
	peers = NULL;
	return parse_block(h, b, &global, false);
}

void
compat_fini(const struct oakley_host *h)
{
	struct compat_peer *p;

	(void)h;
	while ((p = peers) != NULL) {
		peers = p->next;
		free(p->name);
		free(p);
	}
}

const struct compat_variant *
compat_variant(void)
{
	return variant;
}

static struct compat_peer *
peer_find(const char *name)
{
	struct compat_peer *p;

	for (p = peers; p != NULL && name != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const struct compat_settings *
compat_settings(const char *peer)
{
	const struct compat_peer *p = peer_find(peer);

	return p != NULL ? &p->s : &global;
}

int
compat_peer_config(const struct oakley_host *h, const char *peer,
    const struct oakley_conf_block *b)
{
	struct compat_settings cs = global;
	struct compat_peer *p;

	if (parse_block(h, b, &cs, true) != 0)
		return -1;
	if ((p = peer_find(peer)) == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL ||
		    (p->name = strdup(peer)) == NULL) {
			free(p);
			h->log(h, OAKLEY_LOG_ERR, "peer %s: out of memory", peer);
			return -1;
		}
		p->next = peers;
		peers = p;
	}
	p->s = cs;
	return 0;
}
