/*
 * man/mkfields.c -- the man pages' field lists, written from the field
 * catalogue (common/base/fieldlist.h).
 *
 *   mkfields SECTION
 *
 * prints the roff text of one generated section; the man pages hold
 * each between the lines
 *   .\" BEGIN GENERATED: SECTION (man/mkfields)
 *   .\" END GENERATED: SECTION
 * man/update-fields.sh rewrites them in place (make update-man) and
 * tests/man_fields.sh fails when a committed page differs from what
 * the catalogue gives.  Sections: agg-keys, stat-types, fmt-tokens,
 * csv-columns, json-names (flowq(1)); filter-words (flowkit-filter(7));
 * file-columns (flowkit-file(5)); ie-decoded (flowcapd(8)).
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/codec/ie.h"

/* Text for roff: '-' as \-, backslashes doubled. */
static void
rtext(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
	}
}

static const char *
iename(unsigned id)
{
	const struct ie *e = ie_by_id((uint16_t)id);

	return e != NULL ? e->name : "?";
}

static void
agg_keys(void)
{
	puts(".RS\n.PD 0");
	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_AGGS; k++) {
			const struct fld_agg *a = &fld(i)->agg[k];

			if (a->name == NULL)
				continue;
			printf(".TP 12\n.B %s\n", a->name);
			rtext(fld(i)->doc);
			switch (a->kind) {
			case AK_ADDRM:
				printf("; \\fB%s4/\\fIn\\fR and \\fB%s6/\\fIn\\fR "
				    "keep its first \\fIn\\fR bits", a->name,
				    a->name);
				break;
			case AK_NET:
				fputs(", masked with its own prefix length", stdout);
				break;
			default:
				break;
			}
			printf(" (printed as \\fB%s\\fR)\n", a->tok);
		}
	}
	puts(".PD\n.RE");
}

static void
stat_types(void)
{
	puts(".RS\n.PD 0");
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_stat *s = &fld(i)->stat;

		if (s->name != NULL) {
			printf(".TP 12\n.B %s\n", s->name);
			rtext(fld(i)->doc);
			printf(" (\"%s\")\n", s->title);
		}
		if (s->pair == NULL)
			continue;
		/* a pair is listed once, at its first entry */
		for (unsigned j = 0; j < i; j++)
			if (fld(j)->stat.pair != NULL &&
			    strcmp(fld(j)->stat.pair, s->pair) == 0)
				goto next;
		printf(".TP 12\n.B %s\n", s->pair);
		fputs("both of ", stdout);
		for (unsigned j = i, n = 0; j < FLD_N; j++)
			if (fld(j)->stat.pair != NULL &&
			    strcmp(fld(j)->stat.pair, s->pair) == 0)
				printf("%s\\fB%s\\fR", n++ ? " and " : "",
				    fld(j)->stat.name);
		printf(", a flow counted under each (\"%s\")\n", s->pair_title);
next:
		;
	}
	puts(".TP 12\n.B record\naggregated records: the \\fB\\-A\\fR keys, "
	    "or the 5-tuple\n.PD\n.RE");
}

static void
fmt_tokens(void)
{
	puts(".RS\n.PD 0");
	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_TOKS; k++) {
			const struct fld_tok *t = &fld(i)->toks[k];

			if (t->tok == NULL)
				continue;
			printf(".TP 8\n.B %s\n", t->tok);
			switch (t->kind) {
			case TK_ADDR_PORT:
				rtext(fld(i)->doc);
				fputs(" and ", stdout);
				rtext(fld(t->partner)->doc);
				break;
			case TK_NET:
				rtext(fld(i)->doc);
				fputs(" masked with ", stdout);
				rtext(fld(t->partner)->doc);
				break;
			case TK_PAIR:
				rtext(fld(i)->doc);
				fputs(" / ", stdout);
				rtext(fld(t->partner)->doc);
				break;
			case TK_TIME_RAW:
				rtext(fld(i)->doc);
				fputs(", as seconds.milliseconds", stdout);
				break;
			case TK_DURATION_S:
				rtext(fld(i)->doc);
				fputs(", always in seconds", stdout);
				break;
			default:
				rtext(fld(i)->doc);
				break;
			}
			printf("; %zu columns\n", strlen(t->header));
		}
	}
	puts(".PD\n.RE");
}

