/*
 * common/enrich/radius.h -- RADIUS accounting packets (RFC 2866, with
 * the attributes of RFC 2865, 2869, 3162, 4818 and 6911) and their
 * meaning for the session store.
 *
 *   0      1      2             4                          20
 *   +------+------+-------------+--------------------------+-----------
 *   | Code |  Id  | Length (BE) | Authenticator (16)       | Attributes
 *   +------+------+-------------+--------------------------+-----------
 *   Attribute: Type(1) Length(1, with these two) Value(Length - 2)
 *
 * radius_parse() reads an Accounting-Request through an rbuf and keeps
 * what flowkit uses; every attribute it knows must have a valid length
 * (NFE_FORMAT otherwise); others are counted and skipped.  Bytes past
 * Length are padding.  radius_verify() checks the Request Authenticator
 * (RFC 2866 3: MD5(Code Id Length 16*0 Attributes Secret)), and
 * radius_response() builds the Accounting-Response (MD5(Code Id Length
 * RequestAuth Attributes Secret)); both need nettle (configure) and
 * return NFE_UNSUPP without it.  radius_acct_event() turns a request
 * into a session store event (flowkit-sessions(5), "RADIUS").
 *
 * Nothing here logs, allocates or keeps a pointer into a packet past
 * the life of the struct radius_acct the caller owns.
 */
#ifndef COMMON_ENRICH_RADIUS_H
#define COMMON_ENRICH_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/enrich/sessdb.h"

#define RADIUS_HDR_LEN		20
#define RADIUS_MAX_LEN		4096	/* RFC 2865 3 */
#define RADIUS_AUTH_LEN		16
#define RADIUS_MAX_SECRET	256

#define RADIUS_ACCT_REQUEST	4	/* RFC 2866 3 */
#define RADIUS_ACCT_RESPONSE	5

/* Attribute types used (RFC 2865 5, 2866 5, 2869 5, 3162 2, 4818 3, 6911 3) */
#define RADIUS_USER_NAME		1
#define RADIUS_NAS_IP_ADDRESS		4
#define RADIUS_FRAMED_IP_ADDRESS	8
#define RADIUS_NAS_IDENTIFIER		32
#define RADIUS_ACCT_STATUS_TYPE		40
#define RADIUS_ACCT_DELAY_TIME		41
#define RADIUS_ACCT_SESSION_ID		44
#define RADIUS_ACCT_SESSION_TIME	46
#define RADIUS_EVENT_TIMESTAMP		55
#define RADIUS_MESSAGE_AUTHENTICATOR	80
#define RADIUS_ACCT_INTERIM_INTERVAL	85
#define RADIUS_NAS_IPV6_ADDRESS		95
#define RADIUS_FRAMED_INTERFACE_ID	96
#define RADIUS_FRAMED_IPV6_PREFIX	97
#define RADIUS_DELEGATED_IPV6_PREFIX	123
#define RADIUS_FRAMED_IPV6_ADDRESS	168

/* Acct-Status-Type values (RFC 2866 5.1) */
#define RADIUS_STATUS_START		1
#define RADIUS_STATUS_STOP		2
#define RADIUS_STATUS_INTERIM		3
#define RADIUS_STATUS_ON		7
#define RADIUS_STATUS_OFF		8

