/*
 * Plugin host: loading, refusing and unloading plugins (daemon/plugin.c).
 *
 * The test plugins live in regress/plugins/test_plugin/, built there by
 * "make tests"; the directory is found from atf's "srcdir" configuration
 * variable (the directory of this program, which atf sets to an absolute
 * path).  Copies made to test file modes go to the test's own working
 * directory, which kyua creates and removes.  Every refusal is checked
 * against its exact message.
 */
#include <sys/stat.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "plugin.h"
#include "testutil.h"

static const struct oakley_engine no_engine;	/* loading calls none */

static char plugin_dir[1024];
static char work_dir[1024];
static char err[1024];

static void
setup(const atf_tc_t *tc)
{
	char dir[1024], real[PATH_MAX];
	size_t len;

	snprintf(dir, sizeof(dir), "%s/../plugins/test_plugin",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE(realpath(dir, real) != NULL);
	ATF_REQUIRE((len = strlen(real)) < sizeof(plugin_dir));
	memcpy(plugin_dir, real, len + 1);
	ATF_REQUIRE(getcwd(work_dir, sizeof(work_dir)) != NULL);
	log_init("oakleyd", true, LOG_LEVEL_WARN);
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	err[0] = '\0';
}

static int
load(const char *dir, const char *name)
{
	return tu_plugin_load(dir, name, err, sizeof(err));
}

/* Loads "plugin NAME { BODY }" as written in test.conf. */
static int
load_conf(const char *text)
{
	return tu_plugin_load_conf(plugin_dir, text, err, sizeof(err));
}

/* err must be fmt with its one %s replaced by dir. */
static void
check_err(const char *fmt, const char *dir)
{
	char want[2048];
	const char *at = strstr(fmt, "%s");

	ATF_REQUIRE(at != NULL);
	snprintf(want, sizeof(want), "%.*s%s%s", (int)(at - fmt), fmt, dir,
	    at + 2);
	ATF_CHECK_STREQ(err, want);
}

/* Copy a test plugin file into the work directory with this mode. */
static void
copy_plugin(const char *name, mode_t mode)
{
	char from[2048], buf[8192];
	int in, out;
	ssize_t n;

	snprintf(from, sizeof(from), "%s/%s", plugin_dir, name);
	ATF_REQUIRE((in = open(from, O_RDONLY)) != -1);
	ATF_REQUIRE((out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600))
	    != -1);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ATF_REQUIRE_EQ(write(out, buf, (size_t)n), n);
	ATF_REQUIRE_EQ(n, 0);
	close(in);
	close(out);
	ATF_REQUIRE_EQ(chmod(name, mode), 0);
}

/* Everything written to stderr between the two calls. */
static int saved_stderr = -1;