static void
csv_columns(void)
{
	unsigned n = 0;

	fputs(".I ", stdout);
	for (unsigned pos = 0; pos < FLD_N; pos++)
		for (unsigned i = 0; i < FLD_N; i++)
			if (fld(i)->csv.name != NULL && fld(i)->csv.pos == pos)
				printf("%s%s", n++ ? ",\\:" : "",
				    fld(i)->csv.name);
	puts("\n.RS\n.PD 0");
	for (unsigned pos = 0; pos < FLD_N; pos++) {
		for (unsigned i = 0; i < FLD_N; i++) {
			const struct fld_desc *d = fld(i);

			if (d->csv.name == NULL || d->csv.pos != pos)
				continue;
			printf(".TP 6\n.I %s\n", d->csv.name);
			rtext(d->doc);
			if (d->csv.partner != 0) {
				fputs(" / ", stdout);
				rtext(fld(d->csv.partner - 1u)->doc);
			}
			putchar('\n');
		}
	}
	puts(".PD\n.RE");
}

static void
json_names(void)
{
	static const char *const rules[] = {
		[JR_ICMP] = ", ICMP and ICMPv6 flows only",
		[JR_KNOWN] = ", left out when unknown",
		[JR_OWN_FAMILY] = ", named by its own family (an unset one by "
		    "the flow's, as 0.0.0.0 or ::)",
		[JR_ROUTER] = ", when the exporter is known",
		[JR_JOINED] = ", left out when unknown (null when flowq "
		    "joins with --sessions)",
	};

	puts(".RS\n.PD 0");
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_json *j = &fld(i)->json;

		if (j->rule == JR_NONE)
			continue;
		if (j->ie6 != j->ie4)
			printf(".TP 4\n.IR %s \" (%u) / \" %s \" (%u)\"\n",
			    iename(j->ie4), j->ie4, iename(j->ie6), j->ie6);
		else
			printf(".TP 4\n.IR %s \" (%u)\"\n", iename(j->ie4),
			    j->ie4);
		rtext(fld(i)->doc);
		if (j->rule < NF_NELEM(rules) && rules[j->rule] != NULL)
			rtext(rules[j->rule]);
		putchar('\n');
	}
	puts(".PD\n.RE");
}

/* The syntax of a word of a shape, in roff. */
static void
word_syntax(const char *prefix, const char *w, unsigned shape)
{
	printf("%s\\fB", prefix);
	rtext(w);
	fputs("\\fR ", stdout);
	switch (shape) {
	case FS_ADDR:
		puts("\\fIaddress\\fR | \\fBin\\fR [\\fIlist\\fR]");
		break;
	case FS_NET:
		puts("\\fIprefix\\fR | \\fIaddress netmask\\fR");
		break;
	case FS_ADDRIP:
		puts("\\fBip\\fR \\fIaddress\\fR");
		break;
	case FS_NUMLIST:
		puts("[\\fIcomp\\fR] \\fInumber\\fR | \\fBin\\fR [\\fIlist\\fR]");
		break;
	case FS_NUMEQ:
	case FS_ICMP:
		puts("\\fInumber\\fR");
		break;
	case FS_CMP:
		puts("[\\fIcomp\\fR] \\fInumber\\fR");
		break;
	case FS_PROTO:
		puts("\\fIname\\fR | \\fInumber\\fR");
		break;
	case FS_FLAGS:
		puts("\\fIletters\\fR | [\\fIcomp\\fR] \\fInumber\\fR");
		break;
	case FS_STR:
		puts("[\\fB=\\fR] \\fIstring\\fR | \\fBin\\fR [\\fIlist\\fR]");
		break;
	case FS_MAC:
		puts("\\fIaa:bb:cc:dd:ee:ff\\fR");
		break;
	case FS_APPID:
		puts("\\fIengine\\fB..\\fIselector\\fR");
		break;
	default:
		putchar('\n');
		break;
	}
}

