/*
 * libpfkey: PF_KEY v2 (RFC 2367 + KAME extensions) for oakleyd.
 *
 * Three parts, one header:
 *   pfkey.c      encode and decode every message and extension into the
 *                OS-independent struct pfkey_msg below, with validation;
 *   pfkey_os.c   the per-OS wire differences (FreeBSD vs Linux), all of
 *                them, in one table ("dialect");
 *   transport.c  "kernel" (socket(PF_KEY)) or "unix:PATH" (pfkeyemud);
 *   chain.c      message buffers and chains (DUMP replies, broadcasts);
 *   print.c      setkey -D / -DP style text.
 *
 * Conventions of struct pfkey_msg: every integer is in host byte order,
 * including the SPI, ports and NAT-T ports (the codec converts them to the
 * network order the wire uses).  Addresses use the host's AF_INET and
 * AF_INET6 values; the dialect maps them to the wire's.  Key material lives
 * in the message; pfkey_msg_clear() wipes it.
 */
#ifndef OAKLEY_PFKEY_H
#define OAKLEY_PFKEY_H

#include <sys/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PFKEY_VERSION		2	/* PF_KEY_V2 */
#define PFKEY_ALIGN		8	/* lengths count 64-bit words */
#define PFKEY_MSG_HDRLEN	16	/* sizeof(struct sadb_msg) */
#define PFKEY_BUFSIZE		65536	/* largest message we send or accept */

/* Message types; numbering shared by RFC 2367, Linux and FreeBSD. */
enum pfkey_msg_type {
	PFKEY_RESERVED = 0,
	PFKEY_GETSPI = 1,
	PFKEY_UPDATE = 2,
	PFKEY_ADD = 3,
	PFKEY_DELETE = 4,
	PFKEY_GET = 5,
	PFKEY_ACQUIRE = 6,
	PFKEY_REGISTER = 7,
	PFKEY_EXPIRE = 8,
	PFKEY_FLUSH = 9,
	PFKEY_DUMP = 10,
	PFKEY_X_PROMISC = 11,
	PFKEY_X_PCHANGE = 12,
	PFKEY_X_SPDUPDATE = 13,
	PFKEY_X_SPDADD = 14,
	PFKEY_X_SPDDELETE = 15,
	PFKEY_X_SPDGET = 16,
	PFKEY_X_SPDACQUIRE = 17,
	PFKEY_X_SPDDUMP = 18,
	PFKEY_X_SPDFLUSH = 19,
	PFKEY_X_SPDSETIDX = 20,
	PFKEY_X_SPDEXPIRE = 21,
	PFKEY_X_SPDDELETE2 = 22,
	PFKEY_MSG_MAX = 22
};

/*
 * Extension identifiers used inside libpfkey.  They equal FreeBSD's wire
 * numbers; the Linux dialect maps 23 (NAT_T_OA) to OAI and has no OAR,
 * NAT_T_FRAG, SA_REPLAY or NEW_ADDRESS (pfkey_os.c).
 */
enum pfkey_ext {
	PFKEY_EXT_SA = 1,
	PFKEY_EXT_LIFETIME_CURRENT = 2,
	PFKEY_EXT_LIFETIME_HARD = 3,
	PFKEY_EXT_LIFETIME_SOFT = 4,
	PFKEY_EXT_ADDRESS_SRC = 5,
	PFKEY_EXT_ADDRESS_DST = 6,
	PFKEY_EXT_ADDRESS_PROXY = 7,
	PFKEY_EXT_KEY_AUTH = 8,
	PFKEY_EXT_KEY_ENCRYPT = 9,
	PFKEY_EXT_IDENTITY_SRC = 10,
	PFKEY_EXT_IDENTITY_DST = 11,
	PFKEY_EXT_SENSITIVITY = 12,
	PFKEY_EXT_PROPOSAL = 13,
	PFKEY_EXT_SUPPORTED_AUTH = 14,
	PFKEY_EXT_SUPPORTED_ENCRYPT = 15,
	PFKEY_EXT_SPIRANGE = 16,
	PFKEY_EXT_X_KMPRIVATE = 17,
	PFKEY_EXT_X_POLICY = 18,
	PFKEY_EXT_X_SA2 = 19,
	PFKEY_EXT_X_NAT_T_TYPE = 20,
	PFKEY_EXT_X_NAT_T_SPORT = 21,
	PFKEY_EXT_X_NAT_T_DPORT = 22,
	PFKEY_EXT_X_NAT_T_OAI = 23,
	PFKEY_EXT_X_NAT_T_OAR = 24,
	PFKEY_EXT_X_NAT_T_FRAG = 25,
	PFKEY_EXT_X_SA_REPLAY = 26,
	PFKEY_EXT_X_NEW_ADDRESS_SRC = 27,
	PFKEY_EXT_X_NEW_ADDRESS_DST = 28,
	PFKEY_EXT_MAX = 28
};
#define PFKEY_HAS(m, ext)	(((m)->present & (1u << (ext))) != 0)
#define PFKEY_SET(m, ext)	((m)->present |= (1u << (ext)))

