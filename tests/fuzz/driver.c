/*
** driver.c - the main() of every fuzz target (see fuzz.h): AFL++ persistent mode, replay
** of files and directories with a per-input timeout, and a deterministic smoke fuzz.
**
**   fuzz_X                                  under afl-fuzz (an afl-cc build only)
**   fuzz_X [--timeout S] PATH...            replay every file (directories: their files)
**   fuzz_X --smoke N --seed S PATH...       N mutated inputs from the files, seeded
**
** A replay or smoke input that runs longer than the timeout (default 10 s) is a hang:
** the driver prints the input's name and exits 1, and the smoke fuzz saves the input as
** smoke-hang.input (smoke-crash.input for a sanitizer report or an abort) in the
** current directory. The temporary files the targets parse live in $QA_FUZZ_TMP (else
** /dev/shm, $TMPDIR or /tmp) under qasim-fuzz-NAME-PID, removed at exit.
*/
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

/* ---- temporary files ------------------------------------------------------------------ */

static char tmp_dir[512];

static void removeTmp(void) {
  if (!tmp_dir[0]) return;
  DIR *d = opendir(tmp_dir);
  if (d) {
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      snprintf(p, sizeof p, "%s/%s", tmp_dir, e->d_name);
      unlink(p);
    }
    closedir(d);
  }
  rmdir(tmp_dir);
  tmp_dir[0] = 0;
}

static void makeTmp(void) {
  const char *base = getenv("QA_FUZZ_TMP");
  if ((!base || !*base) && access("/dev/shm", W_OK) == 0) base = "/dev/shm"; /* no disk I/O per input */
  if (!base || !*base) base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  mkdir(base, 0700);
  snprintf(tmp_dir, sizeof tmp_dir, "%s/qasim-fuzz-%s-%ld", base, qaFuzzTarget.name, (long)getpid());
  if (mkdir(tmp_dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "fuzz: cannot create %s: %s\n", tmp_dir, strerror(errno));
    exit(2);
  }
  atexit(removeTmp);
}

const char *qaFuzzWrite(const char *name, const uint8_t *data, size_t size) {
  static char paths[4][1024];
  static const char *names[4];
  int slot = 0;
  while (slot < 3 && names[slot] && strcmp(names[slot], name)) slot++;
  names[slot] = name;
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", tmp_dir, name);
  FILE *f = fopen(paths[slot], "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    fprintf(stderr, "fuzz: cannot write %s\n", paths[slot]);
    abort();
  }
  return paths[slot];
}

void qaFuzzRemove(const char *name) {
  char p[1024];
  snprintf(p, sizeof p, "%s/%s", tmp_dir, name);
  unlink(p);
}

void qaFuzzCheck(const char *what, int rc, const QaErr *err) {
  if (rc == QA_OK) return;
  if (rc == QA_EUSER && err->msg[0]) return;
  if (rc == QA_EINTERNAL && strstr(err->msg, "out of memory")) return;
  fprintf(stderr, "fuzz: %s broke the error contract: rc %d, message '%s'\n", what, rc, err->msg);
  abort();
}

/* ---- inputs ------------------------------------------------------------------------- */

typedef struct Input {
  char *name;
  uint8_t *data;
  size_t size;
} Input;

static Input *inputs;
static size_t n_inputs, cap_inputs;

static void addFile(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "fuzz: cannot open %s: %s\n", path, strerror(errno));
    exit(2);
  }
  size_t cap = 4096, size = 0;
  uint8_t *data = malloc(cap);
  size_t got;
  while (data && (got = fread(data + size, 1, cap - size, f)) > 0) {
    size += got;
    if (size == cap) data = realloc(data, cap *= 2);
  }
  fclose(f);
  if (n_inputs == cap_inputs)
    inputs = realloc(inputs, (cap_inputs = cap_inputs ? 2 * cap_inputs : 64) * sizeof *inputs);
  if (!data || !inputs) {
    fprintf(stderr, "fuzz: out of memory reading %s\n", path);
    exit(2);
  }
  inputs[n_inputs].name = strdup(path);
  inputs[n_inputs].data = data;
  inputs[n_inputs].size = size;
  n_inputs++;
}

