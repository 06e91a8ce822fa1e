/*
** html.c - index.html of a report (see report.h): the figures with a one-line caption,
** their files and the design points behind each, the notes, and the per-architecture
** totals. One static page, no external resources; a small inline script records on the
** <body> how many of its images loaded (data-images-loaded / data-images-total), which
** the browser test reads.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reportInt.h"

#define ID_SHORT 12 /* hex digits of an identity shown (as sim/identity.h QA_ID_SHORT) */

static void esc(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
      case '<':
        fputs("&lt;", f);
        break;
      case '>':
        fputs("&gt;", f);
        break;
      case '&':
        fputs("&amp;", f);
        break;
      case '"':
        fputs("&quot;", f);
        break;
      default:
        fputc(*s, f);
    }
  }
}

static const char kHead[] =
    "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>qasim report</title>\n"
    "<style>\n"
    "body{font-family:sans-serif;margin:1.5em auto;max-width:1200px;color:#222;padding:0 1em}\n"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}\n"
    "img{max-width:100%;border:1px solid #eee}\n"
    "table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:2px "
    "6px;text-align:left}\n"
    "td.n{text-align:right}.caption{color:#444}.note{color:#a33}.files a{margin-right:.8em}\n"
    "code{font-size:.9em}\n"
    "</style>\n</head>\n";

