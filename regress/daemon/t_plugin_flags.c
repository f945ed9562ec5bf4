/*
 * Plugin host: flag stores (daemon/plugin_flags.c), the per-peer
 * key -> integer-or-string maps plugins share.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "plugin.h"

ATF_TC_WITHOUT_HEAD(set_get_types);
ATF_TC_BODY(set_get_types, tc)
{
	struct oakley_flags *f;
	int64_t v = 0;

	(void)tc;
	ATF_REQUIRE((f = plugin_flags_new()) != NULL);
	ATF_CHECK_EQ(plugin_flags_get_int(f, "windows.version", &v), -1);
	ATF_CHECK_EQ(plugin_flags_set_int(f, "windows.version", 4), 0);
	ATF_CHECK_EQ(plugin_flags_get_int(f, "windows.version", &v), 0);
	ATF_CHECK_EQ(v, 4);
	ATF_CHECK(plugin_flags_get_str(f, "windows.version") == NULL);

	ATF_CHECK_EQ(plugin_flags_set_str(f, "natt.method", "rfc3947"), 0);
	ATF_CHECK_STREQ(plugin_flags_get_str(f, "natt.method"), "rfc3947");
	ATF_CHECK_EQ(plugin_flags_get_int(f, "natt.method", &v), -1);
	ATF_CHECK_EQ(v, 4);

	/* Setting replaces value and type. */
	ATF_CHECK_EQ(plugin_flags_set_int(f, "natt.method", -2), 0);
	ATF_CHECK_EQ(plugin_flags_get_int(f, "natt.method", &v), 0);
	ATF_CHECK_EQ(v, -2);
	ATF_CHECK_EQ(plugin_flags_set_str(f, "windows.version", "xp"), 0);
	ATF_CHECK_STREQ(plugin_flags_get_str(f, "windows.version"), "xp");
	ATF_CHECK_EQ(plugin_flags_set_str(f, "windows.version", "2003"), 0);
	ATF_CHECK_STREQ(plugin_flags_get_str(f, "windows.version"), "2003");
	ATF_CHECK_EQ(plugin_flags_count(f), 2);
	plugin_flags_free(f);
}

ATF_TC_WITHOUT_HEAD(unset_and_order);
ATF_TC_BODY(unset_and_order, tc)
{
	const char *keys[] = { "nlb.fast_failover", "compat.profile", "zz",
	    "a", "natt.nat_local", "m" };
	struct oakley_flags *f;
	char buf[64];
	size_t i;

	(void)tc;
	ATF_REQUIRE((f = plugin_flags_new()) != NULL);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ATF_REQUIRE_EQ(plugin_flags_set_int(f, keys[i], (int64_t)i), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(f, "m", "middle"), 0);
	ATF_CHECK_EQ(plugin_flags_count(f), 6);

	plugin_flags_unset(f, "zz");
	plugin_flags_unset(f, "not-there");
	ATF_CHECK_EQ(plugin_flags_count(f), 5);

	ATF_REQUIRE_EQ(plugin_flags_format(f, 0, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "a=3");
	ATF_REQUIRE_EQ(plugin_flags_format(f, 1, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "compat.profile=1");
	ATF_REQUIRE_EQ(plugin_flags_format(f, 2, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "m=\"middle\"");
	ATF_REQUIRE_EQ(plugin_flags_format(f, 3, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "natt.nat_local=4");
	ATF_REQUIRE_EQ(plugin_flags_format(f, 4, buf, sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "nlb.fast_failover=0");
	ATF_CHECK_EQ(plugin_flags_format(f, 5, buf, sizeof(buf)), -1);
	ATF_CHECK_EQ(plugin_flags_format(f, 0, buf, 3), -1);	/* truncated */
	plugin_flags_free(f);
}

ATF_TC_WITHOUT_HEAD(refused);
ATF_TC_BODY(refused, tc)
{
	struct oakley_flags *f;
	char key[200], value[1100];
	int64_t v;

	(void)tc;
	ATF_REQUIRE((f = plugin_flags_new()) != NULL);
	ATF_CHECK_EQ(plugin_flags_set_int(NULL, "k", 1), -1);
	ATF_CHECK_EQ(plugin_flags_get_int(NULL, "k", &v), -1);
	ATF_CHECK(plugin_flags_get_str(NULL, "k") == NULL);
	ATF_CHECK_EQ(plugin_flags_count(NULL), 0);
	plugin_flags_unset(NULL, "k");
	plugin_flags_free(NULL);

	ATF_CHECK_EQ(plugin_flags_set_int(f, "", 1), -1);
	ATF_CHECK_EQ(plugin_flags_set_int(f, NULL, 1), -1);
	memset(key, 'k', 128);
	key[128] = '\0';
	ATF_CHECK_EQ(plugin_flags_set_int(f, key, 1), 0);
	memset(key, 'k', 129);
	key[129] = '\0';
	ATF_CHECK_EQ(plugin_flags_set_int(f, key, 1), -1);
	memset(value, 'v', 1024);
	value[1024] = '\0';
	ATF_CHECK_EQ(plugin_flags_set_str(f, "v", value), 0);
	value[1024] = 'v';
	value[1025] = '\0';
	ATF_CHECK_EQ(plugin_flags_set_str(f, "v", value), -1);
	ATF_CHECK_EQ(strlen(plugin_flags_get_str(f, "v")), 1024);
	ATF_CHECK_EQ(plugin_flags_set_str(f, "w", NULL), -1);
	ATF_CHECK_EQ(plugin_flags_count(f), 2);
	plugin_flags_free(f);
}

ATF_TC_WITHOUT_HEAD(many);
ATF_TC_BODY(many, tc)
{
	struct oakley_flags *f;
	char key[32];
	int64_t v;
	int i;

	(void)tc;
	ATF_REQUIRE((f = plugin_flags_new()) != NULL);
	for (i = 999; i >= 0; i--) {
		snprintf(key, sizeof(key), "k%04d", i);
		ATF_REQUIRE_EQ(plugin_flags_set_int(f, key, i), 0);
	}
	ATF_CHECK_EQ(plugin_flags_count(f), 1000);
	for (i = 0; i < 1000; i += 37) {
		snprintf(key, sizeof(key), "k%04d", i);
		ATF_REQUIRE_EQ(plugin_flags_get_int(f, key, &v), 0);
		ATF_CHECK_EQ(v, i);
	}
	for (i = 0; i < 1000; i += 2) {
		snprintf(key, sizeof(key), "k%04d", i);
		plugin_flags_unset(f, key);
	}
	ATF_CHECK_EQ(plugin_flags_count(f), 500);
	ATF_CHECK_EQ(plugin_flags_get_int(f, "k0000", &v), -1);
	ATF_REQUIRE_EQ(plugin_flags_get_int(f, "k0999", &v), 0);
	ATF_CHECK_EQ(v, 999);
	plugin_flags_free(f);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, set_get_types);
	ATF_TP_ADD_TC(tp, unset_and_order);
	ATF_TP_ADD_TC(tp, refused);
	ATF_TP_ADD_TC(tp, many);
	return atf_no_error();
}
