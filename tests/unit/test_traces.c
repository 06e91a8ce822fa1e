/*
** test_traces.c - traced workloads (issue 10), the C side:
**  - a network file with every new key (source, [t, b, l, r] padding, per-layer quant,
**    trace bias / out / wgt_codes / wgt_scale) reads as written;
**  - every trace of a network is checked before anything runs (qaNetCheckTraces): a bad
**    shape, dtype, NaN or missing file of the LAST layer is found, one line naming layer,
**    key and file;
**  - quantizer none: integer codes pass through unchanged, zero points exact (codes q - zp
**    with their float64 scales dequantise to the float weights), signedness from the
**    codes, a code that does not fit the declared bits refused;
**  - per-layer quantizers: a signed first layer keeps its sign under a network-wide
**    unsigned activation quantizer when its `quant:` says sym;
**  - output SQNR: an exactly representable layer is 999 dB against its traced output and
**    against the computed float output; a hand-worked 1-output layer gives the SQNR worked
**    out below; higher precision never gives a lower SQNR on the same values;
**  - value statistics: zero fraction, one-bits, booth4 / naf terms and their
**    distribution on a hand-counted tensor;
**  - --precision profile on a hand-worked layer and the precision file format;
**  - fixed-point p bits keep the top p bits of the 16-bit container (scale x 2^(16-p)).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qatest.h"
#include "base/npy.h"
#include "quant/quant.h"
#include "quant/valstats.h"
#include "sim/values.h"
#include "workloads/layer.h"
#include "workloads/precision.h"
#include "workloads/trace.h"

static char g_dir[256];

static void path(char *out, size_t cap, const char *name) {
  if ((size_t)snprintf(out, cap, "%s/%s", g_dir, name) >= cap) out[0] = 0;
}

static void writeText(const char *name, const char *text) {
  char p[600];
  path(p, sizeof p, name);
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static void writeF32(const char *name, int ndim, const int64_t *shape, const float *v) {
  char p[600];
  QaErr err = {0, ""};
  path(p, sizeof p, name);
  CHECK_MSG(qaNpyWrite(p, QA_DT_F32, ndim, shape, v, &err) == QA_OK, "%s", err.msg);
}

/* A 2-layer traced network: conv 2x4x4 -> 3 filters 3x3 stride 2 padding [0, 1, 0, 1], then an
** fc 3*2*2 -> 2 with integer codes. Values are small integers times powers of two, so the
** float outputs below are exact. */
#define CONV_NA (2 * 4 * 4)
#define CONV_NW (3 * 2 * 3 * 3)
#define CONV_NO (3 * 2 * 2)
#define FC_NW (2 * 12)
static float g_act[CONV_NA], g_wgt[CONV_NW], g_bias[3], g_out[CONV_NO];
static float g_fact[12], g_fw[FC_NW], g_fout[2], g_fcodes[FC_NW];
static double g_fscale[2] = {0.25, 0.0078125};

