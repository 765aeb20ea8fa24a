/* "llm4perf gen-input": synthetic inputs for live measurement
 * (geninput.h). This file checks the options, picks the generator of the
 * kind and writes its bytes atomically; the kinds live in gen_*.c.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "gen-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Far more than any live example needs; keeps a typo from filling a disk
 * (the whole input is built in memory). */
#define MAX_BYTES ((size_t)1 << 31)

static const struct {
  const char *name;
  void (*make)(const struct l4p_gen_opts *, struct l4p_rng *, struct l4px_sb *);
} kinds[] = {
    {"text", l4p__gen_text},
    {"binary", l4p__gen_binary},
    {"yuv", l4p__gen_yuv},
    {"sql", l4p__gen_sql},
};

/* See geninput.h. */
const char *l4p_gen_kinds(void)
{
  return "text, binary, yuv, sql";
}

static l4p_status check(const struct l4p_gen_opts *o, bool video)
{
  if (video) {
    double bytes = (double)o->width * o->height * 1.5 * o->frames;
    if (o->width < 16 || o->height < 16 || o->width % 2 || o->height % 2 ||
        o->frames == 0 || bytes > (double)MAX_BYTES)
      return l4p_failf(L4P_EUSAGE,
                       "yuv: width and height must be even and "
                       "at least 16, frames at least 1, and the video at "
                       "most 2 GiB (got %ux%u, %u frames)",
                       o->width, o->height, o->frames);
  } else if (o->size == 0 || o->size > MAX_BYTES) {
    return l4p_failf(L4P_EUSAGE, "%s: size must be in [1, %zu] (got %zu)",
                     o->kind, MAX_BYTES, o->size);
  }
  return L4P_OK;
}

/* See geninput.h. */
l4p_status l4p_gen_input(const struct l4p_gen_opts *opts, const char *path)
{
  size_t k = 0, n = sizeof kinds / sizeof kinds[0];
  while (k < n && (!opts->kind || strcmp(kinds[k].name, opts->kind) != 0))
    k++;
  if (k == n)
    return l4p_failf(L4P_EUSAGE, "unknown input kind '%s' (known: %s)",
                     opts->kind ? opts->kind : "", l4p_gen_kinds());
  l4p_status st = check(opts, kinds[k].make == l4p__gen_yuv);
  if (st)
    return st;
  struct l4p_rng *rng = l4p_rng_new(opts->seed);
  struct l4px_sb out;
  l4px_sb_init(&out);
  if (rng)
    kinds[k].make(opts, rng, &out);
  if (!rng || l4px_sb_failed(&out))
    st = l4p_failf(L4P_ENOMEM, "out of memory generating '%s'", path);
  else
    st = l4px_write_file_atomic(path, out.buf, out.len);
  l4px_sb_release(&out);
  l4p_rng_free(rng);
  return st;
}

/* See gen-int.h. Consonant-vowel syllables: words look like words, so a
 * compressor meets the redundancy of real text. */
void l4p__gen_word(struct l4p_rng *rng, char *buf, size_t size)
{
  static const char consonants[] = "bcdfghklmnprstvz";
  static const char vowels[] = "aeiou";
  size_t syllables = 1 + (size_t)l4p_rng_below(rng, 4), len = 0;
  for (size_t s = 0; s < syllables && len + 3 < size; s++) {
    buf[len++] = consonants[l4p_rng_below(rng, sizeof consonants - 1)];
    buf[len++] = vowels[l4p_rng_below(rng, sizeof vowels - 1)];
    if (l4p_rng_below(rng, 4) == 0)
      buf[len++] = consonants[l4p_rng_below(rng, sizeof consonants - 1)];
  }
  buf[len] = '\0';
}
