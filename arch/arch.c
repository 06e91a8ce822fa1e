/*
** arch.c - architecture registry, parameter tables and YAML architecture configs.
*/
#define _POSIX_C_SOURCE 200809L
#include "arch/arch.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const QaArchDesc qaArchDaDianNao;
extern const QaArchDesc qaArchDaDianNao8;
extern const QaArchDesc qaArchStripes;
extern const QaArchDesc qaArchPragmatic;
extern const QaArchDesc qaArchLaconic;
extern const QaArchDesc qaArchOneHotDaDianNao;
extern const QaArchDesc qaArchKHotLaconic;

static const QaArchDesc *const registry[] = {
    &qaArchDaDianNao, &qaArchDaDianNao8,      &qaArchStripes,     &qaArchPragmatic,
    &qaArchLaconic,   &qaArchOneHotDaDianNao, &qaArchKHotLaconic,
};

int qaArchCount(void) { return (int)(sizeof registry / sizeof registry[0]); }
const QaArchDesc *qaArchAt(int i) { return registry[i]; }

int qaArchFind(const char *name, const QaArchDesc **out, QaErr *err) {
  char known[512] = "";
  for (int i = 0; i < qaArchCount(); i++) {
    if (!strcasecmp(registry[i]->name, name)) {
      *out = registry[i];
      return QA_OK;
    }
    if (i) strncat(known, ", ", sizeof known - strlen(known) - 1);
    strncat(known, registry[i]->name, sizeof known - strlen(known) - 1);
  }
  return qaErrSet(err, QA_EUSER, "unknown architecture '%s'; known: %s (see `qasim archs`)", name, known);
}

static int param_index(const QaArchDesc *d, const char *name) {
  for (int i = 0; i < d->n_params; i++)
    if (!strcmp(d->params[i].name, name)) return i;
  return -1;
}

double qaCfgGet(const QaArchConfig *cfg, const char *name) {
  int i = param_index(cfg->desc, name);
  if (i < 0) {
    fprintf(stderr, "qasim: internal error: architecture '%s' has no parameter '%s'\n", cfg->desc->name,
            name);
    abort();
  }
  return cfg->v[i];
}

double qaCfgGetOr(const QaArchConfig *cfg, const char *name, double dflt) {
  int i = param_index(cfg->desc, name);
  return i < 0 ? dflt : cfg->v[i];
}

int qaCfgInt(const QaArchConfig *cfg, const char *name) { return (int)llround(qaCfgGet(cfg, name)); }

void qaCfgDefaults(const QaArchDesc *d, QaArchConfig *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->desc = d;
  for (int i = 0; i < d->n_params; i++) cfg->v[i] = d->params[i].def;
  strcpy(cfg->source, "defaults");
}

static void list_params(const QaArchDesc *d, char *buf, size_t len) {
  buf[0] = 0;
  for (int i = 0; i < d->n_params; i++) {
    if (i) strncat(buf, ", ", len - strlen(buf) - 1);
    strncat(buf, d->params[i].name, len - strlen(buf) - 1);
  }
}

int qaCfgSetText(QaArchConfig *cfg, const char *name, const char *value, const char *origin, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  int i = param_index(d, name);
  if (i < 0) {
    char known[1024];
    list_params(d, known, sizeof known);
    return qaErrSet(err, QA_EUSER, "%s: unknown parameter '%s' for architecture %s (known: %s)", origin, name,
                    d->name, known);
  }
  const QaParamDef *p = &d->params[i];
  double v;
  char *end = NULL;
  if (p->type == QA_PT_BOOL) {
    if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1"))
      v = 1;
    else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0"))
      v = 0;
    else
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be true or false, got '%s'", origin, name,
                      value);
  } else {
    errno = 0;
    v = strtod(value, &end);
    if (errno || end == value || *end || !isfinite(v))
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be a number, got '%s'", origin, name, value);
    if (p->type == QA_PT_INT && v != floor(v))
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be an integer, got '%s'", origin, name, value);
    if (v < p->min || v > p->max)
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' = %s is out of range [%g, %g]%s%s", origin, name,
                      value, p->min, p->max, p->unit[0] ? " " : "", p->unit);
  }
  cfg->v[i] = v;
  cfg->set[i] = 1;
  return QA_OK;
}

/* Resolve a node's 1-based line for messages. */
static int node_line(struct fy_node *n) {
  if (!n) return 0;
  if (fy_node_is_scalar(n)) {
    struct fy_token *t = fy_node_get_scalar_token(n);
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    return m ? m->line + 1 : 0;
  }
  void *it = NULL;
  if (fy_node_is_mapping(n)) {
    struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
    return p ? node_line(fy_node_pair_key(p)) : 0;
  }
  return node_line(fy_node_sequence_iterate(n, &it));
}

