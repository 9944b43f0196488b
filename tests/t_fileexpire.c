/*
 * tests/t_fileexpire.c -- collector/fileexpire: size and age limits, oldest
 * first, the watermark, dry run, and what is never touched.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/fileexpire.h"
#include "common/base/nferr.h"
#include "tap.h"

static char root[256];

static void
mkfile(const char *rel, size_t size)
{
	char path[512], dir[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (s = dir + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	for (size_t i = 0; i < size; i++)
		fputc('x', f);
	fclose(f);
}

static bool
present(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return access(path, F_OK) == 0;
}

int
main(void)
{
	struct fileexpire_conf c;
	struct fileexpire_result r;
	uint64_t v;
	char cmd[300];

	tap_plan(22);
	snprintf(root, sizeof(root), "%s/t_fileexpire.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(root) == NULL)
		return 1;
	/* four 1000-byte files, an hour apart, in a -S 1 layout */
	mkfile("2026/11/23/flows.202611230900", 1000);
	mkfile("2026/11/23/flows.202611231000", 1000);
	mkfile("2026/11/23/flows.202611231100", 1000);
	mkfile("2026/11/23/flows.20261123120000", 1000);
	mkfile("2026/11/23/flows.202611231300.current", 5000);
	mkfile(".flowcapd-templates", 5000);
	mkfile("notes.txt", 5000);

	memset(&c, 0, sizeof(c));
	c.now_s = 1795438800;		/* 2026-11-23 13:00 UTC */
	c.max_bytes = 2500;
	c.dry_run = true;
	tap_is_int(fileexpire_run(root, &c, NULL, NULL, &r), NFE_OK, "dry run");
	tap_ok(r.files == 4 && r.bytes == 4000, "four completed files seen");
	tap_ok(r.removed == 2 && present("2026/11/23/flows.202611230900"),
	    "dry run would remove two and removes none");
	c.dry_run = false;
	c.watermark = 50;
	fileexpire_run(root, &c, NULL, NULL, &r);
	tap_ok(r.removed == 3 && r.removed_bytes == 3000,
	    "watermark 50%%: down to 1250 bytes means three go");
	tap_ok(!present("2026/11/23/flows.202611230900") &&
	    !present("2026/11/23/flows.202611231000") &&
	    !present("2026/11/23/flows.202611231100") &&
	    present("2026/11/23/flows.20261123120000"), "oldest first");
	tap_ok(present("2026/11/23/flows.202611231300.current") &&
	    present(".flowcapd-templates") && present("notes.txt"),
	    "temporary, template and foreign files untouched");

	mkfile("2026/11/22/flows.202611220000", 10);
	memset(&c, 0, sizeof(c));
	c.now_s = 1795438800;
	c.max_age_s = 3600;
	fileexpire_run(root, &c, NULL, NULL, &r);
	tap_ok(r.removed == 1 && !present("2026/11/22/flows.202611220000"),
	    "age limit removes the day-old file");
	snprintf(cmd, sizeof(cmd), "%s/2026/11/22", root);
	tap_ok(access(cmd, F_OK) != 0, "its empty directory is pruned");
	tap_ok(present("2026/11/23/flows.20261123120000"),
	    "a file one hour old is kept with -t 1h");
	c.max_age_s = 3599;
	fileexpire_run(root, &c, NULL, NULL, &r);
	tap_ok(r.removed == 1, "and removed with -t 3599s");

	tap_ok(fileexpire_parse_size("10G", &v) == NFE_OK && v == 10ULL << 30,
	    "10G");
	tap_ok(fileexpire_parse_size("500MB", &v) == NFE_OK && v == 500ULL << 20,
	    "500MB");
	tap_ok(fileexpire_parse_size("4096", &v) == NFE_OK && v == 4096,
	    "plain bytes");
	tap_ok(fileexpire_parse_size("5X", &v) == NFE_INVAL, "bad unit");
	tap_ok(fileexpire_parse_age("7d", &v) == NFE_OK && v == 7 * 86400, "7d");
	tap_ok(fileexpire_parse_age("2w", &v) == NFE_OK && v == 14 * 86400, "2w");
	tap_ok(fileexpire_parse_age("36", &v) == NFE_OK && v == 36 * 3600,
	    "hours by default");
	tap_ok(fileexpire_parse_age("30m", &v) == NFE_OK && v == 1800, "minutes");
	tap_ok(fileexpire_parse_age("-1d", &v) == NFE_INVAL, "negative");
	tap_ok(fileexpire_parse_size("99999999999999999999", &v) == NFE_INVAL,
	    "overflow");

	/* files a sink has not delivered (slot >= keep_from) are kept */
	mkfile("2026/11/24/flows.202611240800", 1000);
	mkfile("2026/11/24/flows.202611240900", 1000);
	mkfile("2026/11/24/flows.202611241000", 1000);
	mkfile("2026/11/24/flows.202611241100", 1000);
	memset(&c, 0, sizeof(c));
	c.now_s = 1795525200;		/* 2026-11-24 13:00 UTC */
	c.max_bytes = 1;
	c.keep_from = 1795510800;	/* 2026-11-24 09:00: the cursor's file */
	fileexpire_run(root, &c, NULL, NULL, &r);
	tap_ok(r.removed == 1 && r.kept == 3 && r.kept_bytes == 3000 &&
	    !present("2026/11/24/flows.202611240800") &&
	    present("2026/11/24/flows.202611240900") &&
	    present("2026/11/24/flows.202611241100"),
	    "a sink's undelivered files are kept and counted");
	c.keep_from = 1795514400;	/* 10:00 */
	c.force = true;
	c.dry_run = true;
	fileexpire_run(root, &c, NULL, NULL, &r);
	tap_ok(r.removed == 3 && r.undelivered == 2 && r.kept == 0,
	    "--expire-undelivered: they go too, counted as undelivered");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
