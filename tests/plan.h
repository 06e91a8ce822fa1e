/*
** plan.h - the brick/pass plan of a layer as an independent brute-force model, shared by
** the model tests (one place instead of a copy of arch/engine.c's packing formula in
** each test).
**
** It places the layer's convolution groups one after the other into bricks of `lanes`
** channels, the way a person would lay them out by hand: a group goes into the current
** pack if its channels still fit in the pack's first brick, else it opens a new pack (a
** group wider than a brick gets a pack of its own, spread over as many bricks as it
** needs). It never computes a "groups per pack" quotient: the engine's formula
** (gpp = lanes / cg) is what this walk is checked against, not what it uses.
*/
#ifndef QA_TEST_PLAN_H
#define QA_TEST_PLAN_H

#include <stdint.h>
#include <stdlib.h>

#include "workloads/layer.h"

typedef struct PlanPack {
  int g0, ng;  /* first group, groups */
  int cin;     /* channels (ng x C/groups) */
  int bricks;  /* bricks of `lanes` channels they take */
  int filters; /* filters of the pack (ng x K/groups) */
} PlanPack;

/* The packs of L for bricks of LANES channels into a malloc'ed array (*n out). */
static inline PlanPack *planPacks(const QaLayer *l, int lanes, int *n) {
  int cg = l->c / l->groups, kg = l->k / l->groups, used = 0;
  PlanPack *p = calloc((size_t)l->groups, sizeof *p);
  *n = 0;
  for (int g = 0; g < l->groups; g++) {
    if (*n == 0 || used + cg > lanes) { /* open a pack */
      p[*n].g0 = g;
      (*n)++;
      used = 0;
    }
    PlanPack *q = &p[*n - 1];
    q->ng++;
    q->cin += cg;
    q->filters += kg;
    used += cg;
    q->bricks = (q->cin + lanes - 1) / lanes;
  }
  return p;
}

/* Brick steps of the whole layer on a design whose passes take ROWS filters and whose
** steps serve COLS windows at once: images x sum over packs of passes x window groups x
** R x S x bricks. */
static inline int64_t planSteps(const QaLayer *l, int lanes, int rows, int cols) {
  int n = 0;
  PlanPack *p = planPacks(l, lanes, &n);
  int64_t win = (int64_t)qaLayerOutH(l) * qaLayerOutW(l), groups = (win + cols - 1) / cols, total = 0;
  for (int i = 0; i < n; i++) {
    int64_t passes = (p[i].filters + rows - 1) / rows;
    total += passes * groups * l->r * l->s * p[i].bricks;
  }
  free(p);
  return total * l->n;
}

#endif /* QA_TEST_PLAN_H */
