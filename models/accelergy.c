/*
** accelergy.c - import an Accelergy Energy Reference Table (ERT) and, optionally, its Area
** Reference Table (ART) as a cost table.
**
** An ERT lists components by hierarchical name ("system_top_level.shared_glb[1..1]") with
** an energy in pJ per named action ("read", "compute", "leak", ...); the ART gives each
** component an area in um^2. Neither says how wide or how big a component is, so every
** imported row is width-independent (it prices one action of that component as Accelergy
** configured it) and carries the component's short name as its instance. Components map
** onto cost classes by the words of their short name (or of an optional "class" key),
** actions by name; kNameRules and kActionRules below are the whole mapping, and anything
** outside it is an error naming the component, the action, the line and what is mappable.
** Every action is also kept verbatim as a QaCostRaw.
*/
#define _POSIX_C_SOURCE 200809L
#include "models/costs.h"

#include <ctype.h>
#include <libfyaml.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Mapping --------------------------------------------------------------------------- */

typedef struct NameRule {
  const char *words; /* space-separated words; a component matches if one of its words is here */
  const char *cls;
} NameRule;

/* Tried in order: the first rule with a matching word wins ("smartbuffer_RF" is a regfile). */
static const NameRule kNameRules[] = {
    {"edram", "edram"},
    {"dram lpddr lpddr4 ddr ddr3 ddr4 hbm hbm2 gddr gddr5 offchip", "dram"},
    {"regfile rf spad scratchpad", "regfile"},
    {"sram glb gb gbuf buffer smartbuffer cache", "sram"},
    {"mac intmac", "int_mac"},
    {"mult multiplier intmultiplier", "int_mult"},
    {"adder add intadder", "int_add"},
    {"reg register registers flipflop", "reg"},
    {"noc network inter bus wire", "noc"},
};

#define MAPPABLE_NAMES                                                                 \
  "dram/lpddr4/ddr3/hbm2/gddr5, edram, sram/glb/buffer/smartbuffer, regfile/rf/spad, " \
  "mac/intmac, mult/multiplier, adder/add, reg/register, noc/network/inter/bus"

enum { SLOT_RAW = -1, SLOT_LEAK = -2, SLOT_UPDATE = -3 };

typedef struct ActRule {
  const char *name;
  int slot; /* a QaCostAction, or SLOT_RAW (kept only in the raw list), SLOT_LEAK, SLOT_UPDATE */
} ActRule;

typedef struct ActRules {
  const char *classes; /* space-separated classes these rules apply to */
  ActRule rules[12];
  const char *help;
} ActRules;

static const ActRules kActionRules[] = {
    {"dram edram sram regfile",
     {{"read", QA_COST_READ},
      {"random_read", QA_COST_READ},
      {"write", QA_COST_WRITE},
      {"random_write", QA_COST_WRITE},
      {"update", SLOT_UPDATE},
      {"repeated_read", SLOT_RAW},
      {"repeated_write", SLOT_RAW},
      {"idle", SLOT_RAW},
      {"leak", SLOT_LEAK},
      {NULL, 0}},
     "read, random_read, write, random_write, update (priced as write if there is no write), "
     "repeated_read, repeated_write, idle (kept unpriced), leak"},
    {"int_mac int_mult int_add",
     {{"compute", QA_COST_OP},
      {"mac_random", QA_COST_OP},
      {"multiply", QA_COST_OP},
      {"add", QA_COST_OP},
      {"mac_reused", SLOT_RAW},
      {"mac_gated", SLOT_RAW},
      {"mac_skipped", SLOT_RAW},
      {"idle", SLOT_RAW},
      {"leak", SLOT_LEAK},
      {NULL, 0}},
     "compute, mac_random, multiply, add, mac_reused, mac_gated, mac_skipped, idle (kept "
     "unpriced), leak"},
    {"reg",
     {{"write", QA_COST_OP},
      {"access", QA_COST_OP},
      {"update", QA_COST_OP},
      {"read", SLOT_RAW},
      {"idle", SLOT_RAW},
      {"leak", SLOT_LEAK},
      {NULL, 0}},
     "write, access, update, read, idle (kept unpriced), leak"},
    {"noc",
     {{"transfer", QA_COST_OP},
      {"transfer_random", QA_COST_OP},
      {"transfer_repeated", SLOT_RAW},
      {"idle", SLOT_RAW},
      {"leak", SLOT_LEAK},
      {NULL, 0}},
     "transfer, transfer_random, transfer_repeated, idle (kept unpriced), leak"},
};

