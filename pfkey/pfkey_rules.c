/*
 * Which extensions each PF_KEY message type must and may carry, per
 * direction (RFC 2367 section 3.1, as FreeBSD's key.c implements it, plus
 * what kernels really send in replies).  The whole policy is the one
 * table below; pfkey_msg_check_required() applies it.
 *
 * Exceptions, handled in code: a message from the kernel with errnum set
 * is a header-only error reply and needs nothing; so is an ACQUIRE to the
 * kernel with errnum set (a key manager reporting failure).  X_PROMISC
 * carries a copied message, not extensions.
 */
#include <errno.h>

#include "pfkey_wire.h"

#define EXT(e)		(1u << PFKEY_EXT_##e)

#define ADDR_SD		(EXT(ADDRESS_SRC) | EXT(ADDRESS_DST))
#define LIFE_ALL	(EXT(LIFETIME_CURRENT) | EXT(LIFETIME_HARD) | \
			    EXT(LIFETIME_SOFT))
#define KEYS		(EXT(KEY_AUTH) | EXT(KEY_ENCRYPT))
#define IDENTS		(EXT(IDENTITY_SRC) | EXT(IDENTITY_DST))
#define NATT_PORTS	(EXT(X_NAT_T_TYPE) | EXT(X_NAT_T_SPORT) | \
			    EXT(X_NAT_T_DPORT))
#define NATT_ALL	(NATT_PORTS | EXT(X_NAT_T_OAI) | EXT(X_NAT_T_OAR) | \
			    EXT(X_NAT_T_FRAG))
/* Everything one SA record can carry (ADD, UPDATE, GET and DUMP replies). */
#define SA_RECORD	(EXT(SA) | EXT(X_SA2) | LIFE_ALL | ADDR_SD | \
			    EXT(ADDRESS_PROXY) | KEYS | IDENTS | \
			    EXT(SENSITIVITY) | EXT(X_KMPRIVATE) | NATT_ALL | \
			    EXT(X_SA_REPLAY))
#define SA_KEY		(EXT(SA) | ADDR_SD)
#define ACQ_ALLOWED	(ADDR_SD | EXT(ADDRESS_PROXY) | IDENTS | \
			    EXT(SENSITIVITY) | EXT(PROPOSAL) | EXT(X_POLICY) | \
			    EXT(X_SA2))
#define SPD_ALLOWED	(ADDR_SD | EXT(X_POLICY) | LIFE_ALL)
#define SPD_KEY		(ADDR_SD | EXT(X_POLICY))

struct pfkey_rule {
	uint32_t	required;	/* all of these */
	uint32_t	one_of;		/* if non-zero, at least one of these */
	uint32_t	allowed;	/* nothing outside this */
};

struct pfkey_type_rules {
	struct pfkey_rule to_kernel;
	struct pfkey_rule from_kernel;
};

