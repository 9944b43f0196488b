/*
 * common/enrich/radius.c -- RADIUS Accounting-Request parsing,
 * authenticators and the session event of a request (radius.h).
 */
#include "common/base/compat.h"

#include <string.h>

#ifdef HAVE_NETTLE
#include <nettle/md5.h>
#endif

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/enrich/radius.h"

/* Read an RFC 3162 prefix value: Reserved(1) Length(1) Prefix(0..16). */
static int
read_v6prefix(struct rbuf *v, struct nf_prefix *p)
{
	uint8_t b[16] = { 0 };
	size_t n = rbuf_remaining(v);
	unsigned len;

	if (n < 2 || n > 18)
		return NFE_FORMAT;
	(void)rbuf_u8(v);		/* reserved; RFC 3162 says ignore */
	len = rbuf_u8(v);
	if (len > 128 || (n - 2) * 8 < len)
		return NFE_FORMAT;
	rbuf_bytes(v, b, n - 2);
	addr_from_v6(&p->addr, b);
	addr_mask(&p->addr, len);	/* bits past the length must be zero */
	p->len = (uint8_t)len;
	if (addr_is_v4(&p->addr) && len >= 96)
		return NFE_FORMAT;	/* a v4-mapped range is no IPv6 prefix */
	return NFE_OK;
}

static bool
fixed(const struct rbuf *v, size_t n)
{
	return rbuf_remaining(v) == n;
}

static int
attribute(struct radius_acct *a, uint8_t type, struct rbuf *v)
{
	uint8_t b[16];
	size_t n = rbuf_remaining(v);

	switch (type) {
	case RADIUS_USER_NAME:
		a->user = rbuf_ptr(v);
		a->user_len = n;
		if (n > 0 && a->user[n - 1] == '\0')
			a->user_len--;	/* some NASes end text with a NUL */
		break;
	case RADIUS_ACCT_SESSION_ID:
		a->sid = rbuf_ptr(v);
		a->sid_len = n;
		break;
	case RADIUS_NAS_IP_ADDRESS:
	case RADIUS_FRAMED_IP_ADDRESS:
		if (!fixed(v, 4))
			return NFE_FORMAT;
		rbuf_bytes(v, b, 4);
		addr_from_v4_bytes(type == RADIUS_NAS_IP_ADDRESS ? &a->nas_ip :
		    &a->framed_ip, b);
		if (type == RADIUS_NAS_IP_ADDRESS)
			a->has_nas_ip = true;
		else
			a->has_framed_ip = true;
		break;
	case RADIUS_NAS_IPV6_ADDRESS:
	case RADIUS_FRAMED_IPV6_ADDRESS:
		if (!fixed(v, 16))
			return NFE_FORMAT;
		rbuf_bytes(v, b, 16);
		if (type == RADIUS_FRAMED_IPV6_ADDRESS) {
			addr_from_v6(&a->framed_v6, b);
			a->has_framed_v6 = true;
		} else if (!a->has_nas_ip) {
			addr_from_v6(&a->nas_ip, b);
			a->has_nas_ip = true;
		}
		break;
	case RADIUS_FRAMED_INTERFACE_ID:
		if (!fixed(v, 8))
			return NFE_FORMAT;
		rbuf_bytes(v, a->ifid, 8);
		a->has_ifid = true;
		break;
	case RADIUS_FRAMED_IPV6_PREFIX:
		if (read_v6prefix(v, &a->framed_pfx) != NFE_OK)
			return NFE_FORMAT;
		a->has_framed_pfx = true;
		break;
	case RADIUS_DELEGATED_IPV6_PREFIX:
		if (read_v6prefix(v, &a->delegated) != NFE_OK)
			return NFE_FORMAT;
		a->has_delegated = true;
		break;
	case RADIUS_ACCT_STATUS_TYPE:
	case RADIUS_ACCT_DELAY_TIME:
	case RADIUS_ACCT_SESSION_TIME:
	case RADIUS_EVENT_TIMESTAMP:
	case RADIUS_ACCT_INTERIM_INTERVAL: {
		uint32_t x;

		if (!fixed(v, 4))
			return NFE_FORMAT;
		x = rbuf_be32(v);
		if (type == RADIUS_ACCT_STATUS_TYPE)
			a->status = x;
		else if (type == RADIUS_ACCT_DELAY_TIME)
			a->delay = x;
		else if (type == RADIUS_ACCT_SESSION_TIME) {
			a->session_time = x;
			a->has_session_time = true;
		} else if (type == RADIUS_EVENT_TIMESTAMP) {
			a->event_ts = x;
			a->has_event_ts = true;
		} else
			a->interim = x;
		break;
	}
	case RADIUS_MESSAGE_AUTHENTICATOR:
		/* RFC 3579 3.2: 16 bytes.  The Request Authenticator already
		   covers every byte of an Accounting-Request. */
		if (!fixed(v, 16))
			return NFE_FORMAT;
		break;
	default:
		a->unknown++;
		break;
	}
	return NFE_OK;
}