static int hasWord(const char *list, const char *word) {
  size_t n = strlen(word);
  const char *p = list;
  while (*p) {
    const char *e = strchr(p, ' ');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && !strncmp(p, word, n)) return 1;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

/* Class for a component name (lower-cased, split into words at non-alphanumerics; the
** whole name with separators removed counts as a word too), or NULL. */
static const char *mapName(const char *name) {
  char words[16][QA_COST_INSTANCE_MAX];
  char joined[QA_COST_INSTANCE_MAX];
  int nw = 0;
  size_t nj = 0, k = 0;
  for (const char *p = name;; p++) {
    int alnum = *p && isalnum((unsigned char)*p);
    if (alnum) {
      char c = (char)tolower((unsigned char)*p);
      if (k + 1 < sizeof words[0] && nw < 16) words[nw][k++] = c;
      if (nj + 1 < sizeof joined) joined[nj++] = c;
    } else if (k) {
      words[nw++][k] = 0;
      k = 0;
    }
    if (!*p) break;
  }
  joined[nj] = 0;
  for (size_t r = 0; r < sizeof kNameRules / sizeof kNameRules[0]; r++) {
    if (nj && hasWord(kNameRules[r].words, joined)) return kNameRules[r].cls;
    for (int i = 0; i < nw; i++)
      if (hasWord(kNameRules[r].words, words[i])) return kNameRules[r].cls;
  }
  return NULL;
}

static const ActRules *actionRulesFor(const char *cls) {
  for (size_t i = 0; i < sizeof kActionRules / sizeof kActionRules[0]; i++)
    if (hasWord(kActionRules[i].classes, cls)) return &kActionRules[i];
  return NULL;
}

/* Slot of ACTION for the rules, or 1 with *found = 0 if unknown. */
static int mapAction(const ActRules *rs, const char *action, int *found) {
  for (int i = 0; rs->rules[i].name; i++) {
    if (!strcmp(rs->rules[i].name, action)) {
      *found = 1;
      return rs->rules[i].slot;
    }
  }
  *found = 0;
  return SLOT_RAW;
}

/* "system_top_level.shared_glb[1..1]" -> "shared_glb". */
static void shortName(const char *full, char *out, size_t cap) {
  /* a dot inside a [a..b] range is not a separator: find the last dot outside brackets */
  const char *b = NULL;
  int depth = 0;
  for (const char *p = full; *p; p++) {
    if (*p == '[')
      depth++;
    else if (*p == ']' && depth)
      depth--;
    else if (*p == '.' && !depth)
      b = p;
  }
  b = b ? b + 1 : full;
  size_t n = 0;
  for (const char *p = b; *p && *p != '[' && n + 1 < cap; p++) out[n++] = *p;
  out[n] = 0;
}

/* ---- YAML helpers ---------------------------------------------------------------------- */

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

static int loadDoc(const char *path, struct fy_document **out, QaErr *err) {
  struct fy_parse_cfg pcfg;
  struct fy_diag_cfg dcfg;
  char msg[256] = "";
  FILE *fp = fopen(path, "r");
  *out = NULL;
  if (!fp) return qaErrSet(err, QA_EUSER, "%s: cannot open Accelergy table", path);
  fclose(fp);
  memset(&pcfg, 0, sizeof pcfg);
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = diagCapture;
  dcfg.user = msg;
  dcfg.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  pcfg.diag = diag;
  pcfg.flags = FYPCF_QUIET;
  *out = fy_document_build_from_file(&pcfg, path);
  if (diag) fy_diag_destroy(diag);
  if (!*out) return qaErrSet(err, QA_EUSER, "%s: not valid YAML: %s", path, msg[0] ? msg : "parse error");
  return QA_OK;
}

/* 1-based line of a scalar node, 0 if unknown. */
static int scalarLine(struct fy_node *n) {
  struct fy_token *tok = n && fy_node_is_scalar(n) ? fy_node_get_scalar_token(n) : NULL;
  const struct fy_mark *m = tok ? fy_token_start_mark(tok) : NULL;
  return m ? m->line + 1 : 0;
}

/* Line of a mapping entry: the line of its first scalar value. */
static int mappingLine(struct fy_node *map) {
  void *it = NULL;
  struct fy_node_pair *pair;
  while (map && fy_node_is_mapping(map) && (pair = fy_node_mapping_iterate(map, &it)) != NULL) {
    int l = scalarLine(fy_node_pair_key(pair));
    if (l) return l;
  }
  return 0;
}

static const char *scalarOf(struct fy_node *map, const char *key) {
  struct fy_node *n = map ? fy_node_mapping_lookup_by_string(map, key, FY_NT) : NULL;
  return n && fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
}

/* The ERT:/ART: sequence of tables, or an error naming what is missing. */
static int tablesOf(struct fy_document *doc, const char *path, const char *kind, struct fy_node **out,
                    QaErr *err) {
  struct fy_node *root = fy_document_root(doc);
  struct fy_node *top =
      root && fy_node_is_mapping(root) ? fy_node_mapping_lookup_by_string(root, kind, FY_NT) : NULL;
  struct fy_node *tables =
      top && fy_node_is_mapping(top) ? fy_node_mapping_lookup_by_string(top, "tables", FY_NT) : NULL;
  if (!tables || !fy_node_is_sequence(tables))
    return qaErrSet(err, QA_EUSER,
                    "%s:1: not an Accelergy %s: expected '%s: {version: ..., "
                    "tables: [...]}'",
                    path, kind, kind);
  *out = tables;
  return QA_OK;
}

static int parseEnergy(const char *text, double *out) {
  char *end;
  if (!text) return 0;
  double v = strtod(text, &end);
  if (end == text || *end || !isfinite(v) || v < 0) return 0;
  *out = v;
  return 1;
}

/* ---- ART --------------------------------------------------------------------------------- */

typedef struct ArtEntry {
  char component[QA_COST_NAME_MAX];
  char instance[QA_COST_INSTANCE_MAX];
  const char *cls;
  double area_um2;
  int line;
  int used; /* matched by an ERT component */
} ArtEntry;

static int loadArt(const char *path, ArtEntry **out, int *n_out, QaErr *err) {
  struct fy_document *doc = NULL;
  struct fy_node *tables;
  ArtEntry *a = NULL;
  int n = 0, rc;
  *out = NULL;
  *n_out = 0;
  if ((rc = loadDoc(path, &doc, err))) return rc;
  if ((rc = tablesOf(doc, path, "ART", &tables, err))) goto end;
  int cap = fy_node_sequence_item_count(tables);
  a = qaCalloc((size_t)(cap > 0 ? cap : 1), sizeof *a, err);
  if (!a) {
    rc = QA_EINTERNAL;
    goto end;
  }
  void *it = NULL;
  struct fy_node *e;
  while ((e = fy_node_sequence_iterate(tables, &it)) != NULL) {
    int line = mappingLine(e);
    const char *name = scalarOf(e, "name");
    const char *area = scalarOf(e, "area");
    if (!name || !area) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: ART entry needs 'name' and 'area'", path, line);
      goto end;
    }
    ArtEntry *x = &a[n];
    snprintf(x->component, sizeof x->component, "%s", name);
    shortName(name, x->instance, sizeof x->instance);
    x->line = scalarLine(fy_node_mapping_lookup_by_string(e, "name", FY_NT));
    const char *cls = scalarOf(e, "class");
    x->cls = cls ? mapName(cls) : NULL;
    if (!x->cls) x->cls = mapName(x->instance);
    if (!x->cls) {
      rc = qaErrSet(err, QA_EUSER,
                    "%s:%d: component '%s' (area): cannot map '%s' onto a cost "
                    "class; mappable names contain one of: " MAPPABLE_NAMES,
                    path, x->line, name, x->instance);
      goto end;
    }
    if (!parseEnergy(area, &x->area_um2)) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: component '%s': area '%s' is not a non-negative number", path,
                    x->line, name, area);
      goto end;
    }
    for (int j = 0; j < n; j++) {
      if (!strcmp(a[j].instance, x->instance)) {
        rc = qaErrSet(err, QA_EUSER, "%s:%d: component '%s': short name '%s' also at line %d", path, x->line,
                      name, x->instance, a[j].line);
        goto end;
      }
    }
    n++;
  }
  *out = a;
  *n_out = n;
  a = NULL;
