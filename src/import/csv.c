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
  l4p_status st = L4P_OK;
  for (size_t i = 0; !st && i < list->n; i++)
    st = l4p__mark_objective(im, list, i);
  return st;
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
