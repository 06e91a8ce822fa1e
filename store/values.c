/*
** values.c - what the store keeps of a run's values (schema 6, issue 10): how per-layer
** precisions were chosen (run row), each layer's quantizers and
** output SQNR (layer row), the statistics of the codes it ran on (layer_values) and their
** distribution of terms per value (layer_terms); and reading a run back for
** `qasim export-traces`.
**
** The conventions of store.c hold: statements prepared once in qaStoreOpen
** (qaStoreValuesSql[] below), named binds, the SQL text in every error, and a failed write
** rolls the whole open run back.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/storeInt.h"

const char *const qaStoreValuesSql[V_COUNT] = {
    [V_SET_RUN] = "UPDATE run SET precision = :precision WHERE run_id = :run_id",
    [V_SET_LAYER] =
        "UPDATE layer SET quant_a = :quant_a, quant_w = :quant_w, out_sqnr_db = :out_sqnr_db"
        " WHERE run_id = :run_id AND layer_idx = :layer_idx",
    [V_INSERT_VALUES] =
        "INSERT INTO layer_values(run_id, layer_idx, tensor, n_values, zero_frac, mean_bits,"
        " mean_terms_booth4, mean_terms_naf) VALUES(:run_id, :layer_idx, :tensor, :n_values,"
        " :zero_frac, :mean_bits, :mean_terms_booth4, :mean_terms_naf)",
    [V_INSERT_TERMS] =
        "INSERT INTO layer_terms(run_id, layer_idx, tensor, encoder, n_terms, n_values)"
        " VALUES(:run_id, :layer_idx, :tensor, :encoder, :n_terms, :n_values)",
    [V_GET_RUN] =
        "SELECT workload, workload_source, workload_hash, quant_a, quant_w, seed, act_zero_frac,"
        " wgt_dist, n_cycles, (SELECT count(*) FROM layer_values v WHERE v.run_id = run.run_id)"
        " FROM run WHERE run_id = :run_id",
    [V_GET_LAYERS] =
        "SELECT name, a_bits, w_bits, quant_a, quant_w, values_src FROM layer WHERE run_id = :run_id"
        " ORDER BY layer_idx",
    [V_GET_TERMS] =
        "SELECT layer_idx, tensor, encoder, n_terms, n_values FROM layer_terms WHERE run_id = :run_id"
        " ORDER BY layer_idx",
};

/* ---- helpers ---------------------------------------------------------------------------- */

static void colCopy(char *dst, size_t cap, sqlite3_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s, col);
  snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* ---- writing -------------------------------------------------------------------------- */

int qaStoreSetRunValues(QaStore *st, int64_t run_id, const QaRunValuesInfo *info, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreSetRunValues", err))) return rc;
  sqlite3_stmt *s = st->values[V_SET_RUN];
  bindI64(s, ":run_id", run_id, &src);
  bindText(s, ":precision", info->precision, &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) qaStoreAbortRun(st);
  return rc;
}

static const char *const g_enc_names[QA_ENC_COUNT] = {"popcount", "booth4", "naf"};

static int addTensor(QaStore *st, int64_t run_id, int layer_idx, const char *tensor, const QaValueStats *vs,
                     QaErr *err) {
  int rc, src = SQLITE_OK;
  sqlite3_stmt *s = st->values[V_INSERT_VALUES];
  bindI64(s, ":run_id", run_id, &src);
  bindI64(s, ":layer_idx", layer_idx, &src);
  bindText(s, ":tensor", tensor, &src);
  bindI64(s, ":n_values", vs->n_values, &src);
  bindDouble(s, ":zero_frac", qaValueStatsZeroFrac(vs), &src);
  bindDouble(s, ":mean_bits", qaValueStatsMeanTerms(vs, QA_ENC_POPCOUNT), &src);
  bindDouble(s, ":mean_terms_booth4", qaValueStatsMeanTerms(vs, QA_ENC_BOOTH4), &src);
  bindDouble(s, ":mean_terms_naf", qaValueStatsMeanTerms(vs, QA_ENC_NAF), &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) return rc;
  s = st->values[V_INSERT_TERMS];
  for (int e = 0; e < QA_ENC_COUNT; e++)
    for (int t = 0; t <= QA_TERMS_MAX; t++) {
      if (!vs->hist[e][t]) continue;
      bindI64(s, ":run_id", run_id, &src);
      bindI64(s, ":layer_idx", layer_idx, &src);
      bindText(s, ":tensor", tensor, &src);
      bindText(s, ":encoder", g_enc_names[e], &src);
      bindI64(s, ":n_terms", t, &src);
      bindI64(s, ":n_values", vs->hist[e][t], &src);
      if ((rc = qaStoreBindsDone(st, s, src, err))) return rc;
    }
  return QA_OK;
}

int qaStoreAddLayerValues(QaStore *st, int64_t run_id, const QaLayerValuesRecord *rec, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreAddLayerValues", err))) return rc;
  sqlite3_stmt *s = st->values[V_SET_LAYER];
  bindI64(s, ":run_id", run_id, &src);
  bindI64(s, ":layer_idx", rec->layer_idx, &src);
  bindText(s, ":quant_a", rec->quant_a, &src);
  bindText(s, ":quant_w", rec->quant_w, &src);
  bindDouble(s, ":out_sqnr_db", rec->out_sqnr_db, &src);
  if (!(rc = qaStoreBindsDone(st, s, src, err)) && rec->act)
    rc = addTensor(st, run_id, rec->layer_idx, "a", rec->act, err);
  if (!rc && rec->wgt) rc = addTensor(st, run_id, rec->layer_idx, "w", rec->wgt, err);
  if (rc) {
    qaErrPrefix(err, "layer %d values", rec->layer_idx);
    qaStoreAbortRun(st);
  }
  return rc;
}

