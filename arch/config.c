/*
** config.c - typed architecture specs from parameter tables: defaults, text values,
** YAML config files, the stored config text, and qaArchResolve (see arch.h).
**
** Every parameter row points at a field of the architecture's spec struct; setting a
** parameter validates its text against the row (type, range, enum names) and writes
** the field. Nothing outside this file reads a parameter by name.
*/
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arch/arch.h"
#include "base/strbuf.h"
#include "base/yaml.h"

/* Old parameter names still accepted in configs and --set (renamed so that a name means
** the same in every architecture). */
static const struct {
  const char *old, *now;
} kAliases[] = {{"filters_per_tile", "rows"}, {"windows", "columns"}};

/* ---- fields ----------------------------------------------------------------------- */

static int *intField(QaArchConfig *cfg, const QaParam *p) {
  return (int *)(void *)(cfg->spec.bytes + p->offset);
}
static double *realField(QaArchConfig *cfg, const QaParam *p) {
  return (double *)(void *)(cfg->spec.bytes + p->offset);
}

static void store(QaArchConfig *cfg, const QaParam *p, double v) {
  if (p->type == QA_PT_REAL)
    *realField(cfg, p) = v;
  else
    *intField(cfg, p) = (int)llround(v);
}

double qaCfgValue(const QaArchConfig *cfg, int i) {
  const QaParam *p = &cfg->desc->params[i];
  const unsigned char *f = cfg->spec.bytes + p->offset;
  if (p->type == QA_PT_REAL) return *(const double *)(const void *)f;
  return *(const int *)(const void *)f;
}

void qaCfgValueText(const QaArchConfig *cfg, int i, char *buf, size_t cap) {
  const QaParam *p = &cfg->desc->params[i];
  double v = qaCfgValue(cfg, i);
  if (p->type == QA_PT_BOOL)
    snprintf(buf, cap, "%s", v ? "true" : "false");
  else if (p->type == QA_PT_ENUM)
    snprintf(buf, cap, "%s", p->names[(int)v]);
  else
    snprintf(buf, cap, "%.17g", v);
}

int qaCfgParamIndex(const QaArchDesc *d, const char *name) {
  for (size_t a = 0; a < sizeof kAliases / sizeof kAliases[0]; a++)
    if (!strcmp(name, kAliases[a].old)) name = kAliases[a].now;
  for (int i = 0; i < d->n_params; i++)
    if (!strcmp(d->params[i].name, name)) return i;
  return -1;
}

void qaCfgDefaults(const QaArchDesc *d, QaArchConfig *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->desc = d;
  cfg->spec.base.columns = 1;
  for (int i = 0; i < d->n_params; i++) store(cfg, &d->params[i], d->params[i].def);
  strcpy(cfg->source, "defaults");
}

static void listParams(const QaArchDesc *d, QaStrBuf *b) {
  for (int i = 0; i < d->n_params; i++) qaStrBufAppendf(b, "%s%s", i ? ", " : "", d->params[i].name);
}

static void listNames(const QaParam *p, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = 0;
  for (int i = 0; p->names[i] && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", p->names[i]);
}

int qaCfgSetText(QaArchConfig *cfg, const char *name, const char *value, const char *origin, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  int i = qaCfgParamIndex(d, name);
  if (i < 0) {
    QaStrBuf known;
    qaStrBufInit(&known);
    listParams(d, &known);
    int rc = qaErrSet(err, QA_EUSER, "%s: unknown parameter '%s' for architecture %s (known: %s)", origin,
                      name, d->name, qaStrBufText(&known));
    qaStrBufFree(&known);
    return rc;
  }
  const QaParam *p = &d->params[i];
  double v;
  char *end = NULL;
  if (p->type == QA_PT_BOOL) {
    if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcmp(value, "1"))
      v = 1;
    else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") || !strcmp(value, "0"))
      v = 0;
    else
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be true or false, got '%s'", origin, p->name,
                      value);
  } else if (p->type == QA_PT_ENUM) {
    v = -1;
    for (int k = 0; p->names[k]; k++)
      if (!strcasecmp(value, p->names[k])) v = k;
    if (v < 0) { /* the value's index, as configs before named values wrote it */
      errno = 0;
      long k = strtol(value, &end, 10);
      if (!errno && end != value && !*end && k >= p->min && k <= p->max) v = (double)k;
    }
    if (v < 0) {
      char names[256];
      listNames(p, names, sizeof names);
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be one of %s, got '%s'", origin, p->name, names,
                      value);
    }
  } else {
    errno = 0;
    v = strtod(value, &end);
    if (errno || end == value || *end || !isfinite(v) || isspace((unsigned char)value[0]))
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be a number, got '%s'", origin, p->name, value);
    if (p->type == QA_PT_INT && v != floor(v))
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be an integer, got '%s'", origin, p->name,
                      value);
    if (v < p->min || v > p->max)
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' = %s is out of range [%g, %g]%s%s", origin, p->name,
                      value, p->min, p->max, p->unit[0] ? " " : "", p->unit);
  }
  store(cfg, p, v);
  cfg->set[i] = 1;
  return QA_OK;
}

