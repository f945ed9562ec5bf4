/*
 * Phase-1 authentication with RSA signatures over X.509 certificates
 * (RFC 2409 5.1).  Not yet implemented: every function fails.
 */
#include "ike.h"
#include "log.h"

int
p1_cert_subject_id(struct ike_p1 *p1, uint8_t *body, size_t *len)
{
	(void)p1;
	(void)body;
	(void)len;
	log_warn("IKE: asn1dn identities need certificates, not supported yet");
	return -1;
}

int
p1_cert_check_dn(struct ike_p1 *p1, const struct isakmp_id *id)
{
	(void)p1;
	(void)id;
	return -1;
}

int
p1_cert_sign(struct ike_p1 *p1, struct isakmp_builder *b,
    const uint8_t *hash)
{
	(void)p1;
	(void)b;
	(void)hash;
	log_warn("IKE: RSA signature authentication is not supported yet");
	return -1;
}

int
p1_cert_verify(struct ike_p1 *p1, const struct isakmp_msg *m,
    const uint8_t *hash)
{
	(void)p1;
	(void)m;
	(void)hash;
	return -1;
}
