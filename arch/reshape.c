/*
** reshape.c - space-to-depth of a strided first layer (see reshape.h).
*/
#include "arch/reshape.h"

#include <stdlib.h>
#include <string.h>

int qaReshapeApplies(const QaArchConfig *cfg, const QaLayer *l) {
  const QaArchSpec *s = &cfg->spec.base;
  int st = l->stride_h, L = s->lanes;
  if (!s->first_layer_reshape || l->kind != QA_LAYER_CONV || l->groups != 1 || st < 2 || st != l->stride_w ||
      l->c >= L)
    return 0;
  /* only when it saves brick steps: a kernel smaller than the stride would fill
  ** bricks with zero weights */
  int64_t before = (int64_t)l->r * l->s * ((l->c + L - 1) / L);
  int64_t rr = (l->r + st - 1) / st, sr = (l->s + st - 1) / st;
  int64_t after = rr * sr * (((int64_t)l->c * st * st + L - 1) / L);
  return after < before;
}

int qaReshapeJob(const QaLayerJob *job, QaReshaped *out, QaErr *err) {
  const QaLayer *l = job->layer;
  int st = l->stride_h, ss = st * st;
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int rr = (l->r + st - 1) / st, sr = (l->s + st - 1) / st; /* kernel of the reshaped layer */
  int hh = oh + rr - 1, ww = ow + sr - 1;                   /* its input, no padding */
  memset(out, 0, sizeof *out);
  QaLayer *nl = &out->layer;
  *nl = *l;
  nl->c = l->c * ss;
  nl->h = hh;
  nl->w = ww;
  nl->r = rr;
  nl->s = sr;
  nl->stride_h = nl->stride_w = 1;
  nl->pad_h = nl->pad_w = nl->pad_b = nl->pad_r = nl->pad_asym = 0;
  int64_t na = qaLayerActCount(nl), nw = qaLayerWgtCount(nl);
  out->act = qaCalloc((size_t)na, sizeof(int32_t), err);
  out->wgt = qaCalloc((size_t)nw, sizeof(int32_t), err);
  if (!out->act || !out->wgt) {
    qaReshapeFree(out);
    return QA_EINTERNAL;
  }
  /* activations: reshaped (c, dy, dx) at (y', x') = padded input (c) at (y's + dy, x's + dx) */
  for (int n = 0; n < l->n; n++)
    for (int c = 0; c < l->c; c++)
      for (int dy = 0; dy < st; dy++)
        for (int dx = 0; dx < st; dx++) {
          int cc = c * ss + dy * st + dx;
          int32_t *dst = out->act + ((int64_t)n * nl->c + cc) * hh * ww;
          const int32_t *src = job->act + ((int64_t)n * l->c + c) * l->h * l->w;
          for (int y = 0; y < hh; y++) {
            int iy = y * st + dy - l->pad_h; /* unpadded input row */
            if (iy < 0 || iy >= l->h) continue;
            for (int x = 0; x < ww; x++) {
              int ix = x * st + dx - l->pad_w;
              if (ix >= 0 && ix < l->w) dst[(int64_t)y * ww + x] = src[(int64_t)iy * l->w + ix];
            }
          }
        }
  /* weights: w'[k][(c, dy, dx)][r'][s'] = w[k][c][r' st + dy][s' st + dx] */
  for (int k = 0; k < l->k; k++)
    for (int c = 0; c < l->c; c++)
      for (int r = 0; r < l->r; r++)
        for (int s = 0; s < l->s; s++) {
          int cc = c * ss + (r % st) * st + (s % st);
          out->wgt[(((int64_t)k * nl->c + cc) * rr + r / st) * sr + s / st] =
              job->wgt[(((int64_t)k * l->c + c) * l->r + r) * l->s + s];
        }
  out->job = *job;
  out->job.layer = nl;
  out->job.act = out->act;
  out->job.wgt = out->wgt;
  out->job.macs = qaJobMacs(job);
  return QA_OK;
}

void qaReshapeFree(QaReshaped *r) {
  if (!r) return;
  free(r->act);
  free(r->wgt);
  r->act = r->wgt = NULL;
}
