/*
** cmd_validate.c - `qasim validate`: every published claim beside qasim's value
** (sim/validate.h), as a text table or as the Markdown table the README carries.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/parse.h"
#include "sim/validate.h"
#include "cli/cli.h"

typedef struct ValidateArgs {
  const char *spec, *claims, *only, *jobs, *costs;
  int quick, markdown, verify, quiet;
} ValidateArgs;

static const QaCliOption validateOptions[] = {
    {"spec", "FILE", QA_CLI_VALUE(ValidateArgs, spec), "validation cases (default arch/validate.yaml)"},
    {"claims", "FILE", QA_CLI_VALUE(ValidateArgs, claims), "published claims (default arch/claims.csv)"},
    {"quick", NULL, QA_CLI_FLAG(ValidateArgs, quick), "only the quick cases (the ctest subset)"},
    {"costs", "TABLE", QA_CLI_VALUE(ValidateArgs, costs),
     "price every energy and area case with this cost table (default: each case's, cacti45)"},
    {"only", "PREFIX", QA_CLI_VALUE(ValidateArgs, only), "only the claims whose id starts with PREFIX"},
    {"jobs", "N", QA_CLI_VALUE(ValidateArgs, jobs), "simulations at a time (default: the online cores)"},
    {"verify", NULL, QA_CLI_FLAG(ValidateArgs, verify), "check every run's outputs against the reference"},
    {"markdown", NULL, QA_CLI_FLAG(ValidateArgs, markdown), "print the table in Markdown (as in README.md)"},
    {"quiet", NULL, QA_CLI_FLAG(ValidateArgs, quiet), "no progress on stderr"},
    {NULL},
};

static void progress(void *ctx, int done, int total, const char *what) {
  (void)ctx;
  (void)what;
  fprintf(stderr, "\rvalidate: %d/%d runs", done, total);
  if (done == total) fputc('\n', stderr);
  fflush(stderr);
}

static void fmtValue(double v, char *out, size_t cap) {
  if (!isfinite(v))
    snprintf(out, cap, "-");
  else if (fabs(v) >= 100)
    snprintf(out, cap, "%.0f", v);
  else
    snprintf(out, cap, "%.3g", v);
}

/* A cell without the characters that break a Markdown table. */
static void mdCell(FILE *f, const char *s) {
  for (; *s; s++) fputs(*s == '|' ? "\\|" : *s == '\n' ? " " : (char[]){*s, 0}, f);
}

static void printMarkdown(const QaValidateReport *r, FILE *f) {
  fprintf(f, "| claim | source | published | qasim | ratio | band | values | verdict |\n");
  fprintf(f, "|---|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < r->n_rows; i++) {
    const QaValidateRow *w = &r->rows[i];
    char pub[32], val[32], ratio[32];
    fmtValue(w->published, pub, sizeof pub);
    fmtValue(w->value, val, sizeof val);
    fmtValue(w->ratio, ratio, sizeof ratio);
    fprintf(f, "| `%s`: ", w->claim_id);
    mdCell(f, w->claim);
    fprintf(f, " | ");
    /* the citation, without the addresses of the stored copies (they are in claims.csv) */
    char src[256];
    snprintf(src, sizeof src, "%s", w->source);
    char *cut = strstr(src, " as stored");
    if (!cut) cut = strstr(src, " http");
    if (cut) *cut = 0;
    mdCell(f, src);
    fprintf(f, " (%s) | %s%s | %s | %s | +-%.0f%%: ", w->claim_status, pub, w->unit, val, ratio,
            100 * w->tolerance);
    mdCell(f, w->band);
    fprintf(f, " | %s | **%s**", w->values, qaValStatusName(w->status));
    if (w->detail[0]) {
      fprintf(f, "<br>");
      mdCell(f, w->detail);
    }
    if (w->note[0]) {
      fprintf(f, "<br>");
      mdCell(f, w->note);
    }
    fprintf(f, " |\n");
  }
}

static void printText(const QaValidateReport *r, FILE *f) {
  fprintf(f, "%-26s %10s %10s %6s %7s %-9s %-10s\n", "claim", "published", "qasim", "ratio", "band", "values",
          "verdict");
  for (int i = 0; i < r->n_rows; i++) {
    const QaValidateRow *w = &r->rows[i];
    char pub[32], val[32], ratio[32];
    fmtValue(w->published, pub, sizeof pub);
    fmtValue(w->value, val, sizeof val);
    snprintf(ratio, sizeof ratio, isfinite(w->ratio) ? "%.2f" : "-", w->ratio);
    fprintf(f, "%-26s %9s%-1s %10s %6s %6.0f%% %-9s %-10s\n", w->claim_id, pub,
            w->unit[0] == 'x' ? "x" : w->unit, val, ratio, 100 * w->tolerance, w->values,
            qaValStatusName(w->status));
    fprintf(f, "    %s [%s; %s]\n", w->claim, w->source, w->claim_status);
    if (w->detail[0]) fprintf(f, "    measured: %s\n", w->detail);
    fprintf(f, "    band: %s\n", w->band);
    if (w->note[0]) fprintf(f, "    %s: %s\n", w->status == QA_VAL_ERROR ? "error" : "why", w->note);
  }
}

static int validateMain(void *args, const QaCliCall *call, QaErr *err) {
  (void)call;
  const ValidateArgs *a = args;
  QaValidateOptions o = {a->spec, a->claims, a->quick, a->only, 0, a->verify, a->costs, NULL, NULL};
  int64_t jobs = 0;
  int rc;
  if (a->jobs && (rc = qaParseInt64(a->jobs, "--jobs", 1, 256, &jobs, err))) return rc;
  o.jobs = (int)jobs;
  if (!a->quiet && isatty(fileno(stderr))) o.progress = progress;
  QaValidateReport r;
  if ((rc = qaValidateRun(&o, &r, err))) return rc;
  if (a->markdown)
    printMarkdown(&r, stdout);
  else
    printText(&r, stdout);
  printf("%s%d claims: %d PASS, %d EXPLAINED, %d FAIL, %d ERROR (%d simulations, %.1f s)\n",
         a->markdown ? "\n" : "", r.n_rows, r.n_pass, r.n_explained, r.n_fail, r.n_error, r.n_runs, r.wall_s);
  int bad = r.n_fail + r.n_error;
  qaValidateFree(&r);
  if (fflush(stdout) || ferror(stdout))
    return qaErrSet(err, QA_EUSER, "cannot write the table: %s", "output error");
  if (bad) return qaErrSet(err, QA_EUSER, "%d claim(s) FAIL or ERROR (see the table)", bad);
  return QA_OK;
}

const QaCliCommand qaCliCmdValidate = {
    .name = "validate",
    .summary = "reproduce the published claims: each one beside qasim's value",
    .about =
        "Run the reproduction cases of arch/validate.yaml (design points simulated in parallel,\n"
        "not stored) and print one row per published claim of arch/claims.csv: the published\n"
        "value and its source, qasim's value, their ratio, the tolerance band with its reason,\n"
        "and PASS (within the band), EXPLAINED (outside, with a documented reason) or FAIL.\n"
        "Exits 1 if any claim FAILs or cannot run.\n",
    .options = validateOptions,
    .args_size = sizeof(ValidateArgs),
    .handler = validateMain,
};
