/*
 * Phase-1 authentication with RSA signatures over X.509 certificates
 * (RFC 2409 5.1), with OpenSSL:
 *
 *	MM3/MM4  + CR (X.509 signature, our CA's subject, RFC 2408 3.10)
 *	MM5/MM6  ID, CERT (X.509 signature, DER), SIG
 *
 * SIG is the PKCS#1 v1.5 signature of HASH_I or HASH_R itself (no
 * DigestInfo, as IKEv1 signs).  The peer's certificate must chain to the
 * CA configured for it ("auth rsa { ca ...; }": without one nothing is
 * trusted), and its ID payload must be the certificate's: the subject
 * for DER_ASN1_DN, a subjectAltName for FQDN, USER_FQDN and addresses.
 * Our own identity defaults to our certificate's subject.  Certificates
 * and keys are read from their files when an exchange needs them.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "conf.h"
#include "ike.h"
#include "log.h"
#include "peer.h"

#define CERT_X509_SIG	4	/* RFC 2408 3.9: X.509 Certificate - Signature */
#define SIG_MAX		1024	/* bytes: 8192-bit RSA */
#define DN_TEXT_MAX	512

static X509 *
cert_load(const char *path)
{
	X509 *x = NULL;
	FILE *fp;

	if (path == NULL || (fp = fopen(path, "r")) == NULL)
		return NULL;
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	return x;
}

static EVP_PKEY *
key_load(const char *path)
{
	EVP_PKEY *k = NULL;
	FILE *fp;

	if (path == NULL || (fp = fopen(path, "r")) == NULL)
		return NULL;
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	return k;
}

static X509 *
own_cert(struct ike_p1 *p1)
{
	const char *path = p1->peer->conf->rsa_cert;
	X509 *x;

	if ((x = cert_load(path)) == NULL)
		log_warn("IKE: peer %s: cannot read the certificate %s",
		    ike_peer_name(p1->peer), path != NULL ? path : "(none)");
	return x;
}

/* "C=US, O=Example, CN=gw", the configuration's form of a name. */
static void
dn_text(const X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int got;

	buf[0] = '\0';
	if (b == NULL)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ);
	got = BIO_read(b, buf, (int)len - 1);
	buf[got > 0 ? got : 0] = '\0';
	BIO_free(b);
}

/* Names compared as text, blanks around separators ignored. */
static bool
dn_text_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (*a != *b)
			return false;
		a++;
		b++;
	}
}

int
p1_cert_subject_id(struct ike_p1 *p1, uint8_t *body, size_t *len)
{
	X509 *x;
	unsigned char *p;
	int n;

	if ((x = own_cert(p1)) == NULL)
		return -1;
	n = i2d_X509_NAME(X509_get_subject_name(x), NULL);
	if (n <= 0 || (size_t)n + 4 > *len) {
		X509_free(x);
		return -1;
	}
	body[0] = ISAKMP_ID_DER_ASN1_DN;
	body[1] = IPPROTO_UDP;
	body[2] = 500 >> 8;
	body[3] = 500 & 0xff;
	p = body + 4;
	i2d_X509_NAME(X509_get_subject_name(x), &p);
	*len = 4 + (size_t)n;
	X509_free(x);
	return 0;
}

static X509_NAME *
id_name(const struct isakmp_id *id)
{
	const unsigned char *p = id->data;

	if (id->type != ISAKMP_ID_DER_ASN1_DN || id->len > LONG_MAX)
		return NULL;
	return d2i_X509_NAME(NULL, &p, (long)id->len);
}

int
p1_cert_check_dn(struct ike_p1 *p1, const struct isakmp_id *id)
{
	X509_NAME *n = id_name(id);
	char text[DN_TEXT_MAX];
	int rc;

	if (n == NULL)
		return -1;
	dn_text(n, text, sizeof(text));
	X509_NAME_free(n);
	snprintf(p1->remote_id, sizeof(p1->remote_id), "%s", text);
	rc = dn_text_equal(text, p1->peer->conf->remote_id.name) ? 0 : -1;
	return rc;
}

int
p1_cert_request(struct ike_p1 *p1, struct isakmp_builder *b)
{
	struct isakmp_cert cr = { CERT_X509_SIG, NULL, 0 };
	unsigned char *der = NULL;
	X509 *ca = cert_load(p1->peer->conf->rsa_ca);
	int n = -1, rc;

	if (ca != NULL)
		n = i2d_X509_NAME(X509_get_subject_name(ca), &der);
	if (n > 0) {
		cr.data = der;
		cr.len = (size_t)n;
	}
	rc = isakmp_add_cert(b, ISAKMP_PT_CR, &cr);
	OPENSSL_free(der);
	X509_free(ca);
	return rc;
}

static int
add_own_cert(struct ike_p1 *p1, struct isakmp_builder *b)
{
	struct isakmp_cert c = { CERT_X509_SIG, NULL, 0 };
	unsigned char *der = NULL;
	X509 *x = own_cert(p1);
	int n = -1, rc = -1;

	if (x != NULL && (n = i2d_X509(x, &der)) > 0) {
		c.data = der;
		c.len = (size_t)n;
		rc = isakmp_add_cert(b, ISAKMP_PT_CERT, &c);
	}
	OPENSSL_free(der);
	X509_free(x);
	return rc;
}