int
radius_parse(const uint8_t *pkt, size_t len, struct radius_acct *a)
{
	struct rbuf r, attrs;

	memset(a, 0, sizeof(*a));
	rbuf_init(&r, pkt, len);
	a->code = rbuf_u8(&r);
	a->id = rbuf_u8(&r);
	a->length = rbuf_be16(&r);
	rbuf_bytes(&r, a->auth, RADIUS_AUTH_LEN);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (a->length < RADIUS_HDR_LEN || a->length > RADIUS_MAX_LEN)
		return NFE_FORMAT;
	if (a->length > len)
		return NFE_TRUNC;	/* RFC 2865 3: shorter than Length: drop */
	if (a->code != RADIUS_ACCT_REQUEST)
		return NFE_UNSUPP;
	rbuf_sub(&r, a->length - RADIUS_HDR_LEN, &attrs);
	while (rbuf_remaining(&attrs) > 0) {
		struct rbuf v;
		uint8_t type, alen;
		int rc;

		type = rbuf_u8(&attrs);
		alen = rbuf_u8(&attrs);
		if (!rbuf_ok(&attrs) || alen < 2)
			return NFE_FORMAT;
		if (!rbuf_sub(&attrs, alen - 2u, &v))
			return NFE_FORMAT;	/* runs past Length */
		a->nattrs++;
		if ((rc = attribute(a, type, &v)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

#ifdef HAVE_NETTLE
/* MD5(pkt[0..4) auth pkt[20..length) secret) into out. */
static void
authenticator(const uint8_t *pkt, size_t length, const uint8_t *auth,
    const uint8_t *secret, size_t slen, uint8_t out[RADIUS_AUTH_LEN])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 4, pkt);
	md5_update(&ctx, RADIUS_AUTH_LEN, auth);
	md5_update(&ctx, length - RADIUS_HDR_LEN, pkt + RADIUS_HDR_LEN);
	md5_update(&ctx, slen, secret);
	md5_digest(&ctx, RADIUS_AUTH_LEN, out);
}

/* Compare without an early exit, so timing does not tell how much matched. */
static bool
same16(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;

	for (int i = 0; i < RADIUS_AUTH_LEN; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}
#endif

int
radius_verify(const uint8_t *pkt, const struct radius_acct *a,
    const uint8_t *secret, size_t slen)
{
#ifdef HAVE_NETTLE
	static const uint8_t zero[RADIUS_AUTH_LEN];
	uint8_t want[RADIUS_AUTH_LEN];

	authenticator(pkt, a->length, zero, secret, slen, want);
	return same16(want, a->auth) ? NFE_OK : NFE_FORMAT;
#else
	(void)pkt;
	(void)a;
	(void)secret;
	(void)slen;
	return NFE_UNSUPP;
#endif
}

int
radius_response(const struct radius_acct *a, const uint8_t *secret,
    size_t slen, uint8_t *buf, size_t cap, size_t *len)
{
#ifdef HAVE_NETTLE
	*len = 0;
	if (cap < RADIUS_HDR_LEN)
		return NFE_LIMIT;
	buf[0] = RADIUS_ACCT_RESPONSE;
	buf[1] = a->id;
	buf[2] = 0;
	buf[3] = RADIUS_HDR_LEN;
	authenticator(buf, RADIUS_HDR_LEN, a->auth, secret, slen, buf + 4);
	*len = RADIUS_HDR_LEN;
	return NFE_OK;
#else
	(void)a;
	(void)secret;
	(void)slen;
	(void)buf;
	(void)cap;
	*len = 0;
	return NFE_UNSUPP;
#endif
}

void
radius_req_init(struct radius_req *q, uint8_t *buf, size_t cap, uint8_t code,
    uint8_t id)
{
	q->buf = buf;
	q->cap = cap;
	q->len = RADIUS_HDR_LEN;
	q->bad = cap < RADIUS_HDR_LEN;
	if (!q->bad) {
		memset(buf, 0, RADIUS_HDR_LEN);
		buf[0] = code;
		buf[1] = id;
	}
}

void
radius_req_attr(struct radius_req *q, uint8_t type, const void *val, size_t len)
{
	if (q->bad || len > 253 || q->cap - q->len < len + 2 ||
	    q->len + len + 2 > RADIUS_MAX_LEN) {
		q->bad = true;
		return;
	}
	q->buf[q->len] = type;
	q->buf[q->len + 1] = (uint8_t)(len + 2);
	if (len > 0)
		memcpy(q->buf + q->len + 2, val, len);
	q->len += len + 2;
}

void
radius_req_u32(struct radius_req *q, uint8_t type, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	radius_req_attr(q, type, b, 4);
}

int
radius_req_sign(struct radius_req *q, const uint8_t *secret, size_t slen,
    size_t *len)
{
	*len = 0;
	if (q->bad)
		return NFE_LIMIT;
	q->buf[2] = (uint8_t)(q->len >> 8);
	q->buf[3] = (uint8_t)q->len;
#ifdef HAVE_NETTLE
	{
		static const uint8_t zero[RADIUS_AUTH_LEN];

		authenticator(q->buf, q->len, zero, secret, slen, q->buf + 4);
	}
#else
	(void)secret;
	(void)slen;
#endif
	*len = q->len;
	return NFE_OK;
}

static void
add_pfx(struct sessdb_event *ev, const struct nf_addr *a, unsigned len)
{
	if (ev->npfx == SESSDB_MAX_PFX)
		return;
	ev->pfx[ev->npfx].addr = *a;
	addr_mask(&ev->pfx[ev->npfx].addr, len);
	ev->pfx[ev->npfx].len = (uint8_t)len;
	ev->npfx++;
}

int
radius_acct_event(const struct radius_acct *a, uint64_t arrival_ms,
    const struct nf_addr *src, struct sessdb_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (a->status) {
	case RADIUS_STATUS_START:
		ev->kind = SESSDB_START;
		break;
	case RADIUS_STATUS_STOP:
		ev->kind = SESSDB_STOP;
		break;
	case RADIUS_STATUS_INTERIM:
		ev->kind = SESSDB_INTERIM;
		break;
	case RADIUS_STATUS_ON:
		ev->kind = SESSDB_NAS_ON;
		break;
	case RADIUS_STATUS_OFF:
		ev->kind = SESSDB_NAS_OFF;
		break;
	default:
		return NFE_UNSUPP;
	}
	if (a->has_event_ts)
		ev->time_ms = (uint64_t)a->event_ts * 1000;
	else {
		uint64_t d = (uint64_t)a->delay * 1000;

		ev->time_ms = arrival_ms > d ? arrival_ms - d : 0;
	}
	ev->nas = a->has_nas_ip ? a->nas_ip : *src;
	if (a->sid_len > 0)
		ev->sid = sessdb_sid(&ev->nas, a->sid, a->sid_len);
	if (a->has_session_time && ev->kind != SESSDB_START) {
		uint64_t st = (uint64_t)a->session_time * 1000;

		ev->start_ms = ev->time_ms > st ? ev->time_ms - st : 1;
	}
	if (a->interim > 0)
		ev->timeout_s = a->interim > (UINT32_MAX - 60) / 3 ? UINT32_MAX :
		    3 * a->interim + 60;
	if (a->has_framed_ip) {
		uint32_t v4 = addr_v4(&a->framed_ip);

		/* RFC 2865 5.8: 255.255.255.255/254 ask the NAS or user to pick */
		if (v4 != 0 && v4 != 0xffffffffu && v4 != 0xfffffffeu)
			add_pfx(ev, &a->framed_ip, 32);
	}
	if (a->has_framed_pfx)
		add_pfx(ev, &a->framed_pfx.addr, a->framed_pfx.len);
	if (a->has_delegated)
		add_pfx(ev, &a->delegated.addr, a->delegated.len);
	if (a->has_framed_v6)
		add_pfx(ev, &a->framed_v6, 128);
	else if (a->has_ifid && a->has_framed_pfx && a->framed_pfx.len <= 64) {
		struct nf_addr host = a->framed_pfx.addr;

		memcpy(host.a + 8, a->ifid, 8);
		add_pfx(ev, &host, 128);
	}
	ev->user = (const char *)a->user;
	ev->user_len = a->user_len;
	return NFE_OK;
}
