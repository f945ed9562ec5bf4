/*
 * The control socket's "show" commands: peers, SAs and plugins, as an
 * aligned table (columns as wide as their widest cell, two blanks apart)
 * or as one JSON object.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "plugin.h"
#include "sa.h"

#define TABLE_COLS	10
#define CELL_MAX	512

/* ---- Aligned tables ---- */

struct table {
	size_t	 ncols, nrows;
	char	**cells;		/* nrows * ncols, malloc'd */
	size_t	 width[TABLE_COLS];
};

static void
table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

/* Append a row of ncols strings; a failed allocation drops the row. */
static void
table_row(struct table *t, const char *const *row)
{
	char **cells;
	size_t i, len;

	cells = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*cells));
	if (cells == NULL)
		return;
	t->cells = cells;
	for (i = 0; i < t->ncols; i++) {
		cells[t->nrows * t->ncols + i] = strdup(row[i]);
		len = strlen(row[i]);
		if (len > t->width[i])
			t->width[i] = len;
	}
	t->nrows++;
}

static void
table_print(struct table *t, struct evbuffer *out)
{
	const char *cell;
	size_t r, c;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			if (cell == NULL)
				cell = "?";
			if (c + 1 == t->ncols)
				evbuffer_add_printf(out, "%s\n", cell);
			else
				evbuffer_add_printf(out, "%-*s  ",
				    (int)t->width[c], cell);
		}
	}
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* ---- Peers ---- */

static void
peer_flags_text(const struct peer *p, char *buf, size_t len)
{
	char one[CELL_MAX];
	size_t i, n = plugin_flags_count(p->flags), used = 0;

	snprintf(buf, len, "-");
	for (i = 0; i < n; i++) {
		if (plugin_flags_format(p->flags, i, one, sizeof(one)) != 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? "," : "", one);
		if (used >= len)
			break;
	}
}

/* The configured profile; for "auto", also the one chosen ("auto:legacy"). */
static void
peer_profile_text(const struct peer *p, char *buf, size_t len)
{
	const char *chosen = plugin_profile_chosen(p->flags);

	if (strcmp(p->conf->profile, OAKLEY_PROFILE_AUTO) == 0 &&
	    chosen != NULL)
		snprintf(buf, len, "%s:%s", p->conf->profile, chosen);
	else
		snprintf(buf, len, "%s", p->conf->profile);
}

/*
 * The state "show peers" prints: the negotiation state, except that an
 * idle peer holding a phase 1 or phase-2 SAs is "established".
 */
static const char *
peer_shown_state(const struct peer *p, size_t sa_count)
{
	if (p->state == PEER_IDLE && (p->phase1_count > 0 || sa_count > 0))
		return "established";
	return peer_state_name(p->state);
}

static void
peers_text(struct daemon *d, struct evbuffer *out)
{
	static const char *const header[] = { "NAME", "ADDRESS", "PROFILE",
	    "STATE", "ACQUIRES", "LAST-SEQ", "PHASE1", "PHASE2", "FLAGS" };
	char cells[9][CELL_MAX];
	const char *row[9];
	struct table t;
	struct peer *p;
	size_t i, sa_count;

	if (TAILQ_EMPTY(&d->peers)) {
		evbuffer_add_printf(out, "No peers configured.\n");
		return;
	}
	table_init(&t, 9);
	table_row(&t, header);
	for (i = 0; i < 9; i++)
		row[i] = cells[i];
	TAILQ_FOREACH(p, &d->peers, link) {
		snprintf(cells[0], CELL_MAX, "%s", p->conf->name);
		pfkey_addr_ntop(&p->conf->address, cells[1], CELL_MAX);
		peer_profile_text(p, cells[2], CELL_MAX);
		sa_count = peer_sa_count(p, d->sa);
		snprintf(cells[3], CELL_MAX, "%s",
		    peer_shown_state(p, sa_count));
		snprintf(cells[4], CELL_MAX, "%" PRIu64, p->acquires);
		if (p->last_acquire_seq != 0)
			snprintf(cells[5], CELL_MAX, "%u", p->last_acquire_seq);
		else
			snprintf(cells[5], CELL_MAX, "-");
		snprintf(cells[6], CELL_MAX, "%u", p->phase1_count);
		snprintf(cells[7], CELL_MAX, "%zu", sa_count);
		peer_flags_text(p, cells[8], CELL_MAX);
		table_row(&t, row);
	}
	table_print(&t, out);
	table_free(&t);
}

