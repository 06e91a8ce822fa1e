/*
** costtest.h - helpers shared by the cost-model tests (test_compose.c, test_energy.c):
** a relative-tolerance comparison and the lookup of a cost-table row by value.
*/
#ifndef QA_COSTTEST_H
#define QA_COSTTEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/costs.h"
#include "qatest.h"

static inline int near(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

#define CHECK_NEAR(a, b) \
  CHECK_MSG(near((a), (b)), "%s = %.12g, expected %s = %.12g", #a, (double)(a), #b, (double)(b))

/* The row of class CLS at exactly (BITS_A, BITS_B, CAP): the test takes its numbers from
** the table by value, so a table edit shows up as a clear failure here. */
static inline const QaCostRow *row(const QaCostTable *t, const char *cls, int bits_a, int bits_b,
                                   int64_t cap) {
  for (int i = 0; i < qaCostTableRowCount(t); i++) {
    const QaCostRow *r = qaCostTableRow(t, i);
    if (!strcmp(r->cls, cls) && r->bits_a == bits_a && r->bits_b == bits_b && r->capacity_bytes == cap)
      return r;
  }
  fprintf(stderr, "no row %s %d %d %lld\n", cls, bits_a, bits_b, (long long)cap);
  CHECK(0);
  static const QaCostRow none;
  return &none;
}

#endif
