/*
** runprint.c - the text `qasim run` prints: a reporter over the run pipeline
** (sim/run.h): the plan, one line per layer, the totals, the energy and the efficiency
** relative to the baseline.
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/driver.h"
#include "cli/cli.h"
#include "sim/reprice.h"
#include "store/store.h"

static void onStart(void *ctx, const QaRunPlan *p) {
  QaRunPrinter *pr = ctx;
  FILE *f = pr->out;
  fprintf(f, "qasim %s: %s on %s (%d layers, %" PRId64 " MACs), a/w %d/%d bits, timing %s\n", qaVersion(),
          p->cfg->desc->name, p->net->name, p->net->n_layers, qaNetMacs(p->net), p->a_bits, p->w_bits,
          qaTimingName(p->timing));
  fprintf(f, "values: %s%s%s\n", p->values, p->net->about[0] ? "; network: " : "", p->net->about);
  if (p->precision) fprintf(f, "per-layer precisions: --precision %s\n", p->precision);
  for (const char *n = p->net->notes; n && *n;) { /* warnings found reading the network */
    const char *e = strchr(n, '\n');
    int len = e ? (int)(e - n) : (int)strlen(n);
    fprintf(stderr, "qasim run: warning: %.*s\n", len, n);
    n = e ? e + 1 : n + len;
  }
  if (pr->per_layer)
    fprintf(f, "%4s %-22s %-34s %-5s %13s %11s %7s %8s  %s\n", "#", "layer", "geometry", "a/w", "macs",
            "n_cycles", "pe_util", "sqnr_dB", "outputs");
  fflush(f);
}

static void onLayer(void *ctx, const QaRunLayer *rl) {
  QaRunPrinter *pr = ctx;
  if (!pr->per_layer) return;
  const QaLayer *l = rl->layer;
  const QaLayerStats *st = rl->stats;
  char geo[96];
  snprintf(geo, sizeof geo, "%dx%dx%d>%dx%dx%d k%dx%d/%d%s", l->c, l->h, l->w, l->k, qaLayerOutH(l),
           qaLayerOutW(l), l->r, l->s, l->stride_h, l->groups > 1 ? (l->groups == l->c ? " dw" : " g") : "");
  fprintf(pr->out, "%4d %-22s %-34s %2d/%-2d %13" PRId64 " %11" PRId64 " %6.1f%% %8.2f  %s%s\n", rl->idx,
          l->name, geo, rl->a_bits, rl->w_bits, st->macs, st->n_cycles, 100.0 * st->pe_util, rl->out_sqnr_db,
          st->outputs_verified == 1   ? "ok"
          : st->outputs_verified == 0 ? (st->acc_overflows ? "ACC-OVERFLOW" : "MISMATCH")
                                      : "-",
          st->n_stall_cycles > st->n_compute_cycles ? "  DRAM-bound" : "");
  fflush(pr->out);
}

static void onDone(void *ctx, const QaRunPlan *p, const QaRunResult *res) {
  QaRunPrinter *pr = ctx;
  FILE *f = pr->out;
  QaErr err = {0, ""};
  fprintf(f, "total: %" PRId64 " cycles (%" PRId64 " stall), %.3f ms at %g MHz, pe_util %.1f%%, outputs %s\n",
          res->n_cycles, res->n_stall_cycles, res->time_s * 1e3, res->clock_mhz,
          res->n_cycles ? 100.0 * res->util_cycles / (double)res->n_cycles : 0.0,
          !res->verified      ? "not verified"
          : res->all_verified ? "verified"
                              : "NOT VERIFIED");
  const QaRunPart *parts[2] = {&res->conv, &res->fc};
  const char *names[2] = {"conv", "fc"};
  if (res->conv.n_layers && res->fc.n_layers)
    for (int i = 0; i < 2; i++) {
      const QaRunPart *q = parts[i];
      fprintf(f, "  %-4s layers: %d, %" PRId64 " MACs, %" PRId64 " cycles (%" PRId64 " stall), %.3f ms",
              names[i], q->n_layers, q->macs, q->n_cycles, q->n_stall_cycles, q->time_s * 1e3);
      if (p->cx) fprintf(f, ", %.3f uJ", q->energy_pj / 1e6);
      fprintf(f, "\n");
    }
  for (int i = 0; i < 2; i++)
    if (parts[i]->n_dram_bound)
      fprintf(f,
              "  DRAM-bound %s layers (stall > compute cycles): %d, %" PRId64 " cycles = %.1f%% of the run\n",
              names[i], parts[i]->n_dram_bound, parts[i]->dram_bound_cycles,
              res->n_cycles ? 100.0 * (double)parts[i]->dram_bound_cycles / (double)res->n_cycles : 0.0);
  fprintf(f, "host: %.2f s wall, %.1f M simulated MACs/s\n", res->wall_s, res->sim_macs_per_s / 1e6);
  fprintf(f,
          "output SQNR vs the float output: mean %.2f dB over %d layers (%d on traced values), worst %.2f dB "
          "(%s)\n",
          res->sqnr_mean_db, res->n_layers, res->traced_layers, res->sqnr_worst_db, res->sqnr_worst_layer);
  if (p->cx) {
    if (qaEnergyPrint(&res->energy, p->cx, f, &err)) fprintf(f, "%s\n", err.msg);
    const QaEnergy *e = &res->energy;
    if (res->run_id < 0) {
      fprintf(f, "energy efficiency vs %s: not compared (the run is not stored)\n", QA_BASELINE_ARCH);
    } else if (res->baseline_run > 0 && e->total_pj > 0) {
      fprintf(f, "energy efficiency vs %s (run %lld, %.3f uJ per inference): %.3fx%s\n", QA_BASELINE_ARCH,
              (long long)res->baseline_run, res->baseline_pj / (e->batch > 0 ? e->batch : 1) / 1e6,
              res->baseline_pj / e->total_pj,
              res->baseline_run == res->run_id ? " (this run is the baseline)" : "");
    } else {
      char bits[48];
      if (p->a_bits == p->w_bits)
        snprintf(bits, sizeof bits, "--bits %d", p->a_bits);
      else
        snprintf(bits, sizeof bits, "--a-bits %d --w-bits %d", p->a_bits, p->w_bits);
      const char *net = strcmp(p->net->source, "builtin") ? p->net->source : p->net->name;
      fprintf(f,
              "energy efficiency vs %s: no %s run of %s at a/w %d/%d bits priced with '%s' in %s; make one "
              "with `qasim run --arch %s --net %s %s --costs %s --db %s`\n",
              QA_BASELINE_ARCH, QA_BASELINE_ARCH, p->net->name, p->a_bits, p->w_bits, e->costs, pr->db_path,
              QA_BASELINE_ARCH, net, bits, pr->costs_arg, pr->db_path);
    }
  }
  if (res->run_id >= 0)
    fprintf(f, "stored as run %lld in %s (design point %.*s)\n", (long long)res->run_id, pr->db_path,
            QA_ID_SHORT, res->identity.id);
  fflush(f);
}

QaRunReporter qaCliRunReporter(QaRunPrinter *pr) {
  QaRunReporter r = {pr, onStart, onLayer, onDone};
  return r;
}
