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
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arch/arch.h"

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

static void listParams(const QaArchDesc *d, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = 0;
  for (int i = 0; i < d->n_params && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", d->params[i].name);
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
    char known[1024];
    listParams(d, known, sizeof known);
    return qaErrSet(err, QA_EUSER, "%s: unknown parameter '%s' for architecture %s (known: %s)", origin, name,
                    d->name, known);
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

/* ---- YAML config files ------------------------------------------------------------ */

/* Resolve a node's 1-based line for messages. */
static int nodeLine(struct fy_node *n) {
  if (!n) return 0;
  if (fy_node_is_scalar(n)) {
    struct fy_token *t = fy_node_get_scalar_token(n);
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    return m ? m->line + 1 : 0;
  }
  void *it = NULL;
  if (fy_node_is_mapping(n)) {
    struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
    return p ? nodeLine(fy_node_pair_key(p)) : 0;
  }
  return nodeLine(fy_node_sequence_iterate(n, &it));
}

static int loadParams(QaArchConfig *cfg, const char *path, struct fy_node *map, QaErr *err) {
  void *it = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(map, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    const char *key = fy_node_get_scalar0(k);
    char origin[QA_PATH_MAX + 32];
    snprintf(origin, sizeof origin, "%s:%d", path, nodeLine(k));
    if (!key) return qaErrSet(err, QA_EUSER, "%s: keys must be plain names", origin);
    if (!strcmp(key, "arch") || !strcmp(key, "name") || !strcmp(key, "description")) continue;
    if (!strcmp(key, "params")) {
      if (!fy_node_is_mapping(v))
        return qaErrSet(err, QA_EUSER, "%s: 'params' must be a mapping of parameter: value", origin);
      int rc = loadParams(cfg, path, v, err);
      if (rc) return rc;
      continue;
    }
    if (!fy_node_is_scalar(v)) {
      snprintf(origin, sizeof origin, "%s:%d", path, nodeLine(v));
      return qaErrSet(err, QA_EUSER, "%s: parameter '%s' must be a single value", origin, key);
    }
    snprintf(origin, sizeof origin, "%s:%d", path, nodeLine(v));
    int rc = qaCfgSetText(cfg, key, fy_node_get_scalar0(v), origin, err);
    if (rc) return rc;
  }
  return QA_OK;
}

/* libfyaml diagnostics are captured (first line only) instead of printed. */
static void diagCapture(struct fy_diag *diag, void *user, const char *buf, size_t len) {
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
  struct stat sb;
  FILE *fp = fopen(path, "r");
  if (!fp) return qaErrSet(err, QA_EUSER, "%s: cannot open architecture config: %s", path, strerror(errno));
  fclose(fp);
  if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
    return qaErrSet(err, QA_EUSER, "%s: not a regular file (an architecture config is a YAML file)", path);
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = diagCapture;
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
    qaErrPrefix(err, "%s:%d: key 'arch'", path, nodeLine(an));
    goto end;
  }
  qaCfgDefaults(d, cfg);
  if ((rc = loadParams(cfg, path, root, err)) != QA_OK) goto end;
  snprintf(cfg->source, sizeof cfg->source, "%s", path);
end:
  fy_document_destroy(doc);
  if (diag) fy_diag_destroy(diag);
  return rc;
}

/* ---- the stored text -------------------------------------------------------------- */

char *qaCfgToYaml(const QaArchConfig *cfg) {
  const QaArchDesc *d = cfg->desc;
  size_t cap = 256 + (size_t)d->n_params * 96, len = 0;
  char *s = malloc(cap);
  if (!s) return NULL;
  len += (size_t)snprintf(s + len, cap - len, "arch: %s\n", d->name);
  for (int i = 0; i < d->n_params; i++) {
    char v[64];
    qaCfgValueText(cfg, i, v, sizeof v);
    len += (size_t)snprintf(s + len, cap - len, "%s: %s\n", d->params[i].name, v);
  }
  return s;
}

int qaCfgFromText(const char *text, const char *origin, QaArchConfig *cfg, QaErr *err) {
  int rc = QA_OK, line_no = 0, have_arch = 0;
  const char *p = text ? text : "";
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char line[256], where[QA_PATH_MAX + 32];
    line_no++;
    snprintf(where, sizeof where, "%s line %d", origin, line_no);
    if (len >= sizeof line) return qaErrSet(err, QA_EUSER, "%s: line too long", where);
    memcpy(line, p, len);
    line[len] = 0;
    p += len + (nl ? 1 : 0);
    if (!line[0]) continue;
    char *colon = strstr(line, ": ");
    if (!colon || colon == line)
      return qaErrSet(err, QA_EUSER, "%s: expected 'name: value', got '%s'", where, line);
    *colon = 0;
    const char *key = line, *val = colon + 2;
    if (!have_arch) {
      const QaArchDesc *d;
      if (strcmp(key, "arch"))
        return qaErrSet(err, QA_EUSER, "%s: expected 'arch: NAME' first, got '%s'", where, key);
      if ((rc = qaArchFind(val, &d, err))) {
        qaErrPrefix(err, "%s", where);
        return rc;
      }
      qaCfgDefaults(d, cfg);
      have_arch = 1;
      continue;
    }
    if ((rc = qaCfgSetText(cfg, key, val, where, err))) return rc;
  }
  if (!have_arch) return qaErrSet(err, QA_EUSER, "%s: empty config (no 'arch: NAME')", origin);
  snprintf(cfg->source, sizeof cfg->source, "%s", origin);
  return QA_OK;
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