static void makeNet(void) {
  for (int i = 0; i < CONV_NA; i++) g_act[i] = (float)((i * 7) % 9 - 2) * 0.5f; /* signed input */
  for (int i = 0; i < CONV_NW; i++) g_wgt[i] = (float)((i * 5) % 7 - 3) * 0.25f;
  for (int k = 0; k < 3; k++) g_bias[k] = (float)k - 1.0f;
  /* conv: OH = (4 + 0 + 1 - 3) / 2 + 1 = 2 */
  for (int k = 0; k < 3; k++)
    for (int oy = 0; oy < 2; oy++)
      for (int ox = 0; ox < 2; ox++) {
        double s = g_bias[k];
        for (int c = 0; c < 2; c++)
          for (int r = 0; r < 3; r++)
            for (int q = 0; q < 3; q++) {
              int y = oy * 2 + r, x = ox * 2 + q; /* top/left padding 0 */
              if (y < 4 && x < 4)
                s += (double)g_act[(c * 4 + y) * 4 + x] * g_wgt[((k * 2 + c) * 3 + r) * 3 + q];
            }
        g_out[(k * 2 + oy) * 2 + ox] = (float)s;
      }
  for (int i = 0; i < 12; i++) g_fact[i] = (float)(i % 5); /* non-negative */
  for (int i = 0; i < FC_NW; i++) {
    g_fcodes[i] = (float)((i * 37) % 301 - 150); /* 9-bit signed codes, zero point already removed */
    g_fw[i] = (float)(g_fcodes[i] * g_fscale[i / 12]);
  }
  for (int k = 0; k < 2; k++) {
    double s = 0;
    for (int c = 0; c < 12; c++) s += (double)g_fact[c] * g_fw[k * 12 + c];
    g_fout[k] = (float)s;
  }
  int64_t sa[4] = {1, 2, 4, 4}, sw[4] = {3, 2, 3, 3}, sb[1] = {3}, so[4] = {1, 3, 2, 2};
  writeF32("c.act.npy", 4, sa, g_act);
  writeF32("c.wgt.npy", 4, sw, g_wgt);
  writeF32("c.bias.npy", 1, sb, g_bias);
  writeF32("c.out.npy", 4, so, g_out);
  int64_t fa[2] = {1, 12}, fw[2] = {2, 12}, fo[2] = {1, 2}, fs[1] = {2};
  int32_t codes[FC_NW];
  for (int i = 0; i < FC_NW; i++) codes[i] = (int32_t)g_fcodes[i];
  char p[600];
  QaErr err = {0, ""};
  writeF32("f.act.npy", 2, fa, g_fact);
  writeF32("f.wgt.npy", 2, fw, g_fw);
  writeF32("f.out.npy", 2, fo, g_fout);
  path(p, sizeof p, "f.wq.npy");
  CHECK(qaNpyWrite(p, QA_DT_I32, 2, fw, codes, &err) == QA_OK);
  path(p, sizeof p, "f.ws.npy");
  CHECK(qaNpyWrite(p, QA_DT_F64, 1, fs, g_fscale, &err) == QA_OK);
  writeText(
      "net.yaml",
      "name: traced\n"
      "source: \"hand-made test network\"\n"
      "layers:\n"
      "  - name: c\n    type: conv\n    input: [2, 4, 4]\n    filters: 3\n    kernel: 3\n    stride: 2\n"
      "    padding: [0, 1, 0, 1]\n    quant: {a: fixed}\n"
      "    trace: {act: c.act.npy, wgt: c.wgt.npy, bias: c.bias.npy, out: c.out.npy}\n"
      "  - name: f\n    type: fc\n    input: 12\n    outputs: 2\n    bits: {w: 9}\n    quant: {a: fixed-u, "
      "w: none}\n"
      "    trace: {act: f.act.npy, wgt: f.wgt.npy, out: f.out.npy, wgt_codes: f.wq.npy, wgt_scale: "
      "f.ws.npy}\n");
}

static QaNet *openNet(const char *name) {
  char p[600];
  QaNet *net = NULL;
  QaErr err = {0, ""};
  path(p, sizeof p, name);
  int rc = qaNetOpen(p, &net, &err);
  CHECK_MSG(rc == QA_OK, "%s: %s", p, err.msg);
  return net;
}

