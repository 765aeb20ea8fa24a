/* "llm4perf space SPEC": what a system's configuration space looks like —
 * options with types, domains and defaults, constraints, objectives and
 * the exact number of valid configurations.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/spec.h"
#include "util/banned.h"

static const char *const usage[] = {"llm4perf space SPEC.json [--json]", NULL};

static const char *const type_names[] = {"bool", "int", "float", "enum"};

/* The domain of option i as text: "{a, b}", "[1, 9] step 1", "{0, 1}". */
static void domain_text(const struct l4p_space *space, size_t i, char *buf,
                        size_t size)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  size_t used = 0;
  if (opt->type == L4P_OPT_BOOL) {
    snprintf(buf, size, "{0, 1}");
  } else if (opt->type == L4P_OPT_ENUM || opt->n_values) {
    used += (size_t)snprintf(buf, size, "{");
    for (size_t k = 0; k < opt->n_values && used + 8 < size; k++) {
      char v[64];
      l4p_value_format(space, i, l4p_option_value_at(opt, k), v, sizeof v);
      used +=
          (size_t)snprintf(buf + used, size - used, "%s%s", k ? ", " : "", v);
    }
    snprintf(buf + used, size > used ? size - used : 0, "}");
  } else if (opt->step > 0) {
    snprintf(buf, size, "[%g, %g] step %g", opt->min, opt->max, opt->step);
  } else {
    snprintf(buf, size, "[%g, %g]", opt->min, opt->max);
  }
}

static int print_json(const struct l4p_spec *spec,
                      const struct l4p_space_size *size)
{
  json_t *root = json_object();
  json_object_set_new(root, "name", json_string(spec->name));
  json_object_set_new(
      root, "options",
      json_integer((json_int_t)l4p_space_n_options(spec->space)));
  json_object_set_new(root, "free_options",
                      json_integer((json_int_t)l4p_space_n_free(spec->space)));
  json_object_set_new(
      root, "constraints",
      json_integer((json_int_t)l4p_space_n_constraints(spec->space)));
  json_object_set_new(
      root, "features",
      json_integer((json_int_t)l4p_space_n_features(spec->space)));
  json_object_set_new(root, "size", json_string(size->decimal));
  json_object_set_new(root, "size_exact", json_boolean(size->exact));
  json_t *objs = json_array();
  for (size_t k = 0; k < spec->n_objectives; k++)
    json_array_append_new(objs, json_string(spec->objectives[k].name));
  json_object_set_new(root, "objectives", objs);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!text)
    return CLI_FAIL;
  printf("%s\n", text);
  free(text);
  return CLI_OK;
}

static void print_size(const struct l4p_space_size *size)
{
  printf("space size: %s%s", size->exact ? "" : "at most ", size->decimal);
  if (!size->infinite && strlen(size->decimal) > 12)
    printf(" (%.3e)", size->approx);
  printf(" valid configurations\n");
}

static void print_text(const struct l4p_spec *spec,
                       const struct l4p_space_size *size)
{
  const struct l4p_space *space = spec->space;
  printf("system: %s\n", spec->name);
  if (spec->description)
    printf("%s\n", spec->description);
  printf("\noptions (%zu, %zu free):\n", l4p_space_n_options(space),
         l4p_space_n_free(space));
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    char dom[256], def[64];
    domain_text(space, i, dom, sizeof dom);
    l4p_value_format(space, i,
                     opt->fixed ? opt->fixed_value : opt->default_value, def,
                     sizeof def);
    printf("  %-24s %-5s %-34s %s %s\n", opt->name, type_names[opt->type], dom,
           opt->fixed ? "fixed" : "default", def);
  }
  printf("\nconstraints (%zu):\n", l4p_space_n_constraints(space));
  for (size_t c = 0; c < l4p_space_n_constraints(space); c++)
    printf("  %s\n", l4p_space_constraint_text(space, c));
  printf("\nobjectives (%zu):\n", spec->n_objectives);
  for (size_t k = 0; k < spec->n_objectives; k++)
    printf("  %-24s %-8s %s\n", spec->objectives[k].name,
           spec->objectives[k].unit ? spec->objectives[k].unit : "",
           spec->objectives[k].goal == L4P_MAXIMIZE ? "maximise" : "minimise");
  printf("\nmodel features: %zu\n", l4p_space_n_features(space));
  print_size(size);
}

int cmd_space(int argc, char **argv, struct cli_ctx *cli)
{
  bool json = false;
  const struct cli_opt opts[] = {
      {"json", 0, OPT_BOOL, &json, NULL, "machine-readable summary"}, {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one SPEC.json\nusage: %s", usage[0]);
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st)
    return cli_fail(st);
  struct l4p_space_size size;
  if ((st = l4p_space_count(spec->space, &size))) {
    l4p_spec_free(spec);
    return cli_fail(st);
  }
  if (json)
    rc = print_json(spec, &size);
  else
    print_text(spec, &size);
  free(size.decimal);
  l4p_spec_free(spec);
  return rc;
}
