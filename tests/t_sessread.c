/*
 * tests/t_sessread.c -- session files (common/enrich/sessread.h and
 * sessfollow.h): FreeRADIUS detail records, CSV and JSON-lines session
 * records, bad lines named by file and line while the rest loads, and
 * files followed as they grow, are replaced or cut.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessfollow.h"
#include "common/enrich/sessread.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)

/* Feed a text of lines; collect events' text and errors. */
struct run {
	char		 ev[2048];
	char		 err[2048];
	int		 nev, nerr;
};

static void
ev_text(const struct sessdb_event *ev, char *buf, size_t len)
{
	char p[ADDR_STRLEN + 4], p2[ADDR_STRLEN + 4];
	static const char *kinds[] = { "?", "start", "interim", "stop",
	    "on", "off", "session" };

	snprintf(buf, len, "%s %llu-%llu %s%s%s %.*s",
	    kinds[ev->kind], (unsigned long long)(ev->kind == SESSDB_SESSION ?
	    ev->start_ms : ev->time_ms) / 1000,
	    (unsigned long long)(ev->kind == SESSDB_SESSION ? ev->stop_ms :
	    ev->start_ms) / 1000,
	    ev->npfx > 0 ? prefix_format(&ev->pfx[0], p, sizeof(p)) : "-",
	    ev->npfx > 1 ? "+" : "",
	    ev->npfx > 1 ? prefix_format(&ev->pfx[1], p2, sizeof(p2)) : "",
	    (int)ev->user_len, ev->user != NULL ? ev->user : "");
}

static void
feed(struct run *r, const char *text)
{
	struct sessread rd;
	struct sessdb_event ev;
	const char *p = text;
	unsigned line = 0;
	char err[256], t[256];
	bool have;

	memset(r, 0, sizeof(*r));
	sessread_init(&rd);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		int rc;

		line++;
		rc = sessread_line(&rd, p, n, line, &ev, &have, err, sizeof(err));
		if (rc != NFE_OK) {
			r->nerr++;
			snprintf(r->err + strlen(r->err), sizeof(r->err) -
			    strlen(r->err), "%u: %s|", line, err);
		} else if (have) {
			r->nev++;
			ev_text(&ev, t, sizeof(t));
			snprintf(r->ev + strlen(r->ev), sizeof(r->ev) -
			    strlen(r->ev), "%s|", t);
		}
		p += n + (nl != NULL);
	}
	if (sessread_end(&rd, &ev, &have, err, sizeof(err)) == NFE_OK && have) {
		r->nev++;
		ev_text(&ev, t, sizeof(t));
		snprintf(r->ev + strlen(r->ev), sizeof(r->ev) - strlen(r->ev),
		    "%s|", t);
	}
}

static const char detail[] =
    "Tue Nov 14 22:13:20 2023\n"
    "\tAcct-Status-Type = Start\n"
    "\tUser-Name = \"alice\\\"q\"\n"
    "\tAcct-Session-Id = \"0001A2B3\"\n"
    "\tFramed-IP-Address = 100.64.1.2\n"
    "\tNAS-IP-Address = 192.0.2.10\n"
    "\tDelegated-IPv6-Prefix = 2001:db8:aa00::/56\n"
    "\tEvent-Timestamp = \"Nov 14 2023 22:13:20 UTC\"\n"
    "\tAcct-Unique-Session-Id = \"8e3bd9e1c0b6e1c7\"\n"
    "\tTimestamp = 1700000001\n"
    "\n"
    "Tue Nov 14 22:20:00 2023\n"
    "\tPacket-Type = Access-Request\n"
    "\tUser-Name = \"bob\"\n"
    "\tTimestamp = 1700000400\n"
    "\n"
    "Tue Nov 14 23:13:20 2023\n"
    "\tAcct-Status-Type = Stop\n"
    "\tUser-Name = \"alice\\\"q\"\n"
    "\tAcct-Session-Id = \"0001A2B3\"\n"
    "\tFramed-IP-Address = 100.64.1.2\n"
    "\tNAS-IP-Address = 192.0.2.10\n"
    "\tAcct-Session-Time = 3600\n"
    "\tAcct-Delay-Time = 2\n"
    "\tDonestamp = 1700003602\n"
    "\n"
    "Tue Nov 14 23:15:00 2023\n"
    "\tAcct-Status-Type = Interim-Update\n"
    "\tUser-Name = \"carl\"\n"
    "\tFramed-IP-Address = 100.64.1.300\n"
    "\tTimestamp = 1700003700\n"
    "\n"
    "Tue Nov 14 23:16:40 2023\n"
    "\tAcct-Status-Type = Alive\n"
    "\tUser-Name = \"dora\"\n"
    "\tFramed-IP-Address = 100.64.1.4\n"
    "\tEvent-Timestamp = 1700003800\n"
    "\tTimestamp = 1700003801\n";

