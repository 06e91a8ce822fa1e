// sc_driver.cpp - the SystemC layer over the C kernels: structure and time only.
//
// One QaAccel module per simulation, with two concurrent processes:
//  - compute: takes the layers one by one; for each chunk it waits until the
//    chunk's inputs are on chip, aligns to a clock edge, and executes the chunk.
//    In loosely-timed mode it asks the C kernel for the whole chunk and advances
//    time once (wait(cycles * period)); in clocked mode a clock drives it and the
//    kernel's PE array advances one cycle per edge (tick).
//  - dma: the DRAM channel with double buffering: it reads chunk i's inputs as
//    soon as chunk i-2 has released its buffer, then writes chunk i-2's outputs;
//    with prefetch, chunk 0's weights started during the previous layer's idle
//    DMA tail (memory.h), so what is left of that transfer delays chunk 0.
// Layer cycle counts are read back from simulated time in both modes; memory.c
// computes the same stalls in C, and tests hold the three to each other.
#include <systemc>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include "arch/clock.h"
#include "arch/memory.h"
#include "arch/driver.h"
#include "arch/engine.h"
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
        period_ps_(qaMemPeriodPs(req->cfg)),
        period_(static_cast<double>(period_ps_), sc_core::SC_PS),
        clk_(nullptr) {
    std::memset(&plan_, 0, sizeof plan_);
    if (req->timing == QA_TIMING_CYCLE) {
      clk_ = new sc_core::sc_clock("clk", period_);
      SC_THREAD(clocked);
      sensitive << clk_->posedge_event();
      dont_initialize();
    } else {
      SC_THREAD(loosely_timed);
    }
    SC_THREAD(dma);
  }
  ~QaAccel() override {
    delete clk_;
    qaMemPlanFree(&plan_);
  }

 private:
  Request *req_;
  int64_t period_ps_;
  sc_core::sc_time period_;
  sc_core::sc_clock *clk_;
  QaExec *ex_ = nullptr;
  QaReshaped rs_{};  // the layer's reshaped operands (first-layer reshape), freed after end

  // State shared by compute and dma for the current layer.
  QaMemPlan plan_;
  std::vector<int64_t> ready_ps_;  // when chunk i's inputs are in (valid if ready_known_)
  std::vector<char> ready_known_;
  QaMemCarry carry_{0, 0};  // what the previous layers leave (resident weights, idle DMA tail)
  int64_t layer_t0_ = 0;    // when the current layer started
  int64_t busy_end_ = 0;    // end of the DMA's last non-empty transfer in this layer
  int64_t chunks_done_ = 0;
  int64_t layer_seq_ = 0, dma_seq_ = 0;
  bool dma_done_ = true;
  sc_core::sc_event layer_ev_, chunk_done_ev_, ready_ev_, dma_done_ev_;

  static int64_t now_ps() { return ps(sc_core::sc_time_stamp()); }
  // The default time resolution is 1 ps, so sc_time values are picoseconds.
  static int64_t ps(const sc_core::sc_time &t) { return static_cast<int64_t>(t.value()); }
  void wait_ps(int64_t d) {
    if (d > 0) sc_core::wait(sc_core::sc_time(static_cast<double>(d), sc_core::SC_PS));
  }

  // ---- DRAM channel --------------------------------------------------------------
  void dma() {
    for (;;) {
      while (dma_seq_ == layer_seq_) sc_core::wait(layer_ev_);
      dma_seq_ = layer_seq_;
      int64_t n = plan_.n_chunk;
      for (int64_t i = 0; i < n; i++) {
        while (i >= 2 && chunks_done_ < i - 1) sc_core::wait(chunk_done_ev_);
        const QaMemChunk &m = plan_.chunks[i];
        if (i == 0 && plan_.head_ps > 0) {  // the prefetched weights, then the activations
          int64_t dw = qaMemTransferPs(&plan_, m.wgt_bits), wend = layer_t0_ - plan_.head_ps + dw;
          if (dw > 0) busy_end_ = wend;
          int64_t da = qaMemTransferPs(&plan_, m.in_bits - m.wgt_bits);
          int64_t t = wend > now_ps() ? wend : now_ps();
          ready_ps_[0] = t + da;
          if (da > 0) busy_end_ = t + da;
        } else {
          int64_t d = qaMemTransferPs(&plan_, m.in_bits);
          ready_ps_[i] = now_ps() + d;
          if (d > 0) busy_end_ = ready_ps_[i];
        }
        ready_known_[i] = 1;
        ready_ev_.notify(sc_core::SC_ZERO_TIME);
        wait_ps(ready_ps_[i] - now_ps());
        if (i >= 2) transfer(qaMemTransferPs(&plan_, plan_.chunks[i - 2].out_bits));
      }
      for (int64_t i = n >= 2 ? n - 2 : 0; i < n; i++) {
        while (chunks_done_ < i + 1) sc_core::wait(chunk_done_ev_);
        transfer(qaMemTransferPs(&plan_, plan_.chunks[i].out_bits));
      }
      dma_done_ = true;
      dma_done_ev_.notify(sc_core::SC_ZERO_TIME);
    }
  }
  // One write-back of d ps on the channel.
  void transfer(int64_t d) {
    wait_ps(d);
    if (d > 0) busy_end_ = now_ps();
  }

  // ---- compute -------------------------------------------------------------------
  int64_t edge_ceil(int64_t t) const { return (t + period_ps_ - 1) / period_ps_ * period_ps_; }

  // Wait until `t_ps` has passed and we stand on a clock edge. Clocked mode waits
  // on the clock (static sensitivity); LT computes the edge.
  void wait_until_edge_after(int64_t t_ps) {
    if (req_->timing == QA_TIMING_CYCLE) {
      while (now_ps() < t_ps || now_ps() % period_ps_) sc_core::wait();
    } else {
      wait_ps(edge_ceil(t_ps > now_ps() ? t_ps : now_ps()) - now_ps());
    }
  }

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
      if ((rc = qaDriverBegin(req_->cfg, job, st, &rs_, &ex_, req_->err)) != QA_OK) {
        req_->rc = rc;
        break;
      }
      qaMemPlanFree(&plan_);
      if ((rc = qaMemPlanLayer(req_->cfg, d->engine(ex_), &carry_, &plan_, req_->err)) != QA_OK) {
        d->end(ex_, 0);
        qaReshapeFree(&rs_);
        req_->rc = rc;
        break;
      }
      int64_t n = d->n_chunks(ex_);
      ready_ps_.assign(static_cast<size_t>(n), 0);
      ready_known_.assign(static_cast<size_t>(n), 0);
      chunks_done_ = 0;
      dma_done_ = false;
      layer_t0_ = busy_end_ = now_ps();
      layer_seq_++;
      layer_ev_.notify(sc_core::SC_ZERO_TIME);

      int64_t t0 = now_ps(), stall_ps = 0, release = t0;  // release: end of chunk n-2
      for (int64_t i = 0; i < n; i++) {
        int64_t before = now_ps();
        while (!ready_known_[i]) sc_core::wait(ready_ev_);
        wait_until_edge_after(ready_ps_[i]);
        stall_ps += now_ps() - before;
        chunk(i);
        if ((rc = qaEngineFailed(d->engine(ex_), req_->err)) != QA_OK) break;  // a streamed window
        if (i == n - 2) release = now_ps();
        chunks_done_++;
        chunk_done_ev_.notify(sc_core::SC_ZERO_TIME);
      }
      if (rc != QA_OK) {
        d->end(ex_, 0);
        qaReshapeFree(&rs_);
        ex_ = nullptr;
        req_->rc = rc;
        break;
      }
      int64_t before = now_ps();
      while (!dma_done_) sc_core::wait(dma_done_ev_);
      wait_until_edge_after(now_ps());
      stall_ps += now_ps() - before;
      int64_t from = busy_end_ > release ? busy_end_ : release;
      carry_.idle_ps = now_ps() > from ? now_ps() - from : 0;

      st->n_cycles = (now_ps() - t0) / period_ps_;
      st->n_stall_cycles = stall_ps / period_ps_;
      st->n_compute_cycles = st->n_cycles - st->n_stall_cycles;
      qaMemCountActions(&plan_, st);
      qaClockCountRegisters(req_->cfg, st);
      d->end(ex_, st->n_cycles);
      qaReshapeFree(&rs_);
      ex_ = nullptr;
      if ((rc = req_->hooks->job_done(req_->hooks->ctx, idx, job, st, req_->err)) != QA_OK) {
        req_->rc = rc;
        break;
      }
    }
    sc_core::sc_stop();
  }

  void loosely_timed() {
    const QaArchDesc *d = req_->cfg->desc;
    run_layers([&](int64_t i) { wait_ps(d->run_chunk(ex_, i) * period_ps_); });
  }

  void clocked() {
    const QaArchDesc *d = req_->cfg->desc;
    run_layers([&](int64_t i) {
      d->start_chunk(ex_, i);
      if (qaEngineFailed(d->engine(ex_), nullptr) != QA_OK) return;  // run_layers ends the layer
      do sc_core::wait();
      while (d->tick(ex_));
    });
  }
};

}  // namespace

int sc_main(int, char **) {
  Request *req = g_req;
  QaAccel accel("accel", req);
  sc_core::sc_start();
  return 0;
}

extern "C" int qaSimRun(const QaArchConfig *cfg, QaTiming timing, const QaSimHooks *hooks, QaErr *err) {
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
