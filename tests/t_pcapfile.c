/*
 * tests/t_pcapfile.c -- probe/pcapfile against libpcap as the judge:
 * the same files, written here in every variant the reader takes (both
 * byte orders, micro- and nanosecond times, snapshot lengths that cut
 * records, records larger than the read buffer, times past 2038), must
 * give the same packets (time, lengths, bytes) and, for files cut at
 * every length and for impossible record lengths, the same error text
 * at the same packet.  Also: what the reader leaves to libpcap (pcapng,
 * other magics and versions, link types flowprobe does not decode,
 * cooked captures in the other byte order).
 */
#include "common/base/compat.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "probe/pcapfile.h"
#include "tap.h"

#define MAXPKTS		4096

struct rec {
	uint32_t	sec, frac;	/* as stored */
	uint32_t	caplen, wirelen;
};

/* What a reader saw: packets, then the end (EOF or an error text). */
struct seen {
	size_t		n;
	uint64_t	ts[MAXPKTS];
	uint32_t	caplen[MAXPKTS], wirelen[MAXPKTS];
	uint32_t	sum[MAXPKTS];	/* over the bytes */
	bool		eof;
	char		err[PCAP_ERRBUF_SIZE + 64];
};

static char path[512];
static uint8_t *file;
static size_t flen, fcap;
static struct seen want, got;

static void
put(const void *p, size_t n)
{
	if (flen + n > fcap) {
		fcap = (flen + n) * 2;
		if ((file = realloc(file, fcap)) == NULL)
			abort();
	}
	memcpy(file + flen, p, n);
	flen += n;
}

static void
put32(uint32_t v, bool be)
{
	uint8_t b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	put(b, 4);
}

static void
put16(uint16_t v, bool be)
{
	uint8_t b[2] = { (uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8) };

	put(b, 2);
}

static void
file_header(uint32_t magic, bool be, uint16_t major, uint16_t minor,
    uint32_t snaplen, uint32_t lt)
{
	flen = 0;
	put32(magic, be);
	put16(major, be);
	put16(minor, be);
	put32(0, be);
	put32(0, be);
	put32(snaplen, be);
	put32(lt, be);
}

/* Record i's bytes: an Ethernet-ish pattern derived from i. */
static void
record(const struct rec *r, bool be, unsigned i)
{
	uint8_t b[256];

	put32(r->sec, be);
	put32(r->frac, be);
	put32(r->caplen, be);
	put32(r->wirelen, be);
	/* impossible lengths: both readers stop at the header */
	for (uint32_t done = 0; done < r->caplen && done < 1000000; ) {
		uint32_t k = r->caplen - done < sizeof(b) ?
		    r->caplen - done : (uint32_t)sizeof(b);

		for (uint32_t j = 0; j < k; j++)
			b[j] = (uint8_t)(i * 31 + (done + j) * 7);
		put(b, k);
		done += k;
	}
}

static void
write_file(size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1 || write(fd, file, len) != (ssize_t)len || close(fd))
		abort();
}

static uint32_t
sum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s = s * 33 + p[i];
	return s;
}

static void
see(struct seen *s, uint64_t ts, const uint8_t *p, uint32_t caplen,
    uint32_t wirelen)
{
	if (s->n == MAXPKTS)
		abort();
	s->ts[s->n] = ts;
	s->caplen[s->n] = caplen;
	s->wirelen[s->n] = wirelen;
	s->sum[s->n] = sum(p, caplen);
	s->n++;
}

/* The judge: libpcap, the way capture.c calls it; false if it refuses. */
static bool
read_libpcap(struct seen *s, int *dlt, int *snap)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((p = pcap_open_offline(path, eb)) == NULL) {
		snprintf(s->err, sizeof(s->err), "open: %s", eb);
		return false;
	}
	*dlt = pcap_datalink(p);
	*snap = pcap_snapshot(p);
	while ((rc = pcap_next_ex(p, &h, &d)) == 1)
		see(s, (uint64_t)h->ts.tv_sec * 1000000 +
		    (uint64_t)h->ts.tv_usec, d, h->caplen, h->len);
	if (rc == PCAP_ERROR_BREAK)
		s->eof = true;
	else
		snprintf(s->err, sizeof(s->err), "%s", pcap_geterr(p));
	pcap_close(p);
	return true;
}

