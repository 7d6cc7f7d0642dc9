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