static int cmpName(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A file, or every regular file of a directory (sorted; dot files and README.md skipped). */
static void addPath(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
    exit(2);
  }
  if (!S_ISDIR(sb.st_mode)) {
    addFile(path);
    return;
  }
  DIR *d = opendir(path);
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md")) continue;
    names = realloc(names, (n + 1) * sizeof *names);
    names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
    sprintf(names[n], "%s/%s", path, e->d_name);
    n++;
  }
  if (d) closedir(d);
  qsort(names, n, sizeof *names, cmpName);
  for (size_t i = 0; i < n; i++) {
    if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) addFile(names[i]);
    free(names[i]);
  }
  free(names);
}

/* ---- hangs and crashes -------------------------------------------------------------- */

static const char *current_name = "";
static const uint8_t *current_data;
static size_t current_size;
static int smoke_mode;
static unsigned timeout_s = 10;

static void saveCurrent(const char *file) {
  if (!smoke_mode || !current_data) return;
  FILE *f = fopen(file, "wb");
  if (f) {
    fwrite(current_data, 1, current_size, f);
    fclose(f);
  }
}

static void onAlarm(int sig) {
  (void)sig;
  static const char msg[] = "fuzz: HANG (more than the per-input timeout) on ";
  ssize_t w = write(2, msg, sizeof msg - 1);
  w = write(2, current_name, strlen(current_name));
  w = write(2, "\n", 1);
  (void)w;
  saveCurrent("smoke-hang.input");
  _exit(1);
}

static void onDeath(void) {
  fprintf(stderr, "fuzz: CRASH on %s\n", current_name);
  saveCurrent("smoke-crash.input");
}

static void onAbort(int sig) {
  (void)sig;
  onDeath();
  signal(SIGABRT, SIG_DFL);
  abort();
}

extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void runOne(const char *name, const uint8_t *data, size_t size) {
  current_name = name;
  current_data = data;
  current_size = size;
  alarm(timeout_s);
  LLVMFuzzerTestOneInput(data, size);
  alarm(0);
}

/* ---- smoke mutator ------------------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}
static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

#define SMOKE_MAX (256u << 10)

static const char *const kGeneric[] = {"0",           "-1",     "65536", "2147483648", "9223372036854775808",
                                       "1e308",       "1e-300", "nan",   "\xff",       "\xc3\xa9",
                                       "\x01",        "\r",     "\n",    "\"",         "'",
                                       "99999999999", ",",      " ",     "\t",         NULL};

/* Insert LEN bytes of S at position AT of buf (size *n, capacity SMOKE_MAX). */
static void insertAt(uint8_t *buf, size_t *n, size_t at, const void *s, size_t len) {
  if (*n + len > SMOKE_MAX) return;
  memmove(buf + at + len, buf + at, *n - at);
  memcpy(buf + at, s, len);
  *n += len;
}

