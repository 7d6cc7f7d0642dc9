#include "gc/blob_gc_policy.h"

#include <cmath>

namespace lode {

BlobGcThresholds BlobGcThresholdsFrom(const Options& o) {
  BlobGcThresholds t;
  t.age_cutoff = o.blob_gc_age_cutoff;
  t.garbage_threshold = o.blob_gc_garbage_threshold;
  t.force_threshold = o.blob_gc_force_threshold;
  return t;
}

double GarbageRatio(const BlobFileState& f) {
  if (f.meta->blob_bytes == 0) return 0.0;
  return static_cast<double>(f.garbage_bytes) / static_cast<double>(f.meta->blob_bytes);
}

BlobGcCandidates PickBlobGcCandidates(const std::map<uint64_t, BlobFileState>& blob_files,
                                      const BlobGcThresholds& t) {
  BlobGcCandidates c;
  const size_t oldest =
      static_cast<size_t>(std::ceil(t.age_cutoff * static_cast<double>(blob_files.size()) - 1e-9));
  size_t rank = 0;
  for (const auto& [number, state] : blob_files) {  // ascending number: oldest first
    const bool old_enough = rank++ < oldest;
    if (state.garbage_bytes == 0) continue;
    if (old_enough || GarbageRatio(state) >= t.garbage_threshold) {
      c.eligible.insert(number);
      c.eligible_bytes += state.meta->blob_bytes;
      c.eligible_garbage += state.garbage_bytes;
    }
  }
  c.force = !c.eligible.empty() && c.garbage_ratio() >= t.force_threshold;
  return c;
}

}  // namespace lode
