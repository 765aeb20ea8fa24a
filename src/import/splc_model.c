/* Reading SPL Conqueror variability models (FeatureModel.xml) with
 * libxml2 into plain structs: binary and numeric options with their
 * parents, children, implied and excluded options, and the constraint
 * texts. Interpreting them is splc.c's job; this file only checks shape.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "splc-int.h"
#include "util/failf.h"
#include "util/banned.h"

static bool named(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
  for (xmlNode *c = n->children; c; c = c->next)
    if (named(c, name))
      return c;
  return NULL;
}

/* Text content of n with surrounding blanks removed (heap); NULL on
 * ENOMEM. */
static char *trimmed_text(const xmlNode *n)
{
  xmlChar *raw = xmlNodeGetContent(n);
  const char *s = raw ? (const char *)raw : "";
  while (isspace((unsigned char)*s))
    s++;
  size_t len = strlen(s);
  while (len && isspace((unsigned char)s[len - 1]))
    len--;
  char *out = strndup(s, len);
  xmlFree(raw);
  return out;
}

/* Text of n's child element name, or NULL (*oom set on ENOMEM). */
static char *child_text(const xmlNode *n, const char *name, bool *oom)
{
  xmlNode *c = child(n, name);
  if (!c)
    return NULL;
  char *s = trimmed_text(c);
  *oom = *oom || !s;
  return s;
}

