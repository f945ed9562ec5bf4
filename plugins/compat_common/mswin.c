/*
 * The "MS NT5 ISAKMPOAKLEY" vendor ID and its versions (see mswin.h).
 * Versions and releases are FACTS.md 1.2: libreswan's vendorid.c and
 * ike-scan's ike-vendor-ids, which agree except that ike-scan also saw
 * Windows XP SP2 send 4 (it shares the Server 2003 IPsec stack) and
 * lists 0x10 as Windows Server 2012 (one source only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mswin.h"

#define LAST_LEGACY_VERSION	4	/* Windows Server 2003, XP SP2 */

/* MD5("MS NT5 ISAKMPOAKLEY"), FACTS.md 1.1. */
const uint8_t mswin_vid_prefix[MSWIN_VID_PREFIX_LEN] = {
	0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d,
	0x7c, 0x96, 0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61
};

const struct mswin_release mswin_releases[] = {
	{ 2, "win2000", "Windows 2000" },
	{ 3, "winxp", "Windows XP" },
	{ 4, "win2003", "Windows Server 2003 or XP SP2" },
	{ 5, "vista", "Windows Vista" },
	{ 6, "win2008", "Windows Server 2008" },
	{ 7, "win7", "Windows 7" },
	{ 8, "win2008r2", "Windows Server 2008 R2" },
	{ 9, "win8", "Windows 8 or later" },
	{ 0x10, "win2012", "Windows Server 2012, unconfirmed" },
	{ 0, NULL, NULL }
};

const struct mswin_release *
mswin_release(uint32_t version)
{
	const struct mswin_release *r;

	for (r = mswin_releases; r->word != NULL; r++)
		if (r->version == version)
			return r;
	return NULL;
}

const struct mswin_release *
mswin_release_parse(const char *text)
{
	const struct mswin_release *r;
	unsigned long v;
	char *end;

	for (r = mswin_releases; r->word != NULL; r++)
		if (strcmp(text, r->word) == 0)
			return r;
	if (text[0] < '0' || text[0] > '9')
		return NULL;
	v = strtoul(text, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return NULL;
	return mswin_release((uint32_t)v);
}

const char *
mswin_profile(uint32_t version)
{
	return version <= LAST_LEGACY_VERSION ? MSWIN_PROFILE_LEGACY :
	    MSWIN_PROFILE_MODERN;
}

void
mswin_vid_bytes(uint32_t version, uint8_t out[MSWIN_VID_LEN])
{
	memcpy(out, mswin_vid_prefix, MSWIN_VID_PREFIX_LEN);
	out[16] = (uint8_t)(version >> 24);
	out[17] = (uint8_t)(version >> 16);
	out[18] = (uint8_t)(version >> 8);
	out[19] = (uint8_t)version;
}

int
mswin_vid_version(const uint8_t *payload, size_t len, uint32_t *version)
{
	if (len != MSWIN_VID_LEN ||
	    memcmp(payload, mswin_vid_prefix, MSWIN_VID_PREFIX_LEN) != 0)
		return -1;
	*version = (uint32_t)payload[16] << 24 | (uint32_t)payload[17] << 16 |
	    (uint32_t)payload[18] << 8 | (uint32_t)payload[19];
	return 0;
}

void
mswin_evidence(uint32_t version, char *buf, size_t len)
{
	const struct mswin_release *r = mswin_release(version);

	snprintf(buf, len, "%s v%lu (%s) -> %s", MSWIN_VID_NAME,
	    (unsigned long)version, r != NULL ? r->label : "unknown release",
	    mswin_profile(version));
}