int
p1_cert_sign(struct ike_p1 *p1, struct isakmp_builder *b,
    const uint8_t *hash)
{
	EVP_PKEY *key = key_load(p1->peer->conf->rsa_key);
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t sig[SIG_MAX];
	size_t siglen = sizeof(sig);
	int rc = -1;

	if (key == NULL) {
		log_warn("IKE: peer %s: cannot read the private key %s",
		    ike_peer_name(p1->peer), p1->peer->conf->rsa_key != NULL ?
		    p1->peer->conf->rsa_key : "(none)");
		return -1;
	}
	if (add_own_cert(p1, b) == 0 &&
	    (ctx = EVP_PKEY_CTX_new(key, NULL)) != NULL &&
	    EVP_PKEY_sign_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_sign(ctx, sig, &siglen, hash, p1->keys.prf->len) == 1)
		rc = isakmp_add_payload(b, ISAKMP_PT_SIG, sig, siglen);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}

/* The peer's certificate (the first X.509 one) and the others. */
static X509 *
peer_cert(const struct isakmp_msg *m, STACK_OF(X509) *extra)
{
	const struct isakmp_payload *pl = NULL;
	const unsigned char *p;
	X509 *first = NULL, *x;

	while ((pl = isakmp_msg_find(m, ISAKMP_PT_CERT, pl)) != NULL) {
		if (pl->u.cert.encoding != CERT_X509_SIG ||
		    pl->u.cert.len > LONG_MAX)
			continue;
		p = pl->u.cert.data;
		if ((x = d2i_X509(NULL, &p, (long)pl->u.cert.len)) == NULL)
			continue;
		if (first == NULL)
			first = x;
		else if (sk_X509_push(extra, x) == 0)
			X509_free(x);
	}
	return first;
}

static int
chain_ok(struct ike_p1 *p1, X509 *cert, STACK_OF(X509) *extra)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *ca = cert_load(p1->peer->conf->rsa_ca);
	int rc = -1;

	if (ca == NULL)
		log_warn("IKE: peer %s: no CA to check its certificate "
		    "against (auth rsa { ca ...; })", ike_peer_name(p1->peer));
	else if (store != NULL && ctx != NULL &&
	    X509_STORE_add_cert(store, ca) == 1 &&
	    X509_STORE_CTX_init(ctx, store, cert, extra) == 1) {
		if (X509_verify_cert(ctx) == 1)
			rc = 0;
		else
			log_info("IKE: peer %s: its certificate does not "
			    "verify: %s", ike_peer_name(p1->peer),
			    X509_verify_cert_error_string(
			    X509_STORE_CTX_get_error(ctx)));
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(ca);
	return rc;
}

/* Is the ID payload the certificate's identity? */
static int
id_matches_cert(const struct isakmp_id *id, X509 *cert)
{
	X509_NAME *n;
	char name[256];
	int rc = -1;

	switch (id->type) {
	case ISAKMP_ID_DER_ASN1_DN:
		if ((n = id_name(id)) != NULL) {
			rc = X509_NAME_cmp(n, X509_get_subject_name(cert)) ==
			    0 ? 0 : -1;
			X509_NAME_free(n);
		}
		return rc;
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
		if (id->len == 0 || id->len >= sizeof(name))
			return -1;
		memcpy(name, id->data, id->len);
		name[id->len] = '\0';
		if (id->type == ISAKMP_ID_FQDN)
			return X509_check_host(cert, name, id->len, 0, NULL) ==
			    1 ? 0 : -1;
		return X509_check_email(cert, name, id->len, 0) == 1 ? 0 : -1;
	case ISAKMP_ID_IPV4_ADDR:
	case ISAKMP_ID_IPV6_ADDR:
		return X509_check_ip(cert, id->data, id->len, 0) == 1 ? 0 : -1;
	default:
		return -1;
	}
}

static int
sig_ok(struct ike_p1 *p1, X509 *cert, const struct isakmp_msg *m,
    const uint8_t *hash)
{
	const struct isakmp_payload *sig = isakmp_msg_find(m, ISAKMP_PT_SIG,
	    NULL);
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	EVP_PKEY_CTX *ctx = NULL;
	int rc = -1;

	if (sig != NULL && pub != NULL &&
	    (ctx = EVP_PKEY_CTX_new(pub, NULL)) != NULL &&
	    EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify(ctx, sig->body, sig->len, hash,
	    p1->keys.prf->len) == 1)
		rc = 0;
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

int
p1_cert_verify(struct ike_p1 *p1, const struct isakmp_msg *m,
    const uint8_t *hash)
{
	const struct isakmp_payload *id = isakmp_msg_find(m, ISAKMP_PT_ID,
	    NULL);
	STACK_OF(X509) *extra = sk_X509_new_null();
	X509 *cert;
	char subject[DN_TEXT_MAX];
	int rc = -1;

	if (extra == NULL)
		return -1;
	if ((cert = peer_cert(m, extra)) == NULL) {
		log_info("IKE: peer %s sent no X.509 certificate",
		    ike_peer_name(p1->peer));
	} else if (chain_ok(p1, cert, extra) == 0) {
		dn_text(X509_get_subject_name(cert), subject, sizeof(subject));
		if (id == NULL || id_matches_cert(&id->u.id, cert) == -1)
			log_info("IKE: peer %s: its ID %s is not the identity "
			    "of its certificate %s", ike_peer_name(p1->peer),
			    p1->remote_id, subject);
		else if (sig_ok(p1, cert, m, hash) == -1)
			log_info("IKE: peer %s: bad signature",
			    ike_peer_name(p1->peer));
		else
			rc = 0;
		if (rc == 0)
			snprintf(p1->remote_id, sizeof(p1->remote_id), "%s",
			    subject);
	}
	X509_free(cert);
	sk_X509_pop_free(extra, X509_free);
	return rc;
}
