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
** Every action is also kept verbatim as a QaCostRaw. The YAML is read through base/yaml.h:
** every error is "FILE:LINE:COLUMN: ...", and a name too long for the table's fields is an
** error, never cut short.
*/
#define _POSIX_C_SOURCE 200809L
#include "models/costs.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/strset.h"
#include "base/yaml.h"

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

/* "system_top_level.shared_glb[1..1]" -> "shared_glb"; 0 if it does not fit in cap. */
static int shortName(const char *full, char *out, size_t cap) {
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
  size_t n = strcspn(b, "[");
  if (n >= cap) return 0;
  memcpy(out, b, n);
  out[n] = 0;
  return 1;
}

/* ---- YAML helpers ---------------------------------------------------------------------- */

typedef const QaYamlNode Node;

/* A component's full and short name from entry E (KIND "ERT"/"ART", its #index), with the
** name node in *at. Too long for the cost table's fields is an error, never a cut. */
static int componentName(Node *e, const char *kind, int index, char name[QA_COST_NAME_MAX],
                         char instance[QA_COST_INSTANCE_MAX], Node **at, QaErr *err) {
  char where[48], what[64];
  snprintf(where, sizeof where, "in %s entry #%d", kind, index + 1);
  snprintf(what, sizeof what, "key 'name' %s", where);
  *at = qaYamlLookup(e, "name");
  if (!*at) return qaYamlMissing(e, "name", where, err);
  if (qaYamlGetStr(*at, what, name, QA_COST_NAME_MAX, err)) return QA_EUSER;
  if (!name[0]) return qaYamlFail(*at, err, "%s must not be empty", what);
  if (!shortName(name, instance, QA_COST_INSTANCE_MAX))
    return qaYamlFail(*at, err, "component '%s': the short name is longer than %d characters", name,
                      QA_COST_INSTANCE_MAX - 1);
  if (!instance[0])
    return qaYamlFail(*at, err, "component '%s': the short name (after the last '.') is empty", name);
  return QA_OK;
}

/* A non-negative energy or area in pJ / um^2. */
static int getAmount(Node *v, const char *component, const char *action, const char *key, double *out,
                     QaErr *err) {
  char what[QA_COST_NAME_MAX * 2 + 64];
  if (action)
    snprintf(what, sizeof what, "component '%s' action '%s': %s", component, action, key);
  else
    snprintf(what, sizeof what, "component '%s': %s", component, key);
  if (qaYamlGetDouble(v, what, -HUGE_VAL, HUGE_VAL, out, err)) return QA_EUSER;
  if (*out < 0) return qaYamlFail(v, err, "%s '%s' is not a non-negative number", what, qaYamlScalar(v));
  return QA_OK;
}

