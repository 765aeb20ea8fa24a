/* See numfmt.h.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "util/numfmt.h"
#include "util/banned.h"

/* See numfmt.h. */
void l4px_fmt_exact(double v, int min_prec, char *buf, size_t size)
{
  for (int prec = min_prec; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      return;
  }
}
