// DBImpl: blob garbage collection on demand and its report.
#include <chrono>
#include <thread>

#include "gc/gc_report_builder.h"
#include "gc/space_slowdown.h"
#include "lib/compaction.h"
#include "lib/db_impl.h"
#include "lib/util/rate_limiter.h"
#include "lib/version_set.h"
#include "lib/write_time_blobs.h"

namespace lode {
namespace {

using SteadyClock = std::chrono::steady_clock;

uint64_t MicrosSince(SteadyClock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count());
}

// Busy-waits `micros` without giving up the CPU; returns the time it took.
// Real time, not the Env's clock: a test's manual clock would never get there.
uint64_t SpinFor(uint64_t micros) {
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point until = start + std::chrono::microseconds(micros);
  while (SteadyClock::now() < until) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  return MicrosSince(start);
}

// Waits `micros`; returns the time it took. On the CPU when short: a
// sleeping writer wakes up late when background jobs hold both cores, and
// that doubled the tail of 100-250 us waits. Asleep when long: a writer
// spinning for milliseconds would take a core from the GC it waits for.
uint64_t WaitFor(uint64_t micros) {
  constexpr uint64_t kMaxSpinMicros = 250;
  if (micros <= kMaxSpinMicros) return SpinFor(micros);
  const SteadyClock::time_point start = SteadyClock::now();
  std::this_thread::sleep_for(std::chrono::microseconds(micros));
  return MicrosSince(start);
}

}  // namespace

Status DBImpl::GetGcReport(GcReport* report) {
  std::lock_guard<std::mutex> l(mutex_);
  BuildGcReport(versions_->current(), BlobGcThresholdsFrom(options_), gc_stats_, report);
  const bool idle = IdleGcDue();
  AddGcPlanToReport(PlanBlobGc(versions_->current(), BlobGcSchedulerOptionsFrom(options_), idle),
                    gc_plan_files_, idle, report);
  report->gc_paced_micros = gc_rate_limiter_->paced_micros();
  if (SpaceSlowdownOn()) {
    const SpaceSlowdownLimits limits = SpaceSlowdownLimitsFor(options_.max_space_amplification);
    report->slowdown_start = limits.soft;
    report->slowdown_limit = limits.hard;
  }
  return Status::OK();
}

// A compaction that rewrites the first table (lowest level first) holding
// blob refs into gc_files, or nullptr if none is free; the relocation
// happens on the way. REQUIRES: mutex_ held.
Compaction* DBImpl::PickBlobGcCompaction(const std::set<uint64_t>& gc_files, bool* found) {
  *found = false;
  Version* v = versions_->current();
  for (int level = 0; level < v->NumLevels(); level++) {
    for (FileMetaData* f : v->files(level)) {
      bool pins = false;
      for (const BlobRef& r : f->blob_refs) {
        if (gc_files.count(r.blob_file_number) > 0) {
          pins = true;
          break;
        }
      }
      if (!pins) continue;
      *found = true;
      if (f->being_compacted) continue;
      // L0 files overlap and are ordered by age, so they move down; a table
      // of a sorted level is rewritten in place (only it is read and written).
      Compaction* c = level == 0 ? versions_->CompactRange(0, &f->smallest, &f->largest)
                                 : versions_->RewriteFileCompaction(level, f);
      if (c != nullptr) return c;
    }
  }
  return nullptr;
}

bool DBImpl::IdleGcPending(uint64_t* due) const {
  if (!options_.enable_blob_gc || options_.blob_gc_idle_seconds == 0) return false;
  const uint64_t last = last_write_micros_.load(std::memory_order_relaxed);
  if (idle_gc_done_for_ == last) return false;
  *due = last + options_.blob_gc_idle_seconds * 1000000;
  return true;
}

bool DBImpl::IdleGcDue() const {
  uint64_t due = 0;
  return IdleGcPending(&due) && env_->NowMicros() >= due;
}

uint64_t DBImpl::IdleGcWaitMicros() const {
  uint64_t due = 0;
  if (!bg_error_.ok() || !IdleGcPending(&due)) return 0;
  const uint64_t now = env_->NowMicros();
  // Already due but nothing ran: a job in flight or manual work holds it up,
  // and their end wakes this thread.
  return now >= due ? 0 : due - now;
}

bool DBImpl::ScheduledGcDue() const {
  if (!options_.enable_blob_gc) return false;
  const bool idle = IdleGcDue();
  if (!HasSpaceCeiling() && !idle) return false;
  if (gc_blocked_version_ == versions_->CurrentNumber()) return false;
  if (!gc_plan_files_.empty()) return true;
  return PlanBlobGc(versions_->current(), BlobGcSchedulerOptionsFrom(options_), idle).action !=
         BlobGcAction::kNone;
}

