/*
** cmd_results.c - `qasim results` and `qasim export`: reading the results store
** (store/store.h) by run or by design point, filtered, and where every command finds the
** results database.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/parse.h"
#include "reports/report.h"
#include "store/store.h"
#include "cli/cli.h"

/* ---- the results database ---------------------------------------------------------- */

const char *qaCliDbPath(const char *given) {
  const char *env = getenv("QASIM_DB");
  if (given) return given;
  if (env && *env) return env;
  return QA_STORE_DEFAULT_PATH;
}

int qaCliDbMustExist(const char *path, QaErr *err) {
  if (access(path, F_OK) == 0) return QA_OK;
  return qaErrSet(err, QA_EUSER, "%s: no results database here; run `qasim run ...` first or pass --db PATH",
                  path);
}

int qaCliParseBits(const QaCliList *l, int *a, int *w, QaErr *err) {
  for (int i = 0; i < l->n; i++) {
    const char *t = l->v[i], *slash = strchr(t, '/');
    char head[32];
    int64_t x, y;
    if (slash) {
      snprintf(head, sizeof head, "%.*s", (int)(slash - t), t);
      if (qaParseInt64(head, "--bits A", 1, QA_BITS_MAX, &x, err) ||
          qaParseInt64(slash + 1, "--bits W", 1, QA_BITS_MAX, &y, err))
        return QA_EUSER;
    } else {
      if (qaParseInt64(t, "--bits", 1, QA_BITS_MAX, &x, err)) return QA_EUSER;
      y = x;
    }
    a[i] = (int)x;
    w[i] = (int)y;
  }
  return QA_OK;
}

/* The filter options results and export share. */
typedef struct Filter {
  QaCliList archs, nets, bits;
  const char *where;
  int points;
} Filter;

static int makeFilter(const Filter *in, int *a, int *w, QaPointFilter *f, QaErr *err) {
  memset(f, 0, sizeof *f);
  int rc = qaCliParseBits(&in->bits, a, w, err);
  if (rc) return rc;
  f->archs = in->archs.v;
  f->n_archs = in->archs.n;
  f->nets = in->nets.v;
  f->n_nets = in->nets.n;
  f->a_bits = a;
  f->w_bits = w;
  f->n_bits = in->bits.n;
  f->where = in->where;
  f->every_run = !in->points;
  return QA_OK;
}

/* ---- results ----------------------------------------------------------------------- */

typedef struct ResultsArgs {
  const char *db;
  Filter f;
} ResultsArgs;

static const QaCliOption resultsOptions[] = {
    {"db", "PATH", QA_CLI_VALUE(ResultsArgs, db), QA_CLI_DB_HELP},
    {"arch", "NAME", QA_CLI_LIST(ResultsArgs, f.archs), "only runs of this architecture"},
    {"net", "NET", QA_CLI_LIST(ResultsArgs, f.nets), "only runs on this network (name or file)"},
    {"bits", "N|A/W", QA_CLI_LIST(ResultsArgs, f.bits), "only runs at these bits (a = w = N, or A/W)"},
    {"where", "SQL", QA_CLI_VALUE(ResultsArgs, f.where),
     "only runs for which this read-only SQL condition over the columns of view point holds"},
    {"points", NULL, QA_CLI_FLAG(ResultsArgs, f.points),
     "one line per design point (its newest run), not one per run"},
    {NULL},
};

#define COLS 11
#define CELL_MAX 160