/* SA types (RFC 2367 numbering, as Linux and FreeBSD use). */
#define PFKEY_SATYPE_UNSPEC	0
#define PFKEY_SATYPE_AH		2
#define PFKEY_SATYPE_ESP	3
#define PFKEY_SATYPE_RSVP	5
#define PFKEY_SATYPE_OSPFV2	6
#define PFKEY_SATYPE_RIPV2	7
#define PFKEY_SATYPE_MIP	8
#define PFKEY_SATYPE_IPCOMP	9
#define PFKEY_SATYPE_MAX	9

/* SA states. */
#define PFKEY_SASTATE_LARVAL	0
#define PFKEY_SASTATE_MATURE	1
#define PFKEY_SASTATE_DYING	2
#define PFKEY_SASTATE_DEAD	3

/* sadb_sa_flags */
#define PFKEY_SAFLAGS_PFS	0x0001

/* Authentication algorithms (PF_KEY numbers, not IKE ones). */
#define PFKEY_AALG_NONE		0
#define PFKEY_AALG_MD5HMAC	2
#define PFKEY_AALG_SHA1HMAC	3
#define PFKEY_AALG_SHA2_256	5
#define PFKEY_AALG_SHA2_384	6
#define PFKEY_AALG_SHA2_512	7
#define PFKEY_AALG_RIPEMD160	8
#define PFKEY_AALG_AES_XCBC	9

/* Encryption algorithms. */
#define PFKEY_EALG_NONE		0
#define PFKEY_EALG_DESCBC	2
#define PFKEY_EALG_3DESCBC	3
#define PFKEY_EALG_CAST128	6
#define PFKEY_EALG_BLOWFISH	7
#define PFKEY_EALG_NULL		11
#define PFKEY_EALG_AESCBC	12
#define PFKEY_EALG_AESCTR	13
#define PFKEY_EALG_AESGCM8	18
#define PFKEY_EALG_AESGCM12	19
#define PFKEY_EALG_AESGCM16	20
#define PFKEY_EALG_CAMELLIA	22

/* IPsec policy values (netipsec/ipsec.h, linux/ipsec.h). */
#define PFKEY_MODE_ANY		0
#define PFKEY_MODE_TRANSPORT	1
#define PFKEY_MODE_TUNNEL	2
#define PFKEY_DIR_ANY		0
#define PFKEY_DIR_INBOUND	1
#define PFKEY_DIR_OUTBOUND	2
#define PFKEY_POLICY_DISCARD	0
#define PFKEY_POLICY_NONE	1
#define PFKEY_POLICY_IPSEC	2
#define PFKEY_POLICY_ENTRUST	3
#define PFKEY_POLICY_BYPASS	4
#define PFKEY_LEVEL_DEFAULT	0
#define PFKEY_LEVEL_USE		1
#define PFKEY_LEVEL_REQUIRE	2
#define PFKEY_LEVEL_UNIQUE	3
#define PFKEY_SCOPE_ANY		0
#define PFKEY_SCOPE_GLOBAL	1
#define PFKEY_SCOPE_IFNET	2
#define PFKEY_ULPROTO_ANY	255
#define PFKEY_PORT_ANY		0
#define PFKEY_REQID_MAX		0x3fff	/* IPSEC_MANUAL_REQID_MAX */
#define PFKEY_NAT_T_ESPINUDP	2	/* UDP_ENCAP_ESPINUDP */