static void testNetFile(void) {
  QaNet *net = openNet("net.yaml");
  if (!net) return;
  CHECK(!strcmp(net->about, "hand-made test network"));
  const QaLayer *c = &net->layers[0], *f = &net->layers[1];
  CHECK(c->pad_asym && c->pad_h == 0 && c->pad_b == 1 && c->pad_w == 0 && c->pad_r == 1);
  CHECK_EQ_I64(qaLayerOutH(c), 2);
  CHECK(!strcmp(c->quant_a, "fixed") && !c->quant_w[0]);
  CHECK(strstr(c->bias_trace, "c.bias.npy") && strstr(c->out_trace, "c.out.npy"));
  CHECK(!strcmp(f->quant_a, "fixed-u") && !strcmp(f->quant_w, "none") && f->w_bits == 9);
  CHECK(strstr(f->wgt_codes_trace, "f.wq.npy") && strstr(f->wgt_scale_trace, "f.ws.npy"));
  CHECK_EQ_I64(qaLayerParams(c), CONV_NW + 3); /* weights + bias */
  CHECK_EQ_I64(qaLayerParams(f), FC_NW);       /* no bias traced */
  int n = 0;
  QaErr err = {0, ""};
  CHECK_MSG(qaNetCheckTraces(net, &n, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(n, 9);
  qaNetDestroy(net);

  /* wgt_codes without wgt_scale: a file error with line and column */
  writeText("bad_codes.yaml",
            "name: b\nlayers:\n  - name: f\n    type: fc\n    input: 12\n    outputs: 2\n"
            "    trace: {act: f.act.npy, wgt_codes: f.wq.npy}\n");
  char p[600];
  path(p, sizeof p, "bad_codes.yaml");
  CHECK(qaNetOpen(p, &net, &err) == QA_EUSER && strstr(err.msg, "bad_codes.yaml:7:") &&
        strstr(err.msg, "wgt_codes and wgt_scale go together"));
  writeText("bad_pad.yaml",
            "name: b\nlayers:\n  - name: c\n    type: conv\n    input: [2, 4, 4]\n    filters: 3\n"
            "    kernel: 3\n    padding: [1, 1, 1]\n");
  path(p, sizeof p, "bad_pad.yaml");
  CHECK_MSG(qaNetOpen(p, &net, &err) == QA_EUSER && strstr(err.msg, "bad_pad.yaml:8:") &&
                strstr(err.msg, "[top, bottom, left, right]"),
            "%s", err.msg);
}

/* A copy of net.yaml whose LAST layer's trace KEY points to FILE. */
static int checkBad(const char *key, const char *file, const char *want) {
  char yaml[2048], p[600];
  snprintf(
      yaml, sizeof yaml,
      "name: bad\nlayers:\n  - name: c\n    type: conv\n    input: [2, 4, 4]\n    filters: 3\n    kernel: 3\n"
      "    stride: 2\n    padding: [0, 1, 0, 1]\n    trace: {act: c.act.npy, wgt: c.wgt.npy}\n"
      "  - name: last\n    type: fc\n    input: 12\n    outputs: 2\n    trace: {act: f.act.npy, %s: %s%s}\n",
      key, file, !strcmp(key, "wgt_codes") ? ", wgt_scale: f.ws.npy" : "");
  writeText("bad.yaml", yaml);
  path(p, sizeof p, "bad.yaml");
  QaNet *net = NULL;
  QaErr err = {0, ""};
  CHECK(qaNetOpen(p, &net, &err) == QA_OK);
  int rc = net ? qaNetCheckTraces(net, NULL, &err) : -1;
  CHECK_MSG(
      rc == QA_EUSER && strstr(err.msg, "layer 'last'") && strstr(err.msg, want) && !strchr(err.msg, '\n'),
      "%s=%s: rc %d: %s", key, file, rc, err.msg);
  qaNetDestroy(net);
  return rc;
}

static void testCheckTraces(void) {
  float nan_out[2] = {0.0f, NAN};
  int64_t s2[2] = {1, 2};
  writeF32("nan.npy", 2, s2, nan_out);
  checkBad("wgt", "c.wgt.npy", "trace.wgt");            /* (3,2,3,3) for a (2,12) fc */
  checkBad("wgt", "missing.npy", "missing.npy");        /* no such file */
  checkBad("out", "nan.npy", "NaN");                    /* non-finite */
  checkBad("bias", "f.wq.npy", "must be float32");      /* int32 bias */
  checkBad("wgt_codes", "f.wgt.npy", "integer dtype");  /* float codes */
  checkBad("out", "c.bias.npy", "needs (1, 2) (N, K)"); /* (3,) for a (1,2) output */
}

static void prepare(const QaValuesSpec *vs, const QaLayer *l, int idx, int a_bits, int w_bits,
                    QaLayerValues *v) {
  QaErr err = {0, ""};
  CHECK_MSG(qaValuesLoad(vs, l, idx, v, &err) == QA_OK, "%s", err.msg);
  CHECK_MSG(qaValuesQuantize(vs, l, a_bits, w_bits, v, &err) == QA_OK, "%s", err.msg);
}

/* The integer reference output of a layer (the simulator's, computed here directly). */
static void refOut(const QaLayer *l, const QaLayerValues *v, int64_t *out) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l), cg = l->c / l->groups;
  for (int k = 0; k < l->k; k++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) {
        int64_t s = 0;
        for (int c = 0; c < cg; c++)
          for (int r = 0; r < l->r; r++)
            for (int q = 0; q < l->s; q++) {
              int y = oy * l->stride_h - l->pad_h + r, x = ox * l->stride_w - l->pad_w + q;
              if (y >= 0 && y < l->h && x >= 0 && x < l->w)
                s +=
                    (int64_t)v->act[(c * l->h + y) * l->w + x] * v->wgt[((k * cg + c) * l->r + r) * l->s + q];
            }
        out[(k * oh + oy) * ow + ox] = s;
      }
}

