/*
** qatest.h - a minimal test harness: CHECK macros that count failures and report
** file:line, and a main-style summary. Each test binary is one ctest test.
*/
#ifndef QA_TEST_H
#define QA_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int qa_test_failures = 0;
static int qa_test_checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    qa_test_checks++;                                                          \
    if (!(cond)) {                                                             \
      qa_test_failures++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_MSG(cond, ...)                                                   \
  do {                                                                         \
    qa_test_checks++;                                                          \
    if (!(cond)) {                                                             \
      qa_test_failures++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

#define CHECK_EQ_I64(a, b)                                                                                \
  do {                                                                                                    \
    int64_t qa_a_ = (int64_t)(a), qa_b_ = (int64_t)(b);                                                   \
    qa_test_checks++;                                                                                     \
    if (qa_a_ != qa_b_) {                                                                                 \
      qa_test_failures++;                                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%" PRId64 " != %" PRId64 ")\n", __FILE__, __LINE__, \
              #a, #b, qa_a_, qa_b_);                                                                      \
    }                                                                                                     \
  } while (0)

/* Randomized tests draw N cases in the suite; `./run soak` sets QA_SOAK=K to draw K x N
** cases (and QA_SOAK_SEED to move every seed), for long runs outside ctest's budget. */
static inline int qaTestScale(int n) {
  const char *s = getenv("QA_SOAK");
  long k = s ? strtol(s, NULL, 10) : 1;
  return k > 1 ? (int)(n * k) : n;
}
static inline uint64_t qaTestSeed(uint64_t seed) {
  const char *s = getenv("QA_SOAK_SEED");
  return s ? seed ^ (uint64_t)strtoull(s, NULL, 10) * 0x9E3779B97F4A7C15ULL : seed;
}

/* Print the summary and return the process exit code. */
#define TEST_DONE() \
  (printf("%d checks, %d failed\n", qa_test_checks, qa_test_failures), qa_test_failures ? 1 : 0)

#endif /* QA_TEST_H */