static void
test_detail(void)
{
	struct run r;

	feed(&r, detail);
	tap_diag("events %s", r.ev);
	tap_diag("errors %s", r.err);
	tap_is_int(r.nev, 3, "detail: three accounting records make events");
	tap_ok(strstr(r.ev, "start 1700000000-0 100.64.1.2/32+2001:db8:aa00::/56 "
	    "alice\"q|") != NULL,
	    "detail: Start at Event-Timestamp, both prefixes, escapes undone");
	tap_ok(strstr(r.ev, "stop 1700003600-1700000000 100.64.1.2/32 alice") !=
	    NULL, "detail: Stop at its Timestamp - Acct-Delay-Time, start from "
	    "Acct-Session-Time");
	tap_ok(strstr(r.ev, "interim 1700003800-0 100.64.1.4/32 dora|") != NULL,
	    "detail: the last record, without its blank line, at the end");
	tap_ok(strstr(r.err, "Framed-IP-Address: bad value '100.64.1.300'") !=
	    NULL, "detail: a bad address names the attribute and value");
	tap_is_int(r.nerr, 2, "detail: and the record without an address is "
	    "refused (two messages), the others load");
	feed(&r, "Tue Nov 14 22:13:20 2023\n"
	    "\tAcct-Status-Type = Start\n"
	    "\tEvent-Timestamp = \"Foo 14 2023 22:13:20 UTC\"\n"
	    "\tFramed-IP-Address = 100.64.1.2\n\n");
	tap_ok(strstr(r.err, "Event-Timestamp: bad value '\"Foo 14 2023") !=
	    NULL, "detail: a bad date names the attribute and its value "
	    "(as written)");
}

static void
test_csv(void)
{
	struct run r;

	feed(&r,
	    "# sessions of the night\n"
	    "user,address,start,stop,session,nas,extra\n"
	    "alice,100.64.0.1,1700000000,1700003600,S1,192.0.2.1,x\n"
	    "\"doe, john\",2001:db8:1::/48,2023-11-14T22:13:20Z,,S2,,\n"
	    "bob,100.64.0.2,2023-11-14T23:00:00+01:00,1700000000.5,,,\n"
	    "bad,100.64.0.300,1700000000,1700000001,,,\n"
	    "bad,100.64.0.3,yesterday,,,,\n"
	    "bad,100.64.0.3,1700000005,1700000001,,,\n"
	    "bad,10.1.3.0/23,1700000000,,,,\n"
	    "\"unterminated,100.64.0.4,1700000000,,,,\n"
	    ",100.64.0.5,1700000000,,,,\n"
	    "\n");
	tap_diag("events %s", r.ev);
	tap_diag("errors %s", r.err);
	tap_is_int(r.nev, 3, "csv: three good lines");
	tap_ok(strstr(r.ev, "session 1700000000-1700003600 100.64.0.1/32 alice|") !=
	    NULL, "csv: columns taken by the header's names");
	tap_ok(strstr(r.ev, "start 1700000000-0 2001:db8:1::/48 doe, john|") !=
	    NULL, "csv: quoted user with a comma, ISO time, no stop: a Start");
	tap_ok(strstr(r.ev, "session 1699999200-1700000000 100.64.0.2/32 bob|") !=
	    NULL, "csv: an ISO time with an offset, seconds with a fraction");
	tap_ok(strstr(r.err, "6: bad address or prefix '100.64.0.300'") != NULL,
	    "csv: a bad address, with its line");
	tap_ok(strstr(r.err, "7: bad start time 'yesterday'") != NULL,
	    "csv: a bad time, with its line");
	tap_ok(strstr(r.err, "8: stop '1700000001' is not after start") != NULL,
	    "csv: stop before start");
	tap_ok(strstr(r.err, "9: bad address or prefix '10.1.3.0/23'") != NULL,
	    "csv: host bits in a prefix");
	tap_ok(strstr(r.err, "10: not a CSV record") != NULL,
	    "csv: an unterminated quote");
	tap_ok(strstr(r.err, "11: no user name") != NULL, "csv: no user");

	feed(&r, "1700000000,1700000060,10.0.0.1,u1,,\n"
	    "1700000000,,10.0.0.2,u2\n");
	tap_is_int(r.nev, 2, "csv: no header: start,stop,address,user,session,nas");
}

