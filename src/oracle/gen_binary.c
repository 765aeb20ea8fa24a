/* The "binary" input kind: 4 KiB blocks of four sorts, mixed as in real
 * archives — incompressible noise, fixed-size records with counters and
 * small fields, runs of one byte, and copies of an earlier block from
 * anywhere before (long-range repetition, which separates compressors
 * with large windows from the others).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "gen-int.h"
#include "util/banned.h"

#define BLOCK 4096

static void noise(struct l4p_rng *rng, unsigned char *b)
{
  for (size_t k = 0; k < BLOCK; k++)
    b[k] = (unsigned char)l4p_rng_below(rng, 256);
}

/* 16-byte little-endian records: id, quantity, category, price. */
static void records(struct l4p_rng *rng, unsigned char *b, uint32_t *id)
{
  for (size_t k = 0; k + 16 <= BLOCK; k += 16) {
    uint32_t v[4] = {(*id)++, (uint32_t)l4p_rng_below(rng, 100),
                     (uint32_t)l4p_rng_below(rng, 8),
                     (uint32_t)(100 + l4p_rng_below(rng, 9900))};
    for (size_t f = 0; f < 4; f++)
      for (size_t byte = 0; byte < 4; byte++)
        b[k + 4 * f + byte] = (unsigned char)(v[f] >> (8 * byte));
  }
}

/* See gen-int.h. */
void l4p__gen_binary(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                     struct l4px_sb *out)
{
  unsigned char block[BLOCK];
  uint32_t id = 0;
  while (out->len < opts->size && !out->oom) {
    size_t sort = (size_t)l4p_rng_below(rng, 20);
    size_t blocks_before = out->len / BLOCK;
    if (sort < 5) {
      noise(rng, block);
    } else if (sort < 10) {
      records(rng, block, &id);
    } else if (sort < 14 || blocks_before == 0) {
      memset(block, (int)l4p_rng_below(rng, 256), sizeof block);
    } else {
      size_t from = (size_t)l4p_rng_below(rng, blocks_before) * BLOCK;
      memcpy(block, out->buf + from, BLOCK);
    }
    l4px_sb_add(out, (const char *)block, BLOCK);
  }
  if (out->len > opts->size) {
    out->len = opts->size;
    out->buf[out->len] = '\0';
  }
}
