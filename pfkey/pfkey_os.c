/*
 * Per-OS PF_KEY layouts: the one table of FreeBSD/Linux differences.
 * See pfkey_os.h for the list of what differs and why.
 */
#include <string.h>
#include <sys/socket.h>

#include "pfkey_os.h"

const struct pfkey_dialect pfkey_dialect_freebsd = {
	.name = "freebsd",
	.af_inet = 2,
	.af_inet6 = 28,
	.sockaddr_has_len = true,
	.ipsecrequest_len = 8,
	.reqid_32bit = false,
	.policy_has_scope = true,
	.msg_max = PFKEY_MSG_MAX,
	.ext_to_wire = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
		18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
	},
};

const struct pfkey_dialect pfkey_dialect_linux = {
	.name = "linux",
	.af_inet = 2,
	.af_inet6 = 10,
	.sockaddr_has_len = false,
	.ipsecrequest_len = 16,
	.reqid_32bit = true,
	.policy_has_scope = false,
	.msg_max = PFKEY_MSG_MAX,	/* 23/24 (NAT_T_NEW_MAPPING, MIGRATE) unused */
	.ext_to_wire = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
		18, 19, 20, 21, 22,
		23,	/* NAT_T_OAI travels as Linux NAT_T_OA */
		0, 0, 0, 0, 0	/* OAR, FRAG, SA_REPLAY, NEW_ADDRESS_*: none */
	},
};

const struct pfkey_dialect *
pfkey_dialect_native(void)
{
#ifdef __linux__
	return &pfkey_dialect_linux;
#else
	return &pfkey_dialect_freebsd;
#endif
}

const struct pfkey_dialect *
pfkey_dialect_by_name(const char *name)
{
	if (strcmp(name, pfkey_dialect_freebsd.name) == 0)
		return &pfkey_dialect_freebsd;
	if (strcmp(name, pfkey_dialect_linux.name) == 0)
		return &pfkey_dialect_linux;
	return NULL;
}

const char *
pfkey_dialect_name(const struct pfkey_dialect *d)
{
	return d->name;
}

int
pfkey_ext_from_wire(const struct pfkey_dialect *d, unsigned wire)
{
	unsigned ext;

	if (wire == 0)
		return 0;
	for (ext = 1; ext <= PFKEY_EXT_MAX; ext++)
		if (d->ext_to_wire[ext] == wire)
			return (int)ext;
	return 0;
}

int
pfkey_ext_to_wire(const struct pfkey_dialect *d, unsigned ext)
{
	if (ext == 0 || ext > PFKEY_EXT_MAX)
		return 0;
	return d->ext_to_wire[ext];
}
