/*
 * conf_print: a parsed configuration in canonical form, every setting
 * with its effective value, in the language conf.c reads (for oakleyd -n
 * -v and the tests).  A pre-shared key is printed as "********".
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

static void print_block(FILE *, const struct conf_block *, int);

static void
indent(FILE *fp, int depth)
{
	while (depth-- > 0)
		fputc('\t', fp);
}

static void
print_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* As a word when the lexer would read it back as one. */
static void
print_word(FILE *fp, const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/@") == n &&
	    strcmp(s, "include") != 0)
		fputs(s, fp);
	else
		print_string(fp, s);
}

static void
print_addr(FILE *fp, const struct pfkey_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8];

	conf_addr_format(a, buf, sizeof(buf));
	fputs(buf, fp);
}

static void
print_stmt(FILE *fp, const struct conf_stmt *st, int depth)
{
	size_t i;

	indent(fp, depth);
	fputs(st->key, fp);
	for (i = 0; i < st->nargs; i++) {
		fputc(' ', fp);
		if (st->args[i].quoted)
			print_string(fp, st->args[i].text);
		else
			fputs(st->args[i].text, fp);
	}
	if (st->block == NULL) {
		fputs(";\n", fp);
		return;
	}
	fputs(" {\n", fp);
	print_block(fp, st->block, depth + 1);
	indent(fp, depth);
	fputs("}\n", fp);
}

static void
print_block(FILE *fp, const struct conf_block *blk, int depth)
{
	const struct conf_stmt *st;

	for (st = conf_block_first(blk); st != NULL; st = st->next)
		print_stmt(fp, st, depth);
}

static void
print_global(FILE *fp, const struct config *conf)
{
	static const char *const levels[] = { "error", "warning", "notice",
	    "info", "debug" };
	size_t i;

	fputs("pfkey ", fp);
	print_string(fp, conf->pfkey);
	fputs(";\n", fp);
	for (i = 0; i < conf->nlisten; i++) {
		fputs("listen ", fp);
		print_addr(fp, &conf->listen[i].addr);
		fprintf(fp, " port %u natt-port %u;\n", conf->listen[i].port,
		    conf->listen[i].natt_port);
	}
	fputs("plugin-dir ", fp);
	print_string(fp, conf->plugin_dir);
	fputs(";\ncontrol-socket ", fp);
	print_string(fp, conf->control_socket);
	fputs(";\npidfile ", fp);
	print_string(fp, conf->pidfile);
	fprintf(fp, ";\nlog-level %s;\n", conf->log_level >= 0 &&
	    conf->log_level <= 4 ? levels[conf->log_level] : "info");
	fprintf(fp, "flush-on-exit %s;\n", conf->flush_on_exit ? "yes" : "no");
	fprintf(fp, "half-open %u per-source %u;\n", conf->half_open,
	    conf->half_open_per_source);
}

static void
print_plugin_block(FILE *fp, const struct conf_plugin_block *pb, int depth,
    bool global)
{
	indent(fp, depth);
	if (global)
		fputs("plugin ", fp);
	fputs(pb->name, fp);
	if (global && conf_block_first(pb->block) == NULL) {
		fputs(";\n", fp);
		return;
	}
	fputs(" {\n", fp);
	print_block(fp, pb->block, depth + 1);
	indent(fp, depth);
	fputs("}\n", fp);
}

static void
print_auth(FILE *fp, const struct conf_peer *p)
{
	if (p->auth == CONF_AUTH_PSK && p->psk_file != NULL) {
		fputs("\tauth psk file ", fp);
		print_string(fp, p->psk_file);
		fputs(";\n", fp);
	} else if (p->auth == CONF_AUTH_PSK)
		fputs("\tauth psk \"********\";\n", fp);
	if (p->auth != CONF_AUTH_RSA)
		return;
	fputs("\tauth rsa {\n\t\tcert ", fp);
	print_string(fp, p->rsa_cert);
	fputs(";\n\t\tkey ", fp);
	print_string(fp, p->rsa_key);
	fputs(";\n", fp);
	if (p->rsa_ca != NULL) {
		fputs("\t\tca ", fp);
		print_string(fp, p->rsa_ca);
		fputs(";\n", fp);
	}
	fputs("\t}\n", fp);
}

static void
print_id(FILE *fp, const char *key, const struct conf_id *id)
{
	if (id->type == CONF_ID_DEFAULT)
		return;
	fprintf(fp, "\t%s %s ", key, conf_id_type_name(id->type));
	if (id->type == CONF_ID_ADDRESS)
		print_addr(fp, &id->addr);
	else
		print_string(fp, id->name);
	fputs(";\n", fp);
}

static void
print_group(FILE *fp, unsigned group)
{
	const char *name = conf_group_name(group);

	if (name != NULL)
		fputs(name, fp);
	else
		fprintf(fp, "%u", group);
}

