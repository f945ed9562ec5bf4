/*
 * Unit tests for the oakleyd.conf parser (daemon/conf*.c), valid input:
 * every global and peer key into exact field values, defaults, units,
 * proposals, policies, plugin blocks read through the generic API,
 * include, IPv6, conf_peer_equal, conf_print, and the shipped sample.
 * The error messages are tested in t_conf_errors.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "conf.h"
#include "log.h"

static char errbuf[512];

static struct config *
parse_ok(const char *text)
{
	struct config *conf;

	conf = conf_parse_string(text, "t.conf", errbuf, sizeof(errbuf));
	ATF_REQUIRE_MSG(conf != NULL, "unexpected error: %s", errbuf);
	return conf;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ATF_REQUIRE(fp != NULL);
	ATF_REQUIRE(fputs(text, fp) >= 0);
	ATF_REQUIRE(fclose(fp) == 0);
}

/* "192.0.2.1", "10.0.0.0/8", "2001:db8::/32"; rotating static buffers. */
static const char *
addr_str(const struct pfkey_addr *a)
{
	static char bufs[4][INET6_ADDRSTRLEN + 8];
	static int next;
	char host[INET6_ADDRSTRLEN];
	char *buf = bufs[next++ % 4];
	unsigned bits = a->family == AF_INET ? 32 : 128;

	if (a->family != AF_INET && a->family != AF_INET6)
		return "unset";
	inet_ntop(a->family, a->addr, host, sizeof(host));
	if (a->prefixlen != bits)
		snprintf(buf, sizeof(bufs[0]), "%s/%u", host, a->prefixlen);
	else
		snprintf(buf, sizeof(bufs[0]), "%s", host);
	return buf;
}

