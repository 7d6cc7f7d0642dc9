// DBImpl: blob garbage collection on demand and its report.
#include "gc/gc_report_builder.h"
#include "lib/compaction.h"
#include "lib/db_impl.h"
#include "lib/version_set.h"

namespace lode {

Status DBImpl::GetGcReport(GcReport* report) {
  std::lock_guard<std::mutex> l(mutex_);
  BuildGcReport(versions_->current(), BlobGcThresholdsFrom(options_), gc_stats_, report);
  return Status::OK();
}

}  // namespace lode

namespace lode {

// A compaction that rewrites the first table (lowest level first) holding
// blob refs into gc_files, or nullptr if none is free. Tables above the last
// level are compacted one level down (with what overlaps them there); the
// relocation happens on the way. REQUIRES: mutex_ held.
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
      Compaction* c = level + 1 < v->NumLevels()
                          ? versions_->CompactRange(level, &f->smallest, &f->largest)
                          : versions_->RewriteFileCompaction(level, f);
      if (c != nullptr) return c;
    }
  }
  return nullptr;
}

Status DBImpl::RunBlobGc(const BlobGcOptions& opts) {
  if (!opts.blob_files.empty() && (opts.age_cutoff >= 0 || opts.garbage_threshold >= 0)) {
    return Status::InvalidArgument("BlobGcOptions", "give blob_files or thresholds, not both");
  }
  if (opts.age_cutoff > 1 || opts.garbage_threshold > 1) {
    return Status::InvalidArgument("BlobGcOptions", "thresholds must be in [0, 1]");
  }
  std::unique_lock<std::mutex> lock(mutex_);
  // Run alone, as a manual compaction does.
  while (manual_compaction_ != nullptr) bg_done_cv_.wait(lock);
  ManualCompaction manual;
  manual_compaction_ = &manual;
  while (running_jobs_ > 0 && bg_error_.ok()) bg_done_cv_.wait(lock);

  Status s = bg_error_;
  std::set<uint64_t> gc_files;
  if (s.ok() && !opts.blob_files.empty()) {
    for (uint64_t n : opts.blob_files) {
      if (versions_->current()->blob_files().count(n) == 0) {
        s = Status::InvalidArgument("blob file " + std::to_string(n), "is not a live blob file");
        break;
      }
      gc_files.insert(n);
    }
  } else if (s.ok()) {
    BlobGcThresholds t = BlobGcThresholdsFrom(options_);
    if (opts.age_cutoff >= 0) t.age_cutoff = opts.age_cutoff;
    if (opts.garbage_threshold >= 0) t.garbage_threshold = opts.garbage_threshold;
    gc_files = PickBlobGcCandidates(versions_->current()->blob_files(), t).eligible;
  }
  if (s.ok()) gc_stats_.runs++;
  while (s.ok() && !gc_files.empty() && !shutting_down_.load()) {
    bool found = false;
    Compaction* c = PickBlobGcCompaction(gc_files, &found);
    if (c == nullptr) {
      // Either nothing pins the files any more (done: dead files were dropped
      // by the edits), or a flush holds an input: wait for it.
      if (!found) break;
      bg_done_cv_.wait(lock);
      s = bg_error_;
      continue;
    }
    running_jobs_++;
    // A failed job took its outputs away and left the version as it was; only
    // a failed install stops the DB (RunCompaction records that).
    s = RunCompaction(lock, c, &gc_files);
    running_jobs_--;
  }
  manual_compaction_ = nullptr;
  bg_done_cv_.notify_all();
  bg_work_cv_.notify_all();
  return s;
}

}  // namespace lode