end:
  free(a);
  fy_document_destroy(doc);
  return rc;
}

/* ---- ERT --------------------------------------------------------------------------------- */

/* What one component's actions map to. */
typedef struct Slots {
  double energy[4];
  int set[4];
  int line[4];
  char action[4][QA_COST_NAME_MAX];
  double update_pj;
  int update_line;
  int has_update;
  double leak_pj;
  double cycle_s;
  int has_leak;
} Slots;

/* Flatten an arguments mapping into "k=v,k=v"; also pick up global_cycle_seconds. */
static void flattenArgs(struct fy_node *args, char *out, size_t cap, double *cycle_s) {
  size_t used = 0;
  out[0] = 0;
  if (!args || !fy_node_is_mapping(args)) return;
  void *it = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(args, &it)) != NULL) {
    const char *k = fy_node_get_scalar0(fy_node_pair_key(pair));
    struct fy_node *vn = fy_node_pair_value(pair);
    const char *v = vn && fy_node_is_scalar(vn) ? fy_node_get_scalar0(vn) : "...";
    if (!k) continue;
    if (!strcmp(k, "global_cycle_seconds")) {
      double c;
      if (parseEnergy(v, &c) && c > 0) *cycle_s = c;
    }
    if (used < cap) {
      int w = snprintf(out + used, cap - used, "%s%s=%s", used ? "," : "", k, v ? v : "");
      if (w > 0) used += (size_t)w;
    }
  }
}

