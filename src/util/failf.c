/* Thread-local error messages behind l4p_last_error(), and the status map's
 * generated names. Thread-local because LLM generators and study workers
 * run on threads, as XGBGetLastError is per thread.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "failf.h"

static _Thread_local char last_error[1024];

const char *l4p_status_name(l4p_status st)
{
  switch (st) {
#define XX(code, _) \
  case L4P_##code:  \
    return "L4P_" #code;
    L4P_STATUS_MAP(XX)
#undef XX
  }
  return "L4P_UNKNOWN";
}

const char *l4p_strerror(l4p_status st)
{
  switch (st) {
#define XX(code, text) \
  case L4P_##code:     \
    return text;
    L4P_STATUS_MAP(XX)
#undef XX
  }
  return "unknown status";
}

const char *l4p_last_error(void)
{
  return last_error;
}

void l4p_clear_error(void)
{
  last_error[0] = '\0';
}

static void set_message(const char *fmt, va_list ap)
{
  vsnprintf(last_error, sizeof last_error, fmt, ap);
}

l4p_status l4p_failf(l4p_status st, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  set_message(fmt, ap);
  va_end(ap);
  return st;
}

l4p_status l4p_failf_keep(l4p_status st, const char *fmt, ...)
{
  if (last_error[0])
    return st;
  va_list ap;
  va_start(ap, fmt);
  set_message(fmt, ap);
  va_end(ap);
  return st;
}

void l4p_error_prefix(const char *prefix)
{
  size_t plen = strlen(prefix), size = sizeof last_error;
  if (plen + 3 >= size)
    return;
  size_t keep = strlen(last_error);
  if (keep > size - plen - 3)
    keep = size - plen - 3;
  memmove(last_error + plen + 2, last_error, keep);
  last_error[plen + 2 + keep] = '\0';
  memcpy(last_error, prefix, plen);
  memcpy(last_error + plen, ": ", 2);
}