static void testValues(void) {
  QaNet *net = openNet("net.yaml");
  if (!net) return;
  QaValuesSpec vs;
  QaErr err = {0, ""};
  memset(&vs, 0, sizeof vs);
  qaSynthDefaults(&vs.synth);
  CHECK(qaQuantParse("unsigned", &vs.qa, &err) == QA_OK); /* network-wide unsigned activations */
  CHECK(qaQuantParse("fixed-ch", &vs.qw, &err) == QA_OK);
  const QaLayer *c = &net->layers[0], *f = &net->layers[1];
  QaLayerValues v = {0};
  int64_t out[CONV_NO];
  double db;

  /* conv: its own quant a: fixed (signed) keeps the negative inputs; at 16 bits the values
  ** (halves and quarters, power-of-two scales) are exact, so the dequantised output equals
  ** the traced one */
  prepare(&vs, c, 0, 16, 16, &v);
  CHECK(!strcmp(v.quant_a, "fixed") && !strcmp(v.quant_w, "fixed-ch") && v.a_signed);
  CHECK(!strcmp(v.src, "trace") && v.bias && v.out);
  refOut(c, &v, out);
  CHECK(qaValuesOutputSqnr(c, &v, out, &db, NULL, &err) == QA_OK);
  CHECK_MSG(db == 999.0, "16-bit exact layer: %g dB", db);
  /* the same against the computed float output (no out trace) */
  float *keep = v.out;
  v.out = NULL;
  int64_t n_cmp = 0;
  CHECK(qaValuesOutputSqnr(c, &v, out, &db, &n_cmp, &err) == QA_OK);
  CHECK_MSG(db == 999.0 && n_cmp == CONV_NO, "computed float output: %g dB over %lld", db, (long long)n_cmp);
  v.out = keep;
  /* SQNR never drops with more bits on the same values */
  double prev = -1e9;
  for (int b = 2; b <= 12; b++) {
    CHECK(qaValuesQuantize(&vs, c, b, b, &v, &err) == QA_OK);
    refOut(c, &v, out);
    CHECK(qaValuesOutputSqnr(c, &v, out, &db, NULL, &err) == QA_OK);
    CHECK_MSG(db >= prev - 1e-9, "%d bits: %g dB after %g", b, db, prev);
    prev = db;
  }
  qaValuesFree(&v);

  /* fc: quantizer none runs the traced codes as they are, with their float64 scales */
  int64_t fout[2];
  prepare(&vs, f, 1, 8, 9, &v);
  CHECK(!strcmp(v.quant_w, "none") && !strcmp(v.quant_a, "fixed-u"));
  for (int i = 0; i < FC_NW; i++) CHECK_EQ_I64(v.wgt[i], (int64_t)g_fcodes[i]);
  CHECK(v.w_scale[0] == 0.25 && v.w_scale[1] == 0.0078125 && v.w_sqnr_db == 999.0);
  refOut(f, &v, fout);
  CHECK(qaValuesOutputSqnr(f, &v, fout, &db, NULL, &err) == QA_OK);
  CHECK_MSG(db == 999.0, "exact codes, activations 0..4 at scale 1/32: %g dB", db);
  /* the network-wide unsigned quantizer where the layer names none: 4/255 is not exact */
  QaLayer f2 = *f;
  f2.quant_a[0] = 0;
  CHECK(qaValuesQuantize(&vs, &f2, 8, 9, &v, &err) == QA_OK && !strcmp(v.quant_a, "unsigned"));
  refOut(&f2, &v, fout);
  CHECK(qaValuesOutputSqnr(&f2, &v, fout, &db, NULL, &err) == QA_OK);
  CHECK_MSG(db > 30 && db < 999, "unsigned 8-bit activations: %g dB", db);
  /* a code that does not fit the declared bits is refused, naming the operand and the fix */
  int rc = qaValuesQuantize(&vs, f, 8, 8, &v, &err);
  CHECK_MSG(rc == QA_EUSER && strstr(err.msg, "weights (quantizer none, 8 bits, trace.wgt_codes)") &&
                strstr(err.msg, "does not fit 8-bit signed codes (-128..127)") &&
                strstr(err.msg, "bits: {w: 9}"),
            "%s", err.msg);
  qaValuesFree(&v);
  qaNetDestroy(net);
}

