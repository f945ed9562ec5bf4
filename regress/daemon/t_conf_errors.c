/*
 * Unit tests for the oakleyd.conf parser, bad input: one test case per
 * class of error, each checking the exact message with FILE:LINE:COL.
 * Also: a pre-shared key never shows in a message, and the generic
 * accessors' type errors.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "conf.h"

static void
check_error(const char *text, const char *expect)
{
	char err[512];
	struct config *conf;

	conf = conf_parse_string(text, "t.conf", err, sizeof(err));
	ATF_CHECK_MSG(conf == NULL, "accepted: %s", text);
	conf_free(conf);
	ATF_CHECK_STREQ(err, expect);
}

static void
check_load_error(const char *path, const char *expect)
{
	char err[512];
	struct config *conf;

	conf = conf_load(path, err, sizeof(err));
	ATF_CHECK_MSG(conf == NULL, "accepted: %s", path);
	conf_free(conf);
	ATF_CHECK_STREQ(err, expect);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "w");

	ATF_REQUIRE(fp != NULL);
	ATF_REQUIRE(fwrite(text, 1, len, fp) == len);
	ATF_REQUIRE(fclose(fp) == 0);
}

/* A peer block around one line, for errors inside peers. */
static void
check_peer_error(const char *line, const char *expect)
{
	char text[1024];

	snprintf(text, sizeof(text), "peer p {\n\taddress 192.0.2.1;\n"
	    "\tauth psk \"k\";\n\t%s\n}\n", line);
	check_error(text, expect);
}

ATF_TC_WITHOUT_HEAD(unexpected_token);
ATF_TC_BODY(unexpected_token, tc)
{
	check_error(";\n", "t.conf:1:1: expected a key, got ';'");
	check_error("\n  {", "t.conf:2:3: expected a key, got '{'");
	check_error("\"pidfile\" x;", "t.conf:1:1: expected a key, got a "
	    "string");
	check_error("log-level info;\n}\n", "t.conf:2:1: unexpected '}' (no "
	    "block is open)");
	check_error("pidfile \x01;", "t.conf:1:9: unexpected character "
	    "(byte 0x01)");
	check_error("log-level \xc3\xa9;", "t.conf:1:11: unexpected "
	    "character (byte 0xc3)");
}

/* half-open N [per-source M]: 1..65536, M no larger than N. */
ATF_TC_WITHOUT_HEAD(half_open_values);
ATF_TC_BODY(half_open_values, tc)
{
	check_error("half-open 0;", "t.conf:1:11: value '0' out of range "
	    "(1 to 65536)");
	check_error("half-open 65537;", "t.conf:1:11: value '65537' out of "
	    "range (1 to 65536)");
	check_error("half-open 10 per-source 11;", "t.conf:1:25: value '11' "
	    "out of range (1 to 10)");
	check_error("half-open 10 per-source 0;", "t.conf:1:25: value '0' "
	    "out of range (1 to 10)");
	check_error("half-open 10 per-source;", "t.conf:1:14: expected "
	    "'per-source M' after the limit");
	check_error("half-open 10 per-src 2;", "t.conf:1:14: expected "
	    "'per-source M' after the limit");
	check_error("half-open many;", "t.conf:1:11: bad number 'many'");
	check_error("half-open;", "t.conf:1:1: missing argument to "
	    "'half-open' (usage: half-open N [per-source M])");
	check_error("half-open 8;\nhalf-open 9;", "t.conf:2:1: duplicate "
	    "'half-open' at top level (first at t.conf:1:1)");
}

ATF_TC_WITHOUT_HEAD(missing_semicolon);
ATF_TC_BODY(missing_semicolon, tc)
{
	check_error("plugin nlb {\n\tcluster {\n\t\tlifetime 8h\n\t}\n}\n",
	    "t.conf:4:9: expected ';' after 'lifetime 8h', got '}'");
	check_error("pidfile \"/x\"", "t.conf:1:13: expected ';' after "
	    "'pidfile \"...\"', got end of file");
	check_error("policy local 10.0.0.0/8 remote 10.1.0.0/16 }",
	    "t.conf:1:44: expected ';' after 'policy local ...', got '}'");
}