/* Ours, given what libpcap made of the file header. */
static int
read_ours(struct seen *s, int dlt, int snap)
{
	uint8_t hdr[PCAPFILE_HDRLEN];
	struct pcapfile *pf;
	struct pcapfile_pkt pk;
	bool be, nano;
	int fd, rc;

	memset(s, 0, sizeof(*s));
	if ((fd = open(path, O_RDONLY)) == -1)
		abort();
	if (read(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
	    !pcapfile_supported(hdr, dlt, &be, &nano)) {
		close(fd);
		return NFE_UNSUPP;
	}
	if (pcapfile_open(fd, be, nano, (uint32_t)snap, &pf) != NFE_OK)
		abort();
	while ((rc = pcapfile_next(pf, &pk, s->err, sizeof(s->err))) ==
	    NFE_OK)
		see(s, pk.ts_us, pk.data, pk.caplen, pk.wirelen);
	s->eof = rc == NFE_EOF;
	pcapfile_free(pf);
	close(fd);
	return rc;
}

static bool
same(const char *what)
{
	size_t n = want.n < got.n ? want.n : got.n;

	for (size_t i = 0; i < n; i++)
		if (want.ts[i] != got.ts[i] || want.caplen[i] !=
		    got.caplen[i] || want.wirelen[i] != got.wirelen[i] ||
		    want.sum[i] != got.sum[i]) {
			tap_diag("%s: packet %zu: libpcap ts %llu caplen %u len "
			    "%u, ours ts %llu caplen %u len %u", what, i,
			    (unsigned long long)want.ts[i], want.caplen[i],
			    want.wirelen[i], (unsigned long long)got.ts[i],
			    got.caplen[i], got.wirelen[i]);
			return false;
		}
	if (want.n != got.n || want.eof != got.eof ||
	    (!want.eof && strcmp(want.err, got.err) != 0)) {
		tap_diag("%s: libpcap %zu packets, %s; ours %zu, %s", what,
		    want.n, want.eof ? "EOF" : want.err, got.n,
		    got.eof ? "EOF" : got.err);
		return false;
	}
	return true;
}

/* Write the first len bytes, read both ways, compare. */
static bool
judge(size_t len, const char *what)
{
	int dlt, snap, rc;

	write_file(len);
	if (!read_libpcap(&want, &dlt, &snap)) {
		tap_diag("%s: libpcap refuses: %s", what, want.err);
		return false;
	}
	if ((rc = read_ours(&got, dlt, snap)) == NFE_UNSUPP) {
		tap_diag("%s: our reader refuses the file", what);
		return false;
	}
	return same(what);
}

static uint64_t rng_state = 12345;

static uint32_t
rnd(void)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(rng_state >> 33);
}

/* n records with lengths from lens (cycled), times from t0. */
static void
records(struct rec *rs, size_t n, const uint32_t *lens, size_t nlens,
    uint32_t sec0, bool nano)
{
	for (size_t i = 0; i < n; i++) {
		rs[i].sec = sec0 + (uint32_t)i;
		rs[i].frac = nano ? (uint32_t)(i * 7919 % 1000000000u) :
		    (uint32_t)(i * 7919 % 1000000u);
		rs[i].caplen = lens[i % nlens];
		rs[i].wirelen = lens[i % nlens] + (uint32_t)(i % 3) * 100;
	}
}

static void
build(const struct rec *rs, size_t n, bool be, bool nano, uint32_t snaplen,
    uint32_t lt)
{
	file_header(nano ? PCAPFILE_MAGIC_NS : PCAPFILE_MAGIC_US, be, 2, 4,
	    snaplen, lt);
	for (size_t i = 0; i < n; i++)
		record(&rs[i], be, (unsigned)i);
}

static void
test_variants(void)
{
	static const uint32_t lens[] = { 60, 0, 1514, 1, 9000, 64, 70000,
	    342, 54, 1500 };
	static struct rec rs[400];
	char what[128];

	for (int be = 0; be <= 1; be++)
		for (int nano = 0; nano <= 1; nano++) {
			records(rs, NF_NELEM(rs), lens, NF_NELEM(lens),
			    1700000000, nano);
			/* past 2038: libpcap's seconds are signed */
			rs[5].sec = 0xf0000000u;
			rs[6].frac = nano ? 999999999u : 2500000u;
			build(rs, NF_NELEM(rs), be, nano, 262144, 1);
			snprintf(what, sizeof(what), "%s-endian, %s",
			    be ? "big" : "little", nano ? "ns" : "us");
			tap_ok(judge(flen, what), "%s: same packets", what);
			build(rs, NF_NELEM(rs), be, nano, 100, 1);
			tap_ok(judge(flen, what), "%s, snaplen 100: records "
			    "cut as libpcap cuts them", what);
			build(rs, NF_NELEM(rs), be, nano, 0, 1);
			tap_ok(judge(flen, what), "%s, snaplen 0 (maximum)",
			    what);
		}
}