static int addRows(QaCostTable *t, const char *ert_path, const char *component, const char *instance,
                   const char *cls, Slots *s, const ArtEntry *art, QaErr *err) {
  if (!s->set[QA_COST_WRITE] && s->has_update) {
    s->set[QA_COST_WRITE] = 1;
    s->energy[QA_COST_WRITE] = s->update_pj;
    s->line[QA_COST_WRITE] = s->update_line;
    snprintf(s->action[QA_COST_WRITE], sizeof s->action[0], "update");
  }
  for (int a = 0; a < 4; a++) {
    if (!s->set[a]) continue;
    QaCostRow r;
    char src[2048];
    memset(&r, 0, sizeof r);
    snprintf(r.cls, sizeof r.cls, "%s", cls);
    snprintf(r.instance, sizeof r.instance, "%s", instance);
    r.action = (QaCostAction)a;
    r.energy = s->energy[a];
    r.area_um2 = art ? art->area_um2 : NAN;
    r.leakage_uw = s->has_leak ? s->leak_pj * 1e-6 / s->cycle_s : NAN;
    r.status = QA_COST_DERIVED;
    r.area_status = QA_COST_DERIVED;
    r.line = s->line[a];
    int n = snprintf(src, sizeof src, "Accelergy ERT %s: %s action '%s'", ert_path, component, s->action[a]);
    if (art && n > 0 && (size_t)n < sizeof src)
      snprintf(src + n, sizeof src - (size_t)n, "; area from the ART (line %d)", art->line);
    r.source = src;
    int rc = qaCostTableAddRow(t, &r, err);
    if (rc) return rc;
  }
  return QA_OK;
}