static const char kScript[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var imgs = document.images, ok = 0;\n"
    "  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
    "  document.body.setAttribute('data-images-total', String(imgs.length));\n"
    "  document.body.setAttribute('data-images-loaded', String(ok));\n"
    "});\n"
    "</script>\n";

/* "4, 8, 16" (the a_bits of arch A's points; "a8/w4" when they differ). */
static void bitsOf(const Report *r, const char *arch, char *buf, size_t cap) {
  buf[0] = 0;
  for (int a = 1; a <= QA_BITS_MAX; a++)
    for (int w = 1; w <= QA_BITS_MAX; w++) {
      int have = 0;
      for (int i = 0; i < r->n_pt && !have; i++)
        have = !strcmp(r->pt[i].arch, arch) && r->pt[i].a_bits == a && r->pt[i].w_bits == w;
      if (!have) continue;
      if (a == w)
        reportAppendf(buf, cap, "%s%d", buf[0] ? ", " : "", a);
      else
        reportAppendf(buf, cap, "%sa%d/w%d", buf[0] ? ", " : "", a, w);
    }
}

static void totals(FILE *f, const Report *r) {
  fputs(
      "<h2 id=\"totals\">Per-architecture totals</h2>\n<table>\n<tr><th>architecture</th><th>design "
      "points</th>"
      "<th>networks</th><th>bit-widths</th><th>simulated MACs</th><th>simulated cycles</th>"
      "<th>energy per inference (uJ, min - max)</th><th>speedup in time over the baseline (geomean)</th>"
      "<th>energy over the baseline (geomean)</th><th>area (mm^2, min - max)</th></tr>\n",
      f);
  for (int a = 0; a < r->n_archs; a++) {
    const char *arch = r->archs[a];
    int n = 0, nets = 0, n_sp = 0, n_er = 0;
    double macs = 0, cyc = 0, emin = INFINITY, emax = 0, amin = INFINITY, amax = 0, lsp = 0, ler = 0;
    for (int g = 0; g < r->n_grp; g++) {
      int on = 0;
      for (int s = 0; s < r->n_ser; s++) {
        int i = CELL(r, g, s);
        on |= i >= 0 && !strcmp(r->pt[i].arch, arch);
      }
      nets += on;
    }
    for (int i = 0; i < r->n_pt; i++) {
      const QaPoint *p = &r->pt[i];
      if (strcmp(p->arch, arch)) continue;
      n++;
      macs += (double)p->macs;
      cyc += (double)p->n_cycles;
      double e = reportEnergyUj(r, i), sp = reportSpeedup(r, i, 0);
      if (!isnan(e)) {
        if (e < emin) emin = e;
        if (e > emax) emax = e;
      }
      if (!isnan(p->area_mm2) && p->has_energy) {
        if (p->area_mm2 < amin) amin = p->area_mm2;
        if (p->area_mm2 > amax) amax = p->area_mm2;
      }
      if (!isnan(sp)) {
        lsp += log(sp);
        n_sp++;
      }
      int b = r->base >= 0 ? CELL(r, r->pt_grp[i], r->base) : -1;
      if (b >= 0 && !isnan(e) && !isnan(reportEnergyUj(r, b)) && reportEnergyUj(r, b) > 0 && e > 0) {
        ler += log(e / reportEnergyUj(r, b));
        n_er++;
      }
    }
    char bits[256];
    bitsOf(r, arch, bits, sizeof bits);
    fprintf(f, "<tr><td>");
    esc(f, arch);
    fprintf(
        f, "</td><td class=n>%d</td><td class=n>%d</td><td>%s</td><td class=n>%.4g</td><td class=n>%.4g</td>",
        n, nets, bits, macs, cyc);
    if (emin < INFINITY)
      fprintf(f, "<td class=n>%.4g - %.4g</td>", emin, emax);
    else
      fprintf(f, "<td>not priced</td>");
    if (n_sp)
      fprintf(f, "<td class=n>%.3fx (%d)</td>", exp(lsp / n_sp), n_sp);
    else
      fprintf(f, "<td>-</td>");
    if (n_er)
      fprintf(f, "<td class=n>%.3fx (%d)</td>", exp(ler / n_er), n_er);
    else
      fprintf(f, "<td>-</td>");
    if (amin < INFINITY)
      fprintf(f, "<td class=n>%.4g - %.4g</td></tr>\n", amin, amax);
    else
      fprintf(f, "<td>-</td></tr>\n");
  }
  fputs(
      "</table>\n<p class=caption>Speedup and energy ratios are per network against the baseline design "
      "point "
      "on the same network (the count of design points they cover in parentheses); energy and area come "
      "from each run's own cost table.</p>\n",
      f);
}

int reportWriteIndex(Report *r, const char *out_dir, QaErr *err) {
  char path[QA_PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/index.html", out_dir);
  FILE *f = fopen(path, "w");
  if (!f) return qaErrSet(err, QA_EUSER, "cannot write '%s'", path);
  int *all = qaMalloc((size_t)r->n_ser * sizeof *all, err);
  char(*labels)[LABEL_MAX] = qaMalloc((size_t)r->n_ser * sizeof *labels, err);
  if (!all || !labels) {
    fclose(f);
    free(all);
    free(labels);
    return QA_EINTERNAL;
  }
  for (int s = 0; s < r->n_ser; s++) all[s] = s;
  reportLabels(r, all, r->n_ser, NULL, NULL, labels, NULL, 0);

  fputs(kHead, f);
  fputs("<body>\n<h1>qasim report</h1>\n<p>", f);
  fprintf(f, "%d design point%s (%d architecture%s, %d network%s)", r->n_pt, r->n_pt == 1 ? "" : "s",
          r->n_archs, r->n_archs == 1 ? "" : "s", r->n_grp, r->n_grp == 1 ? "" : "s");
  if (r->opt->db_label) {
    fputs(" from <code>", f);
    esc(f, r->opt->db_label);
    fputs("</code>", f);
  }
  fputs("; baseline: ", f);
  esc(f, r->base >= 0 ? r->base_label : "none");
  fputs(
      ". A design point is the newest run of one identity (everything that determines a result); legends "
      "name "
      "design points by what differs between them.</p>\n",
      f);
  fputs("<details><summary>the query that selected the design points</summary><pre>", f);
  esc(f, r->points_sql);
  fputs("</pre></details>\n", f);
  if (r->sum->n_notes) {
    fputs("<h2 id=\"notes\">Notes</h2>\n<ul>\n", f);
    for (int i = 0; i < r->sum->n_notes; i++) {
      fputs("<li class=note>", f);
      esc(f, r->sum->notes[i]);
      fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
  }
  fputs("<h2 id=\"figures\">Figures</h2>\n<ol>\n", f);
  for (int i = 0; i < r->sum->n_figures; i++) {
    const QaReportFigure *x = &r->sum->figures[i];
    fprintf(f, "<li><a href=\"#%s\">", x->name);
    esc(f, x->title);
    fputs("</a>: ", f);
    esc(f, x->drawn ? x->caption : "not drawn");
    fputs("</li>\n", f);
  }
  fputs("</ol>\n", f);
  for (int i = 0; i < r->sum->n_figures; i++) {
    const QaReportFigure *x = &r->sum->figures[i];
    const FigPoints *fp = &r->fig[i];
    fprintf(f, "<section id=\"%s\">\n<h2>", x->name);
    esc(f, x->title);
    fputs("</h2>\n<p class=caption>", f);
    esc(f, x->caption);
    fputs(".</p>\n", f);
    if (x->note) {
      fputs("<p class=note>", f);
      esc(f, x->drawn ? "note: " : "not drawn: ");
      esc(f, x->note);
      fputs("</p>\n", f);
    }
    if (x->drawn) {
      if (x->rendered)
        fprintf(f, "<p><a href=\"%s.pdf\"><img src=\"%s.png\" alt=\"%s\"></a></p>\n", x->name, x->name,
                x->name);
      else
        fprintf(f, "<p class=note>not rendered yet: run <code>gnuplot %s.gp</code> in this directory</p>\n",
                x->name);
      fprintf(f,
              "<p class=files><a href=\"%s.csv\">data (CSV)</a><a href=\"%s.sql\">queries (SQL)</a>"
              "<a href=\"%s.gp\">gnuplot script</a><a href=\"%s.pdf\">PDF</a></p>\n",
              x->name, x->name, x->name, x->name);
      fprintf(f, "<details><summary>the %d design point%s behind it", fp->n, fp->n == 1 ? "" : "s");
      if (fp->common[0]) {
        fputs(" (all: ", f);
        esc(f, fp->common);
        fputs(")", f);
      }
      fputs(
          "</summary>\n<table><tr><th>design</th><th>network</th><th>run</th><th>identity</th><th>a/w "
          "bits</th>"
          "<th>cycles</th><th>energy per inference (uJ)</th></tr>\n",
          f);
      for (int k = 0; k < fp->n; k++) {
        int p = fp->pt[k];
        const QaPoint *q = &r->pt[p];
        fputs("<tr><td>", f);
        esc(f, labels[r->pt_ser[p]]);
        fputs("</td><td>", f);
        esc(f, r->grp[r->pt_grp[p]].label);
        fprintf(f, "</td><td class=n>%lld</td><td><code>%.*s</code></td><td>%d/%d</td><td class=n>%lld</td>",
                (long long)q->run_id, ID_SHORT, q->identity[0] ? q->identity : "-", q->a_bits, q->w_bits,
                (long long)q->n_cycles);
        double e = reportEnergyUj(r, p);
        if (isnan(e))
          fputs("<td>-</td></tr>\n", f);
        else
          fprintf(f, "<td class=n>%.4g</td></tr>\n", e);
      }
      fputs("</table></details>\n", f);
    }
    fputs("</section>\n", f);
  }
  totals(f, r);
  fputs(kScript, f);
  fputs("</body>\n</html>\n", f);
  free(all);
  free(labels);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) return qaErrSet(err, QA_EUSER, "cannot write '%s'", path);
  if (!r->sum->index && !(r->sum->index = reportStrDup(path, err))) return QA_EINTERNAL;
  return QA_OK;
}