ATF_TC_WITHOUT_HEAD(unterminated_string);
ATF_TC_BODY(unterminated_string, tc)
{
	check_error("pidfile \"/var/run/x;\nlog-level info;\n",
	    "t.conf:1:9: unterminated string");
	check_error("\tpidfile \"/x", "t.conf:1:17: unterminated string");
	check_error("pidfile \"a\\nb\";", "t.conf:1:11: bad escape in string "
	    "(only \\\" and \\\\ are allowed)");
	check_error("pidfile \"a\x02\";", "t.conf:1:11: control character "
	    "in string");
}

ATF_TC_WITHOUT_HEAD(unterminated_block);
ATF_TC_BODY(unterminated_block, tc)
{
	check_error("peer x {\n\taddress 192.0.2.1;\n",
	    "t.conf:3:1: expected '}' closing 'peer x' (opened at "
	    "t.conf:1:8), got end of file");
	check_error("plugin a { b { c {", "t.conf:1:19: expected '}' closing "
	    "'c' (opened at t.conf:1:18), got end of file");
}

ATF_TC_WITHOUT_HEAD(nesting_too_deep);
ATF_TC_BODY(nesting_too_deep, tc)
{
	char text[200];
	size_t i;

	for (i = 0; i < 40; i++)
		memcpy(text + 2 * i, "a{", 2);
	text[80] = '\0';
	check_error(text, "t.conf:1:66: blocks nested too deeply (more than "
	    "32 levels)");
}

ATF_TC_WITHOUT_HEAD(unknown_key);
ATF_TC_BODY(unknown_key, tc)
{
	check_error("pidfile \"/x\";\nlisten-on 192.0.2.1;\n",
	    "t.conf:2:1: unknown key 'listen-on' at top level");
	check_error("nlb { idle 5m; }\n",
	    "t.conf:1:1: unknown key 'nlb' at top level");
	check_error("peer p {\n  address 192.0.2.1;\n  auth psk \"k\";\n"
	    "  lifetme 8h;\n}\n",
	    "t.conf:4:3: unknown key 'lifetme' in peer block");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 protocol udp;",
	    "t.conf:4:47: unknown key 'protocol' in policy");
	check_peer_error("phase1 encryption aes128 lifetme 8h;",
	    "t.conf:4:34: unknown key 'lifetme' in phase1");
	check_peer_error("phase2 pfs none hash sha1;",
	    "t.conf:4:25: unknown key 'hash' in phase2");
	check_peer_error("dpd interval 10s retry 3;",
	    "t.conf:4:26: unknown key 'retry' in dpd");
	check_error("peer p { address 192.0.2.1;\n"
	    "auth rsa { cert \"c\"; key \"k\"; crl \"x\"; } }",
	    "t.conf:2:31: unknown key 'crl' in rsa block");
	check_peer_error("natt yes { }",
	    "t.conf:4:14: plugin block 'natt' takes no arguments");
}