/* ---- YAML config files and the stored text --------------------------------------- */

/* "NAME:LINE:COL" of node N into buf. */
static void nodeOrigin(const QaYamlDoc *doc, const QaYamlNode *n, char *buf, size_t cap) {
  snprintf(buf, cap, "%s:%d:%d", qaYamlName(doc), qaYamlLine(n), qaYamlColumn(n));
}

/* Set every `name: value` of mapping MAP (and of a nested `params:` mapping). */
static int loadParams(QaArchConfig *cfg, const QaYamlDoc *doc, const QaYamlNode *map, int top, QaErr *err) {
  for (int i = 0; i < qaYamlCount(map); i++) {
    const QaYamlNode *k = qaYamlKeyAt(map, i), *v = qaYamlValueAt(map, i);
    const char *key = qaYamlScalar(k);
    char where[QA_PATH_MAX + 48];
    if (top && (!strcmp(key, "arch") || !strcmp(key, "name") || !strcmp(key, "description"))) continue;
    if (top && !strcmp(key, "params")) {
      if (qaYamlKind(v) != QA_YAML_MAP)
        return qaYamlFail(v, err, "'params' must be a mapping of parameter: value, not %s",
                          qaYamlKindName(v));
      int rc = loadParams(cfg, doc, v, 0, err);
      if (rc) return rc;
      continue;
    }
    if (qaCfgParamIndex(cfg->desc, key) < 0) { /* unknown: suggest the closest name */
      const char *names[QA_PARAMS_MAX];
      for (int p = 0; p < cfg->desc->n_params; p++) names[p] = cfg->desc->params[p].name;
      const char *near = qaStrClosest(key, names, cfg->desc->n_params, 2);
      nodeOrigin(doc, k, where, sizeof where);
      int rc = qaCfgSetText(cfg, key, "0", where, err);
      if (near && err) {
        char msg[QA_ERR_MAX];
        snprintf(msg, sizeof msg, "%.900s; did you mean '%.60s'?", err->msg, near);
        memcpy(err->msg, msg, sizeof msg);
      }
      return rc;
    }
    if (qaYamlKind(v) != QA_YAML_SCALAR)
      return qaYamlFail(v, err, "parameter '%s' must be a single value, not %s", key, qaYamlKindName(v));
    nodeOrigin(doc, v, where, sizeof where);
    int rc = qaCfgSetText(cfg, key, qaYamlScalar(v), where, err);
    if (rc) return rc;
  }
  return QA_OK;
}

/* The config in DOC: `arch: NAME` and parameters; SOURCE is recorded in cfg->source. */
static int loadDoc(const QaYamlDoc *doc, const char *source, QaArchConfig *cfg, QaErr *err) {
  const QaYamlNode *root = qaYamlRoot(doc);
  if (qaYamlKind(root) != QA_YAML_MAP)
    return qaYamlFailDoc(doc, err,
                         "an architecture config must be a mapping with 'arch: NAME' and parameters");
  const QaYamlNode *an = qaYamlLookup(root, "arch");
  if (!an) return qaYamlFailDoc(doc, err, "missing key 'arch' (e.g. arch: dadiannao)");
  const char *arch = NULL;
  int rc = qaYamlGetText(an, "key 'arch'", &arch, err);
  if (rc) return rc;
  const QaArchDesc *d;
  if ((rc = qaArchFind(arch, &d, err))) {
    char where[QA_PATH_MAX + 48];
    nodeOrigin(doc, an, where, sizeof where);
    qaErrPrefix(err, "%s: key 'arch'", where);
    return rc;
  }
  qaCfgDefaults(d, cfg);
  if ((rc = loadParams(cfg, doc, root, 1, err))) return rc;
  snprintf(cfg->source, sizeof cfg->source, "%s", source);
  return QA_OK;
}

int qaCfgLoadYaml(const char *path, QaArchConfig *cfg, QaErr *err) {
  QaYamlDoc *doc = NULL;
  int rc = qaYamlLoadFile(path, "architecture config", &doc, err);
  if (!rc) rc = loadDoc(doc, path, cfg, err);
  qaYamlDestroy(doc);
  return rc;
}

char *qaCfgToYaml(const QaArchConfig *cfg) {
  const QaArchDesc *d = cfg->desc;
  QaStrBuf b;
  qaStrBufInit(&b);
  qaStrBufAppendf(&b, "arch: %s\n", d->name);
  for (int i = 0; i < d->n_params; i++) {
    char v[64];
    qaCfgValueText(cfg, i, v, sizeof v);
    qaStrBufAppendf(&b, "%s: %s\n", d->params[i].name, v);
  }
  if (qaStrBufCheck(&b, NULL) != QA_OK) {
    qaStrBufFree(&b);
    return NULL;
  }
  return qaStrBufTake(&b);
}