/* The ERT:/ART: sequence of tables, or an error naming what is missing. */
static int tablesOf(const QaYamlDoc *doc, const char *kind, Node **out, QaErr *err) {
  Node *root = qaYamlRoot(doc);
  Node *top = qaYamlLookup(root, kind);
  Node *tables = qaYamlLookup(top, "tables");
  if (qaYamlKind(tables) != QA_YAML_SEQ) {
    Node *at = tables ? tables : top ? top : root;
    const char *fmt = "not an Accelergy %s: expected '%s: {version: ..., tables: [...]}'";
    return at ? qaYamlFail(at, err, fmt, kind, kind) : qaYamlFailDoc(doc, err, fmt, kind, kind);
  }
  *out = tables;
  return QA_OK;
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

/* Read the ART at PATH into *out[*n_out]; *index (initialised by the caller) maps each short
** name to its entry, to find duplicates and the ERT's matches in linear time. */
static int loadArt(const char *path, ArtEntry **out, int *n_out, QaStrSet *index, QaErr *err) {
  QaYamlDoc *doc = NULL;
  Node *tables;
  ArtEntry *a = NULL;
  int n = 0, rc;
  *out = NULL;
  *n_out = 0;
  if ((rc = qaYamlLoadFile(path, "Accelergy ART", &doc, err))) return rc;
  if ((rc = tablesOf(doc, "ART", &tables, err))) goto end;
  int cap = qaYamlCount(tables);
  a = qaCalloc((size_t)(cap > 0 ? cap : 1), sizeof *a, err);
  if (!a) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < cap; i++) {
    Node *e = qaYamlItem(tables, i), *at;
    if (qaYamlKind(e) != QA_YAML_MAP) {
      rc = qaYamlFail(e, err, "ART entry #%d must be a mapping with 'name' and 'area', not %s", i + 1,
                      qaYamlKindName(e));
      goto end;
    }
    ArtEntry *x = &a[n];
    if ((rc = componentName(e, "ART", i, x->component, x->instance, &at, err))) goto end;
    x->line = qaYamlLine(at);
    Node *area = qaYamlLookup(e, "area");
    if (!area) {
      rc = qaYamlFail(at, err, "component '%s': ART entry needs 'area'", x->component);
      goto end;
    }
    const char *cls = qaYamlScalar(qaYamlLookup(e, "class"));
    x->cls = cls ? mapName(cls) : NULL;
    if (!x->cls) x->cls = mapName(x->instance);
    if (!x->cls) {
      rc = qaYamlFail(at, err,
                      "component '%s' (area): cannot map '%s' onto a cost "
                      "class; mappable names contain one of: " MAPPABLE_NAMES,
                      x->component, x->instance);
      goto end;
    }
    if ((rc = getAmount(area, x->component, NULL, "area", &x->area_um2, err))) goto end;
    int first;
    if ((rc = qaStrSetAdd(index, x->instance, n, &first, err))) goto end;
    if (first >= 0) {
      rc = qaYamlFail(at, err, "component '%s': short name '%s' also at line %d", x->component, x->instance,
                      a[first].line);
      goto end;
    }
    n++;
  }
  *out = a;
  *n_out = n;
  a = NULL;
end:
  free(a);
  qaYamlDestroy(doc);
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

/* Flatten an arguments mapping into "k=v,k=v" (cut with "..." if longer than the field);
** also read global_cycle_seconds. */
static int flattenArgs(Node *args, char *out, size_t cap, double *cycle_s, QaErr *err) {
  QaStrBuf b;
  int rc = QA_OK;
  out[0] = 0;
  if (!args || qaYamlIsNull(args)) return QA_OK;
  if (qaYamlKind(args) != QA_YAML_MAP)
    return qaYamlFail(args, err,
                      "key 'arguments' must be a mapping like {global_cycle_seconds: 1e-9}, not %s",
                      qaYamlKindName(args));
  qaStrBufInit(&b);
  for (int i = 0; i < qaYamlCount(args); i++) {
    const char *k = qaYamlScalar(qaYamlKeyAt(args, i));
    Node *vn = qaYamlValueAt(args, i);
    const char *v = qaYamlKind(vn) == QA_YAML_SCALAR ? qaYamlScalar(vn) : "...";
    char ke[QA_COST_NAME_MAX], ve[QA_COST_NAME_MAX]; /* shown as text: control bytes escaped */
    qaYamlEscape(k, ke, sizeof ke);
    qaYamlEscape(v, ve, sizeof ve);
    if (!strcmp(k, "global_cycle_seconds")) {
      double c;
      if ((rc = qaYamlGetDouble(vn, "argument 'global_cycle_seconds'", 0, 1e6, &c, err))) goto end;
      if (c <= 0) {
        rc = qaYamlFail(vn, err, "argument 'global_cycle_seconds' must be more than 0 (got '%s')", ve);
        goto end;
      }
      *cycle_s = c;
    }
    qaStrBufAppendf(&b, "%s%s=%s", i ? "," : "", ke, ve);
  }
  if ((rc = qaStrBufCheck(&b, err))) goto end;
  if (b.len < cap) {
    memcpy(out, qaStrBufText(&b), b.len + 1);
  } else { /* only a display string: keep the start and say it was cut */
    size_t n = cap - 4;
    while (n && ((unsigned char)b.s[n] & 0xC0) == 0x80) n--;
    memcpy(out, b.s, n);
    memcpy(out + n, "...", 4);
  }
end:
  qaStrBufFree(&b);
  return rc;
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
    QaStrBuf src;
    memset(&r, 0, sizeof r);
    snprintf(r.cls, sizeof r.cls, "%s", cls);
    snprintf(r.instance, sizeof r.instance, "%s", instance);
    r.action = (QaCostAction)a;
    r.energy = s->energy[a];
    r.area_um2 = art ? art->area_um2 : NAN;
    r.leakage_uw = s->has_leak ? s->leak_pj * 1e-6 / s->cycle_s : NAN;
    r.status = QA_COST_DERIVED;
    r.area_status = QA_COST_DERIVED;
    r.leakage_status = QA_COST_DERIVED;
    r.line = s->line[a];
    qaStrBufInit(&src);
    qaStrBufAppendf(&src, "Accelergy ERT %s: %s action '%s'", ert_path, component, s->action[a]);
    if (art) qaStrBufAppendf(&src, "; area from the ART (line %d)", art->line);
    r.source = qaStrBufText(&src);
    int rc = qaStrBufCheck(&src, err);
    if (rc == QA_OK) rc = qaCostTableAddRow(t, &r, err);
    qaStrBufFree(&src);
    if (rc) return rc;
  }
  return QA_OK;
}