ATF_TC_WITHOUT_HEAD(unknown_value);
ATF_TC_BODY(unknown_value, tc)
{
	check_peer_error("phase1 encryption des;", "t.conf:4:27: unknown "
	    "encryption 'des' (expected 3des, aes128, aes192, aes256)");
	check_peer_error("phase1 hash sha3;", "t.conf:4:21: unknown hash "
	    "'sha3' (expected md5, sha1, sha256, sha384, sha512)");
	check_peer_error("phase1 group ecp521;", "t.conf:4:22: unknown group "
	    "'ecp521' (expected modp768, modp1024, modp1536, modp2048, "
	    "modp3072, modp4096, modp6144, modp8192, ecp256, ecp384 or a "
	    "group number)");
	check_peer_error("phase2 auth sha1;", "t.conf:4:21: unknown auth "
	    "algorithm 'sha1' (expected hmac-md5, hmac-sha1, hmac-sha256, "
	    "hmac-sha384, hmac-sha512)");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 proto ospf;",
	    "t.conf:4:53: unknown protocol 'ospf' (expected any, tcp, udp, "
	    "icmp, icmp6, gre, sctp or a number)");
	check_peer_error("remote-id dn \"CN=x\";", "t.conf:4:19: unknown "
	    "identifier type 'dn' (expected address, fqdn, user-fqdn, "
	    "asn1dn)");
	check_error("log-level verbose;", "t.conf:1:11: unknown log level "
	    "'verbose' (expected error, warning, notice, info, debug)");
	check_error("flush-on-exit maybe;", "t.conf:1:15: expected yes or no, "
	    "got 'maybe'");
	check_error("peer p { address 192.0.2.1; auth cert \"x\"; }",
	    "t.conf:1:34: unknown auth method (expected psk or rsa)");
	check_error("peer p { address 192.0.2.1; auth \"topsecret\"; }",
	    "t.conf:1:34: unknown auth method (expected psk or rsa)");
}

/* AES-GCM: phase 2 only, and never with an auth algorithm. */
ATF_TC_WITHOUT_HEAD(gcm_rules);
ATF_TC_BODY(gcm_rules, tc)
{
	check_peer_error("phase2 encryption aes128gcm16 auth hmac-sha1;",
	    "t.conf:4:39: 'auth' with encryption aes128gcm16: AES-GCM "
	    "authenticates by itself (RFC 4106), leave 'auth' out");
	check_peer_error("phase2 auth hmac-sha256 encryption aes256gcm16;",
	    "t.conf:4:16: 'auth' with encryption aes256gcm16: AES-GCM "
	    "authenticates by itself (RFC 4106), leave 'auth' out");
	check_peer_error("phase2 encryption aes192gcm16 auth none;",
	    "t.conf:4:44: unknown auth algorithm 'none' (expected hmac-md5, "
	    "hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512)");
	check_peer_error("phase1 encryption aes128gcm16 hash sha1;",
	    "t.conf:4:27: encryption 'aes128gcm16' is for phase2 only (main "
	    "mode has 3des, aes128, aes192, aes256)");
	check_peer_error("phase2 encryption aes128gcm;",
	    "t.conf:4:27: unknown encryption 'aes128gcm' (expected 3des, "
	    "aes128, aes192, aes256, aes128gcm16, aes192gcm16, "
	    "aes256gcm16)");
}

ATF_TC_WITHOUT_HEAD(bad_address);
ATF_TC_BODY(bad_address, tc)
{
	check_error("peer p {\n\taddress 192.0.2.300;\n}\n",
	    "t.conf:2:17: bad address '192.0.2.300'");
	check_error("listen 2001:db8:::1;", "t.conf:1:8: bad address "
	    "'2001:db8:::1'");
	check_error("listen 192.0.2;", "t.conf:1:8: bad address '192.0.2'");
	check_error("listen 10.0.0.0/8;", "t.conf:1:8: expected an address "
	    "without prefix length, got '10.0.0.0/8'");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0 tunnel;",
	    "t.conf:4:38: bad address '10.0.0'");
	check_peer_error("policy local 10.0.0.0/8 remote 10.1.0.0/16 tunnel "
	    "endpoints 198.51.100.1 2001:db8::1;",
	    "t.conf:4:82: tunnel endpoints are of different address families");
	check_peer_error("policy local 10.0.0.1 remote 2001:db8::1;",
	    "t.conf:4:38: local and remote selectors are of different "
	    "address families");
	check_peer_error("local-address 2001:db8::1;", "t.conf:4:23: "
	    "local-address and address are of different address families");
}

