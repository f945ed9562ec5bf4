/*
 * Per-socket registration messages of pfkeyemud.
 *
 * REGISTER (FreeBSD key_register): registers the socket for the SA type
 * (EEXIST if it already is; UNSPEC only asks for the lists) and answers
 * with SUPPORTED_AUTH and SUPPORTED_ENCRYPT, sent to the requester and to
 * every socket registered for any SA type.
 *
 * X_PROMISC (FreeBSD key_promisc): a bare header with satype 1 or 0
 * turns promiscuous mode on or off and is echoed to every socket; a
 * header followed by a message sends that message as is to every socket.
 */
#include <errno.h>

#include "emu.h"

int
register_msg(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	int error;

	if (req->satype > PFKEY_SATYPE_MAX)
		return EINVAL;
	if (req->satype != PFKEY_SATYPE_UNSPEC &&
	    (error = server_register(c, req->satype)) != 0)
		return error;
	pfkey_msg_init(&r, PFKEY_REGISTER, req->satype, req->seq, req->pid);
	r.reserved = req->reserved;
	algs_supported(&r);
	server_send(c, &r, EMU_TO_REGISTERED, PFKEY_SATYPE_UNSPEC);
	return 0;
}

int
promisc_msg(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	int error;

	if (req->inner_len > 0) {
		server_deliver_all(req->inner, req->inner_len);
		return 0;
	}
	if ((error = server_set_promisc(c, req->satype)) != 0)
		return error;
	pfkey_msg_init(&r, PFKEY_X_PROMISC, req->satype, req->seq, req->pid);
	r.reserved = req->reserved;
	server_send(c, &r, EMU_TO_ALL, 0);
	return 0;
}