static int load_params(QaArchConfig *cfg, const char *path, struct fy_node *map, QaErr *err) {
  void *it = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(map, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    const char *key = fy_node_get_scalar0(k);
    char origin[QA_PATH_MAX + 32];
    snprintf(origin, sizeof origin, "%s:%d", path, node_line(k));
    if (!key) return qaErrSet(err, QA_EUSER, "%s: keys must be plain names", origin);
    if (!strcmp(key, "arch") || !strcmp(key, "name") || !strcmp(key, "description")) continue;
    if (!strcmp(key, "params")) {
      if (!fy_node_is_mapping(v))
        return qaErrSet(err, QA_EUSER, "%s: 'params' must be a mapping of parameter: value", origin);
      int rc = load_params(cfg, path, v, err);
      if (rc) return rc;
      continue;
    }
    if (!fy_node_is_scalar(v)) {
      snprintf(origin, sizeof origin, "%s:%d", path, node_line(v));
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be a single value", origin, key);
    }
    snprintf(origin, sizeof origin, "%s:%d", path, node_line(v));
    int rc = qaCfgSetText(cfg, key, fy_node_get_scalar0(v), origin, err);
    if (rc) return rc;
  }
  return QA_OK;
}

/* libfyaml diagnostics are captured (first line only) instead of printed. */
static void diag_capture(struct fy_diag *diag, void *user, const char *buf, size_t len) {
  char *dst = user;
  (void)diag;
  if (dst[0]) return;
  size_t n = len < 255 ? len : 255;
  memcpy(dst, buf, n);
  dst[n] = 0;
  char *nl = strchr(dst, '\n');
  if (nl) *nl = 0;
}

int qaCfgLoadYaml(const char *path, QaArchConfig *cfg, QaErr *err) {
  int rc = QA_OK;
  struct fy_parse_cfg pcfg = {0};
  struct fy_diag_cfg dcfg;
  struct fy_diag *diag = NULL;
  struct fy_document *doc = NULL;
  char diag_msg[256] = "";
  FILE *fp = fopen(path, "r");
  if (!fp) return qaErrSet(err, QA_EUSER, "%s: cannot open architecture config: %s", path, strerror(errno));
  fclose(fp);
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = diag_capture;
  dcfg.user = diag_msg;
  dcfg.colorize = false;
  diag = fy_diag_create(&dcfg);
  pcfg.diag = diag;
  doc = fy_document_build_from_file(&pcfg, path);
  if (!doc) {
    rc = qaErrSet(err, QA_EUSER, "%s: not valid YAML: %s", path, diag_msg[0] ? diag_msg : "parse error");
    goto end;
  }
  struct fy_node *root = fy_document_root(doc);
  if (!root || !fy_node_is_mapping(root)) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s:1: an architecture config must be a mapping with 'arch: NAME' and parameters", path);
    goto end;
  }
  struct fy_node *an = fy_node_mapping_lookup_by_string(root, "arch", FY_NT);
  const char *arch = an ? fy_node_get_scalar0(an) : NULL;
  if (!arch) {
    rc = qaErrSet(err, QA_EUSER, "%s:1: missing key 'arch' (e.g. arch: dadiannao)", path);
    goto end;
  }
  const QaArchDesc *d;
  if ((rc = qaArchFind(arch, &d, err)) != QA_OK) {
    qaErrPrefix(err, "%s:%d: key 'arch'", path, node_line(an));
    goto end;
  }
  if (cfg->desc != d) qaCfgDefaults(d, cfg);
  if ((rc = load_params(cfg, path, root, err)) != QA_OK) goto end;
  snprintf(cfg->source, sizeof cfg->source, "%s", path);
end:
  fy_document_destroy(doc);
  if (diag) fy_diag_destroy(diag);
  return rc;
}

char *qaCfgToYaml(const QaArchConfig *cfg) {
  const QaArchDesc *d = cfg->desc;
  size_t cap = 256 + (size_t)d->n_params * 96, len = 0;
  char *s = malloc(cap);
  if (!s) return NULL;
  len += (size_t)snprintf(s + len, cap - len, "arch: %s\n", d->name);
  for (int i = 0; i < d->n_params; i++) {
    const QaParamDef *p = &d->params[i];
    if (p->type == QA_PT_BOOL)
      len += (size_t)snprintf(s + len, cap - len, "%s: %s\n", p->name, cfg->v[i] ? "true" : "false");
    else
      len += (size_t)snprintf(s + len, cap - len, "%s: %.17g\n", p->name, cfg->v[i]);
  }
  return s;
}

void qaArchPrintParams(const QaArchDesc *d, void *file) {
  FILE *f = file;
  fprintf(f, "%s - %s\n", d->name, d->summary);
  fprintf(f, "  %-18s %10s %-14s %-5s %s\n", "parameter", "default", "range", "unit", "meaning");
  for (int i = 0; i < d->n_params; i++) {
    const QaParamDef *p = &d->params[i];
    char range[48];
    if (p->type == QA_PT_BOOL)
      snprintf(range, sizeof range, "bool");
    else
      snprintf(range, sizeof range, "%.15g..%.15g", p->min, p->max);
    fprintf(f, "  %-18s %10g %-14s %-5s %s\n", p->name, p->def, range, p->unit, p->help);
  }
}