/* What flowkit uses of one Accounting-Request. */
struct radius_acct {
	uint8_t		 code, id;
	uint16_t	 length;		/* the Length field */
	uint8_t		 auth[RADIUS_AUTH_LEN];	/* Request Authenticator */
	uint32_t	 status;		/* 0: absent */
	const uint8_t	*user;			/* borrowed from the packet */
	size_t		 user_len;
	const uint8_t	*sid;			/* Acct-Session-Id, borrowed */
	size_t		 sid_len;
	bool		 has_nas_ip, has_framed_ip, has_framed_pfx;
	bool		 has_delegated, has_ifid, has_framed_v6;
	bool		 has_event_ts, has_session_time;
	struct nf_addr	 nas_ip;		/* NAS-IP(v6)-Address */
	struct nf_addr	 framed_ip;
	struct nf_prefix framed_pfx;		/* Framed-IPv6-Prefix */
	struct nf_prefix delegated;		/* Delegated-IPv6-Prefix */
	uint8_t		 ifid[8];		/* Framed-Interface-Id */
	struct nf_addr	 framed_v6;		/* Framed-IPv6-Address */
	uint32_t	 event_ts;		/* Event-Timestamp, Unix seconds */
	uint32_t	 delay;			/* Acct-Delay-Time, seconds */
	uint32_t	 session_time;		/* Acct-Session-Time, seconds */
	uint32_t	 interim;		/* Acct-Interim-Interval, seconds */
	unsigned	 nattrs, unknown;	/* attributes seen, not used */
};

/*
 * Parse an Accounting-Request of len bytes.  Returns NFE_OK, NFE_TRUNC
 * (shorter than its header or its Length), NFE_FORMAT (Length out of
 * 20..4096, an attribute running past Length or shorter than 2, or a
 * known attribute of the wrong size or value) or NFE_UNSUPP (another
 * Code; RFC 2866 says to drop it silently).  Pointers in *a point into
 * pkt.
 */
int	radius_parse(const uint8_t *pkt, size_t len, struct radius_acct *a);

/*
 * Does the Request Authenticator of pkt (at least Length bytes, parsed
 * into a) match secret?  NFE_OK, NFE_FORMAT (it does not) or NFE_UNSUPP
 * (built without nettle).
 */
int	radius_verify(const uint8_t *pkt, const struct radius_acct *a,
	    const uint8_t *secret, size_t slen);

/*
 * Build the Accounting-Response to a (20 bytes, no attributes) into buf.
 * NFE_OK, NFE_LIMIT (cap < 20) or NFE_UNSUPP.
 */
int	radius_response(const struct radius_acct *a, const uint8_t *secret,
	    size_t slen, uint8_t *buf, size_t cap, size_t *len);

/*
 * Building requests (tests, benchmarks, the fuzz corpus):
 * radius_req_init() writes the header, radius_req_attr() appends an
 * attribute, radius_req_sign() sets Length and the Request
 * Authenticator.  The build fails (NFE_LIMIT) if it does not fit.
 */
struct radius_req {
	uint8_t		*buf;		/* borrowed */
	size_t		 cap, len;
	bool		 bad;
};
void	radius_req_init(struct radius_req *q, uint8_t *buf, size_t cap,
	    uint8_t code, uint8_t id);
void	radius_req_attr(struct radius_req *q, uint8_t type, const void *val,
	    size_t len);
void	radius_req_u32(struct radius_req *q, uint8_t type, uint32_t v);
int	radius_req_sign(struct radius_req *q, const uint8_t *secret, size_t slen,
	    size_t *len);

/*
 * The session event of a request that arrived at arrival_ms from src.
 * The event time is Event-Timestamp, else arrival - Acct-Delay-Time; the
 * NAS is NAS-IP-Address (or NAS-IPv6-Address), else src; the session id
 * is (NAS, Acct-Session-Id); the prefixes are Framed-IP-Address (unless
 * 0.0.0.0 or 255.255.255.254/255), Framed-IPv6-Prefix, Delegated-IPv6-
 * Prefix, Framed-IPv6-Address, and Framed-IPv6-Prefix + Framed-
 * Interface-Id as a /128; Acct-Session-Time gives the start of an
 * Interim or Stop; a session that announced Acct-Interim-Interval I ends
 * 3 I + 60 s after its last news if no Stop comes.  ev->user points into
 * the packet.  Returns NFE_OK or NFE_UNSUPP (no or another Acct-Status-
 * Type: nothing to apply).
 */
int	radius_acct_event(const struct radius_acct *a, uint64_t arrival_ms,
	    const struct nf_addr *src, struct sessdb_event *ev);

#endif /* COMMON_ENRICH_RADIUS_H */