int qaCostAccelergyLoad(const char *ert_path, const char *art_path, QaCostTable **out, QaErr *err) {
  QaYamlDoc *doc = NULL;
  Node *tables;
  QaCostTable *t = NULL;
  ArtEntry *art = NULL;
  int n_art = 0, rc;
  char name[QA_COST_NAME_MAX];
  char(*seen_name)[QA_COST_INSTANCE_MAX] = NULL; /* each component's short name */
  int n_seen = 0;
  QaStrSet seen; /* short name -> its line: duplicates in linear time */
  qaStrSetInit(&seen);
  *out = NULL;
  QaStrSet art_index;
  qaStrSetInit(&art_index);
  if (art_path && (rc = loadArt(art_path, &art, &n_art, &art_index, err))) goto end;
  if ((rc = qaYamlLoadFile(ert_path, "Accelergy table", &doc, err))) goto end;
  if ((rc = tablesOf(doc, "ERT", &tables, err))) goto end;

  const char *b = strrchr(ert_path, '/');
  snprintf(name, sizeof name, "%s", b ? b + 1 : ert_path);
  char *dot = strstr(name, ".ERT.");
  if (!dot) dot = strrchr(name, '.');
  if (dot && dot != name) *dot = 0;
  t = qaCostTableCreate(name, ert_path, 0, err);
  int n_tables = qaYamlCount(tables);
  seen_name = qaCalloc((size_t)(n_tables > 0 ? n_tables : 1), sizeof *seen_name, err);
  if (!t || !seen_name) {
    rc = QA_EINTERNAL;
    goto end;
  }

  for (int ti = 0; ti < n_tables; ti++) {
    Node *e = qaYamlItem(tables, ti), *at;
    char component[QA_COST_NAME_MAX], instance[QA_COST_INSTANCE_MAX];
    if (qaYamlKind(e) != QA_YAML_MAP) {
      rc = qaYamlFail(e, err, "ERT entry #%d must be a mapping with 'name' and 'actions', not %s", ti + 1,
                      qaYamlKindName(e));
      goto end;
    }
    if ((rc = componentName(e, "ERT", ti, component, instance, &at, err))) goto end;
    int line = qaYamlLine(at);
    Node *actions = qaYamlLookup(e, "actions");
    if (qaYamlKind(actions) != QA_YAML_SEQ) {
      rc = qaYamlFail(actions ? actions : at, err, "component '%s': ERT entry needs a list of 'actions'%s%s",
                      component, actions ? ", not " : "", actions ? qaYamlKindName(actions) : "");
      goto end;
    }
    int first;
    memcpy(seen_name[n_seen], instance, sizeof seen_name[0]);
    if ((rc = qaStrSetAdd(&seen, seen_name[n_seen++], line, &first, err))) goto end;
    if (first >= 0) {
      rc = qaYamlFail(at, err, "component '%s': short name '%s' also at line %d", component, instance, first);
      goto end;
    }

    const char *cls_key = qaYamlScalar(qaYamlLookup(e, "class"));
    const char *cls = cls_key ? mapName(cls_key) : NULL;
    if (!cls) cls = mapName(instance);
    const ArtEntry *ae = NULL;
    int aj = qaStrSetFind(&art_index, instance);
    if (aj >= 0) {
      art[aj].used = 1;
      ae = &art[aj];
    }
    Slots s;
    memset(&s, 0, sizeof s);
    s.cycle_s = 1e-9; /* Accelergy's default global cycle */
    for (int ai = 0; ai < qaYamlCount(actions); ai++) {
      Node *an = qaYamlItem(actions, ai);
      char action[QA_COST_NAME_MAX], what[QA_COST_NAME_MAX + 64];
      if (qaYamlKind(an) != QA_YAML_MAP) {
        rc = qaYamlFail(an, err,
                        "component '%s': action #%d must be a mapping with 'name' and 'energy', not %s",
                        component, ai + 1, qaYamlKindName(an));
        goto end;
      }
      Node *action_node = qaYamlLookup(an, "name");
      if (!action_node) {
        rc = qaYamlFail(an, err, "component '%s': an action without a 'name'", component);
        goto end;
      }
      snprintf(what, sizeof what, "component '%s': action name", component);
      if ((rc = qaYamlGetStr(action_node, what, action, sizeof action, err))) goto end;
      int aline = qaYamlLine(action_node);
      if (!cls) {
        rc = qaYamlFail(action_node, err,
                        "component '%s' action '%s': cannot map '%s' onto a "
                        "cost class; mappable names contain one of: " MAPPABLE_NAMES,
                        component, action, instance);
        goto end;
      }
      const ActRules *rs = actionRulesFor(cls);
      int found;
      int slot = mapAction(rs, action, &found);
      if (!found) {
        rc = qaYamlFail(action_node, err,
                        "component '%s' action '%s': cannot map this action "
                        "of a %s (mappable actions: %s)",
                        component, action, cls, rs->help);
        goto end;
      }
      double energy;
      Node *en = qaYamlLookup(an, "energy");
      if (!en) {
        rc = qaYamlFail(action_node, err, "component '%s' action '%s': missing key 'energy'", component,
                        action);
        goto end;
      }
      if ((rc = getAmount(en, component, action, "energy", &energy, err))) goto end;
      QaCostRaw raw;
      memset(&raw, 0, sizeof raw);
      memcpy(raw.component, component, sizeof raw.component);
      memcpy(raw.instance, instance, sizeof raw.instance);
      snprintf(raw.cls, sizeof raw.cls, "%s", cls);
      memcpy(raw.action, action, sizeof raw.action);
      double cycle_s = s.cycle_s;
      if ((rc = flattenArgs(qaYamlLookup(an, "arguments"), raw.arguments, sizeof raw.arguments, &cycle_s,
                            err)))
        goto end;
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
          memcpy(s.action[slot], action, sizeof s.action[0]);
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
    memcpy(raw.component, art[j].component, sizeof raw.component);
    memcpy(raw.instance, art[j].instance, sizeof raw.instance);
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
  qaYamlDestroy(doc);
  free(art);
  qaStrSetFree(&seen);
  qaStrSetFree(&art_index);
  free(seen_name);
  return rc;
}