/* Sizes of the fixed buffers inside struct pfkey_msg. */
#define PFKEY_KEY_MAX		128	/* bytes of key material */
#define PFKEY_IDENT_MAX		256	/* identity string, bytes */
#define PFKEY_OPAQUE_MAX	256	/* sensitivity, kmprivate bodies */
#define PFKEY_COMB_MAX		32	/* proposal combinations */
#define PFKEY_ALG_MAX		32	/* supported algorithms per extension */
#define PFKEY_MAXREQ		4	/* ipsecrequests per policy (IPSEC_MAXREQ) */

struct pfkey_error {
	int	code;		/* errno value: EINVAL, EMSGSIZE, ... */
	char	reason[160];	/* human-readable, no secrets */
};

/* One sockaddr, without the OS layout. */
struct pfkey_addr {
	uint8_t		family;		/* AF_INET or AF_INET6 (host values) */
	uint8_t		prefixlen;	/* sadb_address_prefixlen */
	uint8_t		proto;		/* sadb_address_proto */
	uint16_t	port;		/* host order; 0 = any */
	uint32_t	scope_id;	/* IPv6 only */
	uint8_t		addr[16];	/* network order; 4 bytes used for v4 */
};

struct pfkey_sa {
	uint32_t	spi;		/* host order */
	uint8_t		replay;		/* window, packets */
	uint8_t		state;		/* PFKEY_SASTATE_* */
	uint8_t		auth;		/* PFKEY_AALG_* */
	uint8_t		encrypt;	/* PFKEY_EALG_* */
	uint32_t	flags;
};

struct pfkey_lifetime {
	uint32_t	allocations;
	uint64_t	bytes;
	uint64_t	addtime;	/* seconds; wall time in CURRENT */
	uint64_t	usetime;
};

struct pfkey_key {
	uint16_t	bits;
	uint8_t		data[PFKEY_KEY_MAX];
};

struct pfkey_ident {
	uint16_t	type;
	uint64_t	id;
	uint16_t	len;		/* bytes used in data (NUL not counted) */
	char		data[PFKEY_IDENT_MAX];
};

struct pfkey_opaque {
	uint16_t	len;		/* bytes of body after the 4-byte ext hdr */
	uint8_t		data[PFKEY_OPAQUE_MAX];
};

struct pfkey_comb {
	uint8_t		auth, encrypt;
	uint16_t	flags;
	uint16_t	auth_minbits, auth_maxbits;
	uint16_t	encrypt_minbits, encrypt_maxbits;
	uint32_t	soft_allocations, hard_allocations;
	uint64_t	soft_bytes, hard_bytes;
	uint64_t	soft_addtime, hard_addtime;
	uint64_t	soft_usetime, hard_usetime;
};

struct pfkey_proposal {
	uint8_t		replay;
	unsigned	ncomb;
	struct pfkey_comb comb[PFKEY_COMB_MAX];
};

struct pfkey_alg {
	uint8_t		id;
	uint8_t		ivlen;
	uint16_t	minbits, maxbits;
};

struct pfkey_supported {
	unsigned	count;
	struct pfkey_alg alg[PFKEY_ALG_MAX];
};

struct pfkey_spirange {
	uint32_t	min, max;	/* host order */
};

struct pfkey_ipsecrequest {
	uint16_t	proto;		/* IPPROTO_ESP, IPPROTO_AH, IPPROTO_IPCOMP */
	uint8_t		mode;		/* PFKEY_MODE_* */
	uint8_t		level;		/* PFKEY_LEVEL_* */
	uint32_t	reqid;		/* FreeBSD carries 16 bits */
	bool		has_endpoints;	/* tunnel endpoints follow */
	struct pfkey_addr src, dst;
};