static void
print_proposals(FILE *fp, const struct conf_peer *p)
{
	char t[32], sz[32];
	size_t i;

	for (i = 0; i < p->nphase1; i++) {
		conf_format_seconds(p->phase1[i].lifetime, t, sizeof(t));
		fprintf(fp, "\tphase1 encryption %s hash %s group ",
		    conf_enc_name(p->phase1[i].enc),
		    conf_hash_name(p->phase1[i].hash));
		print_group(fp, p->phase1[i].group);
		fprintf(fp, " lifetime %s;%s\n", t,
		    p->phase1_default ? "\t# default" : "");
	}
	for (i = 0; i < p->nphase2; i++) {
		conf_format_seconds(p->phase2[i].lifetime, t, sizeof(t));
		fprintf(fp, "\tphase2 encryption %s ",
		    conf_enc_name(p->phase2[i].enc));
		if (p->phase2[i].integ != CONF_INTEG_NONE)
			fprintf(fp, "auth %s ",
			    conf_integ_name(p->phase2[i].integ));
		fputs("pfs ", fp);
		if (p->phase2[i].pfs_group == 0)
			fputs("none", fp);
		else
			print_group(fp, p->phase2[i].pfs_group);
		fprintf(fp, " lifetime %s", t);
		if (p->phase2[i].lifetime_kb != 0) {
			conf_format_bytes(p->phase2[i].lifetime_kb * 1024, sz,
			    sizeof(sz));
			fprintf(fp, " lifesize %s", sz);
		}
		fprintf(fp, ";%s\n", p->phase2_default ? "\t# default" : "");
	}
}

static void
print_timers(FILE *fp, const struct conf_peer *p)
{
	char t[32];

	if (p->dpd_interval == 0)
		fputs("\tdpd off;\n", fp);
	else {
		conf_format_seconds(p->dpd_interval, t, sizeof(t));
		fprintf(fp, "\tdpd interval %s retries %u;\n", t,
		    p->dpd_retries);
	}
	conf_format_seconds(p->retransmit_interval, t, sizeof(t));
	fprintf(fp, "\tretransmit interval %s count %u;\n", t,
	    p->retransmit_count);
}

static void
print_selector(FILE *fp, const char *key, const struct pfkey_addr *a)
{
	fprintf(fp, " %s ", key);
	print_addr(fp, a);
	if (a->port != 0)
		fprintf(fp, " port %u", a->port);
}

static void
print_policy(FILE *fp, const struct conf_policy *pol)
{
	const char *proto = conf_proto_name(pol->proto);

	fputs("\tpolicy", fp);
	print_selector(fp, "local", &pol->local);
	print_selector(fp, "remote", &pol->remote);
	if (proto != NULL)
		fprintf(fp, " proto %s", proto);
	else
		fprintf(fp, " proto %u", pol->proto);
	fputs(pol->mode == CONF_MODE_TUNNEL ? " tunnel" : " transport", fp);
	if (pol->endpoints_set) {
		fputs(" endpoints ", fp);
		print_addr(fp, &pol->tunnel_local);
		fputc(' ', fp);
		print_addr(fp, &pol->tunnel_remote);
	}
	fputs(pol->level == CONF_LEVEL_USE ? " use" : " require", fp);
	if (pol->reqid != 0)
		fprintf(fp, " reqid %u", pol->reqid);
	fputs(";\n", fp);
}

static void
print_peer(FILE *fp, const struct conf_peer *p)
{
	size_t i;

	fputs("\npeer ", fp);
	print_word(fp, p->name);
	fputs(" {\n\taddress ", fp);
	print_addr(fp, &p->address);
	if (p->port != 0 && p->port != CONF_DEFAULT_PORT)
		fprintf(fp, " port %u", p->port);
	fputs(";\n", fp);
	if (p->local_address.family != 0) {
		fputs("\tlocal-address ", fp);
		print_addr(fp, &p->local_address);
		fputs(";\n", fp);
	}
	fputs("\tprofile ", fp);
	print_word(fp, p->profile);
	fputs(";\n", fp);
	print_auth(fp, p);
	print_id(fp, "local-id", &p->local_id);
	print_id(fp, "remote-id", &p->remote_id);
	print_proposals(fp, p);
	print_timers(fp, p);
	for (i = 0; i < p->npolicies; i++)
		print_policy(fp, &p->policies[i]);
	for (i = 0; i < p->nplugins; i++)
		print_plugin_block(fp, &p->plugins[i], 1, false);
	fputs("}\n", fp);
}

void
conf_print(FILE *fp, const struct config *conf)
{
	size_t i;

	print_global(fp, conf);
	if (conf->nplugins > 0)
		fputc('\n', fp);
	for (i = 0; i < conf->nplugins; i++)
		print_plugin_block(fp, &conf->plugins[i], 0, true);
	for (i = 0; i < conf->npeers; i++)
		print_peer(fp, &conf->peers[i]);
}
