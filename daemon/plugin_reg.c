/*
 * Plugin host: the registries plugins fill from init() (hook tables, DH
 * groups, vendor IDs, payload handlers, socket filters, profiles) and
 * the lookups the engine makes in them.  Entries keep the plugin's
 * descriptor pointers and go away with the plugin (plugin_reg_forget).
 * Lists are in registration order, which is load order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "plugin_priv.h"

#define PAYLOAD_CORE_MAX	13	/* RFC 2408 payloads 1..13 are the core's */

struct plugin_reg {
	TAILQ_ENTRY(plugin_reg) link;
	struct oakley_host_priv *owner;		/* NULL: built into oakleyd */
	union {
		const struct oakley_dh_group		*dh;
		const struct oakley_vendor_id		*vid;
		const struct oakley_payload_handler	*payload;
		const struct oakley_port		*port;
		const struct oakley_profile_desc	*profile;
	} u;
};
TAILQ_HEAD(plugin_reg_list, plugin_reg);

static struct plugin_reg_list dh_list = TAILQ_HEAD_INITIALIZER(dh_list);
static struct plugin_reg_list vid_list = TAILQ_HEAD_INITIALIZER(vid_list);
static struct plugin_reg_list payload_list =
    TAILQ_HEAD_INITIALIZER(payload_list);
static struct plugin_reg_list port_list = TAILQ_HEAD_INITIALIZER(port_list);
static struct plugin_reg_list profile_list =
    TAILQ_HEAD_INITIALIZER(profile_list);

static const char *
owner_name(const struct plugin_reg *r)
{
	return r->owner != NULL ? r->owner->name : "oakleyd";
}

/* Registration is for init(): afterwards the lists are fixed. */
static struct oakley_host_priv *
registrant(const struct oakley_host *h, const char *what)
{
	struct oakley_host_priv *p = plugin_of(h);

	if (p->initialising)
		return p;
	plugin_record_error(p, false, "%s registered outside init()", what);
	log_warn("plugin %s: %s registered outside init(); ignored",
	    p->name, what);
	return NULL;
}

static struct plugin_reg *
reg_add(struct plugin_reg_list *list, struct oakley_host_priv *owner)
{
	struct plugin_reg *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		if (owner != NULL)
			plugin_record_error(owner, false, "out of memory");
		return NULL;
	}
	r->owner = owner;
	TAILQ_INSERT_TAIL(list, r, link);
	return r;
}

static void
reg_forget(struct plugin_reg_list *list, const struct oakley_host_priv *owner)
{
	struct plugin_reg *r, *next;

	for (r = TAILQ_FIRST(list); r != NULL; r = next) {
		next = TAILQ_NEXT(r, link);
		if (r->owner != owner)
			continue;
		TAILQ_REMOVE(list, r, link);
		free(r);
	}
}

/* p NULL: the entries built into oakleyd (at plugin_host_fini). */
void
plugin_reg_forget(struct oakley_host_priv *p)
{
	reg_forget(&dh_list, p);
	reg_forget(&vid_list, p);
	reg_forget(&payload_list, p);
	reg_forget(&port_list, p);
	reg_forget(&profile_list, p);
	if (p != NULL)
		p->hooks = NULL;
}

static int
host_register_hooks(const struct oakley_host *h,
    const struct oakley_hooks *hooks)
{
	struct oakley_host_priv *p;

	if ((p = registrant(h, "hooks")) == NULL)
		return -1;
	if (p->hooks != NULL) {
		plugin_record_error(p, false, "hooks registered twice");
		return -1;
	}
	p->hooks = hooks;
	return 0;
}

/* ---- DH groups ---- */

static struct plugin_reg *
dh_find(uint16_t group)
{
	struct plugin_reg *r;

	TAILQ_FOREACH(r, &dh_list, link)
		if (r->u.dh->group == group)
			return r;
	return NULL;
}

static int
dh_add(struct oakley_host_priv *owner, const struct oakley_dh_group *g)
{
	struct plugin_reg *r;

	if ((r = dh_find(g->group)) != NULL) {
		if (owner != NULL)
			plugin_record_error(owner, false, "DH group %u is "
			    "already registered by %s", (unsigned)g->group,
			    owner_name(r));
		return -1;
	}
	if ((r = reg_add(&dh_list, owner)) == NULL)
		return -1;
	r->u.dh = g;
	return 0;
}

