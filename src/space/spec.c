/* The spec object: a named system with its space, objectives, docs source
 * and oracle description. Loading and saving live in spec_load.c and
 * spec_save.c.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "llm4perf/spec.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

struct l4p_spec *l4p_spec_new(const char *name)
{
  struct l4p_spec *spec = calloc(1, sizeof *spec);
  if (!spec)
    return NULL;
  spec->name = strdup(name ? name : "system");
  spec->space = l4p_space_new();
  if (!spec->name || !spec->space) {
    l4p_spec_free(spec);
    return NULL;
  }
  return spec;
}

void l4p_spec_free(struct l4p_spec *spec)
{
  if (!spec)
    return;
  free(spec->path);
  free(spec->dir);
  free(spec->name);
  free(spec->description);
  l4p_space_free(spec->space);
  for (size_t k = 0; k < spec->n_objectives; k++) {
    free(spec->objectives[k].name);
    free(spec->objectives[k].unit);
    free(spec->objectives[k].doc);
  }
  free(spec->objectives);
  free(spec->docs_command);
  free(spec->docs_file);
  free(spec->oracle_type);
  free(spec->oracle_json);
  free(spec->provenance);
  free(spec);
}

l4p_status l4p_spec_add_objective(struct l4p_spec *spec, const char *name,
                                  const char *unit, enum l4p_goal goal)
{
  if (!name || !*name)
    return l4p_failf(L4P_EUSAGE, "an objective needs a name");
  if (l4p_spec_find_objective(spec, name) >= 0)
    return l4p_failf(L4P_EUSAGE, "objective '%s' is defined twice", name);
  if (l4p_space_find(spec->space, name) >= 0)
    return l4p_failf(L4P_EUSAGE, "'%s' is both an option and an objective",
                     name);
  struct l4p_objective *grown =
      realloc(spec->objectives, (spec->n_objectives + 1) * sizeof *grown);
  if (!grown)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  spec->objectives = grown;
  struct l4p_objective *obj = &grown[spec->n_objectives];
  memset(obj, 0, sizeof *obj);
  obj->name = strdup(name);
  obj->unit = unit ? strdup(unit) : NULL;
  obj->goal = goal;
  if (!obj->name || (unit && !obj->unit)) {
    free(obj->name);
    free(obj->unit);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  spec->n_objectives++;
  return L4P_OK;
}

int l4p_spec_find_objective(const struct l4p_spec *spec, const char *name)
{
  for (size_t k = 0; k < spec->n_objectives; k++)
    if (strcmp(spec->objectives[k].name, name) == 0)
      return (int)k;
  return -1;
}

char *l4p_spec_resolve(const struct l4p_spec *spec, const char *rel)
{
  return l4px_path_join(spec->dir, rel);
}