static void
filter_words(void)
{
	static const char *const sides[] = {
		[S_SRC] = "src", [S_DST] = "dst", [S_IN] = "in",
		[S_OUT] = "out", [S_IN1] = "in", [S_IN_SRC] = "in src",
		[S_IN_DST] = "in dst", [S_OUT_SRC] = "out src",
		[S_OUT_DST] = "out dst",
	};

	puts(".RS\n.PD 0");
	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_WORDS; k++) {
			const struct fld_word *w = &fld(i)->words[k];
			unsigned seen = 0, two = 0;
			const char *pfx;

			if (w->word == NULL)
				continue;
			for (unsigned j = 0; j < i; j++)
				for (unsigned l = 0; l < FLD_MAX_WORDS; l++)
					if (fld(j)->words[l].word != NULL &&
					    strcmp(fld(j)->words[l].word,
					    w->word) == 0)
						seen++;
			if (seen > 0)
				continue;	/* listed with its first entry */
			for (unsigned j = i + 1; j < FLD_N; j++)
				for (unsigned l = 0; l < FLD_MAX_WORDS; l++)
					if (fld(j)->words[l].word != NULL &&
					    strcmp(fld(j)->words[l].word,
					    w->word) == 0)
						two = j;
			if (w->side >= S_IN_SRC) {	/* both qualifiers */
				fputs(".TP\n", stdout);
				word_syntax("[\\fBin\\fR|\\fBout\\fR] "
				    "[\\fBsrc\\fR|\\fBdst\\fR] ", w->word,
				    w->shape);
				for (unsigned j = i; j < FLD_N; j++)
					for (unsigned l = 0; l < FLD_MAX_WORDS;
					    l++)
						if (fld(j)->words[l].word !=
						    NULL && strcmp(fld(j)->
						    words[l].word, w->word) ==
						    0) {
							printf("%s\\fB%s\\fR: ",
							    j == i ? "" : "; ",
							    sides[fld(j)->
							    words[l].side]);
							rtext(fld(j)->doc);
						}
				puts("; a qualifier left out: either");
				continue;
			}
			pfx = w->side == S_SRC || w->side == S_DST ?
			    "[\\fBsrc\\fR|\\fBdst\\fR] " :
			    w->side == S_IN1 && two == 0 ? "[\\fBin\\fR] " :
			    w->side != S_NONE ? "[\\fBin\\fR|\\fBout\\fR] " : "";
			fputs(".TP\n", stdout);
			word_syntax(pfx, w->word, w->shape);
			if (two == 0) {
				rtext(fld(i)->doc);
			} else {
				printf("\\fB%s\\fR: ", sides[w->side]);
				rtext(fld(i)->doc);
				for (unsigned l = 0; l < FLD_MAX_WORDS; l++)
					if (fld(two)->words[l].word != NULL &&
					    strcmp(fld(two)->words[l].word,
					    w->word) == 0)
						printf("; \\fB%s\\fR: ",
						    sides[fld(two)->words[l].side]);
				rtext(fld(two)->doc);
				if (w->side != S_IN1)
					fputs("; neither: either of them",
					    stdout);
			}
			if ((w->shape == FS_NUMLIST || w->shape == FS_NUMEQ ||
			    w->shape == FS_CMP || w->shape == FS_ICMP ||
			    w->shape == FS_FLAGS) && fld_max(i) != UINT64_MAX)
				printf(" (0..%llu)",
				    (unsigned long long)fld_max(i));
			putchar('\n');
		}
	}
	puts(".PD\n.RE");
}

static const char *
enc_name(unsigned enc)
{
	switch (enc) {
	case FE_INT:		return "integer";
	case FE_INT_DELTA:	return "integer, minus first";
	case FE_ADDR:		return "address";
	case FE_STR:		return "string";
	default:		return "?";
	}
}

