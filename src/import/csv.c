/* Plain CSV importer: a table whose header only names columns. The caller
 * says which columns are objectives; every other column (minus --ignore
 * and --where) is an option typed from its values by flat.c and infer.c.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Mark the requested objective columns; EUSAGE names a missing one. */
static l4p_status mark_objectives(struct l4p__import *im,
                                  const struct l4p__objective_list *list)
{
  for (size_t i = 0; i < list->n; i++) {
    const struct l4p__objective_req *req = &list->items[i];
    int c = l4px_csv_column(&im->csv, req->name);
    if (c < 0)
      return l4p_failf(L4P_EUSAGE, "objective '%s' is not a column of %s",
                       req->name, im->path);
    if (im->cols[c].role != L4P__COL_OPTION)
      return l4p_failf(L4P_EUSAGE,
                       "objective '%s' is also ignored or "
                       "filtered",
                       req->name);
    im->cols[c].role = L4P__COL_OBJECTIVE;
    im->cols[c].goal = req->goal_given ? req->goal : L4P_MINIMIZE;
    im->cols[c].rank = (int)i;
  }
  return L4P_OK;
}

/* Import a plain CSV table: objectives named by the caller. */
l4p_status l4p__import_csv(const char *path, const struct l4p_import_opts *opts,
                           struct l4p_spec **spec, struct l4p_table **table)
{
  struct l4p__objective_list list;
  l4p_status st = l4p__objectives_parse(opts->objectives, &list);
  if (st)
    return st;
  if (!list.n) {
    l4p__objectives_release(&list);
    return l4p_failf(L4P_EUSAGE,
                     "%s: a plain csv table does not mark its "
                     "objectives; name them (e.g. \"time,size:min\")",
                     path);
  }
  struct l4p__import im;
  st = l4p__import_open(&im, path, opts);
  if (!st)
    st = mark_objectives(&im, &list);
  if (!st)
    st = l4p__flat_build(&im, "csv table", spec, table);
  l4p__import_release(&im);
  l4p__objectives_release(&list);
  return st;
}
