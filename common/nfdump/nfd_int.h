/*
 * common/nfdump/nfd_int.h -- what the nfdump file reader (nfdfile.c)
 * and its record decoders (nfdrec.c for layout 2, nfdrec1.c for layout
 * 1) share: the state that records set up for the records after them
 * (exporters, samplers, extension maps), and the record layouts.
 *
 * Every record in a block starts with {u16 type, u16 size}, size
 * counting these four bytes; all integers are in the writer's (little-
 * endian) byte order.  A block is first checked record by record
 * (nfdrec_check: every length inside the block, every map known), and
 * only a block that passes is decoded (nfdrec_decode), so a damaged
 * block is dropped whole and a half-decoded block never reaches a
 * query.
 */
#ifndef COMMON_NFDUMP_NFD_INT_H
#define COMMON_NFDUMP_NFD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/buf.h"
#include "common/base/flowrec.h"
#include "common/ffile/ffile.h"
#include "common/nfdump/nfdfile.h"

/* Record types (nfdump's id.h). */
#define NFD_R_EXTMAP		2	/* layout 1 extension map */
#define NFD_R_EXPORTER		7	/* exporter info */
#define NFD_R_XSTAT		8	/* exporter statistics */
#define NFD_R_SAMPLER_OLD	9	/* sampler (nfdump 1.6, 1.7.0-1.7.1) */
#define NFD_R_COMMON		10	/* layout 1 flow record */
#define NFD_R_V3		11	/* layout 2 flow record */
#define NFD_R_SAMPLER		15	/* sampler (nfdump 1.7.2 and later) */

#define NFD_REC_HDR		4	/* {type, size} */
#define NFD_V3_HDR		12	/* recordHeaderV3_t */
#define NFD_ELEM_HDR		4	/* {type, length} */
#define NFD_COMMON_HDR		32	/* layout 1 common record before data */

/* One layout 1 extension map (nfdrec1.c). */
struct nfd_map {
	uint16_t	nids;
	uint16_t	ids[NFD_MAX_MAP_IDS];
	uint32_t	ext_size;	/* bytes of the optional extensions */
};

struct nfd_ctx {
	/* exporters, by SysID; table index + 1 in sysid_idx, 0: none */
	struct ffile_exporter *xs;	/* owned */
	size_t		 nxs, xcap;
	uint16_t	*sysid_idx;	/* owned, 65536 entries */
	uint32_t	*sampler;	/* owned, by SysID: 1-in-N, 0 unknown;
					   NULL until a sampler record */
	/* layout 1 extension maps, by map id; slot + 1 in map_idx */
	struct nfd_map	*maps;		/* owned */
	size_t		 nmaps;
	uint16_t	*map_idx;	/* owned, 65536 entries; NULL until
					   the first map */
	uint64_t	 skipped;	/* records of kinds not read */
};

int	nfd_ctx_init(struct nfd_ctx *x);
void	nfd_ctx_fini(struct nfd_ctx *x);

/*
 * Check the framing of a block's nrec records in blk.  Layout 1
 * extension maps met on the way are taken into x (the decode pass
 * takes them again, in order).  Returns NFE_OK or NFE_CORRUPT with a
 * message naming the record.
 */
int	nfdrec_check(struct nfd_ctx *x, struct rbuf *blk, uint32_t nrec,
	    char *err, size_t errlen);

/*
 * Decode the next record of a checked block.  Sets *flow when it was a
 * flow record (rec filled), else handles it (exporter, sampler, map)
 * or counts it as skipped.  Returns NFE_OK, or NFE_CORRUPT / NFE_LIMIT
 * (too many exporters or maps) with a message.
 */
int	nfdrec_decode(struct nfd_ctx *x, struct rbuf *blk, struct flowrec *rec,
	    bool *flow, char *err, size_t errlen);

/* Layout 1 (nfdrec1.c), called by the two functions above. */
int	nfdrec1_map(struct nfd_ctx *x, struct rbuf *rec, char *err,
	    size_t errlen);
int	nfdrec1_check(const struct nfd_ctx *x, struct rbuf *rec, char *err,
	    size_t errlen);
int	nfdrec1_flow(struct nfd_ctx *x, struct rbuf *rec, struct flowrec *out);

/*
 * Exporter index for SysID sysid, created (with address addr, which may
 * be NULL) on first sight.  Returns the index, or -1 when the table is
 * full (NFD_MAX_EXPORTERS).
 */
int	nfd_exporter_for(struct nfd_ctx *x, uint16_t sysid,
	    const struct nf_addr *addr);

/*
 * Read an address stored as nfdump stores them: IPv4 as one u32 in
 * host order, IPv6 as two u64 in host order, the high half first.
 */
void	nfd_get_v4(struct rbuf *r, struct nf_addr *a);
void	nfd_get_v6(struct rbuf *r, struct nf_addr *a);

struct flowrec;
/* Read the ten MPLS label-stack entries (u32 each, host order), as both
 * record layouts hold them. */
void	nfd_get_mpls(struct rbuf *b, struct flowrec *r);

#endif /* COMMON_NFDUMP_NFD_INT_H */