static int resultsMain(void *args, const QaCliCall *call, QaErr *err) {
  const ResultsArgs *a = args;
  const char *db = qaCliDbPath(a->db);
  static const char *const head[COLS] = {"run",    "point",   "arch",   "workload", "a/w", "quant a/w",
                                         "config", "Mcycles", "uJ/inf", "verified", "runs"};
  static const int right[COLS] = {1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1};
  int bits_a[QA_CLI_LIST_MAX], bits_w[QA_CLI_LIST_MAX], n = 0, width[COLS];
  QaPointFilter f;
  QaPoint *p = NULL;
  QaStore *st = NULL;
  char(*cell)[COLS][CELL_MAX] = NULL;
  int rc = qaCliDbMustExist(db, err);
  if (rc || (rc = makeFilter(&a->f, bits_a, bits_w, &f, err))) return rc;
  if ((rc = qaStoreOpen(db, &st, err)) || (rc = qaStorePoints(st, &f, &p, &n, NULL, err))) goto end;
  if (n == 0) {
    int filtered = f.n_archs || f.n_nets || f.n_bits || f.where;
    printf(
        filtered ? "no runs in %s match the filter\n" : "no runs in %s yet; make one with `qasim run ...`\n",
        db);
    goto end;
  }
  if (!(cell = qaCalloc((size_t)n, sizeof *cell, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < n; i++) {
    const QaPoint *q = &p[i];
    char diff[CELL_MAX];
    qaReportConfigDiff(q->arch, q->arch_config, diff, sizeof diff);
    snprintf(cell[i][0], CELL_MAX, "%lld", (long long)q->run_id);
    snprintf(cell[i][1], CELL_MAX, "%.10s", q->identity[0] ? q->identity : "-");
    snprintf(cell[i][2], CELL_MAX, "%s", q->arch);
    snprintf(cell[i][3], CELL_MAX, "%s", q->workload);
    snprintf(cell[i][4], CELL_MAX, "%d/%d", q->a_bits, q->w_bits);
    snprintf(cell[i][5], CELL_MAX, "%s/%s", q->quant_a, q->quant_w);
    snprintf(cell[i][6], CELL_MAX, "%s", diff[0] ? diff : "-");
    snprintf(cell[i][7], CELL_MAX, "%.3f", (double)q->n_cycles / 1e6);
    if (q->has_energy)
      snprintf(cell[i][8], CELL_MAX, "%.4g", q->energy_per_inference_pj / 1e6);
    else
      snprintf(cell[i][8], CELL_MAX, "-");
    snprintf(cell[i][9], CELL_MAX, "%s", q->all_verified ? "yes" : "NO");
    snprintf(cell[i][10], CELL_MAX, "%d", q->n_runs);
  }
  for (int c = 0; c < COLS; c++) {
    width[c] = (int)strlen(head[c]);
    for (int i = 0; i < n; i++)
      if ((int)strlen(cell[i][c]) > width[c]) width[c] = (int)strlen(cell[i][c]);
  }
  for (int i = -1; i < n; i++) {
    for (int c = 0; c < COLS; c++) {
      const char *t = i < 0 ? head[c] : cell[i][c];
      if (right[c])
        printf("%s%*s", c ? "  " : "", width[c], t);
      else if (c == COLS - 1)
        printf("%s%s", c ? "  " : "", t);
      else
        printf("%s%-*s", c ? "  " : "", width[c], t);
    }
    putchar('\n');
  }
  if (ferror(stdout)) rc = qaErrSet(err, QA_EUSER, "cannot write the list of runs");
end:
  free(cell);
  qaStoreFreePoints(p, n);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdResults = {
    .name = "results",
    .summary = "list stored runs (or design points), filtered",
    .about =
        "List the runs in the results database: design point (identity), architecture, workload,\n"
        "bits, quantizers, the config parameters that differ from the architecture's defaults,\n"
        "cycles, energy per inference and whether outputs were verified. --points lists each\n"
        "design point once (its newest run; runs = how many runs it has).\n",
    .options = resultsOptions,
    .args_size = sizeof(ResultsArgs),
    .handler = resultsMain,
};

/* ---- export ------------------------------------------------------------------------ */

typedef struct ExportArgs {
  int csv, json, parts;
  const char *db, *output;
  Filter f;
} ExportArgs;

static const QaCliOption exportOptions[] = {
    {"csv", NULL, QA_CLI_FLAG(ExportArgs, csv), "write CSV with a header row"},
    {"json", NULL, QA_CLI_FLAG(ExportArgs, json), "write JSON: an array with one object per layer row"},
    {"db", "PATH", QA_CLI_VALUE(ExportArgs, db), QA_CLI_DB_HELP},
    {"output", "FILE", QA_CLI_VALUE(ExportArgs, output), "write to FILE instead of stdout"},
    {"parts", NULL, QA_CLI_FLAG(ExportArgs, parts),
     "a row per run and part instead of per layer: conv (conv, dwconv) and fc totals apart"},
    {"arch", "NAME", QA_CLI_LIST(ExportArgs, f.archs), "runs of this architecture"},
    {"net", "NET", QA_CLI_LIST(ExportArgs, f.nets), "runs on this network (name or file)"},
    {"bits", "N|A/W", QA_CLI_LIST(ExportArgs, f.bits), "runs at these bits (a = w = N, or A/W)"},
    {"where", "SQL", QA_CLI_VALUE(ExportArgs, f.where),
     "runs for which this read-only SQL condition over the columns of view point holds"},
    {"points", NULL, QA_CLI_FLAG(ExportArgs, f.points), "only the newest run of each design point"},
    {NULL},
};

/* The energy columns appended to every layer row. */
static const char *const kEnergyCols[] = {"energy_costs", "energy_pj", "datapath_pj", "accumulation_pj",
                                          "registers_pj", "memory_pj", "dram_pj",     "static_pj"};
#define N_ENERGY_COLS 8

/* --parts: one run's totals over conv (conv, dwconv) or fc layers. */
typedef struct Part {
  int n_layers, priced;
  int64_t macs, n_cycles, n_stall_cycles;
  double energy_pj, cat[QA_CAT_COUNT];
} Part;
static const char *const kPartCols[] = {"run_id",         "arch",   "workload", "a_bits", "w_bits",
                                        "clock_mhz",      "part",   "n_layers", "macs",   "n_cycles",
                                        "n_stall_cycles", "time_s", "config"};
#define N_PART_COLS 13

typedef struct Writer {
  FILE *out;
  int json;
  int parts;                                     /* --parts: accumulate, write per run */
  int kind_col, macs_col, cycles_col, stall_col; /* their indices in the layer rows */
  char kind[16];                                 /* of the row being read */
  int64_t macs, n_cycles, n_stall_cycles;        /* of the row being read */
  Part part[2];                                  /* conv, fc of the run being read */
  int n_rows;                                    /* rows written (all runs) */
  int header_done;                               /* the CSV header (or nothing for JSON) is out */
  int n_cols;                                    /* columns of the store's rows */
  char **names;                                  /* their names (copies, from the first run) */
  int layer_col;                                 /* index of layer_idx */
  int64_t layer_idx;                             /* of the row being written */
  /* the run being written */
  const QaPoint *run;
  char config[256];
  int n_layers;
  double (*cat)[QA_CAT_COUNT]; /* per layer, by class */
  double *total;               /* per layer */
  int *priced;                 /* per layer */
} Writer;

static void csvField(FILE *out, const char *t) {
  if (!t) return;
  if (!strpbrk(t, ",\"\r\n")) {
    fputs(t, out);
    return;
  }
  fputc('"', out);
  for (const char *p = t; *p; p++) {
    if (*p == '"') fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

static void jsonString(FILE *out, const char *t) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

/* One value: COL its column (for JSON, its key), TYPE an SQLite type code. */
static void putValue(Writer *w, int col, const char *name, int type, const char *text) {
  if (w->json) {
    fputs(col ? ", " : "  {", w->out);
    jsonString(w->out, name);
    fputs(": ", w->out);
    if (type == 5 || !text)
      fputs("null", w->out);
    else if (type == 1 || type == 2)
      fputs(text, w->out);
    else
      jsonString(w->out, text);
  } else {
    if (col) fputc(',', w->out);
    if (text) csvField(w->out, text);
  }
}

static int onHeader(void *ctx, int n_cols, const char *const *names, QaErr *err) {
  Writer *w = ctx;
  if (w->names) { /* a later run: the same columns, or the file would not line up */
    int same = n_cols == w->n_cols;
    for (int c = 0; same && c < n_cols; c++) same = !strcmp(names[c], w->names[c]);
    if (!same)
      return qaErrSet(err, QA_EUSER,
                      "run %lld has other columns than the first run exported (a store "
                      "of another schema?); export it separately",
                      (long long)w->run->run_id);
    return QA_OK;
  }
  if (!(w->names = qaCalloc((size_t)n_cols + 1, sizeof *w->names, err))) return QA_EINTERNAL;
  w->n_cols = n_cols;
  w->layer_col = w->kind_col = w->macs_col = w->cycles_col = w->stall_col = -1;
  for (int c = 0; c < n_cols; c++) {
    if (!(w->names[c] = strdup(names[c]))) return qaErrSet(err, QA_EINTERNAL, "out of memory");
    if (!strcmp(names[c], "layer_idx")) w->layer_col = c;
    if (!strcmp(names[c], "kind")) w->kind_col = c;
    if (!strcmp(names[c], "macs")) w->macs_col = c;
    if (!strcmp(names[c], "n_cycles")) w->cycles_col = c;
    if (!strcmp(names[c], "n_stall_cycles")) w->stall_col = c;
  }
  if (w->parts) {
    if (w->kind_col < 0 || w->macs_col < 0 || w->cycles_col < 0 || w->stall_col < 0)
      return qaErrSet(err, QA_EINTERNAL, "layer rows without kind, macs, n_cycles or n_stall_cycles");
    if (w->json) {
      fputs("[\n", w->out);
    } else {
      for (int c = 0; c < N_PART_COLS; c++) putValue(w, c, kPartCols[c], 3, kPartCols[c]);
      for (int k = 0; k < N_ENERGY_COLS; k++) fprintf(w->out, ",%s", kEnergyCols[k]);
      fputc('\n', w->out);
    }
  } else if (!w->json) {
    for (int c = 0; c < n_cols; c++) putValue(w, c, names[c], 3, names[c]);
    fputs(",config", w->out);
    for (int k = 0; k < N_ENERGY_COLS; k++) fprintf(w->out, ",%s", kEnergyCols[k]);
    fputc('\n', w->out);
  } else {
    fputs("[\n", w->out);
  }
  return QA_OK;
}

static int onCell(void *ctx, int col, int type, const char *text, QaErr *err) {
  Writer *w = ctx;
  (void)err;
  if (w->parts) {
    int64_t v = text ? strtoll(text, NULL, 10) : 0;
    if (col == w->layer_col) w->layer_idx = text ? v : -1;
    if (col == w->kind_col) snprintf(w->kind, sizeof w->kind, "%s", text ? text : "");
    if (col == w->macs_col) w->macs = v;
    if (col == w->cycles_col) w->n_cycles = v;
    if (col == w->stall_col) w->n_stall_cycles = v;
    return QA_OK;
  }
  if (col == 0 && w->json && w->n_rows) fputs(",\n", w->out);
  if (col == w->layer_col) w->layer_idx = text ? strtoll(text, NULL, 10) : -1;
  putValue(w, col, w->names[col], type, text);
  return QA_OK;
}

static int onRowEnd(void *ctx, QaErr *err) {
  Writer *w = ctx;
  char num[64];
  int l = (int)w->layer_idx, col = w->n_cols, priced = l >= 0 && l < w->n_layers && w->priced[l];
  if (w->parts) {
    Part *p = &w->part[!strcmp(w->kind, "fc")];
    p->n_layers++;
    p->macs += w->macs;
    p->n_cycles += w->n_cycles;
    p->n_stall_cycles += w->n_stall_cycles;
    if (priced) {
      p->priced = 1;
      p->energy_pj += w->total[l];
      for (int c = 0; c < QA_CAT_COUNT; c++) p->cat[c] += w->cat[l][c];
    }
    return QA_OK;
  }
  putValue(w, col++, "config", 3, w->config);
  putValue(w, col++, kEnergyCols[0], priced ? 3 : 5, priced ? w->run->costs : NULL);
  snprintf(num, sizeof num, "%.17g", priced ? w->total[l] : 0.0);
  putValue(w, col++, "energy_pj", priced ? 2 : 5, priced ? num : NULL);
  for (int c = 0; c < QA_CAT_COUNT; c++) {
    snprintf(num, sizeof num, "%.17g", priced ? w->cat[l][c] : 0.0);
    putValue(w, col++, kEnergyCols[2 + c], priced ? 2 : 5, priced ? num : NULL);
  }
  fputs(w->json ? "}" : "\n", w->out);
  w->n_rows++;
  if (ferror(w->out)) return qaErrSet(err, QA_EUSER, "cannot write the export");
  return QA_OK;
}

/* --parts: the run's conv and fc rows (a part without layers is left out). */
static int writeParts(Writer *w, QaErr *err) {
  static const char *const name[2] = {"conv", "fc"};
  const QaPoint *r = w->run;
  for (int i = 0; i < 2; i++) {
    const Part *p = &w->part[i];
    char v[N_PART_COLS][64], num[64];
    if (!p->n_layers) continue;
    if (w->json && w->n_rows) fputs(",\n", w->out);
    snprintf(v[0], 64, "%lld", (long long)r->run_id);
    snprintf(v[3], 64, "%d", r->a_bits);
    snprintf(v[4], 64, "%d", r->w_bits);
    snprintf(v[5], 64, "%.17g", r->clock_mhz);
    snprintf(v[7], 64, "%d", p->n_layers);
    snprintf(v[8], 64, "%lld", (long long)p->macs);
    snprintf(v[9], 64, "%lld", (long long)p->n_cycles);
    snprintf(v[10], 64, "%lld", (long long)p->n_stall_cycles);
    snprintf(v[11], 64, "%.17g", r->clock_mhz > 0 ? (double)p->n_cycles / (r->clock_mhz * 1e6) : 0.0);
    for (int c = 0; c < N_PART_COLS; c++) {
      const char *t = c == 1 ? r->arch : c == 2 ? r->workload : c == 6 ? name[i] : c == 12 ? w->config : v[c];
      putValue(w, c, kPartCols[c], c == 1 || c == 2 || c == 6 || c == 12 ? 3 : 2, t);
    }
    int col = N_PART_COLS;
    putValue(w, col++, kEnergyCols[0], p->priced ? 3 : 5, p->priced ? r->costs : NULL);
    snprintf(num, sizeof num, "%.17g", p->energy_pj);
    putValue(w, col++, "energy_pj", p->priced ? 2 : 5, p->priced ? num : NULL);
    for (int c = 0; c < QA_CAT_COUNT; c++) {
      snprintf(num, sizeof num, "%.17g", p->cat[c]);
      putValue(w, col++, kEnergyCols[2 + c], p->priced ? 2 : 5, p->priced ? num : NULL);
    }
    fputs(w->json ? "}" : "\n", w->out);
    w->n_rows++;
  }
  memset(w->part, 0, sizeof w->part);
  if (ferror(w->out)) return qaErrSet(err, QA_EUSER, "cannot write the export");
  return QA_OK;
}

/* The per-layer energy of the run being written, by component class. */
static int loadEnergy(QaStore *st, Writer *w, QaErr *err) {
  QaLayerEnergy *e = NULL;
  int n = 0, rc;
  const QaPoint *p = w->run;
  free(w->cat);
  free(w->total);
  free(w->priced);
  w->n_layers = p->n_layers > 0 ? p->n_layers : 1;
  w->cat = qaCalloc((size_t)w->n_layers, sizeof *w->cat, err);
  w->total = qaCalloc((size_t)w->n_layers, sizeof *w->total, err);
  w->priced = qaCalloc((size_t)w->n_layers, sizeof *w->priced, err);
  if (!w->cat || !w->total || !w->priced) return QA_EINTERNAL;
  if (!p->costs[0]) return QA_OK;
  if ((rc = qaStoreLayerEnergy(st, p->run_id, p->costs, &e, &n, err))) return rc;
  for (int k = 0; k < n; k++) {
    int l = e[k].layer_idx, c = qaReportComponentCategory(p->arch, e[k].component);
    if (l < 0 || l >= w->n_layers || isnan(e[k].energy_pj)) continue;
    w->priced[l] = 1;
    w->total[l] += e[k].energy_pj;
    if (c >= 0) w->cat[l][c] += e[k].energy_pj;
  }
  free(e);
  return QA_OK;
}

static int exportMain(void *args, const QaCliCall *call, QaErr *err) {
  const ExportArgs *a = args;
  const char *db = qaCliDbPath(a->db);
  int bits_a[QA_CLI_LIST_MAX], bits_w[QA_CLI_LIST_MAX], n = 0, rc;
  int64_t ids[QA_CLI_POS_MAX];
  QaPointFilter f;
  QaPoint *p = NULL;
  QaStore *st = NULL;
  Writer w;
  memset(&w, 0, sizeof w);
  w.out = stdout;
  if (!a->csv && !a->json) return qaErrSet(err, QA_EUSER, "choose a format: --csv or --json");
  if (a->csv && a->json) return qaErrSet(err, QA_EUSER, "choose one format: --csv or --json");
  for (int i = 0; i < call->n_pos; i++)
    if ((rc = qaParseInt64(call->pos[i], "run id", 1, INT32_MAX, &ids[i], err))) return rc;
  if ((rc = makeFilter(&a->f, bits_a, bits_w, &f, err))) return rc;
  int filtered = f.n_archs || f.n_nets || f.n_bits || f.where;
  if (!call->n_pos && !filtered)
    return qaErrSet(err, QA_EUSER,
                    "give run ids (see qasim results) or a filter (--arch, --net, --bits, --where)");
  f.run_ids = ids;
  f.n_run_ids = call->n_pos;
  if ((rc = qaCliDbMustExist(db, err))) return rc;
  w.json = a->json;
  w.parts = a->parts;
  if ((rc = qaStoreOpen(db, &st, err)) || (rc = qaStorePoints(st, &f, &p, &n, NULL, err))) goto end;
  for (int i = 0; i < call->n_pos; i++) {
    int found = 0;
    for (int k = 0; k < n && !found; k++) found = p[k].run_id == ids[i];
    if (!found) {
      rc = qaErrSet(err, QA_EUSER, "run %lld not found in %s%s (see `qasim results`)", (long long)ids[i], db,
                    filtered ? " with the filter" : "");
      goto end;
    }
  }
  if (n == 0) {
    rc = qaErrSet(err, QA_EUSER, "no runs in %s match the filter (see `qasim results`)", db);
    goto end;
  }
  if (a->output && !(w.out = fopen(a->output, "w"))) {
    w.out = NULL;
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write: %s", a->output, strerror(errno));
    goto end;
  }
  QaRowSink sink = {&w, onHeader, onCell, onRowEnd};
  for (int k = 0; k < n; k++) {
    w.run = &p[k];
    qaReportConfigDiff(p[k].arch, p[k].arch_config, w.config, sizeof w.config);
    if ((rc = loadEnergy(st, &w, err)) || (rc = qaStoreLayerRows(st, p[k].run_id, &sink, err))) goto end;
    if (w.parts && (rc = writeParts(&w, err))) goto end;
  }
  if (w.json) fputs(w.n_rows ? "\n]\n" : "]\n", w.out);
  if (ferror(w.out)) rc = qaErrSet(err, QA_EUSER, "cannot write the export");
end:
  if (w.out && w.out != stdout) fclose(w.out);
  if (w.names)
    for (int c = 0; c < w.n_cols; c++) free(w.names[c]);
  free(w.names);
  free(w.cat);
  free(w.total);
  free(w.priced);
  qaStoreFreePoints(p, n);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdExport = {
    .name = "export",
    .summary = "write the per-layer rows of runs as CSV or JSON, with energy",
    .pos_name = "RUN...",
    .pos_min = 0,
    .pos_max = QA_CLI_POS_MAX,
    .pos_help = "run ids, as `qasim results` lists them (or none, with a filter)",
    .about =
        "Write one table with a row per layer of every run given (or every run the filter selects):\n"
        "the layer's counters and geometry, the run's columns (run_ prefixed where they clash),\n"
        "the config parameters that differ from the defaults, and the layer's energy under the run's\n"
        "cost label: total and per component class (datapath, accumulation, registers, memory, DRAM,\n"
        "static), in pJ. With --parts: a row per run and part instead - the totals of its conv\n"
        "(conv, dwconv) and fc layers apart: layers, MACs, cycles, stalls, time, energy.\n",
    .options = exportOptions,
    .args_size = sizeof(ExportArgs),
    .handler = exportMain,
};