static int
host_register_dh_group(const struct oakley_host *h,
    const struct oakley_dh_group *g)
{
	struct oakley_host_priv *p;

	if ((p = registrant(h, "DH group")) == NULL)
		return -1;
	if (g->keygen == NULL || g->derive == NULL || g->check_peer == NULL ||
	    g->key_free == NULL || g->public_len == 0) {
		plugin_record_error(p, false, "DH group %u is incomplete",
		    (unsigned)g->group);
		return -1;
	}
	if (g->bits == 0 || OAKLEY_DH_SECRET_LEN(g) > g->public_len) {
		plugin_record_error(p, false, "DH group %u: a %u-bit group "
		    "cannot have %zu-byte public values", (unsigned)g->group,
		    g->bits, g->public_len);
		return -1;
	}
	return dh_add(p, g);
}

int
plugin_dh_register_builtin(const struct oakley_dh_group *g)
{
	return dh_add(NULL, g);
}

const struct oakley_dh_group *
plugin_dh_lookup(uint16_t group)
{
	const struct plugin_reg *r;

	r = dh_find(group);
	return r != NULL ? r->u.dh : NULL;
}

/* ---- Vendor IDs ---- */

static int
host_register_vendor_id(const struct oakley_host *h,
    const struct oakley_vendor_id *v)
{
	struct oakley_host_priv *p;
	struct plugin_reg *r;

	if ((p = registrant(h, "vendor ID")) == NULL)
		return -1;
	if (v->name == NULL || v->bytes == NULL || v->len == 0 ||
	    v->match_len > v->len) {
		plugin_record_error(p, false, "vendor ID '%s' is malformed",
		    v->name != NULL ? v->name : "");
		return -1;
	}
	if ((r = reg_add(&vid_list, p)) == NULL)
		return -1;
	r->u.vid = v;
	return 0;
}

static bool
vid_matches(const struct oakley_vendor_id *v, const uint8_t *payload,
    size_t len)
{
	if ((v->flags & OAKLEY_VID_RECOGNISE) == 0)
		return false;
	if (v->match_len == 0)
		return len == v->len && memcmp(payload, v->bytes, len) == 0;
	return len >= v->match_len &&
	    memcmp(payload, v->bytes, v->match_len) == 0;
}

size_t
plugin_vendor_ids_to_send(struct oakley_phase1 *p1,
    const struct oakley_vendor_id **out, size_t max)
{
	const struct plugin_reg *r;
	const struct oakley_vendor_id *v;
	size_t n = 0;

	TAILQ_FOREACH(r, &vid_list, link) {
		v = r->u.vid;
		if (n == max)
			break;
		if ((v->flags & OAKLEY_VID_SEND) == 0)
			continue;
		if (v->should_send != NULL &&
		    !v->should_send(&r->owner->host, p1))
			continue;
		out[n++] = v;
	}
	return n;
}

size_t
plugin_run_vendor_id(struct oakley_phase1 *p1, const uint8_t *payload,
    size_t len)
{
	const struct plugin_reg *r;
	const struct oakley_vendor_id *v;
	struct oakley_flags *flags;
	size_t n = 0;

	TAILQ_FOREACH(r, &vid_list, link) {
		v = r->u.vid;
		if (!vid_matches(v, payload, len))
			continue;
		n++;
		if (v->peer_flag != NULL &&
		    (flags = plugin_engine->phase1_flags(p1)) != NULL)
			plugin_flags_set_int(flags, v->peer_flag, 1);
		if (v->received != NULL)
			v->received(&r->owner->host, p1, v, payload, len);
	}
	return n;
}

void
plugin_vendor_id_flags_commit(struct oakley_phase1 *p1)
{
	const struct plugin_reg *r;
	struct oakley_flags *from, *to;
	int64_t on;

	from = plugin_engine->phase1_flags(p1);
	to = plugin_engine->peer_flags(plugin_engine->phase1_peer(p1));
	if (from == NULL || to == NULL)
		return;
	TAILQ_FOREACH(r, &vid_list, link) {
		if (r->u.vid->peer_flag == NULL ||
		    plugin_flags_get_int(from, r->u.vid->peer_flag, &on) != 0)
			continue;
		plugin_flags_set_int(to, r->u.vid->peer_flag, on);
	}
}

