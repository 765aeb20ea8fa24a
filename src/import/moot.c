/* MOOT importer (tables of timm/moot): the header carries the roles. A
 * trailing '-' or '+' marks an objective to minimise or maximise, a
 * trailing 'X' a column to ignore; an uppercase first letter marks a
 * numeric option, anything else a symbolic one (bool when 0/1, else enum).
 * The caller's objective list may override goals, since some tables mark
 * e.g. PSNR with '-' although higher is better.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Give each column its role from its header suffix. */
static l4p_status read_header(struct l4p__import *im)
{
  for (size_t c = 0; c < im->csv.n_cols; c++) {
    struct l4p__column *col = &im->cols[c];
    const char *h = im->csv.header[c];
    size_t n = strlen(h);
    char last = h[n - 1];
    if (col->role != L4P__COL_OPTION)
      continue;
    if (last == 'X') {
      col->role = L4P__COL_IGNORE;
      continue;
    }
    if (last == '-' || last == '+') {
      if (n < 2)
        return l4p_failf(L4P_EPARSE, "%s:1: column %zu has no name", im->path,
                         c + 1);
      if (!(col->name = strndup(h, n - 1)))
        return l4p_failf(L4P_ENOMEM, "out of memory");
      col->role = L4P__COL_OBJECTIVE;
      col->goal = last == '+' ? L4P_MAXIMIZE : L4P_MINIMIZE;
      col->rank = INT_MAX;
      continue;
    }
    col->kind =
        isupper((unsigned char)h[0]) ? L4P__KIND_NUMERIC : L4P__KIND_SYMBOLIC;
  }
  return L4P_OK;
}

/* Column whose spec name or raw header is name, or -1. */
static int column_named(const struct l4p__import *im, const char *name)
{
  for (size_t c = 0; c < im->csv.n_cols; c++)
    if (strcmp(l4p__column_name(im, c), name) == 0 ||
        strcmp(im->csv.header[c], name) == 0)
      return (int)c;
  return -1;
}

/* Apply the caller's objective list: goals override the header's, and a
 * listed option column becomes an objective. */
static l4p_status override_objectives(struct l4p__import *im,
                                      const struct l4p__objective_list *list)
{
  for (size_t i = 0; i < list->n; i++) {
    const struct l4p__objective_req *req = &list->items[i];
    int c = column_named(im, req->name);
    if (c < 0)
      return l4p_failf(L4P_EUSAGE, "objective '%s' is not a column of %s",
                       req->name, im->path);
    struct l4p__column *col = &im->cols[c];
    if (col->role == L4P__COL_OBJECTIVE) {
      if (req->goal_given && req->goal != col->goal)
        l4p__note(im, "goal of '%s' set to %s (the header says %s)",
                  l4p__column_name(im, (size_t)c),
                  req->goal == L4P_MAXIMIZE ? "max" : "min",
                  col->goal == L4P_MAXIMIZE ? "max" : "min");
      if (req->goal_given)
        col->goal = req->goal;
    } else if (col->role == L4P__COL_OPTION) {
      col->role = L4P__COL_OBJECTIVE;
      col->goal = req->goal_given ? req->goal : L4P_MINIMIZE;
      col->rank = INT_MAX;
    } else
      return l4p_failf(L4P_EUSAGE,
                       "objective '%s' is also ignored or "
                       "filtered",
                       req->name);
  }
  return L4P_OK;
}

/* Import a MOOT table: roles from the header, goals overridable. */
l4p_status l4p__import_moot(const char *path,
                            const struct l4p_import_opts *opts,
                            struct l4p_spec **spec, struct l4p_table **table)
{
  struct l4p__objective_list list;
  l4p_status st = l4p__objectives_parse(opts->objectives, &list);
  if (st)
    return st;
  struct l4p__import im;
  st = l4p__import_open(&im, path, opts);
  if (!st)
    st = read_header(&im);
  if (!st)
    st = override_objectives(&im, &list);
  if (!st)
    st = l4p__flat_build(&im, "moot table", spec, table);
  l4p__import_release(&im);
  l4p__objectives_release(&list);
  return st;
}