/* ---- reading -------------------------------------------------------------------------- */

void qaStoreFreeValues(QaStoredValues *v) {
  if (!v) return;
  free(v->layers);
  memset(v, 0, sizeof *v);
}

int qaStoreGetValues(QaStore *st, int64_t run_id, QaStoredValues *out, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK, cap = 0;
  memset(out, 0, sizeof *out);
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreGetValues: no results store");
  sqlite3_stmt *s = st->values[V_GET_RUN];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return qaErrSet(err, QA_EINTERNAL, "%s: SQL bind error", st->path);
  src = sqlite3_step(s);
  if (src == SQLITE_DONE) {
    rc = qaErrSet(err, QA_EUSER, "run %lld not found in %s (see `qasim results`)", (long long)run_id,
                  st->path);
  } else if (src != SQLITE_ROW) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  } else if (sqlite3_column_type(s, 8) == SQLITE_NULL) {
    rc = qaErrSet(err, QA_EUSER, "run %lld in %s did not finish; choose a finished run (`qasim results`)",
                  (long long)run_id, st->path);
  } else if (sqlite3_column_type(s, 7) == SQLITE_NULL || sqlite3_column_int(s, 9) == 0) {
    rc = qaErrSet(err, QA_EUSER,
                  "run %lld in %s was stored by an older qasim, which did not record how its values were "
                  "made; run it again",
                  (long long)run_id, st->path);
  } else {
    colCopy(out->workload, sizeof out->workload, s, 0);
    colCopy(out->workload_source, sizeof out->workload_source, s, 1);
    colCopy(out->workload_hash, sizeof out->workload_hash, s, 2);
    colCopy(out->quant_a, sizeof out->quant_a, s, 3);
    colCopy(out->quant_w, sizeof out->quant_w, s, 4);
    out->seed = (uint64_t)sqlite3_column_int64(s, 5);
    out->act_zero_frac = sqlite3_column_double(s, 6);
    colCopy(out->wgt_dist, sizeof out->wgt_dist, s, 7);
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc) return rc;

  s = st->values[V_GET_LAYERS];
  src = SQLITE_OK;
  bindI64(s, ":run_id", run_id, &src);
  while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
    if (out->n_layers == cap) {
      cap = cap ? 2 * cap : 64;
      QaStoredValuesLayer *g = realloc(out->layers, (size_t)cap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
        break;
      }
      out->layers = g;
    }
    QaStoredValuesLayer *l = &out->layers[out->n_layers++];
    colCopy(l->name, sizeof l->name, s, 0);
    l->a_bits = sqlite3_column_int(s, 1);
    l->w_bits = sqlite3_column_int(s, 2);
    colCopy(l->quant_a, sizeof l->quant_a, s, 3);
    colCopy(l->quant_w, sizeof l->quant_w, s, 4);
    colCopy(l->values_src, sizeof l->values_src, s, 5);
    src = SQLITE_OK;
  }
  if (!rc && src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc) qaStoreFreeValues(out);
  return rc;
}

int qaStoreGetValueStats(QaStore *st, int64_t run_id, int n_layers, QaValueStats *act, QaValueStats *wgt,
                         QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK, rows = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreGetValueStats: no results store");
  memset(act, 0, (size_t)n_layers * sizeof *act);
  memset(wgt, 0, (size_t)n_layers * sizeof *wgt);
  sqlite3_stmt *s = st->values[V_GET_TERMS];
  bindI64(s, ":run_id", run_id, &src);
  while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
    int i = sqlite3_column_int(s, 0), t = sqlite3_column_int(s, 3), e;
    char tensor[4], enc[16];
    colCopy(tensor, sizeof tensor, s, 1);
    colCopy(enc, sizeof enc, s, 2);
    for (e = 0; e < QA_ENC_COUNT && strcmp(enc, g_enc_names[e]); e++) {
    }
    src = SQLITE_OK;
    if (i < 0 || i >= n_layers || e == QA_ENC_COUNT || t < 0 || t > QA_TERMS_MAX) continue;
    QaValueStats *vs = !strcmp(tensor, "a") ? &act[i] : &wgt[i];
    vs->hist[e][t] = sqlite3_column_int64(s, 4);
    rows++;
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc) return rc;
  for (int i = 0; i < n_layers; i++)
    for (int k = 0; k < 2; k++) {
      QaValueStats *vs = k ? &wgt[i] : &act[i];
      for (int t = 0; t <= QA_TERMS_MAX; t++) vs->n_values += vs->hist[QA_ENC_POPCOUNT][t];
      vs->n_zero = vs->hist[QA_ENC_POPCOUNT][0];
    }
  if (!rows)
    return qaErrSet(err, QA_EUSER, "run %lld in %s has no value statistics (stored by an older qasim?)",
                    (long long)run_id, st->path);
  return QA_OK;
}
