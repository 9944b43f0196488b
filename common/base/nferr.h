/*
 * common/base/nferr.h -- error codes shared by every common/ module.
 *
 * A function that can fail returns NFE_OK (0) or one of the negative
 * codes below.  Only NFE_IO means errno is meaningful.
 */
#ifndef COMMON_BASE_NFERR_H
#define COMMON_BASE_NFERR_H

enum {
	NFE_OK		=  0,
	NFE_TRUNC	= -1,	/* input ended inside a field */
	NFE_FORMAT	= -2,	/* bytes present but malformed */
	NFE_UNSUPP	= -3,	/* valid but not implemented (version, IE) */
	NFE_NOTMPL	= -4,	/* data set before its template */
	NFE_LIMIT	= -5,	/* a configured bound would be exceeded */
	NFE_CORRUPT	= -6,	/* file checksum / framing failure */
	NFE_NOMEM	= -7,	/* allocation failed */
	NFE_IO		= -8,	/* system call failed; errno is set */
	NFE_INTERNAL	= -9,	/* bug: should not happen */
	NFE_VERSION	= -10,	/* newer, incompatible format or protocol version */
	NFE_EOF		= -11,	/* clean end of input */
	NFE_INVAL	= -12,	/* bad argument (user-supplied text, option) */
};
#define NFE_MIN	NFE_INVAL

/* Human-readable text for a code; never NULL. */
const char	*nferr_str(int code);

#endif /* COMMON_BASE_NFERR_H */