Compaction* DBImpl::PickScheduledGcCompaction(bool urgent_only, std::set<uint64_t>* gc_files,
                                              bool* paced) {
  gc_files->clear();
  *paced = false;
  if (!options_.enable_blob_gc) return nullptr;
  const bool idle = IdleGcDue();
  if (!HasSpaceCeiling() && !idle) return nullptr;
  const uint64_t version_number = versions_->CurrentNumber();
  if (gc_blocked_version_ == version_number) return nullptr;
  Version* v = versions_->current();
  for (auto it = gc_plan_files_.begin(); it != gc_plan_files_.end();) {
    it = v->blob_files().count(*it) == 0 ? gc_plan_files_.erase(it) : std::next(it);
  }
  const BlobGcPlan plan = PlanBlobGc(v, BlobGcSchedulerOptionsFrom(options_), idle);
  if (urgent_only && !plan.urgent) return nullptr;
  Compaction* c = nullptr;
  bool busy = false;
  if (!gc_plan_files_.empty()) {
    // Finish the running plan first: its files die only once every table
    // pinning them is rewritten.
    c = PickBlobGcCompaction(gc_plan_files_, &busy);
    if (c != nullptr) {
      *gc_files = gc_plan_files_;
      *paced = !plan.urgent;
      if (idle) gc_stats_.idle_jobs++;
      return c;
    }
    if (!busy) gc_plan_files_.clear();  // nothing pins them any more
  }
  if (!busy) {
    switch (plan.action) {
      case BlobGcAction::kNone:
        if (idle) idle_gc_done_for_ = last_write_micros_.load(std::memory_order_relaxed);
        return nullptr;
      case BlobGcAction::kReveal:
        c = versions_->CompactRange(plan.reveal_level, nullptr, nullptr, &busy);
        if (c != nullptr) gc_stats_.reveal_compactions++;
        break;
      case BlobGcAction::kRelocate:
        gc_plan_files_ = plan.gc_files;
        c = PickBlobGcCompaction(gc_plan_files_, &busy);
        if (c != nullptr) {
          gc_stats_.scheduled_plans++;
          *gc_files = gc_plan_files_;
          *paced = !plan.urgent;
        }
        break;
    }
  }
  if (c != nullptr && idle) gc_stats_.idle_jobs++;
  // Work planned but nothing can start and no job is running to change that:
  // wait for the next version rather than plan the same thing again.
  if (c == nullptr && running_jobs_ == 0) gc_blocked_version_ = version_number;
  return c;
}

bool DBImpl::SpaceSlowdownOn() const {
  return options_.blob_gc_slowdown_writes && options_.enable_blob_gc && HasSpaceCeiling();
}

double DBImpl::SpaceAmpForWrites() {
  if (!SpaceSlowdownOn()) return 0;
  if (space_version_ != versions_->CurrentNumber()) {
    space_version_ = versions_->CurrentNumber();
    space_ = MeasureBlobSpace(versions_->current());
  }
  // The memtables' write-time files are on disk too. Only write group
  // leaders call this, and only a leader writes mem_blobs_, before or after.
  const uint64_t unflushed =
      imm_blob_bytes_ + (mem_blobs_ != nullptr ? mem_blobs_->BytesWritten() : 0);
  return SlowdownSpaceAmp(space_.blob_file_bytes, space_.live_blob_bytes, space_.shadowing_bytes,
                          space_.shadowed_bytes, unflushed, options_.max_space_amplification);
}

void DBImpl::ChargeWriteForSpace(uint64_t bytes) {
  const double amp = SpaceAmpForWrites();
  space_last_charge_micros_ =
      amp == 0 ? 0
               : SpaceSlowdownMicros(SpaceSlowdownLimitsFor(options_.max_space_amplification), amp,
                                     bytes);
  space_debt_micros_ = AddSpaceSlowdownCharge(space_debt_micros_, space_last_charge_micros_);
}