ATF_TC_WITHOUT_HEAD(bad_prefix_length);
ATF_TC_BODY(bad_prefix_length, tc)
{
	check_peer_error("policy local 10.0.0.0/33 remote 10.1.0.0/16;",
	    "t.conf:4:22: prefix length 33 too long for IPv4 (at most 32)");
	check_peer_error("policy local 2001:db8::/129 remote ::/0;",
	    "t.conf:4:22: prefix length 129 too long for IPv6 (at most 128)");
	check_peer_error("policy local 10.0.0.0/x remote 10.1.0.0/16;",
	    "t.conf:4:22: bad prefix length 'x' in '10.0.0.0/x'");
	check_peer_error("policy local 10.0.0.0/ remote 10.1.0.0/16;",
	    "t.conf:4:22: bad prefix length '' in '10.0.0.0/'");
	check_peer_error("policy local 10.0.0.1/8 remote 10.1.0.0/16;",
	    "t.conf:4:22: '10.0.0.1/8' has host bits set (did you mean "
	    "10.0.0.0/8?)");
}

ATF_TC_WITHOUT_HEAD(bad_number);
ATF_TC_BODY(bad_number, tc)
{
	check_error("listen 192.0.2.1 port 5x;", "t.conf:1:23: bad number "
	    "'5x'");
	check_error("listen 192.0.2.1 port -1;", "t.conf:1:23: bad number "
	    "'-1'");
	check_peer_error("dpd interval soon;", "t.conf:4:22: bad duration "
	    "'soon'");
	check_peer_error("phase2 lifesize big;", "t.conf:4:25: bad size "
	    "'big'");
	check_peer_error("retransmit count 0x5;", "t.conf:4:26: bad number "
	    "'0x5'");
}

ATF_TC_WITHOUT_HEAD(unknown_unit);
ATF_TC_BODY(unknown_unit, tc)
{
	check_peer_error("phase1 lifetime 8x;", "t.conf:4:25: unknown unit "
	    "'x' (expected s, m, h)");
	check_peer_error("phase1 lifetime 1d;", "t.conf:4:25: unknown unit "
	    "'d' (expected s, m, h)");
	check_peer_error("phase2 lifesize 1GB;", "t.conf:4:25: unknown unit "
	    "'GB' (expected KB, MB)");
	check_peer_error("phase2 lifesize 10kb;", "t.conf:4:25: unknown unit "
	    "'kb' (expected KB, MB)");
}

ATF_TC_WITHOUT_HEAD(out_of_range);
ATF_TC_BODY(out_of_range, tc)
{
	check_error("listen 192.0.2.1 natt-port 70000;", "t.conf:1:28: value "
	    "'70000' out of range (1 to 65535)");
	check_error("listen 192.0.2.1 port 0;", "t.conf:1:23: value '0' out "
	    "of range (1 to 65535)");
	check_peer_error("phase1 lifetime 30s;", "t.conf:4:25: value '30s' "
	    "out of range (60 to 604800 seconds)");
	check_peer_error("phase2 lifetime 169h;", "t.conf:4:25: value '169h' "
	    "out of range (60 to 604800 seconds)");
	check_peer_error("phase1 lifetime 99999999999999999999999h;",
	    "t.conf:4:25: value '99999999999999999999999h' out of range "
	    "(60 to 604800 seconds)");
	check_peer_error("phase2 lifesize 100;", "t.conf:4:25: value '100' "
	    "out of range (1024 to 4398046510080 bytes)");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 reqid 16384;",
	    "t.conf:4:53: value '16384' out of range (1 to 16383)");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 proto 255;",
	    "t.conf:4:53: value '255' out of range (1 to 254)");
	check_peer_error("phase1 group 65536;", "t.conf:4:22: value '65536' "
	    "out of range (1 to 65535)");
	check_peer_error("dpd interval 2h;", "t.conf:4:22: value '2h' out of "
	    "range (1 to 3600 seconds)");
	check_peer_error("retransmit count 21;", "t.conf:4:26: value '21' out "
	    "of range (0 to 20)");
}

