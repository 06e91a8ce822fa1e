/*
** test_identity.c - design-point identities (issue 11): SHA-256 against FIPS 180-4
** vectors; two configurations that differ in one parameter (or in the seed, bits,
** quantizer, cost table, trace bytes) are two points; the same run twice, or the same
** network files under another directory, is one point; the config and workload halves
** move independently.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "qatest.h"
#include "sim/run.h"

static void testSha256(void) {
  char hex[QA_SHA256_HEX];
  qaSha256Hex("", 0, hex);
  CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  qaSha256Hex("abc", 3, hex);
  CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  qaSha256Hex(two, strlen(two), hex);
  CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
  /* a million 'a', fed in uneven pieces */
  QaSha256 s;
  char buf[1000];
  memset(buf, 'a', sizeof buf);
  qaSha256Init(&s);
  for (int done = 0, k = 1; done < 1000000; k = k % 997 + 1) {
    int n = done + k > 1000000 ? 1000000 - done : k;
    qaSha256Update(&s, buf, (size_t)n);
    done += n;
  }
  qaSha256Final(&s, hex);
  CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

static QaRunOptions base(const char *net) {
  QaRunOptions o;
  qaRunDefaults(&o);
  o.net = net;
  o.arch.arch = "laconic";
  o.a_bits = o.w_bits = 8;
  o.db_path = NULL;
  return o;
}

static QaIdentity identify(const QaRunOptions *o) {
  QaIdentity id;
  QaErr err = {0, ""};
  int rc = qaRunIdentify(o, &id, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  return id;
}

static void copyFile(const char *from, const char *to, int flip_last_byte) {
  char *buf = NULL;
  size_t n = 0;
  QaErr err = {0, ""};
  CHECK_MSG(qaReadFile(from, &buf, &n, &err) == QA_OK, "%s", err.msg);
  if (!buf) return;
  if (flip_last_byte && n) buf[n - 1] ^= 1;
  FILE *f = fopen(to, "wb");
  CHECK(f != NULL);
  if (f) {
    fwrite(buf, 1, n, f);
    fclose(f);
  }
  free(buf);
}

static void testIdentity(void) {
  char tiny[512];
  snprintf(tiny, sizeof tiny, "%s/cli/tiny.yaml", QA_TEST_DATA);
  QaRunOptions o = base(tiny);
  QaIdentity a = identify(&o), b = identify(&o);
  /* the same run twice is one point */
  CHECK(!strcmp(a.id, b.id));
  CHECK(strlen(a.id) == 64 && strlen(a.config_id) == 64 && strlen(a.workload_id) == 64);
  CHECK(strlen(a.costs_id) == 64);

  /* one parameter apart: two points, the same workload */
  const char *sets[] = {"sync=pe"};
  QaRunOptions p = o;
  p.arch.sets = sets;
  p.arch.n_sets = 1;
  QaIdentity c = identify(&p);
  CHECK(strcmp(a.id, c.id) != 0);
  CHECK(strcmp(a.config_id, c.config_id) != 0);
  CHECK(!strcmp(a.workload_id, c.workload_id));
  /* the default value given explicitly is the same point */
  const char *grid[] = {"sync=grid"};
  p.arch.sets = grid;
  CHECK(!strcmp(identify(&p).id, a.id));

  /* seed, bits, quantizer, encoder, synthetic options, timing, verify, costs: each moves it */
  QaRunOptions q = o;
  q.seed = 2;
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.w_bits = 4;
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.quant_w = "sym";
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.encoder = "naf";
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.act_zero_frac = 0.25;
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.timing = QA_TIMING_CYCLE;
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.verify = 0;
  CHECK(strcmp(identify(&q).id, a.id) != 0);
  q = o;
  q.costs = "horowitz45"; /* another table than the default (cacti45) */
  QaIdentity k = identify(&q);
  CHECK(strcmp(k.id, a.id) != 0);
  CHECK(strcmp(k.costs_id, a.costs_id) != 0);
  q.costs = "none";
  k = identify(&q);
  CHECK(strcmp(k.id, a.id) != 0 && k.costs_id[0] == 0);
  /* another network: another workload, the same config */
  q = o;
  q.net = "alexnet";
  k = identify(&q);
  CHECK(strcmp(k.workload_id, a.workload_id) != 0);
  CHECK(!strcmp(k.config_id, a.config_id));

  /* the same files under another directory: one point; one trace byte changed: another */
  char dir[512], path[600], from[600];
  snprintf(dir, sizeof dir, "%s/identity", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(dir, 0777);
  const char *files[] = {"tiny.yaml", "conv1_act.npy", "conv1_wgt.npy"};
  for (int i = 0; i < 3; i++) {
    snprintf(from, sizeof from, "%s/cli/%s", QA_TEST_DATA, files[i]);
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    copyFile(from, path, 0);
  }
  snprintf(path, sizeof path, "%s/tiny.yaml", dir);
  q = o;
  q.net = path;
  k = identify(&q);
  CHECK_MSG(!strcmp(k.id, a.id), "a copy of the network files is another point");
  snprintf(from, sizeof from, "%s/cli/conv1_wgt.npy", QA_TEST_DATA);
  snprintf(path, sizeof path, "%s/conv1_wgt.npy", dir);
  copyFile(from, path, 1);
  snprintf(path, sizeof path, "%s/tiny.yaml", dir);
  QaIdentity t = identify(&q);
  CHECK(strcmp(t.id, a.id) != 0);
  CHECK(strcmp(t.workload_id, a.workload_id) != 0);
  CHECK(!strcmp(t.config_id, a.config_id));

  /* the text form names what it hashed */
  QaErr err = {0, ""};
  QaIdentityInput in = {
      "v", "arch: x\ntiles: 2\n", NULL, 8, 8, "auto", "sym-ch", "booth4", 1, 0.5, "laplace", "lt", 1, NULL,
      NULL};
  QaNet *net = NULL;
  CHECK(qaNetOpen("alexnet", &net, &err) == QA_OK);
  in.net = net;
  char *text = qaIdentityText(&in, &err);
  CHECK(text && strstr(text, "  tiles: 2\n") && strstr(text, "costs: none\n") &&
        strstr(text, "workload: alexnet\n"));
  free(text);
  qaNetDestroy(net);

  /* errors of resolution come back as they would from a run */
  q = o;
  q.costs = "no-such-table";
  QaIdentity bad;
  CHECK(qaRunIdentify(&q, &bad, &err) == QA_EUSER);
}

int main(void) {
  testSha256();
  testIdentity();
  return TEST_DONE();
}
