/*
** fuzz.h - what a fuzz target (tests/fuzz/fuzz_*.c) gives the shared driver (driver.c).
**
** A target is one parser fed with one input: it defines LLVMFuzzerTestOneInput (the
** libFuzzer entry point, so the same file also builds with -fsanitize=fuzzer) and a
** QaFuzzTarget row naming its file suffix and the words its mutations splice in. The
** driver runs it three ways: under AFL++ (persistent mode, when built with afl-cc and
** started without arguments), as a replay of files and directories (every committed
** seed and reproducer; a per-input timeout turns a hang into a failure), and as a
** deterministic smoke fuzz (--smoke N --seed S: N inputs mutated from the files given).
**
** The target checks the contract of every parser besides "no crash": an error is
** QA_EUSER with a non-empty message, or QA_EINTERNAL only for "out of memory"; anything
** else aborts, so ASan/UBSan, AFL++ and the replay all see it as a crash.
*/
#ifndef QA_FUZZ_H
#define QA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/qa.h"

typedef struct QaFuzzTarget {
  const char *name;          /* e.g. "netfile" */
  const char *suffix;        /* file name the input is written to, e.g. "net.yaml" */
  const char *const *tokens; /* NULL-terminated words the smoke mutator inserts */
} QaFuzzTarget;

extern const QaFuzzTarget qaFuzzTarget; /* defined by each fuzz_*.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write DATA to a private temporary directory as file NAME; returns its path (static
** storage, valid until the next call with the same NAME). Aborts if it cannot write. */
const char *qaFuzzWrite(const char *name, const uint8_t *data, size_t size);

/* Remove file NAME from the private directory, if it is there. */
void qaFuzzRemove(const char *name);

/* Abort unless RC and ERR keep the error contract above (WHAT names the call). */
void qaFuzzCheck(const char *what, int rc, const QaErr *err);

#endif /* QA_FUZZ_H */