ATF_TC_WITHOUT_HEAD(duplicates);
ATF_TC_BODY(duplicates, tc)
{
	check_error("peer a { address 192.0.2.1; auth psk \"k\"; }\n"
	    "peer a { address 192.0.2.2; auth psk \"k\"; }\n",
	    "t.conf:2:6: duplicate peer 'a' (first defined at t.conf:1:1)");
	check_error("peer a { address 192.0.2.1; auth psk \"k\"; }\n"
	    "peer b { address 192.0.2.1; auth psk \"k\"; }\n",
	    "t.conf:2:1: peer 'b' has the same address 192.0.2.1 as peer 'a' "
	    "(t.conf:1:1)");
	check_error("pidfile \"/a\";\n\npidfile \"/b\";\n", "t.conf:3:1: "
	    "duplicate 'pidfile' at top level (first at t.conf:1:1)");
	check_peer_error("auth psk \"again\";", "t.conf:4:9: duplicate 'auth' "
	    "in peer block (first at t.conf:3:9)");
	check_peer_error("phase1 hash sha1 hash md5;", "t.conf:4:26: "
	    "duplicate 'hash' in phase1");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 tunnel "
	    "transport;", "t.conf:4:54: 'transport' conflicts with 'tunnel' "
	    "in policy");
	check_peer_error("policy local 10.0.0.1 local 10.0.0.2;",
	    "t.conf:4:31: duplicate 'local' in policy");
	check_error("plugin nlb;\nplugin nlb { a; }\n", "t.conf:2:1: "
	    "duplicate plugin block 'nlb' at top level (first at "
	    "t.conf:1:1)");
	check_error("listen 192.0.2.1;\nlisten 192.0.2.1 port 501 natt-port "
	    "4501;\n", "t.conf:2:8: duplicate listen address 192.0.2.1");
	check_error("listen 192.0.2.1 port 4500;\n", "t.conf:1:1: port and "
	    "natt-port are both 4500");
}

ATF_TC_WITHOUT_HEAD(missing_required);
ATF_TC_BODY(missing_required, tc)
{
	check_error("peer winxp {\n\taddress 192.0.2.1;\n}\n",
	    "t.conf:1:1: peer 'winxp' has no auth (expected 'auth psk ...;' "
	    "or 'auth rsa { ... }')");
	check_error("peer winxp { auth psk \"k\"; }\n",
	    "t.conf:1:1: peer 'winxp' has no address (expected 'address "
	    "ADDRESS;')");
	check_error("peer winxp;", "t.conf:1:1: expected a block after "
	    "'peer' (usage: peer NAME { ... })");
	check_error("peer { }", "t.conf:1:1: missing argument to 'peer' "
	    "(usage: peer NAME { ... })");
	check_error("peer p { address 192.0.2.1; auth rsa { key \"k\"; } }",
	    "t.conf:1:29: rsa block needs 'cert \"PATH\";'");
	check_error("peer p { address 192.0.2.1; auth rsa; }", "t.conf:1:29: "
	    "expected a block after 'auth' (usage: auth psk \"SECRET\" | "
	    "auth psk file \"PATH\" | auth rsa { cert \"PATH\"; key \"PATH\"; "
	    "ca \"PATH\"; })");
	check_peer_error("policy remote 10.0.0.2;", "t.conf:4:9: policy needs "
	    "'local ADDRESS[/PREFIXLEN]'");
	check_peer_error("policy local 10.0.0.2 remote;", "t.conf:4:31: "
	    "missing value after 'remote'");
	check_peer_error("dpd retries 3;", "t.conf:4:9: dpd needs 'interval "
	    "DURATION' (or 'dpd off')");
	check_error("pidfile;", "t.conf:1:1: missing argument to 'pidfile' "
	    "(usage: pidfile \"PATH\")");
	check_error("pidfile \"/a\" \"/b\";", "t.conf:1:14: too many arguments "
	    "to 'pidfile' (usage: pidfile \"PATH\")");
	check_error("pidfile \"\";", "t.conf:1:9: empty value for 'pidfile'");
	check_error("log-level info { }", "t.conf:1:16: unexpected block "
	    "after 'log-level' (expected ';')");
}