int qaCostAccelergyLoad(const char *ert_path, const char *art_path, QaCostTable **out, QaErr *err) {
  struct fy_document *doc = NULL;
  struct fy_node *tables;
  QaCostTable *t = NULL;
  ArtEntry *art = NULL;
  int n_art = 0, rc;
  char name[QA_COST_NAME_MAX];
  char(*seen)[QA_COST_INSTANCE_MAX] = NULL;
  int *seen_line = NULL, n_seen = 0;
  *out = NULL;
  if (art_path && (rc = loadArt(art_path, &art, &n_art, err))) goto end;
  if ((rc = loadDoc(ert_path, &doc, err))) goto end;
  if ((rc = tablesOf(doc, ert_path, "ERT", &tables, err))) goto end;

  const char *b = strrchr(ert_path, '/');
  snprintf(name, sizeof name, "%s", b ? b + 1 : ert_path);
  char *dot = strstr(name, ".ERT.");
  if (!dot) dot = strrchr(name, '.');
  if (dot && dot != name) *dot = 0;
  t = qaCostTableCreate(name, ert_path, 0, err);
  int n_tables = fy_node_sequence_item_count(tables);
  seen = qaCalloc((size_t)(n_tables > 0 ? n_tables : 1), sizeof *seen, err);
  seen_line = qaCalloc((size_t)(n_tables > 0 ? n_tables : 1), sizeof *seen_line, err);
  if (!t || !seen || !seen_line) {
    rc = QA_EINTERNAL;
    goto end;
  }

  void *it = NULL;
  struct fy_node *e;
  while ((e = fy_node_sequence_iterate(tables, &it)) != NULL) {
    const char *component = scalarOf(e, "name");
    int line = component ? scalarLine(fy_node_mapping_lookup_by_string(e, "name", FY_NT)) : mappingLine(e);
    struct fy_node *actions =
        e && fy_node_is_mapping(e) ? fy_node_mapping_lookup_by_string(e, "actions", FY_NT) : NULL;
    if (!component || !actions || !fy_node_is_sequence(actions)) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: ERT entry needs 'name' and a list of 'actions'", ert_path, line);
      goto end;
    }
    char instance[QA_COST_INSTANCE_MAX];
    shortName(component, instance, sizeof instance);
    for (int j = 0; j < n_seen; j++) {
      if (!strcmp(seen[j], instance)) {
        rc = qaErrSet(err, QA_EUSER, "%s:%d: component '%s': short name '%s' also at line %d", ert_path, line,
                      component, instance, seen_line[j]);
        goto end;
      }
    }
    snprintf(seen[n_seen], sizeof seen[0], "%s", instance);
    seen_line[n_seen++] = line;

    const char *cls_key = scalarOf(e, "class");
    const char *cls = cls_key ? mapName(cls_key) : NULL;
    if (!cls) cls = mapName(instance);
    const ArtEntry *ae = NULL;
    for (int j = 0; j < n_art; j++) {
      if (!strcmp(art[j].instance, instance)) {
        art[j].used = 1;
        ae = &art[j];
      }
    }
    Slots s;
    memset(&s, 0, sizeof s);
    s.cycle_s = 1e-9; /* Accelergy's default global cycle */
    void *ait = NULL;
    struct fy_node *an;
    while ((an = fy_node_sequence_iterate(actions, &ait)) != NULL) {
      const char *action = scalarOf(an, "name");
      const char *etext = scalarOf(an, "energy");
      int aline = action ? scalarLine(fy_node_mapping_lookup_by_string(an, "name", FY_NT)) : mappingLine(an);
      if (!action) {
        rc = qaErrSet(err, QA_EUSER, "%s:%d: component '%s': an action without a 'name'", ert_path, aline,
                      component);
        goto end;
      }
      if (!cls) {
        rc = qaErrSet(err, QA_EUSER,
                      "%s:%d: component '%s' action '%s': cannot map '%s' onto a "
                      "cost class; mappable names contain one of: " MAPPABLE_NAMES,
                      ert_path, aline, component, action, instance);
        goto end;
      }
      const ActRules *rs = actionRulesFor(cls);
      int found;
      int slot = mapAction(rs, action, &found);
      if (!found) {
        rc = qaErrSet(err, QA_EUSER,
                      "%s:%d: component '%s' action '%s': cannot map this action "
                      "of a %s (mappable actions: %s)",
                      ert_path, aline, component, action, cls, rs->help);
        goto end;
      }
      double energy;
      if (!parseEnergy(etext, &energy)) {
        rc = qaErrSet(err, QA_EUSER,
                      "%s:%d: component '%s' action '%s': energy '%s' is not a "
                      "non-negative number",
                      ert_path, aline, component, action, etext ? etext : "(missing)");
        goto end;
      }
      QaCostRaw raw;
      memset(&raw, 0, sizeof raw);
      snprintf(raw.component, sizeof raw.component, "%s", component);
      snprintf(raw.instance, sizeof raw.instance, "%s", instance);
      snprintf(raw.cls, sizeof raw.cls, "%s", cls);
      snprintf(raw.action, sizeof raw.action, "%s", action);
      double cycle_s = s.cycle_s;
      flattenArgs(fy_node_mapping_lookup_by_string(an, "arguments", FY_NT), raw.arguments,
                  sizeof raw.arguments, &cycle_s);
      raw.energy_pj = energy;
      raw.area_um2 = ae ? ae->area_um2 : NAN;
      raw.line = aline;
      if ((rc = qaCostTableAddRaw(t, &raw, err))) goto end;

      if (slot >= 0) {
        /* the first action name that maps onto a slot owns it; the same action repeated
        ** with other arguments keeps the largest energy */
        if (!s.set[slot]) {
          s.set[slot] = 1;
          s.energy[slot] = energy;
          s.line[slot] = aline;
          snprintf(s.action[slot], sizeof s.action[0], "%s", action);
        } else if (!strcmp(s.action[slot], action) && energy > s.energy[slot]) {
          s.energy[slot] = energy;
        }
      } else if (slot == SLOT_UPDATE) {
        if (!s.has_update || energy > s.update_pj) s.update_pj = energy;
        if (!s.has_update) s.update_line = aline;
        s.has_update = 1;
      } else if (slot == SLOT_LEAK) {
        s.has_leak = 1;
        s.leak_pj = energy;
        s.cycle_s = cycle_s;
      }
    }
    if ((rc = addRows(t, ert_path, component, instance, cls, &s, ae, err))) goto end;
  }
  /* ART components with no ERT entry (e.g. networks) keep their area in the raw list */
  for (int j = 0; j < n_art; j++) {
    if (art[j].used) continue;
    QaCostRaw raw;
    memset(&raw, 0, sizeof raw);
    snprintf(raw.component, sizeof raw.component, "%s", art[j].component);
    snprintf(raw.instance, sizeof raw.instance, "%s", art[j].instance);
    snprintf(raw.cls, sizeof raw.cls, "%s", art[j].cls);
    raw.energy_pj = NAN;
    raw.area_um2 = art[j].area_um2;
    raw.line = art[j].line;
    if ((rc = qaCostTableAddRaw(t, &raw, err))) goto end;
  }
  if ((rc = qaCostTableFinish(t, err))) goto end;
  *out = t;
  t = NULL;
end:
  qaCostTableDestroy(t);
  fy_document_destroy(doc);
  free(art);
  free(seen);
  free(seen_line);
  return rc;
}
