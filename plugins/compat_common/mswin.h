/*
 * Microsoft's "MS NT5 ISAKMPOAKLEY" vendor ID (FACTS.md 1.1, 1.2): the
 * MD5 of that string, then a 4-byte big-endian version naming the
 * Windows release, and what the version says about the peer: its
 * release and the profile it wants, legacy (Windows 2000, XP, Server
 * 2003) or modern (Vista, Server 2008 and later).
 *
 * The one table of versions, compiled into both compat plugins so they
 * decide alike.  Everything here has hidden visibility: each shared
 * object binds to its own copy and neither needs a symbol of the other
 * or of oakleyd.
 */
#ifndef COMPAT_MSWIN_H
#define COMPAT_MSWIN_H

#include <stddef.h>
#include <stdint.h>

#define COMPAT_HIDDEN		__attribute__((visibility("hidden")))

#define MSWIN_VID_NAME		"MS NT5 ISAKMPOAKLEY"
#define MSWIN_VID_PREFIX_LEN	16	/* MD5 of the name */
#define MSWIN_VID_LEN		20	/* prefix + version */

#define MSWIN_PROFILE_LEGACY	"legacy"
#define MSWIN_PROFILE_MODERN	"modern"

struct mswin_release {
	uint32_t	 version;	/* the vendor ID's last 4 bytes */
	const char	*word;		/* its name in oakleyd.conf: "win2003" */
	const char	*label;		/* "Windows Server 2003 or XP SP2" */
};

COMPAT_HIDDEN extern const uint8_t mswin_vid_prefix[MSWIN_VID_PREFIX_LEN];

/* The releases, in version order, ending with a NULL word. */
COMPAT_HIDDEN extern const struct mswin_release mswin_releases[];

/* A known version's release, or NULL. */
COMPAT_HIDDEN const struct mswin_release *mswin_release(uint32_t version);
/* A release by its word or its version number, or NULL. */
COMPAT_HIDDEN const struct mswin_release *mswin_release_parse(
	    const char *text);
/* Legacy up to Windows Server 2003 (version 4), modern after. */
COMPAT_HIDDEN const char *mswin_profile(uint32_t version);
/* The vendor ID a release sends. */
COMPAT_HIDDEN void mswin_vid_bytes(uint32_t version,
	    uint8_t out[MSWIN_VID_LEN]);
/*
 * The version in a received payload that starts with the prefix: 0, or
 * -1 when the payload is not exactly MSWIN_VID_LEN bytes.
 */
COMPAT_HIDDEN int mswin_vid_version(const uint8_t *payload, size_t len,
	    uint32_t *version);
/* "MS NT5 ISAKMPOAKLEY v4 (Windows Server 2003 or XP SP2) -> legacy" */
COMPAT_HIDDEN void mswin_evidence(uint32_t version, char *buf, size_t len);

#endif /* COMPAT_MSWIN_H */