static void
capture_start(void)
{
	int fd;

	fflush(stderr);
	ATF_REQUIRE((saved_stderr = dup(2)) != -1);
	ATF_REQUIRE((fd = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1);
	ATF_REQUIRE(dup2(fd, 2) != -1);
	close(fd);
}

static void
capture_end(char *buf, size_t len)
{
	FILE *fp;
	size_t n;

	fflush(stderr);
	ATF_REQUIRE(dup2(saved_stderr, 2) != -1);
	close(saved_stderr);
	ATF_REQUIRE((fp = fopen("stderr.txt", "r")) != NULL);
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

ATF_TC_WITHOUT_HEAD(load_list_unload);
ATF_TC_BODY(load_list_unload, tc)
{
	struct plugin_info info;
	char path[4096], logs[4096];

	setup(tc);
	log_set_level(LOG_LEVEL_INFO);
	capture_start();
	ATF_REQUIRE_EQ(load(plugin_dir, "test_plugin"), 0);
	ATF_REQUIRE_EQ(load(plugin_dir, "test_second"), 0);
	capture_end(logs, sizeof(logs));
	snprintf(path, sizeof(path), "oakleyd: info: plugin test_plugin: init\n"
	    "oakleyd: info: plugin test_plugin 1.0 loaded from "
	    "%s/test_plugin.so\n"
	    "oakleyd: info: plugin test_second: init\n"
	    "oakleyd: info: plugin test_second 2.0 loaded from "
	    "%s/test_second.so\n", plugin_dir, plugin_dir);
	ATF_CHECK_STREQ(logs, path);

	ATF_CHECK_EQ(plugin_count(), 2);
	ATF_CHECK(plugin_is_loaded("test_plugin"));
	ATF_CHECK(plugin_is_loaded("test_second"));
	ATF_CHECK(!plugin_is_loaded("nlb"));
	ATF_REQUIRE_EQ(plugin_info(0, &info), 0);
	ATF_CHECK_STREQ(info.name, "test_plugin");
	ATF_CHECK_STREQ(info.version, "1.0");
	ATF_CHECK_STREQ(info.description,
	    "exercises every hook of the plugin ABI");
	snprintf(path, sizeof(path), "%s/test_plugin.so", plugin_dir);
	ATF_CHECK_STREQ(info.path, path);
	ATF_REQUIRE_EQ(plugin_info(1, &info), 0);
	ATF_CHECK_STREQ(info.name, "test_second");
	ATF_CHECK_STREQ(info.version, "2.0");
	ATF_CHECK_EQ(plugin_info(2, &info), -1);

	/* Reverse order, fini first. */
	capture_start();
	plugin_host_fini();
	capture_end(logs, sizeof(logs));
	ATF_CHECK_STREQ(logs, "oakleyd: info: plugin test_second: fini\n"
	    "oakleyd: info: plugin test_plugin: fini\n");
	ATF_CHECK_EQ(plugin_count(), 0);
	ATF_CHECK(plugin_dh_lookup(99) == NULL);
	ATF_CHECK(plugin_port_lookup(4999) == NULL);
}

ATF_TC_WITHOUT_HEAD(missing_file);
ATF_TC_BODY(missing_file, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(plugin_dir, "nlb"), -1);
	check_err("plugin 'nlb': %s/nlb.so: file not found", plugin_dir);
	ATF_CHECK_EQ(plugin_count(), 0);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(default_directory);
ATF_TC_BODY(default_directory, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(NULL, "nosuch_plugin_x"), -1);
	check_err("plugin 'nosuch_plugin_x': %s/nosuch_plugin_x.so: file not "
	    "found", CONF_DEFAULT_PLUGIN_DIR);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(invalid_name);
ATF_TC_BODY(invalid_name, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(plugin_dir, "../test_plugin/test_plugin"), -1);
	ATF_CHECK_STREQ(err, "plugin '../test_plugin/test_plugin': invalid "
	    "name (letters, digits, '_' and '-', at most 64)");
	ATF_CHECK_EQ(load(plugin_dir, ""), -1);
	ATF_CHECK_STREQ(err, "plugin '': invalid name (letters, digits, '_' "
	    "and '-', at most 64)");
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(not_shared_object);
ATF_TC_BODY(not_shared_object, tc)
{
	FILE *fp;

	setup(tc);
	ATF_REQUIRE((fp = fopen("junk.so", "w")) != NULL);
	fputs("this is not an ELF object\n", fp);
	fclose(fp);
	ATF_REQUIRE_EQ(chmod("junk.so", 0644), 0);
	ATF_CHECK_EQ(load(work_dir, "junk"), -1);
	check_err("plugin 'junk': %s/junk.so: cannot load: not a shared object "
	    "for this system, or a library it needs is missing", work_dir);
	ATF_CHECK_EQ(plugin_count(), 0);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(not_a_file);
ATF_TC_BODY(not_a_file, tc)
{
	setup(tc);
	ATF_REQUIRE_EQ(mkdir("dir.so", 0755), 0);
	ATF_CHECK_EQ(load(work_dir, "dir"), -1);
	check_err("plugin 'dir': %s/dir.so: not a regular file", work_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(no_symbol);
ATF_TC_BODY(no_symbol, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(plugin_dir, "no_symbol"), -1);
	check_err("plugin 'no_symbol': %s/no_symbol.so: no symbol "
	    "'oakley_plugin' (not an oakleyd plugin)", plugin_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(wrong_abi);
ATF_TC_BODY(wrong_abi, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(plugin_dir, "bad_abi"), -1);
	check_err("plugin 'bad_abi': %s/bad_abi.so: ABI version 99, oakleyd "
	    "expects 3", plugin_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(name_mismatch);
ATF_TC_BODY(name_mismatch, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load(plugin_dir, "bad_name"), -1);
	check_err("plugin 'bad_name': %s/bad_name.so: the plugin calls itself "
	    "'other_name'", plugin_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(duplicate);
ATF_TC_BODY(duplicate, tc)
{
	struct conf_plugin_block pb = { .name = (char *)"test_plugin",
	    .file = "oakleyd.conf", .line = 3, .col = 1 };

	setup(tc);
	ATF_REQUIRE_EQ(plugin_load(plugin_dir, &pb, err, sizeof(err)), 0);
	pb.line = 7;
	ATF_CHECK_EQ(plugin_load(plugin_dir, &pb, err, sizeof(err)), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so: configured twice "
	    "(first at oakleyd.conf:3:1)", plugin_dir);
	ATF_CHECK_EQ(plugin_count(), 1);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(writable_by_other);
ATF_TC_BODY(writable_by_other, tc)
{
	setup(tc);
	copy_plugin("test_plugin.so", 0666);
	ATF_CHECK_EQ(load(work_dir, "test_plugin"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so is writable by "
	    "group or other (mode 0666); refusing to load", work_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(writable_by_group);
ATF_TC_BODY(writable_by_group, tc)
{
	setup(tc);
	copy_plugin("test_plugin.so", 0620);
	ATF_CHECK_EQ(load(work_dir, "test_plugin"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so is writable by "
	    "group or other (mode 0620); refusing to load", work_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(copy_with_safe_mode_loads);
ATF_TC_BODY(copy_with_safe_mode_loads, tc)
{
	setup(tc);
	copy_plugin("test_plugin.so", 0644);
	ATF_CHECK_EQ(load(work_dir, "test_plugin"), 0);
	ATF_CHECK_EQ(plugin_count(), 1);
	plugin_host_fini();
}

ATF_TC(foreign_owner);
ATF_TC_HEAD(foreign_owner, tc)
{
	atf_tc_set_md_var(tc, "descr", "a plugin owned by another user");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(foreign_owner, tc)
{
	setup(tc);
	copy_plugin("test_plugin.so", 0644);
	ATF_REQUIRE_EQ(chown("test_plugin.so", 4242, 4242), 0);
	ATF_CHECK_EQ(load(work_dir, "test_plugin"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so is owned by uid "
	    "4242, not by root; refusing to load", work_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(bad_config_value);
ATF_TC_BODY(bad_config_value, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin test_plugin {\n\tidle 90;\n}\n"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so: bad configuration: "
	    "test.conf:2:14: value '90' out of range (5 to 60 seconds)",
	    plugin_dir);
	ATF_CHECK_EQ(plugin_count(), 0);
	ATF_CHECK(plugin_dh_lookup(99) == NULL);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(bad_config_option);
ATF_TC_BODY(bad_config_option, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin test_plugin {\n  idle 20s;\n"
	    "  bogus 1;\n}\n"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so: bad configuration: "
	    "test.conf:3:3: unknown option 'bogus'", plugin_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(good_config);
ATF_TC_BODY(good_config, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin test_plugin {\n  idle 1m;\n"
	    "  trace yes;\n}\nplugin test_second;\n"), 0);
	ATF_CHECK_EQ(plugin_count(), 2);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(init_fails_without_reason);
ATF_TC_BODY(init_fails_without_reason, tc)
{
	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin test_plugin { fail-init; }\n"), -1);
	check_err("plugin 'test_plugin': %s/test_plugin.so: init failed",
	    plugin_dir);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(registration_refused);
ATF_TC_BODY(registration_refused, tc)
{
	const struct oakley_dh_group *g;

	setup(tc);
	ATF_REQUIRE_EQ(load(plugin_dir, "test_plugin"), 0);
	ATF_CHECK_EQ(load(plugin_dir, "dh_clash"), -1);
	check_err("plugin 'dh_clash': %s/dh_clash.so: DH group 99 is already "
	    "registered by test_plugin", plugin_dir);
	ATF_CHECK_EQ(plugin_count(), 1);
	ATF_REQUIRE((g = plugin_dh_lookup(99)) != NULL);
	ATF_CHECK_STREQ(g->name, "test99");

	/* The secret, (bits + 7) / 8 bytes, must fit a public value. */
	ATF_CHECK_EQ(load_conf("plugin dh_clash { bad-bits; }\n"), -1);
	check_err("plugin 'dh_clash': %s/dh_clash.so: DH group 98: a "
	    "1024-bit group cannot have 8-byte public values", plugin_dir);
	ATF_CHECK(plugin_dh_lookup(98) == NULL);
	ATF_CHECK_EQ(plugin_count(), 1);

	/* "auto" is the core's (oakley/plugin.h). */
	ATF_CHECK_EQ(load(plugin_dir, "profile_reserved"), -1);
	check_err("plugin 'profile_reserved': %s/profile_reserved.so: "
	    "profile 'auto' cannot be registered", plugin_dir);
	ATF_CHECK(plugin_profile_lookup("auto") == NULL);
	ATF_CHECK_EQ(plugin_count(), 1);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(peer_config);
ATF_TC_BODY(peer_config, tc)
{
	const char *peer = "peer p1 {\n  address 192.0.2.1;\n  auth psk \"k\";\n";
	char text[1024];

	setup(tc);
	snprintf(text, sizeof(text), "plugin test_plugin;\n%s"
	    "  test_plugin { mark 3; }\n}\n", peer);
	ATF_CHECK_EQ(load_conf(text), 0);
	plugin_host_fini();

	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	snprintf(text, sizeof(text), "plugin test_plugin;\n%s"
	    "  test_plugin { mark 12; }\n}\n", peer);
	ATF_CHECK_EQ(load_conf(text), -1);
	ATF_CHECK_STREQ(err, "plugin 'test_plugin': peer 'p1': bad "
	    "configuration: test.conf:5:22: value '12' out of range (0 to 9)");
	plugin_host_fini();

	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	snprintf(text, sizeof(text), "plugin test_second;\n%s"
	    "  test_second { }\n}\n", peer);
	ATF_CHECK_EQ(load_conf(text), -1);
	ATF_CHECK_STREQ(err, "plugin 'test_second': test.conf:5:3: peer 'p1': "
	    "the plugin takes no per-peer configuration");
	plugin_host_fini();

	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	snprintf(text, sizeof(text), "%s  nlb { }\n}\n", peer);
	ATF_CHECK_EQ(load_conf(text), -1);
	ATF_CHECK_STREQ(err, "plugin 'nlb': test.conf:4:3: peer 'p1': no such "
	    "plugin loaded");
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(host_not_initialised);
ATF_TC_BODY(host_not_initialised, tc)
{
	(void)tc;
	ATF_CHECK_EQ(load("/nonexistent", "test_plugin"), -1);
	ATF_CHECK_STREQ(err, "plugin 'test_plugin': plugin host not "
	    "initialised");
	plugin_host_fini();	/* harmless */
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, load_list_unload);
	ATF_TP_ADD_TC(tp, missing_file);
	ATF_TP_ADD_TC(tp, default_directory);
	ATF_TP_ADD_TC(tp, invalid_name);
	ATF_TP_ADD_TC(tp, not_shared_object);
	ATF_TP_ADD_TC(tp, not_a_file);
	ATF_TP_ADD_TC(tp, no_symbol);
	ATF_TP_ADD_TC(tp, wrong_abi);
	ATF_TP_ADD_TC(tp, name_mismatch);
	ATF_TP_ADD_TC(tp, duplicate);
	ATF_TP_ADD_TC(tp, writable_by_other);
	ATF_TP_ADD_TC(tp, writable_by_group);
	ATF_TP_ADD_TC(tp, copy_with_safe_mode_loads);
	ATF_TP_ADD_TC(tp, foreign_owner);
	ATF_TP_ADD_TC(tp, bad_config_value);
	ATF_TP_ADD_TC(tp, bad_config_option);
	ATF_TP_ADD_TC(tp, good_config);
	ATF_TP_ADD_TC(tp, init_fails_without_reason);
	ATF_TP_ADD_TC(tp, registration_refused);
	ATF_TP_ADD_TC(tp, peer_config);
	ATF_TP_ADD_TC(tp, host_not_initialised);
	return atf_no_error();
}
