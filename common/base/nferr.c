/*
 * common/base/nferr.c -- text for the NFE_* codes.
 */
#include "common/base/compat.h"

#include <stddef.h>

#include "common/base/nferr.h"

static const char *const nferr_text[] = {
	[0]		= "success",
	[-NFE_TRUNC]	= "truncated input",
	[-NFE_FORMAT]	= "malformed input",
	[-NFE_UNSUPP]	= "unsupported version or feature",
	[-NFE_NOTMPL]	= "no template for data set",
	[-NFE_LIMIT]	= "limit exceeded",
	[-NFE_CORRUPT]	= "corrupt data (checksum or framing)",
	[-NFE_NOMEM]	= "out of memory",
	[-NFE_IO]	= "input/output error",
	[-NFE_INTERNAL]	= "internal error",
	[-NFE_VERSION]	= "incompatible (newer) version",
	[-NFE_EOF]	= "end of input",
	[-NFE_INVAL]	= "invalid argument",
};

const char *
nferr_str(int code)
{
	if (code > 0 || code < NFE_MIN || nferr_text[-code] == NULL)
		return "unknown error";
	return nferr_text[-code];
}
