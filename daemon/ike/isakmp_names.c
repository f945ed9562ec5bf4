/*
 * Names of ISAKMP numbers for logs: payload types, exchange types, notify
 * message types, ID types and protocol IDs, spelled as the RFCs do.  An
 * unknown number gives a static "unknown", never NULL.
 */
#include <stddef.h>

#include "isakmp_local.h"

struct isk_name {
	unsigned	 num;
	const char	*name;
};

static const char unknown[] = "unknown";

static const struct isk_name payload_names[] = {
	{ ISAKMP_PT_NONE, "NONE" },
	{ ISAKMP_PT_SA, "SA" },
	{ ISAKMP_PT_PROPOSAL, "PROPOSAL" },
	{ ISAKMP_PT_TRANSFORM, "TRANSFORM" },
	{ ISAKMP_PT_KE, "KE" },
	{ ISAKMP_PT_ID, "ID" },
	{ ISAKMP_PT_CERT, "CERT" },
	{ ISAKMP_PT_CR, "CR" },
	{ ISAKMP_PT_HASH, "HASH" },
	{ ISAKMP_PT_SIG, "SIG" },
	{ ISAKMP_PT_NONCE, "NONCE" },
	{ ISAKMP_PT_N, "N" },
	{ ISAKMP_PT_D, "D" },
	{ ISAKMP_PT_VID, "VID" },
	{ ISAKMP_PT_ATTR, "ATTR" },
	{ ISAKMP_PT_NATD, "NAT-D" },
	{ ISAKMP_PT_NATOA, "NAT-OA" },
	{ ISAKMP_PT_NATD_DRAFT, "NAT-D-DRAFT" },
	{ ISAKMP_PT_NATOA_DRAFT, "NAT-OA-DRAFT" },
	{ ISAKMP_PT_FRAG, "FRAGMENT" },
};

static const struct isk_name exchange_names[] = {
	{ ISAKMP_EXCH_BASE, "BASE" },
	{ ISAKMP_EXCH_IDPROT, "IDENTITY-PROTECTION" },
	{ ISAKMP_EXCH_AUTH_ONLY, "AUTHENTICATION-ONLY" },
	{ ISAKMP_EXCH_AGGRESSIVE, "AGGRESSIVE" },
	{ ISAKMP_EXCH_INFO, "INFORMATIONAL" },
	{ ISAKMP_EXCH_TRANSACTION, "TRANSACTION" },
	{ ISAKMP_EXCH_QUICK, "QUICK" },
	{ ISAKMP_EXCH_NEWGROUP, "NEW-GROUP" },
};

static const struct isk_name notify_names[] = {
	{ ISAKMP_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
	{ ISAKMP_N_DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED" },
	{ ISAKMP_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED" },
	{ ISAKMP_N_INVALID_COOKIE, "INVALID-COOKIE" },
	{ ISAKMP_N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION" },
	{ ISAKMP_N_INVALID_MINOR_VERSION, "INVALID-MINOR-VERSION" },
	{ ISAKMP_N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE" },
	{ ISAKMP_N_INVALID_FLAGS, "INVALID-FLAGS" },
	{ ISAKMP_N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID" },
	{ ISAKMP_N_INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID" },
	{ ISAKMP_N_INVALID_SPI, "INVALID-SPI" },
	{ ISAKMP_N_INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID" },
	{ ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
	{ ISAKMP_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
	{ ISAKMP_N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX" },
	{ ISAKMP_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
	{ ISAKMP_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
	{ ISAKMP_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
	{ ISAKMP_N_INVALID_CERT_ENCODING, "INVALID-CERT-ENCODING" },
	{ ISAKMP_N_INVALID_CERTIFICATE, "INVALID-CERTIFICATE" },
	{ ISAKMP_N_CERT_TYPE_UNSUPPORTED, "CERT-TYPE-UNSUPPORTED" },
	{ ISAKMP_N_INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY" },
	{ ISAKMP_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
	{ ISAKMP_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
	{ ISAKMP_N_INVALID_SIGNATURE, "INVALID-SIGNATURE" },
	{ ISAKMP_N_ADDRESS_NOTIFICATION, "ADDRESS-NOTIFICATION" },
	{ ISAKMP_N_NOTIFY_SA_LIFETIME, "NOTIFY-SA-LIFETIME" },
	{ ISAKMP_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE" },
	{ ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE" },
	{ ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ ISAKMP_N_CONNECTED, "CONNECTED" },
	{ ISAKMP_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
	{ ISAKMP_N_REPLAY_STATUS, "REPLAY-STATUS" },
	{ ISAKMP_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	{ ISAKMP_N_DPD_R_U_THERE, "R-U-THERE" },
	{ ISAKMP_N_DPD_R_U_THERE_ACK, "R-U-THERE-ACK" },
};

static const struct isk_name id_type_names[] = {
	{ ISAKMP_ID_IPV4_ADDR, "IPV4_ADDR" },
	{ ISAKMP_ID_FQDN, "FQDN" },
	{ ISAKMP_ID_USER_FQDN, "USER_FQDN" },
	{ ISAKMP_ID_IPV4_ADDR_SUBNET, "IPV4_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV6_ADDR, "IPV6_ADDR" },
	{ ISAKMP_ID_IPV6_ADDR_SUBNET, "IPV6_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV4_ADDR_RANGE, "IPV4_ADDR_RANGE" },
	{ ISAKMP_ID_IPV6_ADDR_RANGE, "IPV6_ADDR_RANGE" },
	{ ISAKMP_ID_DER_ASN1_DN, "DER_ASN1_DN" },
	{ ISAKMP_ID_DER_ASN1_GN, "DER_ASN1_GN" },
	{ ISAKMP_ID_KEY_ID, "KEY_ID" },
};

static const struct isk_name protocol_names[] = {
	{ ISAKMP_PROTO_ISAKMP, "ISAKMP" },
	{ ISAKMP_PROTO_AH, "AH" },
	{ ISAKMP_PROTO_ESP, "ESP" },
	{ ISAKMP_PROTO_IPCOMP, "IPCOMP" },
};

static const char *
lookup(const struct isk_name *tab, size_t n, unsigned num)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].num == num)
			return tab[i].name;
	return unknown;
}

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
isakmp_payload_name(unsigned type)
{
	return lookup(payload_names, NELEM(payload_names), type);
}

const char *
isakmp_exchange_name(unsigned type)
{
	if (type >= ISAKMP_EXCH_PRIVATE_MIN && type <= 255)
		return "PRIVATE";
	return lookup(exchange_names, NELEM(exchange_names), type);
}

const char *
isakmp_notify_name(unsigned type)
{
	return lookup(notify_names, NELEM(notify_names), type);
}

const char *
isakmp_id_type_name(unsigned type)
{
	return lookup(id_type_names, NELEM(id_type_names), type);
}

const char *
isakmp_protocol_name(unsigned protocol)
{
	return lookup(protocol_names, NELEM(protocol_names), protocol);
}
