/*
 * probe/xfields.h -- flowprobe -x / --export-fields: the groups of extra
 * fields the probe can export in v9 and IPFIX beside the usual ones,
 * each naming catalogue entries (common/base/fieldlist.h).  The
 * elements they go out as come from the catalogue's bindings
 * (tf_spec_of_field), never from a list here.
 *
 *   mac        in_src_mac, in_dst_mac        (IE 56, 80)
 *   vlan       vlan_prio, src_cvlan          (IE 244, 245)
 *   ttl        min_ttl, max_ttl              (IE 52, 53)
 *   flowlabel  flow_label, IPv6 template only (IE 31)
 *   mpls       mpls1, mpls2, mpls3           (IE 70, 71, 72)
 *   all        every group
 */
#ifndef PROBE_XFIELDS_H
#define PROBE_XFIELDS_H

#include <stddef.h>
#include <stdio.h>

#include "common/codec/nfenc.h"

/*
 * Parse a comma-separated list of group names into a mask of groups
 * (repeats allowed; "none" alone is 0).  Returns NFE_OK, or NFE_INVAL
 * with a message naming the bad word in err.
 */
int	xfields_parse(const char *s, unsigned *mask, char *err,
	    size_t errlen);

/* The fields of the groups in mask, in group order (at most cap). */
size_t	xfields_enc(unsigned mask, struct nf_enc_extra *out, size_t cap);

/* The group names of mask, comma-separated ("none" for 0). */
void	xfields_print(unsigned mask, FILE *out);

#endif /* PROBE_XFIELDS_H */
