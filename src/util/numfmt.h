/* Numbers written as text that reads back exactly: the shortest "%.*g"
 * form, from a chosen least precision up to 17 digits (enough for any
 * double), used wherever a value is stored or exported as text. */
#ifndef L4P_UTIL_NUMFMT_H
#define L4P_UTIL_NUMFMT_H

#include <stddef.h>

/* Write v into buf with the smallest precision in [min_prec, 17] whose
 * "%.*g" text reads back (strtod) as exactly v; NaN and infinities come
 * out as printf writes them. size of 32 is always enough. */
void l4px_fmt_exact(double v, int min_prec, char *buf, size_t size);

#endif
