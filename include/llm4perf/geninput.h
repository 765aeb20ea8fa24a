/* Synthetic inputs for live measurement: text corpora and mixed binary
 * data for compressors, raw YUV video for encoders, SQL workloads for
 * databases. The example specs' "setup" commands call these through
 * "llm4perf gen-input", so a live system can be measured on any machine
 * without downloading test data.
 *
 * Invariants: the same options (kind, size, seed...) give the same bytes
 * on every machine; the file is written atomically, so a killed setup
 * never leaves a half-written input that a later run would take as done. */
#ifndef LLM4PERF_GENINPUT_H
#define LLM4PERF_GENINPUT_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/status.h"

struct l4p_gen_opts {
  const char *kind; /* "text", "binary", "yuv" or "sql" */
  size_t size;      /* text, binary: bytes; sql: rows inserted */
  unsigned width;   /* yuv: frame width and height in pixels (even), */
  unsigned height;  /*      frame count; the file is I420 (4:2:0), */
  unsigned frames;  /*      width * height * 3 / 2 bytes a frame */
  uint64_t seed;
};

/* Generate the input opts describe into path. EUSAGE for an unknown kind
 * or bad sizes (naming them), ENOMEM, EIO. */
l4p_status l4p_gen_input(const struct l4p_gen_opts *opts, const char *path);

/* The kinds, for help texts: "text, binary, yuv, sql". */
const char *l4p_gen_kinds(void);

#endif