struct pfkey_policy {
	uint16_t	type;		/* PFKEY_POLICY_* */
	uint8_t		dir;		/* PFKEY_DIR_* */
	uint8_t		scope;		/* FreeBSD; 0 on Linux */
	uint32_t	id;
	uint32_t	priority;
	unsigned	nreq;
	struct pfkey_ipsecrequest req[PFKEY_MAXREQ];
};

struct pfkey_sa2 {
	uint8_t		mode;
	uint32_t	sequence;
	uint32_t	reqid;
};

/* A decoded (or to-be-encoded) message. */
struct pfkey_msg {
	uint8_t		version;	/* PFKEY_VERSION */
	uint8_t		type;		/* enum pfkey_msg_type */
	uint8_t		errnum;		/* sadb_msg_errno */
	uint8_t		satype;
	uint32_t	seq;
	uint32_t	pid;
	uint16_t	reserved;	/* sadb_msg_reserved (PROMISC: wrapped) */
	uint32_t	present;	/* 1u << enum pfkey_ext for each present */

	struct pfkey_sa		sa;
	struct pfkey_lifetime	life_current, life_hard, life_soft;
	struct pfkey_addr	addr_src, addr_dst, addr_proxy;
	struct pfkey_key	key_auth, key_encrypt;
	struct pfkey_ident	ident_src, ident_dst;
	struct pfkey_opaque	sensitivity;
	struct pfkey_proposal	proposal;
	struct pfkey_supported	supported_auth, supported_encrypt;
	struct pfkey_spirange	spirange;
	struct pfkey_opaque	kmprivate;
	struct pfkey_policy	policy;
	struct pfkey_sa2	sa2;
	uint8_t			natt_type;
	uint16_t		natt_sport, natt_dport;	/* host order */
	struct pfkey_addr	natt_oai, natt_oar;
	uint16_t		natt_frag;
	uint32_t		sa_replay;		/* packets */
	struct pfkey_addr	new_addr_src, new_addr_dst;

	/* X_PROMISC from the kernel: the copied message follows the header. */
	uint16_t		inner_len;
	uint8_t			*inner;		/* points into the decoded buffer */
};

/* Which way a message travels: it decides the required extensions. */
enum pfkey_direction {
	PFKEY_TO_KERNEL,
	PFKEY_FROM_KERNEL
};

/* The per-OS wire layout (pfkey_os.c). */
struct pfkey_dialect;
extern const struct pfkey_dialect pfkey_dialect_freebsd;
extern const struct pfkey_dialect pfkey_dialect_linux;
const struct pfkey_dialect *pfkey_dialect_native(void);
const struct pfkey_dialect *pfkey_dialect_by_name(const char *name);
const char *pfkey_dialect_name(const struct pfkey_dialect *);

/* pfkey.c: codec */
void	pfkey_msg_init(struct pfkey_msg *, uint8_t type, uint8_t satype,
	    uint32_t seq, uint32_t pid);
void	pfkey_msg_clear(struct pfkey_msg *);	/* wipes keys, zeroes all */
int	pfkey_msg_encode(const struct pfkey_msg *, const struct pfkey_dialect *,
	    uint8_t *buf, size_t bufsize, size_t *lenp, struct pfkey_error *);
int	pfkey_msg_decode(const uint8_t *buf, size_t len,
	    const struct pfkey_dialect *, enum pfkey_direction,
	    struct pfkey_msg *, struct pfkey_error *);
/* The extensions m's type requires and allows in that direction. */
int	pfkey_msg_check_required(const struct pfkey_msg *,
	    enum pfkey_direction, struct pfkey_error *);
/* Reply header only, errno set: what a kernel sends back on failure. */
void	pfkey_msg_error_reply(const struct pfkey_msg *req, int errnum,
	    struct pfkey_msg *reply);
void	pfkey_addr_set(struct pfkey_addr *, int family, const void *addr,
	    uint16_t port, uint8_t prefixlen, uint8_t proto);