const char *
plugin_vendor_id_name(const uint8_t *payload, size_t len)
{
	const struct plugin_reg *r;

	TAILQ_FOREACH(r, &vid_list, link)
		if (vid_matches(r->u.vid, payload, len))
			return r->u.vid->name;
	return NULL;
}

/* ---- Payload handlers ---- */

static const struct plugin_reg *
payload_find(uint8_t type)
{
	const struct plugin_reg *r;

	TAILQ_FOREACH(r, &payload_list, link)
		if (r->u.payload->type == type)
			return r;
	return NULL;
}

static int
host_register_payload(const struct oakley_host *h,
    const struct oakley_payload_handler *ph)
{
	struct oakley_host_priv *p;
	const struct plugin_reg *old;
	struct plugin_reg *r;

	if ((p = registrant(h, "payload handler")) == NULL)
		return -1;
	if (ph->type <= PAYLOAD_CORE_MAX || ph->parse == NULL) {
		plugin_record_error(p, false, "payload type %u cannot be "
		    "handled by a plugin", (unsigned)ph->type);
		return -1;
	}
	if ((old = payload_find(ph->type)) != NULL) {
		plugin_record_error(p, false, "payload type %u is already "
		    "handled by %s", (unsigned)ph->type, owner_name(old));
		return -1;
	}
	if ((r = reg_add(&payload_list, p)) == NULL)
		return -1;
	r->u.payload = ph;
	return 0;
}

int
plugin_run_payload(struct oakley_msg *m, uint8_t type, const uint8_t *body,
    size_t len)
{
	const struct plugin_reg *r;

	if ((r = payload_find(type)) == NULL)
		return 1;
	return r->u.payload->parse(&r->owner->host, m, type, body, len) == 0 ?
	    0 : -1;
}

/* ---- Socket filters ---- */

static int
host_register_port(const struct oakley_host *h, const struct oakley_port *pt)
{
	struct oakley_host_priv *p;
	struct plugin_reg *r;

	if ((p = registrant(h, "port")) == NULL)
		return -1;
	if (pt->port == 0 || pt->classify == NULL ||
	    (pt->marker_len != 0 && pt->marker == NULL)) {
		plugin_record_error(p, false, "port filter is malformed");
		return -1;
	}
	TAILQ_FOREACH(r, &port_list, link) {
		if (r->u.port->port != pt->port)
			continue;
		plugin_record_error(p, false, "port %u is already filtered "
		    "by %s", (unsigned)pt->port, owner_name(r));
		return -1;
	}
	if ((r = reg_add(&port_list, p)) == NULL)
		return -1;
	r->u.port = pt;
	return 0;
}

size_t
plugin_port_count(void)
{
	const struct plugin_reg *r;
	size_t n = 0;

	TAILQ_FOREACH(r, &port_list, link)
		n++;
	return n;
}

const struct oakley_port *
plugin_port_at(size_t index)
{
	const struct plugin_reg *r;

	TAILQ_FOREACH(r, &port_list, link)
		if (index-- == 0)
			return r->u.port;
	return NULL;
}

static const struct plugin_reg *
port_find(uint16_t port)
{
	const struct plugin_reg *r;

	TAILQ_FOREACH(r, &port_list, link)
		if (r->u.port->port == port)
			return r;
	return NULL;
}

const struct oakley_port *
plugin_port_lookup(uint16_t port)
{
	const struct plugin_reg *r;

	r = port_find(port);
	return r != NULL ? r->u.port : NULL;
}

enum oakley_packet
plugin_port_classify(uint16_t port, const uint8_t *pkt, size_t len,
    size_t *ike_offset)
{
	const struct plugin_reg *r;

	*ike_offset = 0;
	if ((r = port_find(port)) == NULL)
		return OAKLEY_PACKET_IKE;
	if (r->u.port->classify(&r->owner->host, pkt, len, ike_offset) !=
	    OAKLEY_PACKET_IKE || *ike_offset > len)
		return OAKLEY_PACKET_DROP;
	return OAKLEY_PACKET_IKE;
}

/* ---- Profiles ---- */

static const struct plugin_reg *
profile_find(const char *name)
{
	const struct plugin_reg *r;

	TAILQ_FOREACH(r, &profile_list, link)
		if (strcmp(r->u.profile->name, name) == 0)
			return r;
	return NULL;
}