/* none on its own: integers pass, signed only when a code is negative; non-integers and
** out-of-range codes are refused. */
static void testNone(void) {
  QaQuantSpec s, su;
  QaQuantResult r;
  QaErr err = {0, ""};
  int32_t codes[4];
  CHECK(qaQuantParse("none", &s, &err) == QA_OK && qaQuantParse("none-u", &su, &err) == QA_OK);
  char txt[32];
  qaQuantFormat(&su, txt, sizeof txt);
  CHECK(!strcmp(txt, "none-u"));
  CHECK(qaQuantParse("none-ch", &s, &err) == QA_EUSER && strstr(err.msg, "-ch does not apply to none"));
  CHECK(qaQuantParse("none", &s, &err) == QA_OK);
  float u8[4] = {0, 255, 17, 128}, s8[4] = {-128, 127, 0, -1}, frac[4] = {1, 2.5f, 0, 0},
        neg[4] = {0, -1, 0, 0};
  CHECK(qaQuantize(&s, 8, u8, 4, 1, codes, &r, &err) == QA_OK && codes[1] == 255 && r.scales[0] == 1.0);
  qaQuantResultFree(&r);
  CHECK(qaQuantize(&s, 8, s8, 4, 1, codes, &r, &err) == QA_OK && codes[0] == -128 && r.min_code == -128);
  qaQuantResultFree(&r);
  CHECK(qaQuantize(&s, 7, s8, 4, 1, codes, &r, &err) == QA_EUSER &&
        strstr(err.msg, "7-bit signed codes (-64..63)"));
  CHECK(qaQuantize(&s, 8, frac, 4, 1, codes, &r, &err) == QA_EUSER && strstr(err.msg, "2.5 at flat index 1"));
  CHECK(qaQuantize(&su, 8, neg, 4, 1, codes, &r, &err) == QA_EUSER &&
        strstr(err.msg, "unsigned codes (0..255)"));
  int32_t lo, hi;
  qaQuantCodeRange(&s, 9, &lo, &hi);
  CHECK(lo == -256 && hi == 255);
}