static void
peer_flags_json(const struct peer *p, struct evbuffer *out)
{
	char one[CELL_MAX], *eq;
	const char *str;
	int64_t num;
	size_t i, n = plugin_flags_count(p->flags);
	bool first = true;

	evbuffer_add(out, "{", 1);
	for (i = 0; i < n; i++) {
		if (plugin_flags_format(p->flags, i, one, sizeof(one)) != 0 ||
		    (eq = strchr(one, '=')) == NULL)
			continue;
		*eq = '\0';
		json_key(out, one, first);
		first = false;
		if (plugin_flags_get_int(p->flags, one, &num) == 0)
			evbuffer_add_printf(out, "%" PRId64, num);
		else if ((str = plugin_flags_get_str(p->flags, one)) != NULL)
			json_string(out, str);
		else
			evbuffer_add(out, "null", 4);
	}
	evbuffer_add(out, "}", 1);
}

static void
peer_json(struct daemon *d, const struct peer *p, struct evbuffer *out)
{
	char addr[INET6_ADDRSTRLEN];
	const struct ike_request *r = &p->request;
	size_t sa_count = peer_sa_count(p, d->sa);

	json_key(out, "name", true);
	json_string(out, p->conf->name);
	json_key(out, "address", false);
	json_string(out, pfkey_addr_ntop(&p->conf->address, addr,
	    sizeof(addr)));
	json_key(out, "profile", false);
	json_string(out, p->conf->profile);
	json_key(out, "state", false);
	json_string(out, peer_shown_state(p, sa_count));
	json_key(out, "trigger", false);
	json_string(out, p->state == PEER_NEGOTIATING ?
	    ike_trigger_name(r->trigger) : NULL);
	json_key(out, "acquires", false);
	evbuffer_add_printf(out, "%" PRIu64, p->acquires);
	json_key(out, "last_acquire_seq", false);
	if (p->last_acquire_seq != 0)
		evbuffer_add_printf(out, "%u", p->last_acquire_seq);
	else
		evbuffer_add(out, "null", 4);
	json_key(out, "last_acquire_time", false);
	if (p->last_acquire_seq != 0)
		evbuffer_add_printf(out, "%lld",
		    (long long)p->last_acquire_time);
	else
		evbuffer_add(out, "null", 4);
	json_key(out, "phase1_sas", false);
	evbuffer_add_printf(out, "%u", p->phase1_count);
	json_key(out, "phase2_sas", false);
	evbuffer_add_printf(out, "%zu", sa_count);
	json_key(out, "flags", false);
	peer_flags_json(p, out);
}

void
ctl_show_peers(struct daemon *d, bool json, struct evbuffer *out)
{
	struct peer *p;
	bool first = true;

	if (!json) {
		peers_text(d, out);
		return;
	}
	evbuffer_add_printf(out, "{\"peers\":[");
	TAILQ_FOREACH(p, &d->peers, link) {
		evbuffer_add(out, first ? "{" : ",{", first ? 1 : 2);
		peer_json(d, p, out);
		evbuffer_add(out, "}", 1);
		first = false;
	}
	evbuffer_add_printf(out, "]}\n");
}

/* ---- SAs ---- */

/* Every SA, grouped by peer in configuration order. */
static size_t
sa_list(struct daemon *d, const struct sa ***out)
{
	const struct sa **v, *sa;
	struct peer *p;
	size_t n = 0, total = d->sa != NULL ? sa_count(d->sa) : 0;

	*out = NULL;
	if (total == 0 || (v = calloc(total, sizeof(*v))) == NULL)
		return 0;
	TAILQ_FOREACH(p, &d->peers, link)
		for (sa = sa_first_by_peer(d->sa, p); sa != NULL && n < total;
		    sa = sa_next_by_peer(sa))
			v[n++] = sa;
	*out = v;
	return n;
}

static const char *
sa_peer_name(const struct sa *sa)
{
	const struct peer *p = sa->peer;

	return p != NULL ? p->conf->name : NULL;
}

static void
seconds_cell(char *buf, uint64_t s)
{
	if (s == 0)
		snprintf(buf, CELL_MAX, "-");
	else
		snprintf(buf, CELL_MAX, "%" PRIu64 "s", s);
}

static void
sa_cells(const struct sa *sa, char cells[][CELL_MAX])
{
	const char *peer = sa_peer_name(sa);

	snprintf(cells[0], CELL_MAX, "%s", peer != NULL ? peer : "-");
	snprintf(cells[1], CELL_MAX, "%s", sa->dir == SA_DIR_IN ? "in" : "out");
	snprintf(cells[2], CELL_MAX, "%s", pfkey_satype_name(sa->satype));
	pfkey_addr_ntop(&sa->src, cells[3], CELL_MAX);
	pfkey_addr_ntop(&sa->dst, cells[4], CELL_MAX);
	snprintf(cells[5], CELL_MAX, "0x%08x", sa->spi);
	if (sa->reqid != 0)
		snprintf(cells[6], CELL_MAX, "%u", sa->reqid);
	else
		snprintf(cells[6], CELL_MAX, "-");
	snprintf(cells[7], CELL_MAX, "%s", sa_state_name(sa->state));
	seconds_cell(cells[8], sa->hard_seconds);
	seconds_cell(cells[9], sa->soft_seconds);
}

