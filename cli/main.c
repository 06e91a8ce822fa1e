/*
** main.c - the `qasim` command-line tool: the command table and dispatch.
**
** commands[] is the one list of commands: dispatch, the command list of the global
** usage, `qasim help CMD`, `qasim CMD --help` and the unknown-command and
** missing-command messages all read it (each command's rows live in its cmd_*.c).
**
** Exit codes: 0 success, 1 user error (one line on stderr), 2 internal error.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "base/outfile.h"
#include "base/strbuf.h"
#include "base/yaml.h"
#include "cli/cli.h"

static const QaCliCommand qaCliCmdHelp;

/* Every command, in the order the usage lists them; NULL ends the table. */
static const QaCliCommand *const commands[] = {
    &qaCliCmdNets,         /* cmd_nets.c */
    &qaCliCmdInfo,         /* cmd_nets.c */
    &qaCliCmdArchs,        /* cmd_nets.c */
    &qaCliCmdRun,          /* cmd_run.c */
    &qaCliCmdResults,      /* cmd_results.c */
    &qaCliCmdExport,       /* cmd_results.c */
    &qaCliCmdExportTraces, /* cmd_traces.c */
    &qaCliCmdStats,        /* cmd_stats.c */
    &qaCliCmdSweep,        /* cmd_sweep.c */
    &qaCliCmdMerge,        /* cmd_sweep.c */
    &qaCliCmdReport,       /* cmd_plot.c */
    &qaCliCmdPlot,         /* cmd_plot.c */
    &qaCliCmdBench,        /* cmd_bench.c */
    &qaCliCmdArea,         /* cmd_energy.c */
    &qaCliCmdPrice,        /* cmd_energy.c */
    &qaCliCmdCosts,        /* cmd_energy.c */
    &qaCliCmdValidate,     /* cmd_validate.c */
    &qaCliCmdCalibrate,    /* cmd_energy.c */
    &qaCliCmdHelp,         /* below */
    NULL,
};

static const QaCliCommand *findCommand(const char *name) {
  for (int i = 0; commands[i]; i++)
    if (!strcmp(commands[i]->name, name)) return commands[i];
  return NULL;
}

/* "nets, info, ..., help" into buf. */
static const char *commandNames(char *buf, size_t n) {
  size_t at = 0;
  buf[0] = 0;
  for (int i = 0; commands[i] && at < n; i++)
    at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", commands[i]->name);
  return buf;
}

/* The error for a word that names no command: the closest name, or the list. */
static int unknownCommand(const char *word, QaErr *err) {
  char names[512];
  QaCliSuggest s;
  qaCliSuggestInit(&s, word);
  for (int i = 0; commands[i]; i++) qaCliSuggestTry(&s, commands[i]->name);
  if (s.best)
    return qaErrSet(err, QA_EUSER, "unknown command '%s' (did you mean %s? see qasim --help)", word, s.best);
  return qaErrSet(err, QA_EUSER, "unknown command '%s' (commands: %s; see qasim --help)", word,
                  commandNames(names, sizeof names));
}

static void usage(FILE *f) {
  fprintf(f, "usage: qasim COMMAND [options]   (qasim help COMMAND or qasim COMMAND --help for details)\n\n");
  fprintf(f, "commands:\n");
  int width = 0; /* the longest name, so that two spaces always follow a name */
  for (int i = 0; commands[i]; i++)
    if ((int)strlen(commands[i]->name) > width) width = (int)strlen(commands[i]->name);
  for (int i = 0; commands[i]; i++)
    fprintf(f, "  %-*s  %s\n", width, commands[i]->name, commands[i]->summary);
  fprintf(f,
          "\nqasim --version prints the version. The results database is --db PATH, else $QASIM_DB,\n"
          "else " QA_STORE_DEFAULT_PATH
          ". Exit codes: 0 success, 1 a user error (one line on stderr),\n"
          "2 an internal error.\n");
}

/* ---- qasim help [COMMAND] ----------------------------------------------------------- */

static int helpMain(void *args, const QaCliCall *call, QaErr *err) {
  if (call->n_pos == 0) {
    usage(stdout);
    return QA_OK;
  }
  const QaCliCommand *c = findCommand(call->pos[0]);
  if (!c) return unknownCommand(call->pos[0], err);
  qaCliUsage(c, stdout);
  return QA_OK;
}

static const QaCliCommand qaCliCmdHelp = {
    .name = "help",
    .summary = "print the commands, or one command's usage and options",
    .pos_name = "COMMAND",
    .pos_min = 0,
    .pos_max = 1,
    .pos_help = "a command name (without it: the list of commands)",
    .about = "Print the usage of COMMAND: what it does and every option (as qasim COMMAND --help).\n",
    .options = NULL,
    .args_size = 0,
    .handler = helpMain,
};

/* ---- dispatch ---------------------------------------------------------------------- */

int main(int argc, char **argv) {
  QaErr err = {0, ""};
  char names[512];
  qaHeapSetup(); /* base/qa.h: freed buffers stay in the heap, huge pages */
  if (argc < 2) {
    usage(stdout);
    fflush(stdout);
    fprintf(stderr, "qasim: missing command (%s; see qasim help COMMAND)\n",
            commandNames(names, sizeof names));
    return 1;
  }
  const char *word = argv[1];
  if (!strcmp(word, "--help") || !strcmp(word, "-h")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(word, "--version")) {
    printf("qasim %s\n", qaVersion());
    return 0;
  }
  if (word[0] == '-') {
    char shown[4 * QA_ERR_MAX];
    qaYamlEscape(word, shown, sizeof shown);
    fprintf(stderr, "qasim: unknown option '%s' (before a command qasim takes --help or --version)\n", shown);
    return 1;
  }
  const QaCliCommand *cmd = findCommand(word);
  if (!cmd) {
    char shown[4 * QA_ERR_MAX];
    unknownCommand(word, &err);
    qaYamlEscape(err.msg, shown, sizeof shown);
    fprintf(stderr, "qasim: %s\n", shown);
    return 1;
  }
  int sub_argc = argc - 2;
  char **sub_argv = argv + 2;
  if (qaCliWantsHelp(sub_argc, sub_argv)) {
    qaCliUsage(cmd, stdout);
    return 0;
  }

  QaStrBuf cmdline; /* stored with a run: the whole command line, never cut */
  qaStrBufInit(&cmdline);
  qaStrBufJoin(&cmdline, (const char *const *)argv, argc, " ");
  QaCliCall call = {0};
  call.command_line = qaStrBufText(&cmdline);
  int rc;
  void *args = qaCalloc(1, cmd->args_size ? cmd->args_size : 1, &err);
  if (!args)
    rc = QA_EINTERNAL;
  else if ((rc = qaCliParse(cmd, sub_argc, sub_argv, args, &call, &err)) == QA_OK)
    rc = cmd->handler(args, &call, &err);
  if (!rc) rc = qaOutCheckStdout(&err); /* e.g. `qasim results > /dev/full` is an error */
  free(args);
  if (!rc) rc = qaStrBufCheck(&cmdline, &err);
  qaStrBufFree(&cmdline);
  if (rc) {
    /* one line, whatever bytes of the input the message quotes: control characters,
    ** newlines and bytes that are not UTF-8 are printed as \xNN */
    char shown[4 * QA_ERR_MAX];
    qaYamlEscape(err.msg[0] ? err.msg : "failed", shown, sizeof shown);
    fprintf(stderr, "qasim %s: %s\n", cmd->name, shown);
    return rc == QA_EUSER ? 1 : 2;
  }
  return 0;
}
