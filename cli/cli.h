/*
** cli.h - the qasim command-line tool: the command table and the option parser.
**
** Every command is one QaCliCommand: its name, a one-line summary, its positional
** argument, a paragraph for its usage, a NULL-terminated table of option rows and a
** handler. main.c lists the commands in one NULL-terminated table; dispatch, the command
** list (`qasim`, `qasim --help`, `qasim help`), `qasim help CMD`, `qasim CMD --help` and
** the unknown-command and missing-command messages are all generated from it. A
** command's usage is generated from its option rows and args.c parses with the same
** rows, so what the usage says and what the parser accepts cannot disagree.
**
** An option row says where its value goes as the offset of a field in the command's
** own argument struct (one struct per command, zeroed before parsing); the QA_CLI_FLAG /
** QA_CLI_VALUE / QA_CLI_REQUIRED / QA_CLI_LIST macros compute the offset and reject a
** field of the wrong type at compile time. Values stay text: the handler parses numbers
** with base/parse.h and applies the defaults.
**
** Files: main.c (table, dispatch, help), args.c (parser, usage, suggestions), one
** cmd_*.c per command group.
*/
#ifndef QA_CLI_H
#define QA_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "base/qa.h"
#include "sim/run.h"
#include "store/store.h"

/* What an option row takes: a flag (sets an int to 1), one value (a const char *; given
** twice is an error), or a repeatable value (appended to a QaCliList). */
typedef enum QaCliKind { QA_CLI_KIND_FLAG, QA_CLI_KIND_VALUE, QA_CLI_KIND_LIST } QaCliKind;

#define QA_CLI_LIST_MAX 32 /* values of one repeatable option */
#define QA_CLI_POS_MAX 64  /* positional arguments of one command */

typedef struct QaCliList {
  int n;                          /* values given */
  const char *v[QA_CLI_LIST_MAX]; /* in command-line order, pointing into argv */
} QaCliList;

/* One option row. A table of rows ends with a row whose name is NULL. */
typedef struct QaCliOption {
  const char *name; /* long name without the dashes, e.g. "bits" */
  const char *arg;  /* placeholder of the value in the usage, e.g. "N"; NULL for a flag */
  QaCliKind kind;   /* flag, value or repeatable value */
  size_t offset;    /* where it goes: offset of the field in the command's argument struct */
  int required;     /* 1: the parser rejects a command line without it */
  const char *help; /* help line (wrapped to the terminal width by the usage) */
  char short_name;  /* one-letter alias (-j N, -jN), or 0 */
} QaCliOption;

/* offsetof(T, f), and a compile error unless T.f has type TYPE. */
#define QA_CLI_FIELD(T, f, TYPE) (offsetof(T, f) + 0 * sizeof(_Generic(((T *)0)->f, TYPE : 1)))
/* The kind, offset and required columns of a row, for a field f of the argument struct T. */
#define QA_CLI_FLAG(T, f) QA_CLI_KIND_FLAG, QA_CLI_FIELD(T, f, int), 0
#define QA_CLI_VALUE(T, f) QA_CLI_KIND_VALUE, QA_CLI_FIELD(T, f, const char *), 0
#define QA_CLI_REQUIRED(T, f) QA_CLI_KIND_VALUE, QA_CLI_FIELD(T, f, const char *), 1
#define QA_CLI_LIST(T, f) QA_CLI_KIND_LIST, QA_CLI_FIELD(T, f, QaCliList), 0

struct QaCliCommand;

/* What a handler gets besides its parsed argument struct. */
typedef struct QaCliCall {
  const struct QaCliCommand *cmd;  /* the command being run */
  int n_pos;                       /* positional arguments given, in [pos_min, pos_max] */
  const char *pos[QA_CLI_POS_MAX]; /* pointing into argv */
  const char *command_line;        /* the whole command line (stored with a run) */
} QaCliCall;

/* One command (a row of the command table). */
typedef struct QaCliCommand {
  const char *name;           /* e.g. "run" */
  const char *summary;        /* one line in the command list */
  const char *pos_name;       /* positional argument in the usage, e.g. "RUN"; NULL if none */
  int pos_min, pos_max;       /* how many positional arguments it takes (pos_max <= QA_CLI_POS_MAX) */
  const char *pos_help;       /* what the positional argument is */
  const char *about;          /* paragraph(s) under the usage line, lines ending in \n */
  const QaCliOption *options; /* option rows ending with a NULL name; NULL: no options */
  size_t args_size;           /* size of the argument struct the rows point into */
  /* Run the command on the parsed *args (owned by the caller). Returns QA_OK or an error
  ** code with a one-line message in *err (printed after "qasim NAME: "). */
  int (*handler)(void *args, const QaCliCall *call, QaErr *err);
} QaCliCommand;

