/* The "yuv" input kind: raw I420 video (a full-size luma plane, then two
 * quarter-size chroma planes a frame) for encoders such as x264
 * ("--input-res WxH"). The picture is a diagonal gradient drifting
 * sideways with a bright square crossing it, plus a little noise, so
 * motion search, reference frames and rate control all have work to do.
 * SPDX-License-Identifier: MIT */
#include "gen-int.h"
#include "util/banned.h"

static unsigned char clamp(int v)
{
  return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static void luma(const struct l4p_gen_opts *o, unsigned f, struct l4p_rng *rng,
                 struct l4px_sb *out)
{
  unsigned w = o->width, h = o->height, side = h / 4;
  unsigned sx = (f * 5) % (w - side), sy = (f * 3) % (h - side);
  for (unsigned y = 0; y < h; y++)
    for (unsigned x = 0; x < w; x++) {
      bool in_square = x >= sx && x < sx + side && y >= sy && y < sy + side;
      int v =
          in_square ? 230 : (int)(((x + 3 * f) * 160 / w + y * 80 / h) % 256);
      v += (int)l4p_rng_below(rng, 9) - 4;
      l4px_sb_putc(out, (char)clamp(v));
    }
}

static void chroma(const struct l4p_gen_opts *o, unsigned f, bool red,
                   struct l4px_sb *out)
{
  unsigned w = o->width / 2, h = o->height / 2;
  for (unsigned y = 0; y < h; y++)
    for (unsigned x = 0; x < w; x++) {
      int v = red ? 112 + (int)(y * 32 / h) + (int)(f % 8)
                  : 112 + (int)(x * 32 / w);
      l4px_sb_putc(out, (char)clamp(v));
    }
}

/* See gen-int.h. */
void l4p__gen_yuv(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                  struct l4px_sb *out)
{
  for (unsigned f = 0; f < opts->frames && !out->oom; f++) {
    luma(opts, f, rng, out);
    chroma(opts, f, false, out);
    chroma(opts, f, true, out);
  }
}