static void mutate(uint8_t *buf, size_t *n) {
  int rounds = 1 + (int)below(6);
  for (int k = 0; k < rounds; k++) {
    size_t at = below(*n + 1);
    switch (below(9)) {
      case 0: /* flip a bit */
        if (*n) buf[below(*n)] ^= (uint8_t)(1u << below(8));
        break;
      case 1: /* a random byte */
        if (*n) buf[below(*n)] = (uint8_t)rnd();
        break;
      case 2: { /* insert a byte */
        uint8_t c = (uint8_t)rnd();
        insertAt(buf, n, at, &c, 1);
        break;
      }
      case 3: { /* delete a run */
        if (at >= *n) break;
        size_t len = 1 + below(below(2) ? 4 : 64);
        if (len > *n - at) len = *n - at;
        memmove(buf + at, buf + at + len, *n - at - len);
        *n -= len;
        break;
      }
      case 4: { /* duplicate a run */
        if (!*n) break;
        size_t from = below(*n), len = 1 + below(*n - from < 256 ? *n - from : 256);
        uint8_t tmp[256];
        memcpy(tmp, buf + from, len);
        insertAt(buf, n, at, tmp, len);
        break;
      }
      case 5:
      case 6: { /* a token of this parser or a generic one */
        const char *const *t = below(3) && qaFuzzTarget.tokens ? qaFuzzTarget.tokens : kGeneric;
        size_t nt = 0;
        while (t[nt]) nt++;
        const char *s = t[below(nt)];
        insertAt(buf, n, at, s, strlen(s));
        break;
      }
      case 7: { /* replace a run of digits with an extreme number */
        size_t i = at;
        while (i < *n && !(buf[i] >= '0' && buf[i] <= '9')) i++;
        if (i >= *n) break;
        size_t j = i;
        while (j < *n && buf[j] >= '0' && buf[j] <= '9') j++;
        const char *s = kGeneric[below(7)];
        memmove(buf + i, buf + j, *n - j);
        *n -= j - i;
        insertAt(buf, n, i, s, strlen(s));
        break;
      }
      default: { /* splice: the head of this input, the tail of another */
        const Input *o = &inputs[below(n_inputs)];
        if (!o->size) break;
        size_t from = below(o->size);
        size_t len = o->size - from;
        if (at + len > SMOKE_MAX) len = SMOKE_MAX - at;
        memcpy(buf + at, o->data + from, len);
        *n = at + len;
        break;
      }
    }
  }
}

/* ---- main ------------------------------------------------------------------------- */

static void usage(void) {
  fprintf(stderr,
          "usage: fuzz_%s [--timeout S] [--smoke N --seed S] PATH...\n"
          "  replay every file (or directory of files); with --smoke, run N inputs mutated from them\n",
          qaFuzzTarget.name);
  exit(2);
}

int main(int argc, char **argv) {
  long smoke = 0;
  uint64_t seed = 1;
  int i = 1;
#ifdef __AFL_FUZZ_TESTCASE_LEN
  if (argc == 1) { /* under afl-fuzz: persistent mode, the input in shared memory */
    __AFL_INIT();
    makeTmp(); /* in each child of the fork server: a child removes its own at exit */
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
    return 0;
  }
#endif
  makeTmp();
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
      timeout_s = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--smoke") && i + 1 < argc)
      smoke = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = strtoull(argv[++i], NULL, 10);
    else
      usage();
  }
  if (i == argc || timeout_s == 0) usage();
  for (; i < argc; i++) addPath(argv[i]);
  if (!n_inputs) {
    fprintf(stderr, "fuzz_%s: no input files\n", qaFuzzTarget.name);
    return 1;
  }
  signal(SIGALRM, onAlarm);
  signal(SIGABRT, onAbort);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(onDeath);
  if (!smoke) {
    for (size_t k = 0; k < n_inputs; k++) runOne(inputs[k].name, inputs[k].data, inputs[k].size);
    printf("fuzz_%s: replayed %zu inputs: no crash, no hang\n", qaFuzzTarget.name, n_inputs);
    return 0;
  }
  smoke_mode = 1;
  rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
  uint8_t *buf = malloc(SMOKE_MAX);
  char name[128];
  if (!buf) return 2;
  for (long k = 0; k < smoke; k++) {
    const Input *in = &inputs[below(n_inputs)];
    size_t n = in->size < SMOKE_MAX ? in->size : SMOKE_MAX;
    memcpy(buf, in->data, n);
    mutate(buf, &n);
    snprintf(name, sizeof name, "smoke input #%ld (--seed %llu)", k, (unsigned long long)seed);
    runOne(name, buf, n);
  }
  free(buf);
  printf("fuzz_%s: %ld smoke inputs mutated from %zu seeds (--seed %llu): no crash, no hang\n",
         qaFuzzTarget.name, smoke, n_inputs, (unsigned long long)seed);
  return 0;
}
