// sc_sim.cpp - the SystemC layer over the C kernels: structure and time only.
//
// One QaAccel module per simulation. In loosely-timed mode its thread asks the C
// kernel to compute a whole chunk and then advances simulated time once by the
// chunk's cycles (style: compute in C, one wait). In clocked mode a clock drives
// the thread and the kernel's PE array advances one cycle per edge. Layer cycle
// counts are read back from simulated time in both modes, so a disagreement
// between the modes shows up as different cycle counts.
#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "sim.h"
}

// SystemC 2.3 (Debian) still needs SC_HAS_PROCESS; 3.0 deprecates it.
#if defined(SC_VERSION_MAJOR) && SC_VERSION_MAJOR >= 3
#define QA_SC_HAS_PROCESS(m)
#else
#define QA_SC_HAS_PROCESS(m) SC_HAS_PROCESS(m)
#endif

namespace {

struct Request {
  const QaArchConfig *cfg;
  QaTiming timing;
  const QaSimHooks *hooks;
  QaErr *err;
  int rc;
};
Request *g_req = nullptr;

class QaAccel : public sc_core::sc_module {
 public:
  QA_SC_HAS_PROCESS(QaAccel);
  QaAccel(sc_core::sc_module_name name, Request *req)
      : sc_core::sc_module(name),
        req_(req),
        period_(1e6 / qaCfgGet(req->cfg, "clock_mhz"), sc_core::SC_PS),
        clk_(nullptr) {
    if (req->timing == QA_TIMING_CYCLE) {
      clk_ = new sc_core::sc_clock("clk", period_);
      SC_THREAD(clocked);
      sensitive << clk_->posedge_event();
      dont_initialize();
    } else {
      SC_THREAD(loosely_timed);
    }
  }
  ~QaAccel() override { delete clk_; }

 private:
  Request *req_;
  sc_core::sc_time period_;
  sc_core::sc_clock *clk_;

  int64_t elapsed_cycles(const sc_core::sc_time &t0) const {
    return static_cast<int64_t>((sc_core::sc_time_stamp() - t0) / period_ + 0.5);
  }

  // Run every layer; `chunk` executes one chunk and advances time.
  template <typename ChunkFn>
  void run_layers(ChunkFn chunk) {
    const QaArchDesc *d = req_->cfg->desc;
    for (int idx = 0;; idx++) {
      QaLayerJob *job = nullptr;
      QaLayerStats *st = nullptr;
      int rc = req_->hooks->next_job(req_->hooks->ctx, idx, &job, &st, req_->err);
      if (rc || !job) {
        req_->rc = rc;
        break;
      }
      if ((rc = d->check(req_->cfg, job, req_->err)) != QA_OK ||
          (rc = begin_layer(job, st)) != QA_OK) {
        req_->rc = rc;
        break;
      }
      sc_core::sc_time t0 = sc_core::sc_time_stamp();
      int64_t n = d->n_chunks(ex_);
      for (int64_t i = 0; i < n; i++) chunk(i);
      st->n_compute_cycles = elapsed_cycles(t0);
      st->n_cycles = st->n_compute_cycles + st->n_stall_cycles;
      d->end(ex_, st->n_cycles);
      ex_ = nullptr;
      if ((rc = req_->hooks->job_done(req_->hooks->ctx, idx, job, st, req_->err)) != QA_OK) {
        req_->rc = rc;
        break;
      }
    }
    sc_core::sc_stop();
  }

  int begin_layer(QaLayerJob *job, QaLayerStats *st) {
    return req_->cfg->desc->begin(req_->cfg, job, st, &ex_, req_->err);
  }

  void loosely_timed() {
    const QaArchDesc *d = req_->cfg->desc;
    run_layers([&](int64_t i) {
      int64_t cycles = d->run_chunk(ex_, i);
      sc_core::wait(period_ * static_cast<double>(cycles));
    });
  }

  void clocked() {
    const QaArchDesc *d = req_->cfg->desc;
    // The first edge has arrived (dont_initialize + wait in the body): align the
    // layer's t0 to an edge so cycles = edges consumed.
    run_layers([&](int64_t i) {
      d->start_chunk(ex_, i);
      do sc_core::wait();
      while (d->tick(ex_));
    });
  }

  QaExec *ex_ = nullptr;
};

}  // namespace

int sc_main(int, char **) {
  Request *req = g_req;
  QaAccel accel("accel", req);
  sc_core::sc_start();
  return 0;
}

extern "C" int qaSimRun(const QaArchConfig *cfg, QaTiming timing, const QaSimHooks *hooks,
                        QaErr *err) {
  static bool used = false;
  if (used) return qaErrSet(err, QA_EINTERNAL, "SystemC allows one simulation per process");
  used = true;
  Request req{cfg, timing, hooks, err, QA_OK};
  g_req = &req;
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  char arg0[] = "qasim";
  char *argv[] = {arg0, nullptr};
  try {
    int rc = sc_core::sc_elab_and_sim(1, argv);
    if (rc != 0 && req.rc == QA_OK)
      req.rc = qaErrSet(err, QA_EINTERNAL, "SystemC simulation failed (exit %d)", rc);
  } catch (const std::exception &e) {
    req.rc = qaErrSet(err, QA_EINTERNAL, "SystemC: %s", e.what());
  }
  g_req = nullptr;
  return req.rc;
}