static int
host_register_profile(const struct oakley_host *h,
    const struct oakley_profile_desc *pd)
{
	struct oakley_host_priv *p;
	const struct plugin_reg *old;
	struct plugin_reg *r;

	if ((p = registrant(h, "profile")) == NULL)
		return -1;
	if (pd->name == NULL || pd->apply == NULL ||
	    strcmp(pd->name, OAKLEY_PROFILE_DEFAULT) == 0 ||
	    strcmp(pd->name, OAKLEY_PROFILE_AUTO) == 0) {
		plugin_record_error(p, false, "profile '%s' cannot be "
		    "registered", pd->name != NULL ? pd->name : "");
		return -1;
	}
	if ((old = profile_find(pd->name)) != NULL) {
		plugin_record_error(p, false, "profile '%s' is already "
		    "registered by %s", pd->name, owner_name(old));
		return -1;
	}
	if ((r = reg_add(&profile_list, p)) == NULL)
		return -1;
	r->u.profile = pd;
	return 0;
}

const struct oakley_profile_desc *
plugin_profile_lookup(const char *name)
{
	const struct plugin_reg *r;

	r = profile_find(name);
	return r != NULL ? r->u.profile : NULL;
}

const char *
plugin_profile_chosen(const struct oakley_flags *flags)
{
	return plugin_flags_get_str(flags, OAKLEY_FLAG_PROFILE);
}

/* The flags holding what "auto" stands for in p1: its own, or its peer's. */
static struct oakley_flags *
auto_flags(struct oakley_phase1 *p1)
{
	struct oakley_flags *flags = plugin_engine->phase1_flags(p1);

	if (flags != NULL && plugin_profile_chosen(flags) != NULL)
		return flags;
	return plugin_engine->peer_flags(plugin_engine->phase1_peer(p1));
}

const char *
plugin_profile_chosen_p1(struct oakley_phase1 *p1)
{
	return plugin_profile_chosen(auto_flags(p1));
}

static const char *
peer_name_or_unknown(const struct oakley_peer *peer)
{
	const char *name = plugin_engine->peer_name(peer);

	return name != NULL ? name : "?";
}

/*
 * What "auto" stands for in p1 (see oakley/plugin.h): the profile a
 * plugin chose, or NULL for the configuration alone.
 */
static const char *
profile_resolve_auto(struct oakley_phase1 *p1)
{
	const char *name, *evidence;
	struct oakley_flags *flags = auto_flags(p1);

	name = plugin_profile_chosen(flags);
	if (name == NULL || strcmp(name, OAKLEY_PROFILE_DEFAULT) == 0 ||
	    strcmp(name, OAKLEY_PROFILE_AUTO) == 0)
		return NULL;
	if (profile_find(name) != NULL)
		return name;
	evidence = plugin_flags_get_str(flags, OAKLEY_FLAG_PROFILE_EVIDENCE);
	log_warn("peer %s: profile auto chose '%s' (%s), which no plugin "
	    "provides; using the peer's configuration",
	    peer_name_or_unknown(plugin_engine->phase1_peer(p1)), name,
	    evidence != NULL ? evidence : "no evidence");
	return NULL;
}

int
plugin_profile_apply(const char *name, struct oakley_phase1 *p1,
    struct oakley_profile *prof, char *err, size_t errlen)
{
	const struct plugin_reg *r;

	if (strcmp(name, OAKLEY_PROFILE_AUTO) == 0 &&
	    (name = profile_resolve_auto(p1)) == NULL)
		return 0;
	if (strcmp(name, OAKLEY_PROFILE_DEFAULT) == 0)
		return 0;
	if ((r = profile_find(name)) == NULL) {
		snprintf(err, errlen, "profile '%s': no plugin provides it",
		    name);
		return -1;
	}
	if (r->u.profile->apply(&r->owner->host, p1, prof) != 0) {
		snprintf(err, errlen, "profile '%s' (plugin %s) failed for "
		    "peer '%s'", name, owner_name(r),
		    peer_name_or_unknown(plugin_engine->phase1_peer(p1)));
		return -1;
	}
	return 0;
}

void
plugin_host_set_registration(struct oakley_host *h)
{
	h->register_hooks = host_register_hooks;
	h->register_dh_group = host_register_dh_group;
	h->register_vendor_id = host_register_vendor_id;
	h->register_payload = host_register_payload;
	h->register_port = host_register_port;
	h->register_profile = host_register_profile;
}