ATF_TC_WITHOUT_HEAD(policy_rules);
ATF_TC_BODY(policy_rules, tc)
{
	check_peer_error("policy local 10.0.0.1 port 80 remote 10.0.0.2;",
	    "t.conf:4:31: port needs proto tcp, udp or sctp");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 proto icmp "
	    "port 1;", "t.conf:4:58: unknown key 'port' in policy");
	check_peer_error("policy local 10.0.0.1 remote 10.0.0.2 endpoints "
	    "192.0.2.9 192.0.2.1;", "t.conf:4:47: endpoints need tunnel "
	    "mode");
}

ATF_TC_WITHOUT_HEAD(include_not_found);
ATF_TC_BODY(include_not_found, tc)
{
	check_error("log-level info;\ninclude \"x.conf\";\n",
	    "t.conf:2:9: cannot open \"x.conf\": No such file or directory");
	check_load_error("nonexistent.conf", "cannot open "
	    "\"nonexistent.conf\": No such file or directory");
	ATF_REQUIRE(mkdir("d", 0755) == 0);
	check_error("include \"d\";", "t.conf:1:9: cannot read \"d\": not a "
	    "regular file");
	check_error("include;", "t.conf:1:1: expected 'include \"FILE\";'");
	check_error("include \"a\" \"b\";", "t.conf:1:1: expected 'include "
	    "\"FILE\";'");
}

ATF_TC_WITHOUT_HEAD(include_loop);
ATF_TC_BODY(include_loop, tc)
{
	static const char self[] = "log-level info;\ninclude \"a.conf\";\n";
	static const char b[] = "\n\ninclude \"../a.conf\";\n";

	write_file("a.conf", self, strlen(self));
	check_load_error("a.conf", "a.conf:2:9: include loop: \"a.conf\" "
	    "includes itself");
	ATF_REQUIRE(mkdir("sub", 0755) == 0);
	write_file("b.conf", "include \"sub/c.conf\";\n", 22);
	write_file("sub/c.conf", b, strlen(b));
	write_file("a.conf", "include \"b.conf\";\n", 18);
	check_load_error("a.conf", "sub/c.conf:3:9: include loop: "
	    "\"sub/c.conf\" includes \"sub/../a.conf\", which is already "
	    "being read");
}

ATF_TC_WITHOUT_HEAD(include_limits);
ATF_TC_BODY(include_limits, tc)
{
	char name[32], text[64], err[256];
	struct config *conf;
	int i;

	/* f0 includes f1 ... includes f17: 17 levels. */
	for (i = 0; i <= 17; i++) {
		snprintf(name, sizeof(name), "f%d.conf", i);
		snprintf(text, sizeof(text), "include \"f%d.conf\";\n", i + 1);
		write_file(name, text, i < 17 ? strlen(text) : 0);
	}
	check_load_error("f0.conf", "f16.conf:1:9: includes nested too deeply "
	    "(more than 16 levels)");
	conf = conf_load("f1.conf", err, sizeof(err));
	ATF_CHECK_MSG(conf != NULL, "%s", err);
	conf_free(conf);

	conf = conf_parse_string_flags("\n include \"f17.conf\";", "fuzz",
	    CONF_F_NO_INCLUDE, err, sizeof(err));
	ATF_CHECK(conf == NULL);
	ATF_CHECK_STREQ(err, "fuzz:2:2: include is disabled here");
}

ATF_TC_WITHOUT_HEAD(bad_transport);
ATF_TC_BODY(bad_transport, tc)
{
	char text[256];

	check_error("pfkey \"tcp:localhost\";", "t.conf:1:7: bad pfkey "
	    "transport 'tcp:localhost' (expected kernel or unix:PATH)");
	check_error("pfkey unix:;", "t.conf:1:7: bad pfkey transport 'unix:' "
	    "(expected kernel or unix:PATH)");
	check_error("pfkey;", "t.conf:1:1: missing argument to 'pfkey' "
	    "(usage: pfkey kernel | \"unix:PATH\")");
	snprintf(text, sizeof(text), "pfkey \"unix:/%0104d\";", 0);
	check_error(text, "t.conf:1:7: socket path too long (at most 103 "
	    "bytes)");
}