int	pfkey_addr_parse(struct pfkey_addr *, const char *text);
int	pfkey_addr_cmp(const struct pfkey_addr *, const struct pfkey_addr *);
size_t	pfkey_addr_bits(const struct pfkey_addr *);	/* 32 or 128 */
const char *pfkey_addr_ntop(const struct pfkey_addr *, char *, size_t);

/* Names <-> numbers (setkey spelling). */
const char *pfkey_msg_type_name(unsigned type);
const char *pfkey_satype_name(unsigned satype);
int	pfkey_satype_by_name(const char *);		/* -1 if unknown */
const char *pfkey_ealg_name(unsigned alg);
int	pfkey_ealg_by_name(const char *);
const char *pfkey_aalg_name(unsigned alg);
int	pfkey_aalg_by_name(const char *);
const char *pfkey_state_name(unsigned state);
/* libpfkey's name of an extension (enum pfkey_ext): "address_src"... */
const char *pfkey_ext_name(unsigned ext);

/* chain.c: message buffers; a chain is freed whole, its tail included. */
struct pfkey_buf {
	struct pfkey_buf *next;
	size_t		len;
	uint8_t		data[];
};
struct pfkey_queue {
	struct pfkey_buf *head, *tail;
	size_t		count;
};
struct pfkey_buf *pfkey_buf_new(const void *data, size_t len);
void	pfkey_chain_free(struct pfkey_buf *head);
size_t	pfkey_chain_length(const struct pfkey_buf *head);
void	pfkey_queue_init(struct pfkey_queue *);
void	pfkey_queue_push(struct pfkey_queue *, struct pfkey_buf *);
struct pfkey_buf *pfkey_queue_pop(struct pfkey_queue *);
void	pfkey_queue_clear(struct pfkey_queue *);

/* transport.c */
#define PFKEY_TIMEOUT_MS	5000	/* default reply timeout */
struct pfkey_session;
/* spec: "kernel" or "unix:PATH".  unix: speaks the FreeBSD dialect. */
struct pfkey_session *pfkey_open(const char *spec, struct pfkey_error *);
void	pfkey_close(struct pfkey_session *);
int	pfkey_fd(const struct pfkey_session *);
const struct pfkey_dialect *pfkey_session_dialect(const struct pfkey_session *);
uint32_t pfkey_session_pid(const struct pfkey_session *);
uint32_t pfkey_next_seq(struct pfkey_session *);
int	pfkey_send(struct pfkey_session *, const struct pfkey_msg *,
	    struct pfkey_error *);
int	pfkey_send_raw(struct pfkey_session *, const void *, size_t,
	    struct pfkey_error *);
/* One message: the oldest queued one first, else from the socket. */
int	pfkey_recv(struct pfkey_session *, struct pfkey_buf **,
	    int timeout_ms, struct pfkey_error *);
/*
 * Send req (seq and pid filled in when 0) and wait for the reply of the
 * same type, seq and pid; anything else that arrives meanwhile is queued.
 * Returns 0, ETIMEDOUT, the reply's sadb_msg_errno, or a local errno.
 */
int	pfkey_request(struct pfkey_session *, struct pfkey_msg *req,
	    struct pfkey_msg *reply, int timeout_ms, struct pfkey_error *);
/* DUMP or X_SPDDUMP: every reply up to seq 0, as a chain (NULL if none). */
int	pfkey_dump(struct pfkey_session *, uint8_t type, uint8_t satype,
	    struct pfkey_buf **chain, int timeout_ms, struct pfkey_error *);
struct pfkey_buf *pfkey_queued(struct pfkey_session *);
size_t	pfkey_queued_count(const struct pfkey_session *);

/* print.c: setkey -D / -DP style, "now" for the current: line. */
void	pfkey_print_sa(FILE *, const struct pfkey_msg *, time_t now);
void	pfkey_print_policy(FILE *, const struct pfkey_msg *, time_t now);
/* -P monitor: a header line naming type, errno, satype, seq, pid, then
 * the SA or policy body when the message carries one. */
void	pfkey_print_msg(FILE *, const struct pfkey_msg *, time_t now);

#endif /* OAKLEY_PFKEY_H */