/* The statement with this key in blk (NULL if none). */
static const struct conf_stmt *
find_stmt(const struct conf_block *blk, const char *key)
{
	const struct conf_stmt *st;

	for (st = conf_block_first(blk); st != NULL; st = conf_stmt_next(st))
		if (strcmp(conf_stmt_key(st), key) == 0)
			return st;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(global_defaults);
ATF_TC_BODY(global_defaults, tc)
{
	struct config *conf = parse_ok("# nothing but a comment\n");

	ATF_CHECK_STREQ(conf->pfkey, "kernel");
	ATF_REQUIRE_EQ(conf->nlisten, 2);
	ATF_CHECK_STREQ(addr_str(&conf->listen[0].addr), "0.0.0.0");
	ATF_CHECK_EQ(conf->listen[0].port, 500);
	ATF_CHECK_EQ(conf->listen[0].natt_port, 4500);
	ATF_CHECK_STREQ(addr_str(&conf->listen[1].addr), "::");
	ATF_CHECK_EQ(conf->listen[1].port, 500);
	ATF_CHECK_EQ(conf->listen[1].natt_port, 4500);
	ATF_CHECK_STREQ(conf->plugin_dir, "/usr/local/lib/oakley");
	ATF_CHECK_STREQ(conf->control_socket, "/var/run/oakleyd.sock");
	ATF_CHECK_STREQ(conf->pidfile, "/var/run/oakleyd.pid");
	ATF_CHECK_EQ(conf->log_level, LOG_LEVEL_INFO);
	ATF_CHECK(conf->flush_on_exit);
	ATF_CHECK_EQ(conf->half_open, 256);
	ATF_CHECK_EQ(conf->half_open_per_source, 16);
	ATF_CHECK_EQ(conf->nplugins, 0);
	ATF_CHECK_EQ(conf->npeers, 0);
	conf_free(conf);
	/* Without per-source: 16, or the limit if that is smaller. */
	conf = parse_ok("half-open 8;\n");
	ATF_CHECK_EQ(conf->half_open, 8);
	ATF_CHECK_EQ(conf->half_open_per_source, 8);
	conf_free(conf);
	conf = parse_ok("half-open 100;\n");
	ATF_CHECK_EQ(conf->half_open_per_source, 16);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(global_all_keys);
ATF_TC_BODY(global_all_keys, tc)
{
	struct config *conf = parse_ok(
	    "pfkey \"unix:/var/run/pfkeyemu.sock\";\n"
	    "listen 192.0.2.1;\n"
	    "listen 2001:db8::1 port 1500 natt-port 14500;\n"
	    "plugin-dir \"/opt/oakleyd/plugins\";\n"
	    "control-socket \"/tmp/oakleyd.ctl\";\n"
	    "pidfile \"/tmp/oakleyd.pid\";\n"
	    "log-level debug;\n"
	    "flush-on-exit no;\n"
	    "half-open 1000 per-source 4;\n"
	    "plugin natt;\n"
	    "plugin nlb { idle-timeout 2m; }\n");

	ATF_CHECK_STREQ(conf->pfkey, "unix:/var/run/pfkeyemu.sock");
	ATF_REQUIRE_EQ(conf->nlisten, 2);
	ATF_CHECK_STREQ(addr_str(&conf->listen[0].addr), "192.0.2.1");
	ATF_CHECK_EQ(conf->listen[0].port, 500);
	ATF_CHECK_EQ(conf->listen[0].natt_port, 4500);
	ATF_CHECK_STREQ(addr_str(&conf->listen[1].addr), "2001:db8::1");
	ATF_CHECK_EQ(conf->listen[1].port, 1500);
	ATF_CHECK_EQ(conf->listen[1].natt_port, 14500);
	ATF_CHECK_STREQ(conf->plugin_dir, "/opt/oakleyd/plugins");
	ATF_CHECK_STREQ(conf->control_socket, "/tmp/oakleyd.ctl");
	ATF_CHECK_STREQ(conf->pidfile, "/tmp/oakleyd.pid");
	ATF_CHECK_EQ(conf->log_level, LOG_LEVEL_DEBUG);
	ATF_CHECK(!conf->flush_on_exit);
	ATF_CHECK_EQ(conf->half_open, 1000);
	ATF_CHECK_EQ(conf->half_open_per_source, 4);
	ATF_REQUIRE_EQ(conf->nplugins, 2);
	ATF_CHECK_STREQ(conf->plugins[0].name, "natt");
	ATF_CHECK(conf->plugins[0].block != NULL);
	ATF_CHECK(conf_block_first(conf->plugins[0].block) == NULL);
	ATF_CHECK_STREQ(conf->plugins[0].file, "t.conf");
	ATF_CHECK_EQ(conf->plugins[0].line, 10);
	ATF_CHECK_EQ(conf->plugins[0].col, 1);
	ATF_CHECK_STREQ(conf->plugins[1].name, "nlb");
	ATF_CHECK_EQ(conf->plugins[1].line, 11);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(kernel_and_bools);
ATF_TC_BODY(kernel_and_bools, tc)
{
	static const char *const words[] = { "yes", "on", "true", "no", "off",
	    "false" };
	char text[128];
	struct config *conf;
	size_t i;

	for (i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "pfkey kernel;\nflush-on-exit "
		    "%s;\n", words[i]);
		conf = parse_ok(text);
		ATF_CHECK_STREQ(conf->pfkey, "kernel");
		ATF_CHECK_EQ(conf->flush_on_exit, i < 3);
		conf_free(conf);
	}
}

static const char peer_all_text[] =
    "peer winxp {\n"
    "\taddress 192.0.2.10;\n"
    "\tlocal-address 198.51.100.1;\n"
    "\tprofile legacy;\n"
    "\tauth psk \"s3cr\\\"et\\\\\";\n"
    "\tlocal-id fqdn \"gw.example.org\";\n"
    "\tremote-id user-fqdn \"xp@example.org\";\n"
    "\tphase1 encryption 3des hash md5 group modp768 lifetime 90m;\n"
    "\tphase2 encryption aes192 auth hmac-md5 pfs modp1536 lifetime 45m "
    "lifesize 250MB;\n"
    "\tdpd interval 30s retries 3;\n"
    "\tretransmit interval 2s count 7;\n"
    "\tpolicy local 198.51.100.1 port 1701 remote 192.0.2.10 proto udp;\n"
    "\tnlb { idle 5m; }\n"
    "}\n";

ATF_TC_WITHOUT_HEAD(peer_all_keys);
ATF_TC_BODY(peer_all_keys, tc)
{
	struct config *conf = parse_ok(peer_all_text);
	const struct conf_peer *p;

	ATF_REQUIRE_EQ(conf->npeers, 1);
	p = &conf->peers[0];
	ATF_CHECK(p == conf_peer_by_name(conf, "winxp"));
	ATF_CHECK(conf_peer_by_name(conf, "nobody") == NULL);
	ATF_CHECK_STREQ(p->name, "winxp");
	ATF_CHECK_STREQ(p->file, "t.conf");
	ATF_CHECK_EQ(p->line, 1);
	ATF_CHECK_EQ(p->col, 1);
	ATF_CHECK_STREQ(addr_str(&p->address), "192.0.2.10");
	ATF_CHECK_STREQ(addr_str(&p->local_address), "198.51.100.1");
	ATF_CHECK_STREQ(p->profile, "legacy");
	ATF_CHECK_EQ(p->auth, CONF_AUTH_PSK);
	ATF_CHECK_STREQ(p->psk, "s3cr\"et\\");
	ATF_CHECK_EQ(p->psk_len, 8);
	ATF_CHECK(p->psk_file == NULL);
	ATF_CHECK_EQ(p->local_id.type, CONF_ID_FQDN);
	ATF_CHECK_STREQ(p->local_id.name, "gw.example.org");
	ATF_CHECK_EQ(p->remote_id.type, CONF_ID_USER_FQDN);
	ATF_CHECK_STREQ(p->remote_id.name, "xp@example.org");
	ATF_REQUIRE_EQ(p->nphase1, 1);
	ATF_CHECK(!p->phase1_default);
	ATF_CHECK_EQ(p->phase1[0].enc, CONF_ENC_3DES);
	ATF_CHECK_EQ(p->phase1[0].hash, CONF_HASH_MD5);
	ATF_CHECK_EQ(p->phase1[0].group, 1);
	ATF_CHECK_EQ(p->phase1[0].lifetime, 5400);
	ATF_REQUIRE_EQ(p->nphase2, 1);
	ATF_CHECK(!p->phase2_default);
	ATF_CHECK_EQ(p->phase2[0].enc, CONF_ENC_AES192);
	ATF_CHECK_EQ(p->phase2[0].integ, CONF_INTEG_HMAC_MD5);
	ATF_CHECK_EQ(p->phase2[0].pfs_group, 5);
	ATF_CHECK_EQ(p->phase2[0].lifetime, 2700);
	ATF_CHECK_EQ(p->phase2[0].lifetime_kb, 256000);
	ATF_CHECK_EQ(p->dpd_interval, 30);
	ATF_CHECK_EQ(p->dpd_retries, 3);
	ATF_CHECK_EQ(p->retransmit_interval, 2);
	ATF_CHECK_EQ(p->retransmit_count, 7);
	ATF_REQUIRE_EQ(p->npolicies, 1);
	ATF_CHECK_STREQ(addr_str(&p->policies[0].local), "198.51.100.1");
	ATF_CHECK_EQ(p->policies[0].local.port, 1701);
	ATF_CHECK_EQ(p->policies[0].local.proto, 17);
	ATF_CHECK_STREQ(addr_str(&p->policies[0].remote), "192.0.2.10");
	ATF_CHECK_EQ(p->policies[0].remote.port, 0);
	ATF_CHECK_EQ(p->policies[0].remote.proto, 17);
	ATF_CHECK_EQ(p->policies[0].proto, 17);
	ATF_CHECK_EQ(p->policies[0].mode, CONF_MODE_TRANSPORT);
	ATF_CHECK_EQ(p->policies[0].level, CONF_LEVEL_REQUIRE);
	ATF_CHECK_EQ(p->policies[0].reqid, 0);
	ATF_CHECK_EQ(p->policies[0].line, 12);
	ATF_CHECK_EQ(p->policies[0].col, 9);
	ATF_REQUIRE_EQ(p->nplugins, 1);
	ATF_CHECK_STREQ(p->plugins[0].name, "nlb");
	ATF_CHECK_EQ(p->plugins[0].line, 13);
	ATF_CHECK_EQ(p->plugins[0].col, 9);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(peer_defaults);
ATF_TC_BODY(peer_defaults, tc)
{
	struct config *conf = parse_ok("peer vista {\n\taddress 192.0.2.20;\n"
	    "\tauth psk \"k\";\n}\n");
	const struct conf_peer *p = &conf->peers[0];

	ATF_CHECK_EQ(p->local_address.family, 0);
	ATF_CHECK_STREQ(p->profile, "default");
	ATF_CHECK_EQ(p->local_id.type, CONF_ID_DEFAULT);
	ATF_CHECK_EQ(p->remote_id.type, CONF_ID_DEFAULT);
	ATF_REQUIRE_EQ(p->nphase1, 1);
	ATF_CHECK(p->phase1_default);
	ATF_CHECK_EQ(p->phase1[0].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase1[0].hash, CONF_HASH_SHA1);
	ATF_CHECK_EQ(p->phase1[0].group, 2);
	ATF_CHECK_EQ(p->phase1[0].lifetime, 28800);
	ATF_REQUIRE_EQ(p->nphase2, 1);
	ATF_CHECK(p->phase2_default);
	ATF_CHECK_EQ(p->phase2[0].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase2[0].integ, CONF_INTEG_HMAC_SHA1);
	ATF_CHECK_EQ(p->phase2[0].pfs_group, 0);
	ATF_CHECK_EQ(p->phase2[0].lifetime, 3600);
	ATF_CHECK_EQ(p->phase2[0].lifetime_kb, 0);
	ATF_CHECK_EQ(p->dpd_interval, 0);
	ATF_CHECK_EQ(p->dpd_retries, 5);
	ATF_CHECK_EQ(p->retransmit_interval, 10);
	ATF_CHECK_EQ(p->retransmit_count, 5);
	ATF_CHECK_EQ(p->npolicies, 0);
	ATF_CHECK_EQ(p->nplugins, 0);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(peer_name_is_address);
ATF_TC_BODY(peer_name_is_address, tc)
{
	struct config *conf = parse_ok(
	    "peer 192.0.2.30 { auth psk \"a\"; }\n"
	    "peer \"2001:db8::30\" { auth psk \"b\"; }\n"
	    "peer 192.0.2.31 { address 192.0.2.32; auth psk \"c\"; }\n");

	ATF_REQUIRE_EQ(conf->npeers, 3);
	ATF_CHECK_STREQ(addr_str(&conf->peers[0].address), "192.0.2.30");
	ATF_CHECK_STREQ(conf->peers[1].name, "2001:db8::30");
	ATF_CHECK_STREQ(addr_str(&conf->peers[1].address), "2001:db8::30");
	ATF_CHECK_STREQ(addr_str(&conf->peers[2].address), "192.0.2.32");
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(proposals_multiple);
ATF_TC_BODY(proposals_multiple, tc)
{
	struct config *conf = parse_ok("peer p {\n"
	    "\taddress 192.0.2.1; auth psk \"k\";\n"
	    "\tphase1 encryption aes256 hash sha512 group 14 lifetime 24h;\n"
	    "\tphase1 lifetime 3600 group modp4096 hash sha384;\n"
	    "\tphase1;\n"
	    "\tphase2 encryption 3des auth hmac-sha512 pfs 2 lifesize 1025;\n"
	    "\tphase2 auth hmac-sha384 pfs none lifesize 64KB lifetime 120s;\n"
	    "}\n");
	const struct conf_peer *p = &conf->peers[0];

	ATF_REQUIRE_EQ(p->nphase1, 3);
	ATF_CHECK_EQ(p->phase1[0].enc, CONF_ENC_AES256);
	ATF_CHECK_EQ(p->phase1[0].hash, CONF_HASH_SHA512);
	ATF_CHECK_EQ(p->phase1[0].group, 14);
	ATF_CHECK_EQ(p->phase1[0].lifetime, 86400);
	ATF_CHECK_EQ(p->phase1[1].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase1[1].hash, CONF_HASH_SHA384);
	ATF_CHECK_EQ(p->phase1[1].group, 16);
	ATF_CHECK_EQ(p->phase1[1].lifetime, 3600);
	ATF_CHECK_EQ(p->phase1[2].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase1[2].hash, CONF_HASH_SHA1);
	ATF_CHECK_EQ(p->phase1[2].group, 2);
	ATF_CHECK_EQ(p->phase1[2].lifetime, 28800);
	ATF_REQUIRE_EQ(p->nphase2, 2);
	ATF_CHECK_EQ(p->phase2[0].enc, CONF_ENC_3DES);
	ATF_CHECK_EQ(p->phase2[0].integ, CONF_INTEG_HMAC_SHA512);
	ATF_CHECK_EQ(p->phase2[0].pfs_group, 2);
	ATF_CHECK_EQ(p->phase2[0].lifetime, 3600);
	ATF_CHECK_EQ(p->phase2[0].lifetime_kb, 2);	/* rounded up */
	ATF_CHECK_EQ(p->phase2[1].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase2[1].integ, CONF_INTEG_HMAC_SHA384);
	ATF_CHECK_EQ(p->phase2[1].pfs_group, 0);
	ATF_CHECK_EQ(p->phase2[1].lifetime, 120);
	ATF_CHECK_EQ(p->phase2[1].lifetime_kb, 64);
	conf_free(conf);
}

/* The RFC 5903 groups by name (the dh_ecp plugin provides them). */
ATF_TC_WITHOUT_HEAD(proposals_ecp);
ATF_TC_BODY(proposals_ecp, tc)
{
	struct config *conf = parse_ok("peer p {\n"
	    "\taddress 192.0.2.1; auth psk \"k\";\n"
	    "\tphase1 group ecp256; phase1 group ecp384; phase1 group 19;\n"
	    "\tphase2 pfs ecp384; phase2 pfs ecp256;\n"
	    "}\n");
	const struct conf_peer *p = &conf->peers[0];

	ATF_REQUIRE_EQ(p->nphase1, 3);
	ATF_CHECK_EQ(p->phase1[0].group, 19);
	ATF_CHECK_EQ(p->phase1[1].group, 20);
	ATF_CHECK_EQ(p->phase1[2].group, 19);
	ATF_REQUIRE_EQ(p->nphase2, 2);
	ATF_CHECK_EQ(p->phase2[0].pfs_group, 20);
	ATF_CHECK_EQ(p->phase2[1].pfs_group, 19);
	ATF_CHECK_STREQ(conf_group_name(19), "ecp256");
	ATF_CHECK_STREQ(conf_group_name(20), "ecp384");
	conf_free(conf);
}

/* AES-GCM in phase 2: no auth, printed without one, parsed back alike. */
ATF_TC_WITHOUT_HEAD(proposals_gcm);
ATF_TC_BODY(proposals_gcm, tc)
{
	struct config *conf = parse_ok("peer p {\n"
	    "\taddress 192.0.2.1; auth psk \"k\";\n"
	    "\tphase2 encryption aes256gcm16 pfs modp1024;\n"
	    "\tphase2 lifetime 30m encryption aes192gcm16;\n"
	    "\tphase2 encryption aes128gcm16 lifesize 64KB;\n"
	    "\tphase2 encryption aes128;\n"
	    "}\n"), *again;
	const struct conf_peer *p = &conf->peers[0];
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	ATF_REQUIRE_EQ(p->nphase2, 4);
	ATF_CHECK_EQ(p->phase2[0].enc, CONF_ENC_AES256GCM16);
	ATF_CHECK_EQ(p->phase2[0].integ, CONF_INTEG_NONE);
	ATF_CHECK_EQ(p->phase2[0].pfs_group, 2);
	ATF_CHECK_EQ(p->phase2[1].enc, CONF_ENC_AES192GCM16);
	ATF_CHECK_EQ(p->phase2[1].integ, CONF_INTEG_NONE);
	ATF_CHECK_EQ(p->phase2[1].lifetime, 1800);
	ATF_CHECK_EQ(p->phase2[2].enc, CONF_ENC_AES128GCM16);
	ATF_CHECK_EQ(p->phase2[2].integ, CONF_INTEG_NONE);
	ATF_CHECK_EQ(p->phase2[2].lifetime_kb, 64);
	/* Another cipher keeps the default auth. */
	ATF_CHECK_EQ(p->phase2[3].enc, CONF_ENC_AES128);
	ATF_CHECK_EQ(p->phase2[3].integ, CONF_INTEG_HMAC_SHA1);
	ATF_CHECK(conf_enc_is_aead(CONF_ENC_AES128GCM16));
	ATF_CHECK(!conf_enc_is_aead(CONF_ENC_AES256));
	ATF_CHECK(conf_integ_name(CONF_INTEG_NONE) == NULL);

	ATF_REQUIRE((fp = open_memstream(&out, &len)) != NULL);
	conf_print(fp, conf);
	ATF_REQUIRE(fclose(fp) == 0);
	ATF_CHECK_MSG(strstr(out, "\tphase2 encryption aes256gcm16 pfs "
	    "modp1024 lifetime 1h;\n") != NULL, "%s", out);
	ATF_CHECK_MSG(strstr(out, "\tphase2 encryption aes128gcm16 pfs none "
	    "lifetime 1h lifesize 64KB;\n") != NULL, "%s", out);
	ATF_CHECK_MSG(strstr(out, "\tphase2 encryption aes128 auth hmac-sha1 "
	    "pfs none lifetime 1h;\n") != NULL, "%s", out);
	again = parse_ok(out);
	ATF_REQUIRE_EQ(again->npeers, 1);
	ATF_CHECK_EQ(again->peers[0].nphase2, 4);
	ATF_CHECK_EQ(again->peers[0].phase2[1].enc, CONF_ENC_AES192GCM16);
	ATF_CHECK_EQ(again->peers[0].phase2[1].integ, CONF_INTEG_NONE);
	free(out);
	conf_free(again);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(policies);
ATF_TC_BODY(policies, tc)
{
	struct config *conf = parse_ok("peer gw {\n"
	    "\taddress 203.0.113.2; local-address 198.51.100.1;\n"
	    "\tauth psk \"k\";\n"
	    "\tpolicy local 192.0.2.0/24 remote 203.0.113.0/24 tunnel;\n"
	    "\tpolicy use tunnel remote 10.1.0.0/16 port any proto tcp "
	    "local 10.0.0.0/8 port 80 reqid 16383;\n"
	    "\tpolicy local 10.0.0.1 remote 10.0.0.2 proto icmp tunnel "
	    "endpoints 198.51.100.7 203.0.113.7;\n"
	    "\tpolicy local 198.51.100.1 remote 203.0.113.2 proto 47 "
	    "transport require;\n"
	    "}\n"
	    "peer v6 {\n"
	    "\taddress 2001:db8::2;\n"
	    "\tauth psk \"k\";\n"
	    "\tpolicy local 2001:db8:1::/48 remote 2001:db8:2::/48 tunnel;\n"
	    "}\n");
	const struct conf_policy *pol = conf->peers[0].policies;

	ATF_REQUIRE_EQ(conf->peers[0].npolicies, 4);
	ATF_CHECK_STREQ(addr_str(&pol[0].local), "192.0.2.0/24");
	ATF_CHECK_STREQ(addr_str(&pol[0].remote), "203.0.113.0/24");
	ATF_CHECK_EQ(pol[0].proto, PFKEY_ULPROTO_ANY);
	ATF_CHECK_EQ(pol[0].local.proto, PFKEY_ULPROTO_ANY);
	ATF_CHECK_EQ(pol[0].mode, CONF_MODE_TUNNEL);
	ATF_CHECK(!pol[0].endpoints_set);
	ATF_CHECK_STREQ(addr_str(&pol[0].tunnel_local), "198.51.100.1");
	ATF_CHECK_STREQ(addr_str(&pol[0].tunnel_remote), "203.0.113.2");
	ATF_CHECK_EQ(pol[0].level, CONF_LEVEL_REQUIRE);

	ATF_CHECK_STREQ(addr_str(&pol[1].local), "10.0.0.0/8");
	ATF_CHECK_EQ(pol[1].local.port, 80);
	ATF_CHECK_STREQ(addr_str(&pol[1].remote), "10.1.0.0/16");
	ATF_CHECK_EQ(pol[1].remote.port, 0);
	ATF_CHECK_EQ(pol[1].proto, 6);
	ATF_CHECK_EQ(pol[1].level, CONF_LEVEL_USE);
	ATF_CHECK_EQ(pol[1].reqid, 16383);

	ATF_CHECK_EQ(pol[2].proto, 1);
	ATF_CHECK(pol[2].endpoints_set);
	ATF_CHECK_STREQ(addr_str(&pol[2].tunnel_local), "198.51.100.7");
	ATF_CHECK_STREQ(addr_str(&pol[2].tunnel_remote), "203.0.113.7");

	ATF_CHECK_EQ(pol[3].proto, 47);
	ATF_CHECK_EQ(pol[3].mode, CONF_MODE_TRANSPORT);
	ATF_CHECK_EQ(pol[3].tunnel_local.family, 0);
	ATF_CHECK_EQ(pol[3].tunnel_remote.family, 0);

	/* No local-address: the tunnel's local end is left to the kernel. */
	pol = conf->peers[1].policies;
	ATF_REQUIRE_EQ(conf->peers[1].npolicies, 1);
	ATF_CHECK_STREQ(addr_str(&pol[0].local), "2001:db8:1::/48");
	ATF_CHECK_STREQ(addr_str(&pol[0].remote), "2001:db8:2::/48");
	ATF_CHECK_EQ(pol[0].tunnel_local.family, 0);
	ATF_CHECK_STREQ(addr_str(&pol[0].tunnel_remote), "2001:db8::2");
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(auth_rsa_and_psk_file);
ATF_TC_BODY(auth_rsa_and_psk_file, tc)
{
	struct config *conf;
	const struct conf_peer *p;

	ATF_REQUIRE(mkdir("etc", 0755) == 0);
	write_file("etc/xp.psk", "from a file\n");
	write_file("etc/dos.psk", "crlf\r\n");
	write_file("etc/oakleyd.conf",
	    "peer xp { address 192.0.2.1; auth psk file \"xp.psk\"; }\n"
	    "peer dos { address 192.0.2.3; auth psk file dos.psk; }\n"
	    "peer vista {\n"
	    "\taddress 192.0.2.2;\n"
	    "\tauth rsa { cert \"certs/vista.pem\"; key \"/k/vista.key\";\n"
	    "\t\tca \"ca.pem\"; }\n"
	    "\tremote-id asn1dn \"C=US, O=Example, CN=vista\";\n"
	    "\tlocal-id address 198.51.100.1;\n"
	    "}\n");
	conf = conf_load("etc/oakleyd.conf", errbuf, sizeof(errbuf));
	ATF_REQUIRE_MSG(conf != NULL, "%s", errbuf);
	p = &conf->peers[0];
	ATF_CHECK_EQ(p->auth, CONF_AUTH_PSK);
	ATF_CHECK_STREQ(p->psk_file, "etc/xp.psk");
	ATF_CHECK_STREQ(p->psk, "from a file");
	ATF_CHECK_EQ(p->psk_len, 11);
	ATF_CHECK_STREQ(conf->peers[1].psk, "crlf");
	p = &conf->peers[2];
	ATF_CHECK_EQ(p->auth, CONF_AUTH_RSA);
	ATF_CHECK(p->psk == NULL);
	ATF_CHECK_STREQ(p->rsa_cert, "etc/certs/vista.pem");
	ATF_CHECK_STREQ(p->rsa_key, "/k/vista.key");
	ATF_CHECK_STREQ(p->rsa_ca, "etc/ca.pem");
	ATF_CHECK_EQ(p->remote_id.type, CONF_ID_ASN1DN);
	ATF_CHECK_STREQ(p->remote_id.name, "C=US, O=Example, CN=vista");
	ATF_CHECK_EQ(p->local_id.type, CONF_ID_ADDRESS);
	ATF_CHECK_STREQ(addr_str(&p->local_id.addr), "198.51.100.1");
	conf_free(conf);

	/* CONF_F_NO_FILES keeps the path and reads nothing. */
	conf = conf_parse_string_flags("peer x { address 192.0.2.1; auth psk "
	    "file \"/nonexistent\"; }", "t.conf", CONF_F_NO_FILES, errbuf,
	    sizeof(errbuf));
	ATF_REQUIRE_MSG(conf != NULL, "%s", errbuf);
	ATF_CHECK_STREQ(conf->peers[0].psk_file, "/nonexistent");
	ATF_CHECK(conf->peers[0].psk == NULL);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(generic_plugin_block);
ATF_TC_BODY(generic_plugin_block, tc)
{
	struct config *conf = parse_ok(
	    "plugin nlb {\n"
	    "\tidle-timeout 90s;\n"
	    "\tmax-bytes 2MB;\n"
	    "\tretries 4;\n"
	    "\tenabled on;\n"
	    "\tcluster \"vip 1\" 192.0.2.100 {\n"
	    "\t\tmember 192.0.2.101;\n"
	    "\t}\n"
	    "}\n");
	const struct conf_block *blk = conf->plugins[0].block;
	const struct conf_stmt *st;
	const char *file;
	char err[256];
	uint64_t v;
	bool b;
	int line, col;

	st = conf_block_first(blk);
	ATF_REQUIRE(st != NULL);
	ATF_CHECK_STREQ(conf_stmt_key(st), "idle-timeout");
	ATF_CHECK_EQ(conf_stmt_nargs(st), 1);
	ATF_CHECK_STREQ(conf_stmt_arg(st, 0), "90s");
	ATF_CHECK(conf_stmt_arg(st, 1) == NULL);
	ATF_CHECK(conf_stmt_block(st) == NULL);
	ATF_CHECK_EQ(conf_stmt_arg_seconds(st, 0, 1, 3600, &v, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(v, 90);
	conf_stmt_where(st, &file, &line, &col);
	ATF_CHECK_STREQ(file, "t.conf");
	ATF_CHECK_EQ(line, 2);
	ATF_CHECK_EQ(col, 9);

	st = conf_stmt_next(st);
	ATF_CHECK_EQ(conf_stmt_arg_bytes(st, 0, 0, UINT64_MAX, &v, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(v, 2 * 1024 * 1024);
	st = conf_stmt_next(st);
	ATF_CHECK_EQ(conf_stmt_arg_number(st, 0, 0, 10, &v, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(v, 4);
	st = conf_stmt_next(st);
	ATF_CHECK_EQ(conf_stmt_arg_bool(st, 0, &b, err, sizeof(err)), 0);
	ATF_CHECK(b);

	st = find_stmt(blk, "cluster");
	ATF_REQUIRE(st != NULL);
	ATF_CHECK_EQ(conf_stmt_nargs(st), 2);
	ATF_CHECK_STREQ(conf_stmt_arg(st, 0), "vip 1");
	ATF_CHECK(conf_stmt_arg_quoted(st, 0));
	ATF_CHECK(!conf_stmt_arg_quoted(st, 1));
	conf_stmt_arg_where(st, 1, &file, &line, &col);
	ATF_CHECK_EQ(line, 6);
	ATF_CHECK_EQ(col, 25);
	ATF_REQUIRE(conf_stmt_block(st) != NULL);
	st = conf_block_first(conf_stmt_block(st));
	ATF_CHECK_STREQ(conf_stmt_key(st), "member");
	ATF_CHECK_STREQ(conf_stmt_arg(st, 0), "192.0.2.101");
	ATF_CHECK(conf_stmt_next(st) == NULL);

	conf_stmt_errorf(st, err, sizeof(err), "no member %d", 7);
	ATF_CHECK_STREQ(err, "t.conf:7:17: no member 7");
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(units);
ATF_TC_BODY(units, tc)
{
	struct config *conf = parse_ok("plugin u {\n"
	    "\tt 45 45s 30m 2h 0s;\n"
	    "\tb 1000 64KB 3MB 0;\n"
	    "}\n");
	const struct conf_stmt *t = conf_block_first(conf->plugins[0].block);
	const struct conf_stmt *b = conf_stmt_next(t);
	static const uint64_t secs[] = { 45, 45, 1800, 7200, 0 };
	static const uint64_t bytes[] = { 1000, 65536, 3145728, 0 };
	char err[256];
	uint64_t v;
	size_t i;

	for (i = 0; i < 5; i++) {
		ATF_CHECK_EQ(conf_stmt_arg_seconds(t, i, 0, UINT64_MAX, &v,
		    err, sizeof(err)), 0);
		ATF_CHECK_EQ(v, secs[i]);
	}
	for (i = 0; i < 4; i++) {
		ATF_CHECK_EQ(conf_stmt_arg_bytes(b, i, 0, UINT64_MAX, &v, err,
		    sizeof(err)), 0);
		ATF_CHECK_EQ(v, bytes[i]);
	}
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(peer_plugin_blocks);
ATF_TC_BODY(peer_plugin_blocks, tc)
{
	struct config *conf = parse_ok("plugin fallback_clear;\n"
	    "peer p {\n"
	    "\taddress 192.0.2.1; auth psk \"k\";\n"
	    "\tfallback_clear { after 20s; }\n"
	    "\tcompat { }\n"
	    "}\n");
	const struct conf_peer *p = &conf->peers[0];
	const struct conf_stmt *st;
	char err[256];
	uint64_t v;

	ATF_REQUIRE_EQ(p->nplugins, 2);
	ATF_CHECK_STREQ(p->plugins[0].name, "fallback_clear");
	st = find_stmt(p->plugins[0].block, "after");
	ATF_REQUIRE(st != NULL);
	ATF_CHECK_EQ(conf_stmt_arg_seconds(st, 0, 1, 60, &v, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(v, 20);
	ATF_CHECK_STREQ(p->plugins[1].name, "compat");
	ATF_CHECK(conf_block_first(p->plugins[1].block) == NULL);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(include_files);
ATF_TC_BODY(include_files, tc)
{
	struct config *conf;
	const struct conf_stmt *st;
	const char *file;
	int line, col;

	ATF_REQUIRE(mkdir("conf.d", 0755) == 0);
	write_file("main.conf", "log-level notice;\n"
	    "include \"conf.d/peers.conf\";\n"
	    "plugin nlb {\n\tinclude \"conf.d/nlb.conf\";\n}\n");
	write_file("conf.d/peers.conf", "# peers\n"
	    "peer a { address 192.0.2.1; include \"a-auth.conf\"; }\n"
	    "include \"empty.conf\";\n");
	write_file("conf.d/empty.conf", "");
	write_file("conf.d/a-auth.conf", "auth psk \"included\";\n");
	write_file("conf.d/nlb.conf", "\n  idle 1m;\n");
	conf = conf_load("main.conf", errbuf, sizeof(errbuf));
	ATF_REQUIRE_MSG(conf != NULL, "%s", errbuf);
	ATF_CHECK_EQ(conf->log_level, LOG_LEVEL_NOTICE);
	ATF_REQUIRE_EQ(conf->npeers, 1);
	ATF_CHECK_STREQ(conf->peers[0].psk, "included");
	ATF_CHECK_STREQ(conf->peers[0].file, "conf.d/peers.conf");
	ATF_CHECK_EQ(conf->peers[0].line, 2);
	st = conf_block_first(conf->plugins[0].block);
	ATF_REQUIRE(st != NULL);
	ATF_CHECK_STREQ(conf_stmt_key(st), "idle");
	conf_stmt_where(st, &file, &line, &col);
	ATF_CHECK_STREQ(file, "conf.d/nlb.conf");
	ATF_CHECK_EQ(line, 2);
	ATF_CHECK_EQ(col, 3);
	conf_free(conf);

	/* From a string: relative to the current directory. */
	conf = parse_ok("include \"conf.d/peers.conf\";\n");
	ATF_CHECK_EQ(conf->npeers, 1);
	conf_free(conf);
}

ATF_TC_WITHOUT_HEAD(lexical);
ATF_TC_BODY(lexical, tc)
{
	struct config *conf = parse_ok(
	    "pidfile \"/tmp/a \\\"b\\\" \\\\c\";# comment right after\r\n"
	    "\r\n"
	    "log-level\twarning ; # spaces before ';'\n"
	    "plugin x{a;b{}}\n");

	ATF_CHECK_STREQ(conf->pidfile, "/tmp/a \"b\" \\c");
	ATF_CHECK_EQ(conf->log_level, LOG_LEVEL_WARN);
	ATF_CHECK_STREQ(conf_stmt_key(conf_block_first(
	    conf->plugins[0].block)), "a");
	conf_free(conf);
}

static bool
equal_after(const char *a, const char *b)
{
	struct config *ca = parse_ok(a), *cb = parse_ok(b);
	bool eq = conf_peer_equal(&ca->peers[0], &cb->peers[0]);

	conf_free(ca);
	conf_free(cb);
	return eq;
}

ATF_TC_WITHOUT_HEAD(peer_equal);
ATF_TC_BODY(peer_equal, tc)
{
	static const char base[] = "peer p { address 192.0.2.1; "
	    "auth psk \"k\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 5m; } }";

	ATF_CHECK(equal_after(base, base));
	ATF_CHECK(equal_after(base, "# moved\n\n  peer p {\naddress "
	    "192.0.2.1; auth psk \"k\"; phase1 hash sha256; phase1 hash sha1;"
	    " nlb { idle 5m; }\npolicy remote 10.1.0.0/16 local 10.0.0.0/8 "
	    "tunnel require; }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.1; "
	    "auth psk \"K\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 5m; } }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.1; "
	    "auth psk \"k\"; phase1 hash sha1; phase1 hash sha256; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 5m; } }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.1; "
	    "auth psk \"k\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel use; "
	    "nlb { idle 5m; } }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.1; "
	    "auth psk \"k\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 6m; } }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.2; "
	    "auth psk \"k\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 5m; } }"));
	ATF_CHECK(!equal_after(base, "peer p { address 192.0.2.1; "
	    "auth psk \"k\"; phase1 hash sha256; phase1 hash sha1; "
	    "policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel; "
	    "nlb { idle 5m; } dpd interval 10s; }"));
	ATF_CHECK(!equal_after("peer p { address 192.0.2.1; auth psk \"k\"; }",
	    "peer p { address 192.0.2.1; auth psk \"k\"; phase1; }"));
}

ATF_TC_WITHOUT_HEAD(print_canonical);
ATF_TC_BODY(print_canonical, tc)
{
	static const char expect[] =
	    "pfkey \"kernel\";\n"
	    "listen 0.0.0.0 port 500 natt-port 4500;\n"
	    "listen :: port 500 natt-port 4500;\n"
	    "plugin-dir \"/usr/local/lib/oakley\";\n"
	    "control-socket \"/var/run/oakleyd.sock\";\n"
	    "pidfile \"/var/run/oakleyd.pid\";\n"
	    "log-level info;\n"
	    "flush-on-exit yes;\n"
	    "half-open 256 per-source 16;\n"
	    "\n"
	    "plugin natt;\n"
	    "plugin nlb {\n"
	    "\tidle-timeout 1m;\n"
	    "\tnote \"a \\\"b\\\"\";\n"
	    "}\n"
	    "\n"
	    "peer winxp {\n"
	    "\taddress 192.0.2.10;\n"
	    "\tprofile legacy;\n"
	    "\tauth psk \"********\";\n"
	    "\tremote-id fqdn \"xp.example.org\";\n"
	    "\tphase1 encryption 3des hash sha1 group modp1024 "
	    "lifetime 8h;\n"
	    "\tphase2 encryption aes128 auth hmac-sha1 pfs none "
	    "lifetime 1h;\t# default\n"
	    "\tdpd interval 30s retries 5;\n"
	    "\tretransmit interval 10s count 5;\n"
	    "\tpolicy local 198.51.100.1 port 1701 remote 192.0.2.10 "
	    "proto udp transport require;\n"
	    "\tnlb {\n"
	    "\t}\n"
	    "}\n";
	struct config *conf = parse_ok(
	    "plugin natt;\n"
	    "plugin nlb { idle-timeout 1m; note \"a \\\"b\\\"\"; }\n"
	    "peer winxp {\n"
	    "  address 192.0.2.10; profile legacy; auth psk \"secret\";\n"
	    "  remote-id fqdn xp.example.org;\n"
	    "  phase1 encryption 3des lifetime 480m;\n"
	    "  dpd interval 30;\n"
	    "  policy local 198.51.100.1 port 1701 remote 192.0.2.10 "
	    "proto udp;\n"
	    "  nlb {}\n"
	    "}\n");
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ATF_REQUIRE(fp != NULL);
	conf_print(fp, conf);
	ATF_REQUIRE(fclose(fp) == 0);
	ATF_CHECK_STREQ(out, expect);
	ATF_CHECK(strstr(out, "secret") == NULL);
	free(out);
	conf_free(conf);
}

/* The printed form parses back into an equal configuration. */
ATF_TC_WITHOUT_HEAD(print_reparses);
ATF_TC_BODY(print_reparses, tc)
{
	struct config *a = parse_ok(peer_all_text), *b;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ATF_REQUIRE(fp != NULL);
	conf_print(fp, a);
	ATF_REQUIRE(fclose(fp) == 0);
	b = parse_ok(out);
	ATF_REQUIRE_EQ(b->npeers, 1);
	/* Only the key differs: it is printed as stars. */
	ATF_CHECK_STREQ(b->peers[0].psk, "********");
	free(b->peers[0].psk);
	b->peers[0].psk = strdup(a->peers[0].psk);
	b->peers[0].psk_len = a->peers[0].psk_len;
	ATF_CHECK(conf_peer_equal(&a->peers[0], &b->peers[0]));
	free(out);
	conf_free(a);
	conf_free(b);
}

/* etc/oakleyd.conf.sample, found from the test program's directory. */
ATF_TC_WITHOUT_HEAD(sample_parses);
ATF_TC_BODY(sample_parses, tc)
{
	const char *srcdir = atf_tc_get_config_var(tc, "srcdir");
	char path[1024];
	struct config *conf;

	snprintf(path, sizeof(path), "%s/../../etc/oakleyd.conf.sample",
	    srcdir);
	conf = conf_load(path, errbuf, sizeof(errbuf));
	ATF_REQUIRE_MSG(conf != NULL, "%s", errbuf);
	ATF_CHECK_EQ(conf->npeers, 3);
	/* The plugin lines are commented out until the plugins are installed. */
	ATF_CHECK_EQ(conf->nplugins, 0);
	ATF_CHECK(conf_peer_by_name(conf, "winxp") != NULL);
	ATF_CHECK(conf_peer_by_name(conf, "vista") != NULL);
	ATF_CHECK(conf_peer_by_name(conf, "branch") != NULL);
	conf_free(conf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, global_defaults);
	ATF_TP_ADD_TC(tp, global_all_keys);
	ATF_TP_ADD_TC(tp, kernel_and_bools);
	ATF_TP_ADD_TC(tp, peer_all_keys);
	ATF_TP_ADD_TC(tp, peer_defaults);
	ATF_TP_ADD_TC(tp, peer_name_is_address);
	ATF_TP_ADD_TC(tp, proposals_multiple);
	ATF_TP_ADD_TC(tp, proposals_ecp);
	ATF_TP_ADD_TC(tp, proposals_gcm);
	ATF_TP_ADD_TC(tp, policies);
	ATF_TP_ADD_TC(tp, auth_rsa_and_psk_file);
	ATF_TP_ADD_TC(tp, generic_plugin_block);
	ATF_TP_ADD_TC(tp, units);
	ATF_TP_ADD_TC(tp, peer_plugin_blocks);
	ATF_TP_ADD_TC(tp, include_files);
	ATF_TP_ADD_TC(tp, lexical);
	ATF_TP_ADD_TC(tp, peer_equal);
	ATF_TP_ADD_TC(tp, print_canonical);
	ATF_TP_ADD_TC(tp, print_reparses);
	ATF_TP_ADD_TC(tp, sample_parses);
	return atf_no_error();
}