static void
file_columns(void)
{
	puts(".nf\n.RS\n id  name        width  encoding              default");
	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		const struct fld_desc *d = fld_by_col(id);
		char def[32];

		if (d == NULL)
			continue;
		if (d->type == FT_ADDR)
			snprintf(def, sizeof(def), "::ffff:0.0.0.0");
		else if (d->type == FT_STR)
			snprintf(def, sizeof(def), "\"\"");
		else
			snprintf(def, sizeof(def), "%llu",
			    (unsigned long long)d->def);
		if (d->type == FT_STR)	/* index width: ENCODING */
			printf("%3u  %-10s      -  %-20s  %s\n", id,
			    d->colname, enc_name(d->enc), def);
		else
			printf("%3u  %-10s  %5u  %-20s  %s\n", id,
			    d->colname, d->size, enc_name(d->enc), def);
	}
	puts(".RE\n.fi");
}

static const char *
conv_name(unsigned conv)
{
	switch (conv) {
	case IEC_UINT:		return "unsigned";
	case IEC_ADDR4:
	case IEC_ADDR4_AF:	return "IPv4 address";
	case IEC_ADDR6:
	case IEC_ADDR6_AF:	return "IPv6 address";
	case IEC_ADDR6_NZ:	return "IPv6 address, :: is none";
	case IEC_SEC:		return "seconds";
	case IEC_MS:		return "milliseconds";
	case IEC_NTP:		return "NTP time";
	case IEC_UPTIME:	return "sysUpTime ms";
	case IEC_DELTA_US:	return "us before export";
	case IEC_DUR_MS:	return "duration ms";
	case IEC_DUR_US:	return "duration us";
	case IEC_ICMP_TC:	return "type*256+code (ICMP)";
	case IEC_ICMP_T:	return "type (ICMP)";
	case IEC_ICMP_C:	return "code (ICMP)";
	case IEC_STR:		return "string";
	default:		return "?";
	}
}

static void
ie_decoded(void)
{
	puts(".nf\n.RS\n id  element                           field        "
	    "value");
	for (unsigned id = 0; id < FLD_IE_LIMIT; id++) {
		const struct fld_iebind *b = fld_by_ie((uint16_t)id);

		if (b == NULL)
			continue;
		if (id >= FLD_IE_REV) {	/* RFC 5103: "reverse" + Name */
			char rev[64];
			const char *fw = iename(id - FLD_IE_REV);

			snprintf(rev, sizeof(rev), "reverse%c%s*",
			    toupper((unsigned char)fw[0]), fw + 1);
			printf("%3u  %-32s  %-11s  %s", id - FLD_IE_REV, rev,
			    fld(b->fld - 1u)->name, conv_name(b->conv));
		} else
			printf("%3u  %-32s  %-11s  %s", id, iename(id),
			    fld(b->fld - 1u)->name, conv_name(b->conv));
		if (b->prio != 0)
			printf(", rank %u", b->prio);
		putchar('\n');
	}
	puts(".RE\n.fi");
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		void		(*fn)(void);
	} secs[] = {
		{ "agg-keys", agg_keys }, { "stat-types", stat_types },
		{ "fmt-tokens", fmt_tokens }, { "csv-columns", csv_columns },
		{ "json-names", json_names }, { "filter-words", filter_words },
		{ "file-columns", file_columns }, { "ie-decoded", ie_decoded },
	};

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (size_t i = 0; i < NF_NELEM(secs); i++)
			puts(secs[i].name);
		return 0;
	}
	for (size_t i = 0; argc == 2 && i < NF_NELEM(secs); i++) {
		if (strcmp(argv[1], secs[i].name) == 0) {
			secs[i].fn();
			return fflush(stdout) == 0 ? 0 : 1;
		}
	}
	fprintf(stderr, "usage: mkfields -l | SECTION\n");
	return 2;
}