/* A peer with these lines parses. */
static void
check_peer_ok(const char *lines)
{
	char text[1024], err[512];
	struct config *conf;

	snprintf(text, sizeof(text), "peer p {\n\taddress 192.0.2.1;\n"
	    "\tauth psk \"k\";\n%s}\n", lines);
	conf = conf_parse_string(text, "t.conf", err, sizeof(err));
	ATF_CHECK_MSG(conf != NULL, "%s", err);
	conf_free(conf);
}

/*
 * MD5 is for legacy peers only: under the core's own profile "default"
 * (or none) it can never work.  Plugins' profiles are checked at run
 * time, so any other name passes.
 */
ATF_TC_WITHOUT_HEAD(md5_legacy_only);
ATF_TC_BODY(md5_legacy_only, tc)
{
	check_peer_error("phase1 encryption 3des hash md5;", "t.conf:4:37: "
	    "md5 is for legacy peers only: peer 'p' has profile default "
	    "(expected profile legacy or auto)");
	check_peer_error("phase2 auth hmac-md5 lifetime 1h; profile default;",
	    "t.conf:4:21: hmac-md5 is for legacy peers only: peer 'p' has "
	    "profile default (expected profile legacy or auto)");
	check_error("peer p {\n\tphase1 hash sha1;\n\tphase1 hash md5;\n"
	    "\taddress 192.0.2.1;\n\tauth psk \"k\";\n}\n", "t.conf:3:21: "
	    "md5 is for legacy peers only: peer 'p' has profile default "
	    "(expected profile legacy or auto)");
	check_peer_ok("\tphase1 hash md5;\n\tprofile legacy;\n");
	check_peer_ok("\tprofile auto;\n\tphase2 auth hmac-md5;\n");
	check_peer_ok("\tphase1 hash sha1;\n\tphase2 auth hmac-sha1;\n");
}

ATF_TC_WITHOUT_HEAD(psk_never_shown);
ATF_TC_BODY(psk_never_shown, tc)
{
	char text[1024];

	check_error("peer p { auth psk \"topsecret\" }", "t.conf:1:31: "
	    "expected ';' after 'auth psk ...', got '}'");
	check_error("peer p { auth psk topsecret }", "t.conf:1:29: "
	    "expected ';' after 'auth psk ...', got '}'");
	check_error("peer p { auth topsecret }", "t.conf:1:25: "
	    "expected ';' after 'auth ...', got '}'");
	check_error("peer p { auth psk \"topsecret\" \"again\"; }",
	    "t.conf:1:31: too many arguments to 'auth' (usage: auth psk "
	    "\"SECRET\" | auth psk file \"PATH\" | auth rsa { cert \"PATH\"; "
	    "key \"PATH\"; ca \"PATH\"; })");
	check_error("peer p { auth psk \"topsecret\\q\"; }", "t.conf:1:29: "
	    "bad escape in string (only \\\" and \\\\ are allowed)");
	check_error("peer p { address 192.0.2.1; auth psk \"\"; }",
	    "t.conf:1:38: empty pre-shared key");
	snprintf(text, sizeof(text), "peer p { address 192.0.2.1; auth psk "
	    "\"%0513d\"; }", 0);
	check_error(text, "t.conf:1:38: pre-shared key longer than 512 bytes");
	check_error("peer p { address 192.0.2.1; auth psk file; }",
	    "t.conf:1:38: missing path after 'auth psk file'");
	check_error("peer p { address 192.0.2.1; auth psk file \"no.psk\"; }",
	    "t.conf:1:43: cannot open \"no.psk\": No such file or directory");
	write_file("empty.psk", "\n", 1);
	check_error("peer p { address 192.0.2.1; auth psk file empty.psk; }",
	    "t.conf:1:43: pre-shared key file \"empty.psk\" is empty");
}

ATF_TC_WITHOUT_HEAD(nul_byte);
ATF_TC_BODY(nul_byte, tc)
{
	write_file("nul.conf", "log-level info;\n  \0;\n", 21);
	check_load_error("nul.conf", "nul.conf:2:3: unexpected NUL byte");
	write_file("nul.conf", "pidfile \"a\0b\";\n", 15);
	check_load_error("nul.conf", "nul.conf:1:11: control character in "
	    "string");
}