static void
test_json(void)
{
	struct run r;

#ifndef HAVE_JANSSON
	feed(&r, "{\"start\": 1}\n");
	tap_is_int(r.nerr, 1, "json: refused without jansson");
	return;
#endif
	feed(&r,
	    "{\"start\": 1700000000, \"stop\": \"2023-11-14T23:13:20Z\", "
	    "\"address\": \"100.64.0.1\", \"user\": \"alice\", \"session\": "
	    "\"S1\", \"nas\": \"192.0.2.1\"}\n"
	    "{\"start\": \"2023-11-14T22:13:20Z\", \"stop\": null, \"prefix\": "
	    "\"2001:db8::/56\", \"user\": \"bo\\u00e9\"}\n"
	    "{\"start\": 1700000000.25, \"address\": \"10.0.0.1\", \"user\": \"c\", "
	    "\"other\": [1, 2]}\n"
	    "{\"start\": 1700000000, \"address\": \"nowhere\", \"user\": \"d\"}\n"
	    "{\"start\": 1700000000, \"address\": \"10.0.0.2\", \"user\": \"d\"\n"
	    "[1, 2]\n"
	    "{\"start\": true, \"address\": \"10.0.0.2\", \"user\": \"d\"}\n");
	tap_diag("events %s", r.ev);
	tap_diag("errors %s", r.err);
	tap_is_int(r.nev, 3, "json: three good lines");
	tap_ok(strstr(r.ev, "session 1700000000-1700003600 100.64.0.1/32 alice|") !=
	    NULL, "json: numbers and ISO strings as times");
	tap_ok(strstr(r.ev, "start 1700000000-0 2001:db8::/56 bo\xc3\xa9|") != NULL,
	    "json: stop null is a Start; UTF-8 names; prefix as a key");
	tap_ok(strstr(r.err, "4: bad address or prefix 'nowhere'") != NULL,
	    "json: a bad address, with its line");
	tap_ok(strstr(r.err, "5: not JSON") != NULL, "json: broken JSON");
	tap_ok(strstr(r.err, "6: not a JSON object") != NULL, "json: an array");
	tap_ok(strstr(r.err, "7: a field is neither") != NULL, "json: a boolean time");
}

/* sessfollow */
struct got {
	int		 ev, err;
	char		 last_err[512];
};

static int
on_event(void *arg, const struct sessdb_event *ev)
{
	(void)ev;
	((struct got *)arg)->ev++;
	return NFE_OK;
}

static void
on_error(void *arg, const char *path, unsigned line, const char *msg)
{
	struct got *g = arg;

	g->err++;
	snprintf(g->last_err, sizeof(g->last_err), "%s line %u: %s",
	    strrchr(path, '/') + 1, line, msg);
}

static void
put(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

static void
test_follow(void)
{
	char dir[] = "/tmp/t_sessread.XXXXXX", path[512], sub[256], cmd[300];
	struct sessfollow sf;
	struct got g = { 0, 0, "" };
	const char *paths[1];

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(sub, sizeof(sub), "%s/192.0.2.1", dir);
	if (mkdir(sub, 0700) != 0)
		abort();
	snprintf(path, sizeof(path), "%s/cdr.csv", dir);
	put(path, "w", "start,stop,address,user\n"
	    "1700000000,1700000100,10.0.0.1,a\n"
	    "1700000000,1700000100,10.0.0.2,b\n"
	    "1700000000,1700000100,10.0.0");
	paths[0] = dir;
	sessfollow_init(&sf, paths, 1, on_event, on_error, &g);
	sessfollow_poll(&sf, false);
	tap_is_int(g.ev, 2, "follow: whole lines only");
	put(path, "a", ".3,c\nbad,line\n");
	sessfollow_poll(&sf, false);
	tap_is_int(g.ev, 3, "follow: the rest of the line once it is complete");
	tap_is_str(g.last_err, "cdr.csv line 5: bad start time 'bad'",
	    "follow: a bad line named by file and line");
	snprintf(path, sizeof(path), "%s/detail-20231114", sub);
	put(path, "w", detail);
	sessfollow_poll(&sf, false);
	tap_is_int(g.ev, 5, "follow: a detail file in a subdirectory (its last "
	    "record waits for its blank line)");
	put(path, "a", "\n");
	sessfollow_poll(&sf, false);
	tap_is_int(g.ev, 6, "follow: and comes with it");
	snprintf(path, sizeof(path), "%s/cdr.csv", dir);
	unlink(path);
	put(path, "w", "1700000000,,10.0.0.9,z\n");
	sessfollow_poll(&sf, false);
	tap_is_int(g.ev, 7, "follow: a file replaced is read from its start");
	put(path, "w", "1700000000,,10.0.0.8,y");
	sessfollow_poll(&sf, true);
	tap_is_int(g.ev, 8, "final: a last line without a newline counts");
	sessfollow_fini(&sf);
	g.err = 0;
	snprintf(path, sizeof(path), "%s/none", dir);
	paths[0] = path;
	sessfollow_init(&sf, paths, 1, on_event, on_error, &g);
	sessfollow_poll(&sf, false);
	sessfollow_poll(&sf, false);
	tap_is_int(g.err, 1, "follow: a missing path is reported once");
	sessfollow_fini(&sf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("cannot remove %s", dir);
	return;
}

int
main(void)
{
	tap_no_plan();
	test_detail();
	test_csv();
	test_json();
	test_follow();
	return tap_done();
}