static void list_release(struct l4p__splc_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* The non-empty texts of the item elements under n's child name. */
static bool read_list(const xmlNode *n, const char *name, const char *item,
                      struct l4p__splc_list *l)
{
  xmlNode *holder = child(n, name);
  if (!holder)
    return true;
  size_t cap = 0;
  for (xmlNode *c = holder->children; c; c = c->next)
    cap += named(c, item);
  if (!cap)
    return true;
  if (!(l->items = calloc(cap, sizeof *l->items)))
    return false;
  for (xmlNode *c = holder->children; c; c = c->next) {
    if (!named(c, item))
      continue;
    char *s = trimmed_text(c);
    if (!s)
      return false;
    if (*s)
      l->items[l->n++] = s;
    else
      free(s);
  }
  return true;
}

static l4p_status read_binary(const xmlNode *n, const char *path,
                              struct l4p__splc_binary *b)
{
  bool oom = false;
  b->line = (int)xmlGetLineNo(n);
  b->name = child_text(n, "name", &oom);
  b->parent = child_text(n, "parent", &oom);
  char *optional = child_text(n, "optional", &oom);
  b->optional = optional && strcasecmp(optional, "true") == 0;
  free(optional);
  if (!b->parent && !oom)
    oom = !(b->parent = strdup(""));
  if (oom || !read_list(n, "children", "option", &b->children) ||
      !read_list(n, "impliedOptions", "options", &b->implied) ||
      !read_list(n, "excludedOptions", "options", &b->excluded))
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  if (!b->name || !*b->name)
    return l4p_failf(L4P_EPARSE, "%s:%d: option without a name", path, b->line);
  return L4P_OK;
}

static l4p_status read_numeric(const xmlNode *n, const char *path,
                               struct l4p__splc_numeric *v)
{
  bool oom = false;
  v->line = (int)xmlGetLineNo(n);
  v->name = child_text(n, "name", &oom);
  v->parent = child_text(n, "parent", &oom);
  v->min = child_text(n, "minValue", &oom);
  v->max = child_text(n, "maxValue", &oom);
  v->step = child_text(n, "stepFunction", &oom);
  v->values = child_text(n, "values", &oom);
  v->deflt = child_text(n, "defaultValue", &oom);
  if (oom)
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  if (!v->name || !*v->name)
    return l4p_failf(L4P_EPARSE, "%s:%d: option without a name", path, v->line);
  return L4P_OK;
}

static l4p_status read_constraint(const xmlNode *n, const char *path,
                                  enum l4p__splc_ckind kind,
                                  struct l4p__splc_constraint *c)
{
  c->kind = kind;
  c->line = (int)xmlGetLineNo(n);
  if (!(c->text = trimmed_text(n)))
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  xmlChar *req = xmlGetProp(n, (const xmlChar *)"req");
  xmlChar *kindp = xmlGetProp(n, (const xmlChar *)"exprKind");
  c->require_all = req && strcasecmp((const char *)req, "all") == 0;
  c->negated = kindp && strcasecmp((const char *)kindp, "neg") == 0;
  xmlFree(req);
  xmlFree(kindp);
  return L4P_OK;
}

/* Number of element children called name under the section. */
static size_t count(const xmlNode *section, const char *name)
{
  size_t n = 0;
  for (xmlNode *c = section ? section->children : NULL; c; c = c->next)
    n += named(c, name);
  return n;
}

static l4p_status read_vm(const xmlNode *vm, const char *path,
                          struct l4p__splc_model *m)
{
  static const struct {
    const char *section;
    enum l4p__splc_ckind kind;
  } cons[] = {{"booleanConstraints", L4P__SPLC_BOOLEAN},
              {"nonBooleanConstraints", L4P__SPLC_NUMERIC},
              {"mixedConstraints", L4P__SPLC_MIXED}};
  const xmlNode *bin = child(vm, "binaryOptions");
  const xmlNode *num = child(vm, "numericOptions");
  size_t n_con = 0;
  for (size_t i = 0; i < sizeof cons / sizeof *cons; i++)
    n_con += count(child(vm, cons[i].section), "constraint");
  m->bin = calloc(count(bin, "configurationOption") + 1, sizeof *m->bin);
  m->num = calloc(count(num, "configurationOption") + 1, sizeof *m->num);
  m->con = calloc(n_con + 1, sizeof *m->con);
  if (!m->bin || !m->num || !m->con)
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  l4p_status st = L4P_OK;
  for (xmlNode *c = bin ? bin->children : NULL; c && !st; c = c->next)
    if (named(c, "configurationOption"))
      st = read_binary(c, path, &m->bin[m->n_bin++]);
  for (xmlNode *c = num ? num->children : NULL; c && !st; c = c->next)
    if (named(c, "configurationOption"))
      st = read_numeric(c, path, &m->num[m->n_num++]);
  for (size_t i = 0; i < sizeof cons / sizeof *cons && !st; i++) {
    const xmlNode *sec = child(vm, cons[i].section);
    for (xmlNode *c = sec ? sec->children : NULL; c && !st; c = c->next)
      if (named(c, "constraint"))
        st = read_constraint(c, path, cons[i].kind, &m->con[m->n_con++]);
  }
  return st;
}

/* The first error libxml2 reports: later ones (the unclosed elements
 * after a typo) only repeat it. */
struct first_error {
  int line;
  char msg[512];
};

static void keep_first(void *data, xmlError *e)
{
  xmlParserCtxt *ctxt = data;
  struct first_error *first = ctxt->_private;
  if (!first || first->msg[0] || !e || !e->message)
    return;
  first->line = e->line;
  snprintf(first->msg, sizeof first->msg, "%s", e->message);
}

/* EPARSE for the first error: "path:line: malformed XML: ...". */
static l4p_status xml_failure(const struct first_error *first, const char *path)
{
  if (!first->msg[0])
    return l4p_failf(L4P_EPARSE, "%s: malformed XML", path);
  char msg[512];
  snprintf(msg, sizeof msg, "%s", first->msg);
  size_t len = strlen(msg);
  while (len && isspace((unsigned char)msg[len - 1]))
    msg[--len] = '\0';
  msg[0] = (char)tolower((unsigned char)msg[0]);
  return l4p_failf(L4P_EPARSE, "%s:%d: malformed XML: %s", path, first->line,
                   msg);
}

/* Parse path into m. Nothing is printed: libxml2's first error becomes
 * the EPARSE message with its line. */
l4p_status l4p__splc_read(const char *path, struct l4p__splc_model *m)
{
  memset(m, 0, sizeof *m);
  FILE *f = fopen(path, "rb");
  if (!f)
    return l4p_failf(L4P_EIO, "cannot open '%s': %s", path, strerror(errno));
  fclose(f);
  xmlParserCtxt *ctxt = xmlNewParserCtxt();
  if (!ctxt)
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  /* a library must not print: errors go to keep_first, not stderr */
  struct first_error first = {0, ""};
  ctxt->_private = &first;
  ctxt->sax->serror = keep_first;
  xmlDoc *doc = xmlCtxtReadFile(ctxt, path, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
  l4p_status st;
  if (!doc)
    st = xml_failure(&first, path);
  else {
    xmlNode *vm = xmlDocGetRootElement(doc);
    if (!vm || !named(vm, "vm"))
      st = l4p_failf(L4P_EPARSE, "%s:%d: expected a <vm> root element", path,
                     vm ? (int)xmlGetLineNo(vm) : 1);
    else {
      xmlChar *name = xmlGetProp(vm, (const xmlChar *)"name");
      m->name = strdup(name ? (const char *)name : "");
      xmlFree(name);
      st = m->name ? read_vm(vm, path, m)
                   : l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
    }
    xmlFreeDoc(doc);
  }
  xmlFreeParserCtxt(ctxt);
  return st;
}

/* Free everything l4p__splc_read filled in. */
void l4p__splc_release(struct l4p__splc_model *m)
{
  for (size_t i = 0; m->bin && i < m->n_bin; i++) {
    struct l4p__splc_binary *b = &m->bin[i];
    free(b->name);
    free(b->parent);
    list_release(&b->children);
    list_release(&b->implied);
    list_release(&b->excluded);
  }
  for (size_t i = 0; m->num && i < m->n_num; i++) {
    struct l4p__splc_numeric *v = &m->num[i];
    free(v->name);
    free(v->parent);
    free(v->min);
    free(v->max);
    free(v->step);
    free(v->values);
    free(v->deflt);
  }
  for (size_t i = 0; m->con && i < m->n_con; i++)
    free(m->con[i].text);
  free(m->bin);
  free(m->num);
  free(m->con);
  free(m->name);
  memset(m, 0, sizeof *m);
}
