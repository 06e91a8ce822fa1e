/*
** cmd_results.c - `qasim results` and `qasim export`: reading the results store
** (store/store.h), and where every command finds the results database.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/parse.h"
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

/* ---- results ----------------------------------------------------------------------- */

typedef struct ResultsArgs {
  const char *db;
} ResultsArgs;

static const QaCliOption resultsOptions[] = {
    {"db", "PATH", QA_CLI_VALUE(ResultsArgs, db), QA_CLI_DB_HELP},
    {NULL},
};

static int resultsMain(void *args, const QaCliCall *call, QaErr *err) {
  const ResultsArgs *a = args;
  const char *db = qaCliDbPath(a->db);
  QaStore *st = NULL;
  int rc = qaCliDbMustExist(db, err);
  if (rc) return rc;
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK) rc = qaStoreListRuns(st, stdout, err);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdResults = {
    .name = "results",
    .summary = "list stored runs",
    .about = "List the runs in the results database.\n",
    .options = resultsOptions,
    .args_size = sizeof(ResultsArgs),
    .handler = resultsMain,
};

/* ---- export ------------------------------------------------------------------------ */

typedef struct ExportArgs {
  int csv;
  const char *db, *output;
} ExportArgs;

static const QaCliOption exportOptions[] = {
    {"csv", NULL, QA_CLI_FLAG(ExportArgs, csv), "write CSV with a header row (the only format, required)"},
    {"db", "PATH", QA_CLI_VALUE(ExportArgs, db), QA_CLI_DB_HELP},
    {"output", "FILE", QA_CLI_VALUE(ExportArgs, output), "write to FILE instead of stdout"},
    {NULL},
};

static int exportMain(void *args, const QaCliCall *call, QaErr *err) {
  const ExportArgs *a = args;
  const char *db = qaCliDbPath(a->db);
  int64_t id;
  int rc;
  if (!a->csv) return qaErrSet(err, QA_EUSER, "choose a format: --csv");
  if ((rc = qaParseInt64(call->pos[0], "run id", 1, INT32_MAX, &id, err))) return rc;
  if ((rc = qaCliDbMustExist(db, err))) return rc;
  QaStore *st = NULL;
  QaOutFile out = {0};
  /* never onto the database, all or nothing (a temporary file renamed at the end) */
  if (a->output && (rc = qaOutOpen(&out, a->output, "the results database", db, err))) return rc;
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK)
    rc = qaStoreExportCsv(st, id, a->output ? out.f : stdout, err);
  if (a->output) rc = rc ? (qaOutAbort(&out), rc) : qaOutCommit(&out, err);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdExport = {
    .name = "export",
    .summary = "write a run's per-layer table as CSV",
    .pos_name = "RUN",
    .pos_min = 1,
    .pos_max = 1,
    .pos_help = "a run id, as `qasim results` lists them",
    .about = "Write the per-layer table of a run as CSV (to stdout or FILE).\n",
    .options = exportOptions,
    .args_size = sizeof(ExportArgs),
    .handler = exportMain,
};