Status DBImpl::DelayWriteForSpace(std::unique_lock<std::mutex>& lock) {
  // Small charges are spread over many writes (p99 ~150 us, against ~280 us
  // with 100-250 us waits every few groups, same throughput and space:
  // bench/RESULTS.md); a larger one is paid by the next groups, at most
  // kMaxPaymentMicros each (SpaceSlowdownPayment).
  double amp = SpaceAmpForWrites();
  if (amp == 0) {
    space_debt_micros_ = 0;  // space is back under the ceiling: forgive what is owed
    return Status::OK();
  }
  if (space_debt_micros_ > 0) {
    const uint64_t pay = SpaceSlowdownPayment(space_debt_micros_, space_last_charge_micros_);
    lock.unlock();
    const uint64_t waited = WaitFor(pay);
    lock.lock();
    space_debt_micros_ -= std::min(space_debt_micros_, waited);
    gc_stats_.slowdown_writes++;
    gc_stats_.slowdown_micros += waited;
    amp = SpaceAmpForWrites();
  }
  // At the hard limit, wait for GC, but only while it can still make
  // progress: a job is running or the scheduler has one to start. Otherwise
  // (nothing relocatable, an error, closing) writes go on rather than hang.
  const SpaceSlowdownLimits limits = SpaceSlowdownLimitsFor(options_.max_space_amplification);
  const SteadyClock::time_point start = SteadyClock::now();
  bool stalled = false;
  while (StallForSpace(limits, amp) && bg_error_.ok() &&
         !shutting_down_.load(std::memory_order_acquire) && manual_compaction_ == nullptr &&
         (running_jobs_ > 0 || ScheduledGcDue())) {
    stalled = true;
    bg_work_cv_.notify_all();
    bg_done_cv_.wait(lock);
    amp = SpaceAmpForWrites();
  }
  if (stalled) {
    gc_stats_.stall_writes++;
    gc_stats_.stall_micros += MicrosSince(start);
  }
  if (!bg_error_.ok()) return bg_error_;
  return Status::OK();
}

Status DBImpl::RunBlobGc(const BlobGcOptions& opts) {
  if (!opts.blob_files.empty() && (opts.age_cutoff >= 0 || opts.garbage_threshold >= 0)) {
    return Status::InvalidArgument("BlobGcOptions", "give blob_files or thresholds, not both");
  }
  if (opts.age_cutoff > 1 || opts.garbage_threshold > 1) {
    return Status::InvalidArgument("BlobGcOptions", "thresholds must be in [0, 1]");
  }
  // Overwritten and deleted blobs only count as garbage once a compaction
  // has met their newer versions, so first merge the whole tree: with large
  // values out of the tables, that rewrites little. Blobs in files already
  // eligible are relocated on the way.
  Status s = opts.blob_files.empty() ? Flush() : Status::OK();
  if (!s.ok()) return s;
  std::unique_lock<std::mutex> lock(mutex_);
  ManualCompaction manual;  // runs alone, as CompactRange does
  BeginManualWork(lock, &manual);
  s = bg_error_;
  if (s.ok() && opts.blob_files.empty()) s = CompactRangeLocked(lock, nullptr, nullptr);

  std::set<uint64_t> gc_files;
  if (s.ok() && !opts.blob_files.empty()) {
    for (uint64_t n : opts.blob_files) {
      if (versions_->current()->blob_files().count(n) == 0) {
        s = Status::InvalidArgument("blob file " + std::to_string(n), "is not a live blob file");
        break;
      }
      gc_files.insert(n);
    }
  }
  const bool by_policy = opts.blob_files.empty();
  BlobGcThresholds t = BlobGcThresholdsFrom(options_);
  if (opts.age_cutoff >= 0) t.age_cutoff = opts.age_cutoff;
  if (opts.garbage_threshold >= 0) t.garbage_threshold = opts.garbage_threshold;
  if (s.ok() && by_policy)
    gc_files = PickBlobGcCandidates(versions_->current()->blob_files(), t).eligible;
  if (s.ok()) gc_stats_.runs++;
  // Each pass empties at least one file with garbage and new files have none,
  // so passes end; the bound only guards against a policy bug.
  constexpr int kMaxPasses = 64;
  int passes = 0;
  while (s.ok() && !gc_files.empty() && !shutting_down_.load()) {
    bool found = false;
    Compaction* c = PickBlobGcCompaction(gc_files, &found);
    if (c == nullptr) {
      if (found) {
        // A flush holds an input: wait for it.
        bg_done_cv_.wait(lock);
        s = bg_error_;
        continue;
      }
      // Nothing pins these files any more: the edits dropped them as dead.
      // With fewer files, the age cutoff may now reach older files that hold
      // garbage: go on with those.
      if (!by_policy || ++passes >= kMaxPasses) break;
      gc_files = PickBlobGcCandidates(versions_->current()->blob_files(), t).eligible;
      continue;
    }
    // A failed job took its outputs away and left the version as it was; only
    // a failed install stops the DB (RunCompaction records that).
    s = RunManualCompaction(lock, c, &gc_files);
  }
  EndManualWork();
  return s;
}

}  // namespace lode