/* Value statistics on a hand-counted tensor: codes 0, 0, 1, 3, -7, 127, 8, 0.
** one-bits |v|: 0 0 1 2 3 7 1 0 = 14 -> 14/8; NAF terms: 0 0 1 2 (4-1) 2 (8-1) 2 (128-1)
** 1 0 = 8 -> 8/8; zero fraction 3/8. Booth-4 digits of 127 = 0111_1111: 2 terms (128 - 1);
** of 3: 2 terms (4 - 1); of 7: 2 (8 - 1); of 8: 1; of 1: 1 -> 8/8 as well. */
static void testValueStats(void) {
  int32_t v[8] = {0, 0, 1, 3, -7, 127, 8, 0};
  QaValueStats st;
  qaValueStatsCompute(v, 8, &st);
  CHECK_EQ_I64(st.n_values, 8);
  CHECK_EQ_I64(st.n_zero, 3);
  CHECK(fabs(qaValueStatsZeroFrac(&st) - 3.0 / 8) < 1e-12);
  CHECK(fabs(qaValueStatsMeanTerms(&st, QA_ENC_POPCOUNT) - 14.0 / 8) < 1e-12);
  CHECK(fabs(qaValueStatsMeanTerms(&st, QA_ENC_NAF) - 8.0 / 8) < 1e-12);
  CHECK_EQ_I64(st.hist[QA_ENC_POPCOUNT][7], 1);
  CHECK_EQ_I64(st.hist[QA_ENC_POPCOUNT][0], 3);
  CHECK_EQ_I64(st.hist[QA_ENC_NAF][2], 3);
  CHECK_EQ_I64(st.hist[QA_ENC_NAF][1], 2);
  int64_t sum = 0;
  for (int t = 0; t <= QA_TERMS_MAX; t++) sum += st.hist[QA_ENC_BOOTH4][t];
  CHECK_EQ_I64(sum, 8);
}