static const struct pfkey_type_rules rules[PFKEY_MSG_MAX + 1] = {
	[PFKEY_GETSPI] = {
		{ ADDR_SD, 0, ADDR_SD | EXT(ADDRESS_PROXY) | EXT(X_SA2) |
		    EXT(SPIRANGE) },
		{ SA_KEY, 0, SA_KEY | EXT(ADDRESS_PROXY) | EXT(X_SA2) },
	},
	[PFKEY_UPDATE] = {
		{ SA_KEY, 0, SA_RECORD | EXT(X_NEW_ADDRESS_SRC) |
		    EXT(X_NEW_ADDRESS_DST) },
		{ SA_KEY, 0, SA_RECORD | EXT(X_NEW_ADDRESS_SRC) |
		    EXT(X_NEW_ADDRESS_DST) },
	},
	[PFKEY_ADD] = {
		{ SA_KEY, 0, SA_RECORD },
		{ SA_KEY, 0, SA_RECORD },
	},
	[PFKEY_DELETE] = {
		{ ADDR_SD, 0, SA_KEY | EXT(X_SA2) | EXT(ADDRESS_PROXY) |
		    NATT_PORTS },
		{ ADDR_SD, 0, SA_KEY | EXT(X_SA2) | EXT(ADDRESS_PROXY) |
		    NATT_PORTS },
	},
	[PFKEY_GET] = {
		{ SA_KEY, 0, SA_KEY | EXT(X_SA2) | EXT(ADDRESS_PROXY) |
		    NATT_PORTS },
		{ SA_KEY, 0, SA_RECORD },
	},
	[PFKEY_ACQUIRE] = {
		{ ADDR_SD, 0, ACQ_ALLOWED },
		{ ADDR_SD, 0, ACQ_ALLOWED },
	},
	[PFKEY_REGISTER] = {
		{ 0, 0, 0 },
		{ 0, EXT(SUPPORTED_AUTH) | EXT(SUPPORTED_ENCRYPT),
		    EXT(SUPPORTED_AUTH) | EXT(SUPPORTED_ENCRYPT) },
	},
	[PFKEY_EXPIRE] = {
		{ SA_KEY | EXT(LIFETIME_CURRENT),
		    EXT(LIFETIME_HARD) | EXT(LIFETIME_SOFT),
		    SA_KEY | EXT(X_SA2) | LIFE_ALL | EXT(ADDRESS_PROXY) |
		    EXT(X_SA_REPLAY) },
		{ SA_KEY | EXT(LIFETIME_CURRENT),
		    EXT(LIFETIME_HARD) | EXT(LIFETIME_SOFT),
		    SA_KEY | EXT(X_SA2) | LIFE_ALL | EXT(ADDRESS_PROXY) |
		    EXT(X_SA_REPLAY) },
	},
	[PFKEY_FLUSH] = {
		{ 0, 0, 0 },
		{ 0, 0, 0 },
	},
	[PFKEY_DUMP] = {
		{ 0, 0, 0 },
		{ 0, 0, SA_RECORD },
	},
	[PFKEY_X_PCHANGE] = {
		{ 0, 0, SPD_ALLOWED },
		{ 0, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDUPDATE] = {
		{ SPD_KEY, 0, SPD_ALLOWED },
		{ SPD_KEY, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDADD] = {
		{ SPD_KEY, 0, SPD_ALLOWED },
		{ SPD_KEY, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDDELETE] = {
		{ SPD_KEY, 0, SPD_ALLOWED },
		{ SPD_KEY, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDGET] = {
		{ EXT(X_POLICY), 0, EXT(X_POLICY) },
		{ EXT(X_POLICY), 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDACQUIRE] = {
		{ 0, 0, SPD_ALLOWED },
		{ 0, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDDUMP] = {
		{ 0, 0, 0 },
		{ 0, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDFLUSH] = {
		{ 0, 0, 0 },
		{ 0, 0, 0 },
	},
	[PFKEY_X_SPDSETIDX] = {
		{ SPD_KEY, 0, SPD_ALLOWED },
		{ SPD_KEY, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDEXPIRE] = {
		{ SPD_KEY, 0, SPD_ALLOWED },
		{ SPD_KEY, 0, SPD_ALLOWED },
	},
	[PFKEY_X_SPDDELETE2] = {
		{ EXT(X_POLICY), 0, EXT(X_POLICY) },
		{ EXT(X_POLICY), 0, SPD_ALLOWED },
	},
};

static const char *
direction_name(enum pfkey_direction dir)
{
	return dir == PFKEY_TO_KERNEL ? "to kernel" : "from kernel";
}

/* Lowest extension id set in mask (mask non-zero). */
static unsigned
first_ext(uint32_t mask)
{
	unsigned ext;

	for (ext = 1; ext <= PFKEY_EXT_MAX; ext++)
		if (mask & (1u << ext))
			return ext;
	return 0;
}

static bool
header_only_error(const struct pfkey_msg *m, enum pfkey_direction dir)
{
	if (m->errnum == 0)
		return false;
	return dir == PFKEY_FROM_KERNEL || m->type == PFKEY_ACQUIRE;
}

int
pfkey_msg_check_required(const struct pfkey_msg *m,
    enum pfkey_direction dir, struct pfkey_error *err)
{
	const struct pfkey_rule *r;
	const char *tname = pfkey_msg_type_name(m->type);
	uint32_t bad;
	unsigned ext;

	if (m->type == 0 || m->type > PFKEY_MSG_MAX)
		return pfkey_fail(err, EINVAL, "message type %u out of range "
		    "1..%d", m->type, PFKEY_MSG_MAX);
	if (m->type == PFKEY_X_PROMISC)
		return 0;
	r = dir == PFKEY_TO_KERNEL ? &rules[m->type].to_kernel :
	    &rules[m->type].from_kernel;
	if ((bad = m->present & ~r->allowed) != 0) {
		ext = first_ext(bad);
		return pfkey_fail(err, EINVAL, "%s %s: extension %u (%s) not "
		    "allowed", tname, direction_name(dir), ext,
		    pfkey_ext_name(ext));
	}
	if (header_only_error(m, dir))
		return 0;
	if ((bad = r->required & ~m->present) != 0) {
		ext = first_ext(bad);
		return pfkey_fail(err, EINVAL, "%s %s: missing extension %u "
		    "(%s)", tname, direction_name(dir), ext,
		    pfkey_ext_name(ext));
	}
	if (r->one_of != 0 && (m->present & r->one_of) == 0) {
		ext = first_ext(r->one_of);
		return pfkey_fail(err, EINVAL, "%s %s: missing extension %u "
		    "(%s) or %u (%s)", tname, direction_name(dir), ext,
		    pfkey_ext_name(ext), first_ext(r->one_of & ~(1u << ext)),
		    pfkey_ext_name(first_ext(r->one_of & ~(1u << ext))));
	}
	return 0;
}