ATF_TC_WITHOUT_HEAD(accessor_errors);
ATF_TC_BODY(accessor_errors, tc)
{
	struct config *conf;
	const struct conf_stmt *st;
	char err[256];
	uint64_t v = 42;
	bool b = true;

	conf = conf_parse_string("plugin nlb {\n"
	    "\tidle abc 5x 7 \"3m\" 8KB;\n"
	    "}\n", "t.conf", err, sizeof(err));
	ATF_REQUIRE_MSG(conf != NULL, "%s", err);
	st = conf_block_first(conf->plugins[0].block);
	ATF_CHECK_EQ(conf_stmt_arg_number(st, 0, 0, 10, &v, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "t.conf:2:14: bad number 'abc'");
	ATF_CHECK_EQ(conf_stmt_arg_seconds(st, 1, 0, 10, &v, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:2:18: unknown unit 'x' (expected s, m, "
	    "h)");
	ATF_CHECK_EQ(conf_stmt_arg_bytes(st, 1, 0, 10, &v, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "t.conf:2:18: unknown unit 'x' (expected KB, "
	    "MB)");
	ATF_CHECK_EQ(conf_stmt_arg_number(st, 2, 0, 5, &v, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "t.conf:2:21: value '7' out of range (0 to 5)");
	ATF_CHECK_EQ(conf_stmt_arg_bool(st, 2, &b, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:2:21: expected yes or no, got '7'");
	ATF_CHECK_EQ(conf_stmt_arg_bytes(st, 4, 0, 4096, &v, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:2:28: value '8KB' out of range (0 to "
	    "4096 bytes)");
	ATF_CHECK_EQ(conf_stmt_arg_number(st, 5, 0, 5, &v, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "t.conf:2:9: missing argument 6 to 'idle'");
	ATF_CHECK_EQ(conf_stmt_arg_bool(st, 9, &b, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:2:9: missing argument 10 to 'idle'");
	/* Failures leave the outputs alone. */
	ATF_CHECK_EQ(v, 42);
	ATF_CHECK(b);
	/* Quoted or not, the text is what counts. */
	ATF_CHECK_EQ(conf_stmt_arg_seconds(st, 3, 0, 3600, &v, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(v, 180);
	conf_free(conf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, unexpected_token);
	ATF_TP_ADD_TC(tp, missing_semicolon);
	ATF_TP_ADD_TC(tp, half_open_values);
	ATF_TP_ADD_TC(tp, unterminated_string);
	ATF_TP_ADD_TC(tp, unterminated_block);
	ATF_TP_ADD_TC(tp, nesting_too_deep);
	ATF_TP_ADD_TC(tp, unknown_key);
	ATF_TP_ADD_TC(tp, unknown_value);
	ATF_TP_ADD_TC(tp, gcm_rules);
	ATF_TP_ADD_TC(tp, bad_address);
	ATF_TP_ADD_TC(tp, bad_prefix_length);
	ATF_TP_ADD_TC(tp, bad_number);
	ATF_TP_ADD_TC(tp, unknown_unit);
	ATF_TP_ADD_TC(tp, out_of_range);
	ATF_TP_ADD_TC(tp, duplicates);
	ATF_TP_ADD_TC(tp, missing_required);
	ATF_TP_ADD_TC(tp, policy_rules);
	ATF_TP_ADD_TC(tp, include_not_found);
	ATF_TP_ADD_TC(tp, include_loop);
	ATF_TP_ADD_TC(tp, include_limits);
	ATF_TP_ADD_TC(tp, bad_transport);
	ATF_TP_ADD_TC(tp, md5_legacy_only);
	ATF_TP_ADD_TC(tp, psk_never_shown);
	ATF_TP_ADD_TC(tp, nul_byte);
	ATF_TP_ADD_TC(tp, accessor_errors);
	return atf_no_error();
}
