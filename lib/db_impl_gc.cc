// DBImpl: blob garbage collection on demand and its report.
#include "gc/gc_report_builder.h"
#include "lib/db_impl.h"
#include "lib/version_set.h"

namespace lode {

static BlobGcThresholds ThresholdsOf(const Options& o) {
  BlobGcThresholds t;
  t.age_cutoff = o.blob_gc_age_cutoff;
  t.garbage_threshold = o.blob_gc_garbage_threshold;
  t.force_threshold = o.blob_gc_force_threshold;
  return t;
}

Status DBImpl::GetGcReport(GcReport* report) {
  std::lock_guard<std::mutex> l(mutex_);
  BuildGcReport(versions_->current(), ThresholdsOf(options_), gc_stats_, report);
  return Status::OK();
}

}  // namespace lode
