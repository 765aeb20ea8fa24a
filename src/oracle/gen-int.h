/* Internals of the input generators (include/llm4perf/geninput.h): each
 * kind appends its bytes to a strbuf from a seeded random stream. */
#ifndef L4P_ORACLE_GEN_INT_H
#define L4P_ORACLE_GEN_INT_H

#include "llm4perf/geninput.h"
#include "llm4perf/rng.h"
#include "util/strbuf.h"

/* A text corpus of about opts->size bytes. */
void l4p__gen_text(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                   struct l4px_sb *out);
/* Mixed binary data of exactly opts->size bytes. */
void l4p__gen_binary(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                     struct l4px_sb *out);
/* Raw I420 frames. */
void l4p__gen_yuv(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                  struct l4px_sb *out);
/* An SQL script inserting opts->size rows and querying them. */
void l4p__gen_sql(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                  struct l4px_sb *out);

/* A pronounceable made-up word of 1 to 4 syllables, for names and text. */
void l4p__gen_word(struct l4p_rng *rng, char *buf, size_t size);

#endif