static void
test_buffer_edges(void)
{
	static struct rec rs[3000];
	uint32_t lens[1];
	size_t total = 0;

	/* random lengths: records straddle every read boundary */
	for (size_t i = 0; i < NF_NELEM(rs); i++) {
		lens[0] = rnd() % 1600;
		records(&rs[i], 1, lens, 1, 1700000000, false);
		rs[i].sec += (uint32_t)i;
		total += PCAPFILE_RECLEN + rs[i].caplen;
	}
	build(rs, NF_NELEM(rs), false, false, 65535, 1);
	tap_ok(total > 4 * PCAPFILE_BUFSIZE && judge(flen, "random lengths"),
	    "%zu bytes of records of random length: same packets", total);

	/* records as large as libpcap allows, larger than the buffer */
	lens[0] = PCAPFILE_MAX_CAPLEN;
	records(rs, 3, lens, 1, 1700000000, false);
	rs[1].caplen = 100;
	build(rs, 3, false, false, 0, 1);
	tap_ok(judge(flen, "largest records"), "records of %d bytes, larger "
	    "than the read buffer", PCAPFILE_MAX_CAPLEN);
}

/* Cut the file at every length: same packets, then the same error. */
static void
test_truncation(void)
{
	static const uint32_t lens[] = { 60, 300, 0, 1514 };
	static struct rec rs[6];
	size_t bad = 0, total;
	char what[64];

	for (int v = 0; v < 3; v++) {
		bool be = v == 1, nano = v == 1;
		uint32_t snap = v == 2 ? 100 : 65535;

		records(rs, NF_NELEM(rs), lens, NF_NELEM(lens), 1700000000,
		    nano);
		build(rs, NF_NELEM(rs), be, nano, snap, 1);
		total = flen;
		for (size_t len = PCAPFILE_HDRLEN; len <= total; len++) {
			snprintf(what, sizeof(what), "variant %d cut at %zu",
			    v, len);
			if (!judge(len, what) && ++bad > 5)
				break;
		}
		tap_ok(bad == 0, "%s file cut at each of its %zu lengths: same "
		    "packets and errors", v == 0 ? "little-endian" : v == 1 ?
		    "big-endian nanosecond" : "snaplen 100", total -
		    PCAPFILE_HDRLEN + 1);
	}
}

static void
test_bad_lengths(void)
{
	struct rec rs[3];
	uint32_t lens[] = { 60 };

	records(rs, 3, lens, 1, 1700000000, false);
	rs[1].caplen = 300000;
	build(rs, 3, false, false, 65535, 1);
	tap_ok(judge(flen, "huge caplen, snaplen 65535"), "record longer "
	    "than the maximum and the snapshot length: libpcap's error");
	build(rs, 3, true, false, 0, 1);
	tap_ok(judge(flen, "huge caplen, snaplen 0"), "record longer than the "
	    "maximum: libpcap's error");
	rs[1].caplen = 0xffffffffu;
	build(rs, 3, false, true, 65535, 1);
	tap_ok(judge(flen, "caplen 2^32-1"), "record length 2^32 - 1: "
	    "libpcap's error");
}

/* Headers the reader must leave to libpcap. */
static void
test_refusals(void)
{
	static const uint8_t pcapng[PCAPFILE_HDRLEN] = { 0x0a, 0x0d, 0x0d,
	    0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0 };
	const uint16_t one = 1;
	uint8_t h[PCAPFILE_HDRLEN];
	bool be, nano, host_be;

	memcpy(h, &one, 1);
	host_be = h[0] == 0;
	tap_ok(!pcapfile_supported(pcapng, 1, &be, &nano), "pcapng: libpcap's");
	file_header(0xa1b2cd34, false, 2, 4, 65535, 1);
	memcpy(h, file, sizeof(h));
	tap_ok(!pcapfile_supported(h, 1, &be, &nano),
	    "Kuznetzov's modified format: libpcap's");
	file_header(PCAPFILE_MAGIC_US, false, 2, 3, 65535, 1);
	memcpy(h, file, sizeof(h));
	tap_ok(!pcapfile_supported(h, 1, &be, &nano),
	    "version 2.3 (lengths maybe swapped): libpcap's");
	file_header(PCAPFILE_MAGIC_US, !host_be, 2, 4, 65535, 1);
	memcpy(h, file, sizeof(h));
	tap_ok(pcapfile_supported(h, 1, &be, &nano) && be == !host_be &&
	    !nano, "Ethernet in the other byte order: ours");
	tap_ok(!pcapfile_supported(h, 189, &be, &nano),
	    "a link type flowprobe does not decode (USB): libpcap's");
	tap_ok(!pcapfile_supported(h, 113, &be, &nano) &&
	    !pcapfile_supported(h, 276, &be, &nano),
	    "cooked capture in the other byte order: libpcap's");
	file_header(PCAPFILE_MAGIC_NS, host_be, 2, 4, 65535, 113);
	memcpy(h, file, sizeof(h));
	tap_ok(pcapfile_supported(h, 113, &be, &nano) && be == host_be &&
	    nano,
	    "cooked capture in our byte order, nanoseconds: ours");
}

int
main(void)
{
	int fd;

	snprintf(path, sizeof(path), "%s/t_pcapfile.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		abort();
	close(fd);
	tap_no_plan();
	test_variants();
	test_buffer_edges();
	test_truncation();
	test_bad_lengths();
	test_refusals();
	unlink(path);
	free(file);
	return tap_done();
}