int qaCfgFromText(const char *text, const char *origin_name, QaArchConfig *cfg, QaErr *err) {
  QaYamlDoc *doc = NULL;
  const char *t = text ? text : "";
  int rc = qaYamlLoadString(origin_name, t, strlen(t), &doc, err);
  if (!rc) rc = loadDoc(doc, origin_name, cfg, err);
  qaYamlDestroy(doc);
  return rc;
}

/* ---- resolution ------------------------------------------------------------------- */

/* PATH of named config NAME (arch/configs/NAME.yaml under $QASIM_DATA or the source tree)
** when NAME is a bare name and not an existing file. */
static int namedConfig(const char *name, char *path, size_t cap) {
  struct stat sb;
  if (strchr(name, '/') || stat(name, &sb) == 0) return 0;
  size_t n = strlen(name);
  if (n > 5 && (!strcmp(name + n - 5, ".yaml") || !strcmp(name + n - 4, ".yml"))) return 0;
  char rel[QA_PATH_MAX];
  snprintf(rel, sizeof rel, "arch/configs/%s.yaml", name);
  qaDataPath(rel, path, cap);
  return 1;
}

int qaArchResolve(const QaArchRequest *req, QaArchConfig *out, QaErr *err) {
  const QaArchDesc *d = NULL;
  int rc;
  if (req->arch && (rc = qaArchFind(req->arch, &d, err))) return rc;
  if (req->config) {
    char named[QA_PATH_MAX];
    const char *path = req->config;
    if (namedConfig(req->config, named, sizeof named)) {
      struct stat sb;
      if (stat(named, &sb) != 0)
        return qaErrSet(
            err, QA_EUSER,
            "--config %s: no such file, and no named config %s (see arch/configs/ or give a path)",
            req->config, named);
      path = named;
    }
    if ((rc = qaCfgLoadYaml(path, out, err))) return rc;
    if (d && d != out->desc)
      return qaErrSet(err, QA_EUSER,
                      "--arch %s contradicts the config file %s, which is for architecture %s; drop --arch "
                      "or use a config of %s",
                      d->name, path, out->desc->name, d->name);
  } else {
    if (!d && (rc = qaArchFind("dadiannao", &d, err))) return rc;
    qaCfgDefaults(d, out);
  }
  d = out->desc;
  for (int i = 0; i < req->n_sets; i++) {
    const char *s = req->sets[i], *eq = strchr(s, '=');
    char name[64];
    if (!eq || eq == s) return qaErrSet(err, QA_EUSER, "--set '%s': expected NAME=VALUE", s);
    if ((size_t)(eq - s) >= sizeof name)
      return qaErrSet(err, QA_EUSER,
                      "--set '%.40s...': the parameter name is too long (at most %zu characters)", s,
                      sizeof name - 1);
    memcpy(name, s, (size_t)(eq - s));
    name[eq - s] = 0;
    if ((rc = qaCfgSetText(out, name, eq + 1, "--set", err))) return rc;
  }
  if (req->size_bits > 0)
    for (int i = 0; i < d->n_params; i++) {
      const QaParam *p = &d->params[i];
      if (!(p->flags & QA_PF_SIZED_BY_BITS) || out->set[i]) continue;
      if (req->size_bits < p->min || req->size_bits > p->max)
        return qaErrSet(err, QA_EUSER, "%s: parameter '%s' cannot be %d bits (range [%g, %g])", d->name,
                        p->name, req->size_bits, p->min, p->max);
      store(out, p, req->size_bits);
    }
  return QA_OK;
}

int qaArchHwBits(const QaArchConfig *cfg) {
  return cfg->desc->hw_bits ? cfg->desc->hw_bits(cfg) : QA_BITS_MAX;
}

void qaArchPrintParams(const QaArchDesc *d, void *file) {
  FILE *f = file;
  fprintf(f, "%s - %s\n", d->name, d->summary);
  fprintf(f, "  %-18s %10s %-22s %-5s %s\n", "parameter", "default", "range", "unit", "meaning");
  for (int i = 0; i < d->n_params; i++) {
    const QaParam *p = &d->params[i];
    char range[64], def[32];
    if (p->type == QA_PT_BOOL) {
      snprintf(range, sizeof range, "bool");
      snprintf(def, sizeof def, "%s", p->def ? "true" : "false");
    } else if (p->type == QA_PT_ENUM) {
      listNames(p, range, sizeof range);
      snprintf(def, sizeof def, "%s", p->names[(int)p->def]);
    } else {
      snprintf(range, sizeof range, "%.15g..%.15g", p->min, p->max);
      snprintf(def, sizeof def, "%g", p->def);
    }
    fprintf(f, "  %-18s %10s %-22s %-5s %s\n", p->name, def, range, p->unit, p->help);
  }
}
