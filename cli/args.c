/*
** args.c - the option parser and the usage generator of the qasim command-line tool
** (see cli.h). Both walk the same NULL-terminated option rows of a command.
*/
#include <string.h>

#include "cli/cli.h"

#define USAGE_WIDTH 100 /* columns the usage is wrapped to */

/* ---- suggestions ------------------------------------------------------------------- */

int qaCliEditDistance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  int row[64];
  if (na >= 64 || nb >= 64) return 1 << 20;
  for (size_t j = 0; j <= nb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    int diag = row[0]; /* row[i-1][j-1] */
    row[0] = (int)i;
    for (size_t j = 1; j <= nb; j++) {
      int up = row[j]; /* row[i-1][j] */
      int best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

void qaCliSuggestInit(QaCliSuggest *s, const char *typed) {
  s->typed = typed;
  s->best = NULL;
  s->dist = 3;
}

void qaCliSuggestTry(QaCliSuggest *s, const char *candidate) {
  size_t n = strlen(s->typed);
  int d = qaCliEditDistance(s->typed, candidate);
  if (d >= (int)n) d = 3;                                         /* "x" is not a typo of "db" */
  if (d > 2 && n >= 2 && !strncmp(candidate, s->typed, n)) d = 2; /* an unfinished name */
  if (d < s->dist) {
    s->best = candidate;
    s->dist = d;
  }
}

/* ---- parsing ----------------------------------------------------------------------- */

int qaCliWantsHelp(int argc, char **argv) {
  for (int i = 0; i < argc && strcmp(argv[i], "--"); i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
  return 0;
}

static const QaCliOption *findOption(const QaCliCommand *cmd, const char *name, size_t len) {
  for (const QaCliOption *o = cmd->options; o && o->name; o++)
    if (strlen(o->name) == len && !strncmp(o->name, name, len)) return o;
  return NULL;
}

static const QaCliOption *findShort(const QaCliCommand *cmd, char c) {
  for (const QaCliOption *o = cmd->options; o && o->name; o++)
    if (o->short_name && o->short_name == c) return o;
  return NULL;
}

static const char *argName(const QaCliOption *o) { return o->arg ? o->arg : "VALUE"; }

static int unknownOption(const QaCliCommand *cmd, const char *word, size_t len, QaErr *err) {
  char typed[64];
  const char *name = word + strspn(word, "-");
  size_t n = len - (size_t)(name - word);
  if (n >= sizeof typed) n = sizeof typed - 1;
  memcpy(typed, name, n);
  typed[n] = 0;
  QaCliSuggest s;
  qaCliSuggestInit(&s, typed);
  for (const QaCliOption *o = cmd->options; o && o->name; o++) qaCliSuggestTry(&s, o->name);
  qaCliSuggestTry(&s, "help");
  if (s.best)
    return qaErrSet(err, QA_EUSER, "unknown option '%.*s' (did you mean --%s? see qasim %s --help)", (int)len,
                    word, s.best, cmd->name);
  return qaErrSet(err, QA_EUSER, "unknown option '%.*s' (see qasim %s --help)", (int)len, word, cmd->name);
}

int qaCliParse(const QaCliCommand *cmd, int argc, char **argv, void *args, QaCliCall *call, QaErr *err) {
  char *base = args;
  int options_done = 0;
  call->cmd = cmd;
  call->n_pos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!options_done && !strcmp(a, "--")) {
      options_done = 1;
      continue;
    }
    if (options_done || a[0] != '-' || a[1] == 0) { /* a positional argument ("-" is one) */
      if (call->n_pos >= cmd->pos_max || call->n_pos >= QA_CLI_POS_MAX) {
        if (cmd->pos_max == 0)
          return qaErrSet(err, QA_EUSER,
                          "unexpected argument '%s' (%s takes no arguments; see qasim %s --help)", a,
                          cmd->name, cmd->name);
        return qaErrSet(err, QA_EUSER, "unexpected argument '%s' (%s takes %s%d %s; see qasim %s --help)", a,
                        cmd->name, cmd->pos_min == cmd->pos_max ? "" : "at most ", cmd->pos_max,
                        cmd->pos_name, cmd->name);
      }
      call->pos[call->n_pos++] = a;
      continue;
    }
    const char *eq = strchr(a, '=');
    size_t len = eq ? (size_t)(eq - a) : strlen(a);
    const char *inline_val = eq ? eq + 1 : NULL; /* --name=VALUE */
    const QaCliOption *o = a[1] == '-' ? findOption(cmd, a + 2, len - 2) : NULL;
    if (a[1] != '-' && (o = findShort(cmd, a[1])) != NULL) { /* -j N, -jN, -j=N, -x */
      inline_val = a[2] ? a + 2 + (a[2] == '=') : NULL;
      if (o->kind == QA_CLI_KIND_FLAG && inline_val)
        return qaErrSet(err, QA_EUSER, "option '-%c' is a flag and takes no value: write '-%c', not '%s'",
                        a[1], a[1], a);
    }
    if (!o) {
      if (len == 6 && !strncmp(a, "--help", 6))
        return qaErrSet(err, QA_EUSER, "option '--help' takes no value (see qasim %s --help)", cmd->name);
      return unknownOption(cmd, a, len, err);
    }
    void *field = base + o->offset;
    if (o->kind == QA_CLI_KIND_FLAG) {
      if (inline_val)
        return qaErrSet(err, QA_EUSER, "option '--%s' is a flag and takes no value: write '--%s', not '%s'",
                        o->name, o->name, a);
      *(int *)field = 1;
      continue;
    }
    const char *val = NULL;
    if (inline_val) {
      val = inline_val;
    } else if (i + 1 < argc && !(argv[i + 1][0] == '-' && argv[i + 1][1] == '-' && argv[i + 1][2])) {
      val = argv[++i];
    } else if (i + 1 < argc) {
      return qaErrSet(err, QA_EUSER,
                      "option '--%s' needs a value before '%s' (--%s %s; for a value starting with --, write "
                      "--%s=VALUE)",
                      o->name, argv[i + 1], o->name, argName(o), o->name);
    } else {
      return qaErrSet(err, QA_EUSER, "option '--%s' needs a value (--%s %s)", o->name, o->name, argName(o));
    }
    if (o->kind == QA_CLI_KIND_VALUE) {
      const char **slot = field;
      if (*slot)
        return qaErrSet(err, QA_EUSER, "option '--%s' given twice ('%s', then '%s'); give it once", o->name,
                        *slot, val);
      *slot = val;
    } else {
      QaCliList *list = field;
      if (list->n >= QA_CLI_LIST_MAX)
        return qaErrSet(err, QA_EUSER, "option '--%s' given more than %d times", o->name, QA_CLI_LIST_MAX);
      list->v[list->n++] = val;
    }
  }
  for (const QaCliOption *o = cmd->options; o && o->name; o++)
    if (o->required && !*(const char **)(base + o->offset))
      return qaErrSet(err, QA_EUSER, "--%s is required: --%s %s, %s (see qasim %s --help)", o->name, o->name,
                      argName(o), o->help, cmd->name);
  if (call->n_pos < cmd->pos_min)
    return qaErrSet(err, QA_EUSER, "missing %s: %s (see qasim %s --help)", cmd->pos_name, cmd->pos_help,
                    cmd->name);
  return QA_OK;
}

/* ---- usage ------------------------------------------------------------------------- */

/* "--name ARG" as the option list and the usage line show it. */
static void optionWords(const QaCliOption *o, char *buf, size_t n) {
  char alias[8] = "";
  if (o->short_name) snprintf(alias, sizeof alias, "-%c, ", o->short_name);
  if (o->kind == QA_CLI_KIND_FLAG)
    snprintf(buf, n, "%s--%s", alias, o->name);
  else
    snprintf(buf, n, "%s--%s %s", alias, o->name, argName(o));
}

/* Print TEXT word-wrapped: the first line continues at column COL, later lines start
** there. */
static void wrap(FILE *out, const char *text, int col) {
  int at = col;
  const char *p = text;
  while (*p) {
    size_t w = strcspn(p, " ");
    if (at > col && at + 1 + (int)w > USAGE_WIDTH) {
      fprintf(out, "\n%*s", col, "");
      at = col;
    } else if (at > col) {
      fputc(' ', out);
      at++;
    }
    fwrite(p, 1, w, out);
    at += (int)w;
    p += w;
    p += strspn(p, " ");
  }
  fputc('\n', out);
}

/* Add "(WORD)" to a help line, or "; WORD" inside the parentheses it ends with. */
static void note(char *help, size_t n, const char *word) {
  size_t len = strlen(help);
  if (len && help[len - 1] == ')')
    snprintf(help + len - 1, n - (len - 1), "; %s)", word);
  else
    snprintf(help + len, n - len, " (%s)", word);
}

/* The usage line: positional and required options, then each optional one, or
** "[options]" when listing them all would not fit on one line. */
static void usageLine(const QaCliCommand *cmd, FILE *out) {
  char line[4096], words[128];
  size_t n = (size_t)snprintf(line, sizeof line, "usage: qasim %s", cmd->name);
  if (cmd->pos_name)
    n += (size_t)snprintf(line + n, sizeof line - n, cmd->pos_min ? " %s" : " [%s]", cmd->pos_name);
  for (const QaCliOption *o = cmd->options; o && o->name; o++)
    if (o->required) {
      optionWords(o, words, sizeof words);
      n += (size_t)snprintf(line + n, sizeof line - n, " %s", words);
    }
  size_t required_end = n;
  for (const QaCliOption *o = cmd->options; o && o->name && n < sizeof line; o++)
    if (!o->required) {
      optionWords(o, words, sizeof words);
      n += (size_t)snprintf(line + n, sizeof line - n, " [%s]%s", words,
                            o->kind == QA_CLI_KIND_LIST ? "..." : "");
    }
  if (n > USAGE_WIDTH) snprintf(line + required_end, sizeof line - required_end, " [options]");
  fprintf(out, "%s\n", line);
}

void qaCliUsage(const QaCliCommand *cmd, FILE *out) {
  char words[128];
  usageLine(cmd, out);
  if (cmd->about) fprintf(out, "\n%s", cmd->about);
  if (cmd->pos_name && cmd->pos_help) {
    fprintf(out, "\narguments:\n");
    int col = 2 + (int)strlen(cmd->pos_name) + 3;
    fprintf(out, "  %-*s", col - 2, cmd->pos_name);
    wrap(out, cmd->pos_help, col);
  }
  int width = (int)strlen("-h, --help");
  for (const QaCliOption *o = cmd->options; o && o->name; o++) {
    optionWords(o, words, sizeof words);
    if ((int)strlen(words) > width) width = (int)strlen(words);
  }
  int col = 2 + width + 3;
  fprintf(out, "\noptions:\n");
  for (const QaCliOption *o = cmd->options; o && o->name; o++) {
    optionWords(o, words, sizeof words);
    fprintf(out, "  %-*s", col - 2, words);
    char help[1024];
    snprintf(help, sizeof help, "%s", o->help);
    if (o->required) note(help, sizeof help, "required");
    if (o->kind == QA_CLI_KIND_LIST) note(help, sizeof help, "repeatable");
    wrap(out, help, col);
  }
  fprintf(out, "  %-*s", col - 2, "-h, --help");
  wrap(out, "print this help and exit", col);
}