/* ---- args.c: parsing, usage, suggestions ------------------------------------------- */

/* 1 if argv[0..argc) asks for help (-h or --help before any "--"). */
int qaCliWantsHelp(int argc, char **argv);

/* Parse argv[0..argc) (the words after the command name) with cmd's option rows into
** *args (cmd->args_size bytes, zeroed by the caller) and the positional arguments into
** call->pos / call->n_pos. Accepts --name=value and --name value; "--" ends the options.
** Returns QA_OK, or QA_EUSER with a one-line message naming the option and the fix:
** unknown option (with the closest name), a value missing or given to a flag, a value
** option given twice, a repeatable one given too often, a required option or positional
** argument missing, too many positional arguments. Stores pointers into argv only. */
int qaCliParse(const QaCliCommand *cmd, int argc, char **argv, void *args, QaCliCall *call, QaErr *err);

/* Print cmd's usage, generated from its rows: the usage line, the about text, the
** positional argument and one line per option with its help. */
void qaCliUsage(const QaCliCommand *cmd, FILE *out);

/* Levenshtein distance between a and b (a large number for words over 63 characters). */
int qaCliEditDistance(const char *a, const char *b);

/* The closest of a set of names to a mistyped word: feed every candidate to
** qaCliSuggestTry; best is then a name within edit distance 2 (and shorter than the
** word), or one the word is a prefix of, or NULL. */
typedef struct QaCliSuggest {
  const char *typed; /* the mistyped word */
  const char *best;  /* closest candidate so far, NULL if none is close */
  int dist;          /* its distance */
} QaCliSuggest;
void qaCliSuggestInit(QaCliSuggest *s, const char *typed);
void qaCliSuggestTry(QaCliSuggest *s, const char *candidate);

/* ---- cmd_results.c: the results database every command uses ------------------------ */

/* The help line of every --db option. */
#define QA_CLI_DB_HELP "results database (default $QASIM_DB, else " QA_STORE_DEFAULT_PATH ")"

/* The database path: GIVEN (--db) if non-NULL, else $QASIM_DB if set and non-empty, else
** QA_STORE_DEFAULT_PATH. Never NULL; the result is static or getenv's. */
const char *qaCliDbPath(const char *given);

/* --bits values of a filter ("N" or "A/W", 1..16) into a[i], w[i] (L->n of each).
** QA_EUSER naming the value. */
int qaCliParseBits(const QaCliList *l, int *a, int *w, QaErr *err);

/* QA_OK if the database at PATH exists; else QA_EUSER saying to run `qasim run` first or
** pass --db (for the commands that only read a database). */
int qaCliDbMustExist(const char *path, QaErr *err);

/* ---- runprint.c: the text `qasim run` prints ---------------------------------------- */

/* A reporter (sim/run.h) writing to OUT; PER_LAYER 0 prints only the plan and the totals;
** DB_PATH and COSTS_ARG name the store and the cost table in the hint for a missing
** baseline. The printer must outlive the run. */
typedef struct QaRunPrinter {
  FILE *out;
  int per_layer;
  const char *db_path;
  const char *costs_arg;
} QaRunPrinter;
QaRunReporter qaCliRunReporter(QaRunPrinter *pr);

/* ---- the commands (one definition each, listed by main.c) -------------------------- */

extern const QaCliCommand qaCliCmdNets, qaCliCmdInfo, qaCliCmdArchs;  /* cmd_nets.c */
extern const QaCliCommand qaCliCmdRun;                                /* cmd_run.c */
extern const QaCliCommand qaCliCmdResults, qaCliCmdExport;            /* cmd_results.c */
extern const QaCliCommand qaCliCmdPlot, qaCliCmdReport;               /* cmd_plot.c */
extern const QaCliCommand qaCliCmdSweep, qaCliCmdMerge;               /* cmd_sweep.c */
extern const QaCliCommand qaCliCmdBench;                              /* cmd_bench.c */
extern const QaCliCommand qaCliCmdArea, qaCliCmdPrice, qaCliCmdCosts; /* cmd_energy.c */
extern const QaCliCommand qaCliCmdValidate;                           /* cmd_validate.c */
extern const QaCliCommand qaCliCmdCalibrate;                          /* cmd_energy.c */
extern const QaCliCommand qaCliCmdExportTraces;                       /* cmd_traces.c */
extern const QaCliCommand qaCliCmdStats;                              /* cmd_stats.c */

#endif
