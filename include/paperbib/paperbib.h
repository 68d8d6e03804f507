/* paperbib: bibliography export for conference paper lists.
 *
 * Library code never prints and never exits: functions return a status
 * (PB_OK == 0, or a negative pb_status) and report problems in the input
 * through a pb_diag_sink. */
#ifndef PAPERBIB_H
#define PAPERBIB_H

#define PB_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pb_status {
	PB_OK = 0,
	PB_ENOMEM = -1,  /* out of memory */
	PB_EIO = -2,     /* reading or writing failed; errno says why */
	PB_EDATA = -3,   /* the input is not what it should be */
	PB_EUSAGE = -4,  /* the caller asked for something impossible */
	PB_ECONFIG = -5, /* the configuration is wrong */
	PB_EOF = -6      /* a reader has no more records (not an error) */
} pb_status;

/* A static English description of a status. */
const char *pb_strerror(int status);

#ifdef __cplusplus
}
#endif

#include "paperbib/record.h"
#include "paperbib/csl.h"
#include "paperbib/diag.h"
#include "paperbib/config.h"
#include "paperbib/reader.h"
#include "paperbib/writer.h"
#include "paperbib/citekey.h"
#include "paperbib/pipeline.h"

#endif
