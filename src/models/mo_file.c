/* Model files: all of a multi-objective model in one JSON document — the
 * system's name, its feature names (so a spec whose encoding differs is
 * refused), the model kind and parameters, and per objective the model's
 * own serialised bytes in base64. Written by 'llm4perf train', read by
 * 'predict' and 'evaluate'. The format is in docs/internals/MODEL-API.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model-int.h"
#include "util/base64.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

#define FORMAT "llm4perf-model"
#define VERSION 1

/* The spec's feature names as a JSON array; NULL when out of memory. */
static json_t *feature_names(const struct l4p_spec *spec)
{
  json_t *arr = json_array();
  size_t nf = l4p_space_n_features(spec->space);
  char name[256];
  for (size_t j = 0; arr && j < nf; j++) {
    l4p_space_feature_name(spec->space, j, name, sizeof name);
    if (json_array_append_new(arr, json_string(name))) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

static json_t *params_json(const struct l4p_model_params *p)
{
  json_t *o =
      json_pack("{s:s, s:I, s:i, s:b}", "profile",
                p->profile == L4P_PROFILE_FAST ? "fast" : "full", "seed",
                (json_int_t)p->seed, "threads", p->threads, "tune", p->tune);
  if (o && p->has_hyper)
    json_object_set_new(o, "hyper",
                        json_pack("{s:i, s:f, s:f}", "layers", p->hyper_layers,
                                  "lr", p->hyper_lr, "lambda",
                                  p->hyper_lambda));
  return o;
}

/* Objective j: its name, goal, training rows and base64 model bytes. */
static l4p_status objective_json(const struct l4p_mo_model *mo, size_t j,
                                 json_t *arr)
{
  char *blob;
  size_t len;
  l4p_status st = l4p__model_save(mo->models[j], &blob, &len);
  if (st)
    return st;
  char *b64 = l4px_base64_encode(blob, len);
  free(blob);
  const struct l4p_objective *obj = &mo->spec->objectives[j];
  json_t *o = b64 ? json_pack("{s:s, s:s, s:I, s:s}", "name", obj->name, "goal",
                              obj->goal == L4P_MAXIMIZE ? "max" : "min", "rows",
                              (json_int_t)mo->n_rows[j], "blob", b64)
                  : NULL;
  free(b64);
  if (!o || json_array_append_new(arr, o))
    return l4p_failf(L4P_ENOMEM, "out of memory saving a model");
  return L4P_OK;
}

/* Write the model file to path atomically (see the top of this file).
 * EMODEL from a model that cannot be saved, EIO when path cannot be
 * written. */
l4p_status l4p_mo_save(const struct l4p_mo_model *model, const char *path)
{
  json_t *objs = json_array();
  json_t *root = json_pack(
      "{s:s, s:i, s:s, s:s, s:o, s:o}", "format", FORMAT, "version", VERSION,
      "system", model->spec->name, "model", model->ops->name, "features",
      feature_names(model->spec), "params", params_json(&model->params));
  l4p_status st = L4P_OK;
  if (!root || !objs)
    st = l4p_failf(L4P_ENOMEM, "out of memory saving a model");
  for (size_t j = 0; !st && j < model->n_objectives; j++)
    st = objective_json(model, j, objs);
  char *text = NULL;
  if (!st) {
    json_object_set(root, "objectives", objs);
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
      st = l4p_failf(L4P_ENOMEM, "out of memory saving a model");
  }
  if (!st)
    st = l4px_write_file_atomic(path, text, strlen(text));
  free(text);
  json_decref(objs);
  json_decref(root);
  return st;
}

/* EMODEL unless the file's feature names are exactly the spec's, so a
 * model is never fed vectors encoded differently from its training. */
static l4p_status check_features(const struct l4p_spec *spec, json_t *arr,
                                 const char *path)
{
  size_t nf = l4p_space_n_features(spec->space);
  if (!json_is_array(arr))
    return l4p_failf(L4P_EPARSE, "%s: 'features' is not an array", path);
  if (json_array_size(arr) != nf)
    return l4p_failf(L4P_EMODEL,
                     "%s: model has %zu features, spec '%s' "
                     "encodes %zu",
                     path, json_array_size(arr), spec->name, nf);
  char name[256];
  for (size_t j = 0; j < nf; j++) {
    const char *saved = json_string_value(json_array_get(arr, j));
    l4p_space_feature_name(spec->space, j, name, sizeof name);
    if (!saved || strcmp(saved, name) != 0)
      return l4p_failf(L4P_EMODEL,
                       "%s: feature %zu is '%s' in the model "
                       "but '%s' in the spec",
                       path, j, saved ? saved : "?", name);
  }
  return L4P_OK;
}

/* Parameters back from their JSON object (missing members keep 0). */
static l4p_status read_params(json_t *o, const char *path,
                              struct l4p_model_params *p)
{
  const char *profile = "full";
  json_int_t seed = 0;
  int threads = 0, tune = 0;
  json_t *hyper = NULL;
  json_error_t jerr;
  if (json_unpack_ex(o, &jerr, 0, "{s?s, s?I, s?i, s?b, s?o}", "profile",
                     &profile, "seed", &seed, "threads", &threads, "tune",
                     &tune, "hyper", &hyper))
    return l4p_failf(L4P_EPARSE, "%s: 'params': %s", path, jerr.text);
  if (strcmp(profile, "full") && strcmp(profile, "fast"))
    return l4p_failf(L4P_EPARSE, "%s: unknown profile '%s'", path, profile);
  memset(p, 0, sizeof *p);
  p->profile = strcmp(profile, "fast") ? L4P_PROFILE_FULL : L4P_PROFILE_FAST;
  p->seed = (uint64_t)seed;
  p->threads = threads;
  p->tune = tune;
  if (hyper) {
    if (json_unpack_ex(hyper, &jerr, 0, "{s:i, s:F, s:F}", "layers",
                       &p->hyper_layers, "lr", &p->hyper_lr, "lambda",
                       &p->hyper_lambda))
      return l4p_failf(L4P_EPARSE, "%s: 'params.hyper': %s", path, jerr.text);
    p->has_hyper = true;
  }
  return L4P_OK;
}

/* Restore the spec's objective j from the file's array of objectives
 * (matched by name; extra objectives in the file are ignored). */
static l4p_status load_objective(struct l4p_mo_model *mo, size_t j,
                                 json_t *objs, const char *path)
{
  const char *name = mo->spec->objectives[j].name;
  json_t *found = NULL;
  for (size_t k = 0; !found && k < json_array_size(objs); k++) {
    const char *saved =
        json_string_value(json_object_get(json_array_get(objs, k), "name"));
    if (saved && strcmp(saved, name) == 0)
      found = json_array_get(objs, k);
  }
  if (!found)
    return l4p_failf(L4P_EMODEL, "%s: no model for objective '%s'", path, name);
  const char *b64 = json_string_value(json_object_get(found, "blob"));
  json_int_t rows = json_integer_value(json_object_get(found, "rows"));
  if (!b64)
    return l4p_failf(L4P_EPARSE, "%s: objective '%s' has no 'blob'", path,
                     name);
  unsigned char *blob;
  size_t len;
  l4p_status st = l4px_base64_decode(b64, strlen(b64), &blob, &len);
  if (!st)
    st = l4p_model_new(mo->ops, &mo->params, mo->n_features, &mo->models[j]);
  if (!st)
    st = l4p__model_load(mo->models[j], (const char *)blob, len);
  free(blob);
  if (st) {
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s: objective '%s'", path, name);
    l4p_error_prefix(prefix);
    return st;
  }
  mo->n_rows[j] = rows > 0 ? (size_t)rows : 0;
  return L4P_OK;
}

/* Check the envelope against spec and build the wrapper. */
static l4p_status load_root(const struct l4p_spec *spec, json_t *root,
                            const char *path, struct l4p_mo_model **model)
{
  const char *format = NULL, *system = NULL, *kind = NULL;
  int version = 0;
  json_t *features = NULL, *params = NULL, *objs = NULL;
  json_error_t jerr;
  if (json_unpack_ex(root, &jerr, 0, "{s:s, s:i, s:s, s:s, s:o, s:o, s:o}",
                     "format", &format, "version", &version, "system", &system,
                     "model", &kind, "features", &features, "params", &params,
                     "objectives", &objs))
    return l4p_failf(L4P_EPARSE, "%s: not an llm4perf model file: %s", path,
                     jerr.text);
  if (strcmp(format, FORMAT) != 0)
    return l4p_failf(L4P_EPARSE, "%s: format is '%s', not '" FORMAT "'", path,
                     format);
  if (version != VERSION)
    return l4p_failf(L4P_EPARSE,
                     "%s: model file version %d is not "
                     "supported (this build reads %d)",
                     path, version, VERSION);
  if (strcmp(system, spec->name) != 0)
    return l4p_failf(L4P_EMODEL,
                     "%s: model was trained for system '%s', "
                     "not '%s'",
                     path, system, spec->name);
  const struct l4p_model_ops *ops = l4p_model_find(kind);
  if (!ops)
    return l4p_failf(L4P_EMODEL, "%s: unknown model kind '%s'", path, kind);
  struct l4p_model_params p;
  l4p_status st = check_features(spec, features, path);
  if (!st)
    st = read_params(params, path, &p);
  if (!st && !json_is_array(objs))
    st = l4p_failf(L4P_EPARSE, "%s: 'objectives' is not an array", path);
  if (st)
    return st;
  struct l4p_mo_model *mo = l4p__mo_alloc(spec, ops, &p);
  if (!mo)
    return l4p_failf(L4P_ENOMEM, "out of memory loading a model");
  for (size_t j = 0; !st && j < mo->n_objectives; j++)
    st = load_objective(mo, j, objs, path);
  if (st) {
    l4p_mo_free(mo);
    return st;
  }
  *model = mo;
  return L4P_OK;
}

/* Read a model file written by l4p_mo_save for spec (borrowed: it must
 * outlive the model). EPARSE with path:line:col for malformed JSON,
 * EMODEL when the file belongs to another system or encoding. */
l4p_status l4p_mo_load(const struct l4p_spec *spec, const char *path,
                       struct l4p_mo_model **model)
{
  *model = NULL;
  char *text;
  size_t len;
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st)
    return st;
  json_error_t jerr;
  json_t *root = json_loadb(text, len, 0, &jerr);
  free(text);
  if (!root)
    return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                     jerr.text);
  st = load_root(spec, root, path, model);
  json_decref(root);
  return st;
}