/* --precision profile on a hand-worked layer: a 1x1 conv of 1 channel, weight 1, whose
** activations are 0..7 (fixed-point: exact at 3 unsigned bits, scale 1). At 2 bits the
** fixed scale is 4 (7 / 3 needs a power of two >= 2.33), codes round(x / 4) = 0,0,1,1,1,1,2,2
** -> 0,0,4,4,4,4,8,8: errors 0,1,-2,-1,0,1,-2,-1, noise 12, signal 0+1+4+9+16+25+36+49 = 140,
** SQNR 10 log10(140/12) = 10.67 dB < 30. So the profile (30 dB) chooses 3 bits, and 2 bits
** with a 10 dB target. */
static void testProfile(void) {
  QaNet *net = qaNetCreate("p", 1, NULL);
  QaLayer *l = &net->layers[0];
  l->kind = QA_LAYER_CONV;
  l->n = 1, l->c = 1, l->h = 1, l->w = 8, l->k = 1, l->r = 1, l->s = 1;
  snprintf(l->name, sizeof l->name, "l");
  qaLayerNormalize(l);
  float a[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int64_t sa[4] = {1, 1, 1, 8}, sw[4] = {1, 1, 1, 1};
  float w1 = 1;
  writeF32("p.act.npy", 4, sa, a);
  writeF32("p.wgt.npy", 4, sw, &w1);
  path(l->act_trace, sizeof l->act_trace, "p.act.npy");
  path(l->wgt_trace, sizeof l->wgt_trace, "p.wgt.npy");
  QaValuesSpec vs;
  QaErr err = {0, ""};
  memset(&vs, 0, sizeof vs);
  CHECK(qaQuantParse("fixed-u", &vs.qa, &err) == QA_OK && qaQuantParse("sym", &vs.qw, &err) == QA_OK);
  for (int t = 0; t < 2; t++) {
    QaLayerValues v = {0};
    int p = 0;
    prepare(&vs, l, 0, 16, 16, &v);
    CHECK(qaValuesProfile(&vs, l, &v, t ? 10.0 : 30.0, &p, &err) == QA_OK);
    CHECK_MSG(p == (t ? 2 : 3), "profile at %d dB chose %d bits", t ? 10 : 30, p);
    CHECK_EQ_I64(v.a_bits, p); /* left quantized at the chosen precision */
    CHECK(v.a_scale == (t ? 4.0 : 1.0));
    qaValuesFree(&v);
  }
  qaNetDestroy(net);
}

/* Fixed point: p bits keep the 16-bit container's top p bits below the layer's most
** significant needed bit - the scale is the 16-bit scale times 2^(16-p). */
static void testFixedTrim(void) {
  float x[64];
  for (int i = 0; i < 64; i++) x[i] = (float)(0.37 * i * i / 64.0);
  QaQuantSpec s;
  QaErr err = {0, ""};
  CHECK(qaQuantParse("fixed-u", &s, &err) == QA_OK);
  int32_t c16[64], cp[64];
  QaQuantResult r16, rp;
  CHECK(qaQuantize(&s, 16, x, 64, 1, c16, &r16, &err) == QA_OK);
  for (int p = 2; p < 16; p++) {
    CHECK(qaQuantize(&s, p, x, 64, 1, cp, &rp, &err) == QA_OK);
    CHECK_MSG(rp.scales[0] == ldexp(r16.scales[0], 16 - p), "p %d: scale %g vs 16-bit %g", p, rp.scales[0],
              r16.scales[0]);
    for (int i = 0; i < 64; i++) /* the p-bit code is the 16-bit code's top bits, rounded */
      CHECK(fabs(cp[i] - ldexp(c16[i], p - 16)) <= 0.5 + 1e-9);
    qaQuantResultFree(&rp);
  }
  qaQuantResultFree(&r16);
}

/* Precision files: rows by layer name, empty w_bits, comments, unknown layer / duplicate /
** range errors with file:line. */
static void testPrecisionFile(void) {
  QaNet *net = openNet("net.yaml");
  if (!net) return;
  int a[2], w[2], rows = 0;
  QaErr err = {0, ""};
  char p[600];
  writeText("p.csv", "# a comment\nlayer,a_bits,w_bits,source\nf,5,,paper x, table 2\n\nc,9,12,y\n");
  path(p, sizeof p, "p.csv");
  CHECK_MSG(qaPrecisionLoad(p, net, a, w, &rows, &err) == QA_OK, "%s", err.msg);
  CHECK(rows == 2 && a[0] == 9 && w[0] == 12 && a[1] == 5 && w[1] == 0);
  static const char *const bad[][2] = {
      {"layer,a_bits,w_bits,source\nconv9,5,,x\n", "p.csv:2: layer 'conv9' is not in network 'traced'"},
      {"layer,a_bits,w_bits,source\nc,5,,x\nc,6,,x\n", "p.csv:3: layer 'c' is listed twice"},
      {"layer,a_bits,w_bits,source\nc,17,,x\n", "p.csv:2: a_bits"},
      {"layer,bits\nc,5\n", "p.csv:1: the header must be"},
      {"layer,a_bits,w_bits,source\nc,,,x\n", "neither a_bits nor w_bits"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    writeText("p.csv", bad[i][0]);
    int rc = qaPrecisionLoad(p, net, a, w, NULL, &err);
    CHECK_MSG(rc == QA_EUSER && strstr(err.msg, bad[i][1]), "case %zu: %s", i, err.msg);
  }
  qaNetDestroy(net);
}

/* The output SQNR's float reference (values.c: patches gathered once per window and group,
** bucketed when the sample revisits them) against a direct double sum of every output of
** the sample (i = j * no / S), on synthetic layers: dense, grouped, depthwise, strided,
** padded, asymmetric padding, fc, two images, with fewer and more outputs than the sample. */
static void testFloatReference(void) {
  static const QaLayer shapes[] = {
      {"conv", QA_LAYER_CONV, 1, 5, 9, 7, 6, 3, 3, 2, 1, 1, 1, 1, 0, 0, "", ""},
      {"grp", QA_LAYER_CONV, 2, 8, 6, 6, 12, 3, 2, 1, 1, 1, 0, 4, 0, 0, "", ""},
      {"dw", QA_LAYER_CONV, 1, 32, 48, 48, 32, 3, 3, 1, 1, 1, 1, 32, 0, 0, "", ""},
      {"big", QA_LAYER_CONV, 1, 16, 30, 30, 64, 3, 3, 1, 1, 1, 1, 1, 0, 0, "", ""},
      {"late", QA_LAYER_CONV, 1, 64, 7, 7, 512, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""},
      {"fc", QA_LAYER_FC, 1, 300, 1, 1, 40, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""},
      {"wide", QA_LAYER_FC, 2, 3, 1, 1, 40000, 1, 1, 1, 1, 0, 0, 1, 0, 0, "",
       ""}, /* steps over filters and images */
  };
  QaValuesSpec vs;
  QaErr err = {0, ""};
  memset(&vs, 0, sizeof vs);
  qaSynthDefaults(&vs.synth);
  vs.synthetic = 1;
  CHECK(qaQuantParse("unsigned", &vs.qa, &err) == QA_OK);
  CHECK(qaQuantParse("sym-ch", &vs.qw, &err) == QA_OK);
  for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
    QaLayer l = shapes[t];
    if (t == 1) { /* asymmetric: one more row and column of padding at the bottom and right */
      l.pad_asym = 1;
      l.pad_b = 1;
      l.pad_r = 1;
    }
    qaLayerNormalize(&l);
    CHECK_MSG(qaLayerValidate(&l, &err) == QA_OK, "%s: %s", l.name, err.msg);
    QaLayerValues v = {0};
    prepare(&vs, &l, (int)t, 6, 5, &v);
    int64_t no = qaLayerOutCount(&l), S = no < QA_VALUES_SAMPLE ? no : QA_VALUES_SAMPLE;
    int oh = qaLayerOutH(&l), ow = qaLayerOutW(&l), cg = l.c / l.groups, kg = l.k / l.groups;
    int64_t *out = calloc((size_t)no, sizeof *out);
    double sig = 0, noise = 0;
    for (int64_t i = 0; i < no; i++) out[i] = (i * 7919) % 201 - 100; /* any integer output */
    for (int64_t j = 0; j < S; j++) {
      int64_t i = j * no / S, x0 = i % ow, y0 = (i / ow) % oh, k = (i / ow / oh) % l.k, n = i / ow / oh / l.k;
      double ref = 0;
      for (int c = 0; c < cg; c++)
        for (int r = 0; r < l.r; r++)
          for (int q = 0; q < l.s; q++) {
            int64_t y = y0 * l.stride_h - l.pad_h + r, x = x0 * l.stride_w - l.pad_w + q;
            if (y >= 0 && y < l.h && x >= 0 && x < l.w)
              ref += (double)v.fa[((n * l.c + (k / kg) * cg + c) * l.h + y) * l.w + x] *
                     v.fw[((k * cg + c) * l.r + r) * l.s + q];
          }
      double yq = (double)out[i] * v.a_scale * v.w_scale[k];
      sig += ref * ref;
      noise += (yq - ref) * (yq - ref);
    }
    double want = 10.0 * log10(sig / noise), db = 0;
    int64_t n_cmp = 0;
    CHECK(qaValuesOutputSqnr(&l, &v, out, &db, &n_cmp, &err) == QA_OK);
    CHECK_MSG(n_cmp == S && fabs(db - want) < 1e-9 * fabs(want), "%s: %.15g dB, direct %.15g", l.name, db,
              want);
    free(out);
    qaValuesFree(&v);
  }
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "%s/traces", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(g_dir, 0777);
  makeNet();
  testNetFile();
  testCheckTraces();
  testValues();
  testFloatReference();
  testNone();
  testValueStats();
  testProfile();
  testFixedTrim();
  testPrecisionFile();
  return TEST_DONE();
}