static void
sa_text(const struct sa **v, size_t n, struct evbuffer *out)
{
	static const char *const header[] = { "PEER", "DIR", "TYPE", "SRC", "DST",
	    "SPI", "REQID", "STATE", "HARD", "SOFT" };
	char cells[10][CELL_MAX];
	const char *row[10];
	struct table t;
	size_t i;

	if (n == 0) {
		evbuffer_add_printf(out, "No SAs.\n");
		return;
	}
	table_init(&t, 10);
	table_row(&t, header);
	for (i = 0; i < 10; i++)
		row[i] = cells[i];
	for (i = 0; i < n; i++) {
		sa_cells(v[i], cells);
		table_row(&t, row);
	}
	table_print(&t, out);
	table_free(&t);
}

static void
sa_json(const struct sa *sa, struct evbuffer *out)
{
	char addr[INET6_ADDRSTRLEN];

	json_key(out, "peer", true);
	json_string(out, sa_peer_name(sa));
	json_key(out, "dir", false);
	json_string(out, sa->dir == SA_DIR_IN ? "in" : "out");
	json_key(out, "satype", false);
	json_string(out, pfkey_satype_name(sa->satype));
	json_key(out, "src", false);
	json_string(out, pfkey_addr_ntop(&sa->src, addr, sizeof(addr)));
	json_key(out, "dst", false);
	json_string(out, pfkey_addr_ntop(&sa->dst, addr, sizeof(addr)));
	json_key(out, "spi", false);
	evbuffer_add_printf(out, "%u", sa->spi);
	json_key(out, "reqid", false);
	evbuffer_add_printf(out, "%u", sa->reqid);
	json_key(out, "state", false);
	json_string(out, sa_state_name(sa->state));
	json_key(out, "hard_seconds", false);
	evbuffer_add_printf(out, "%" PRIu64, sa->hard_seconds);
	json_key(out, "soft_seconds", false);
	evbuffer_add_printf(out, "%" PRIu64, sa->soft_seconds);
	json_key(out, "hard_kbytes", false);
	evbuffer_add_printf(out, "%" PRIu64, sa->hard_kbytes);
	json_key(out, "soft_kbytes", false);
	evbuffer_add_printf(out, "%" PRIu64, sa->soft_kbytes);
}

void
ctl_show_sa(struct daemon *d, bool json, struct evbuffer *out)
{
	const struct sa **v;
	size_t i, n;

	n = sa_list(d, &v);
	if (!json) {
		sa_text(v, n, out);
		free(v);
		return;
	}
	evbuffer_add_printf(out, "{\"sas\":[");
	for (i = 0; i < n; i++) {
		evbuffer_add(out, i == 0 ? "{" : ",{", i == 0 ? 1 : 2);
		sa_json(v[i], out);
		evbuffer_add(out, "}", 1);
	}
	evbuffer_add_printf(out, "]}\n");
	free(v);
}

/* ---- Plugins ---- */

static void
plugins_text(struct evbuffer *out)
{
	static const char *const header[] = { "NAME", "VERSION", "DESCRIPTION",
	    "FILE" };
	struct plugin_info pi;
	struct table t;
	const char *row[4];
	size_t i, n = plugin_count();

	if (n == 0) {
		evbuffer_add_printf(out, "No plugins loaded.\n");
		return;
	}
	table_init(&t, 4);
	table_row(&t, header);
	for (i = 0; i < n; i++) {
		if (plugin_info(i, &pi) != 0)
			continue;
		row[0] = pi.name;
		row[1] = pi.version != NULL ? pi.version : "-";
		row[2] = pi.description != NULL ? pi.description : "-";
		row[3] = pi.path;
		table_row(&t, row);
	}
	table_print(&t, out);
	table_free(&t);
}

void
ctl_show_plugins(bool json, struct evbuffer *out)
{
	struct plugin_info pi;
	size_t i, n = plugin_count();
	bool first = true;

	if (!json) {
		plugins_text(out);
		return;
	}
	evbuffer_add_printf(out, "{\"plugins\":[");
	for (i = 0; i < n; i++) {
		if (plugin_info(i, &pi) != 0)
			continue;
		evbuffer_add(out, first ? "{" : ",{", first ? 1 : 2);
		json_key(out, "name", true);
		json_string(out, pi.name);
		json_key(out, "version", false);
		json_string(out, pi.version);
		json_key(out, "description", false);
		json_string(out, pi.description);
		json_key(out, "file", false);
		json_string(out, pi.path);
		evbuffer_add(out, "}", 1);
		first = false;
	}
	evbuffer_add_printf(out, "]}\n");
}
