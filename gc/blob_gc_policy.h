// BlobGcPolicy: which blob files relocation works on, and when GC must force
// compactions of the tables that pin them.
//
// A pure function of one version's blob files and the thresholds, so the
// picker, RunBlobGc and the GC report always agree. Thread-compatible.
#ifndef LODE_GC_BLOB_GC_POLICY_H_
#define LODE_GC_BLOB_GC_POLICY_H_

#include <cstdint>
#include <map>
#include <set>

#include "lib/version_set.h"
#include "lode/options.h"

namespace lode {

struct BlobGcThresholds {
  double age_cutoff = 0.25;        // oldest fraction of blob files
  double garbage_threshold = 0.5;  // or any file with at least this garbage ratio
  double force_threshold = 0.8;    // force targeted compactions past this combined ratio
};

struct BlobGcCandidates {
  std::set<uint64_t> eligible;    // files whose live blobs a compaction relocates
  uint64_t eligible_bytes = 0;    // their stored blob bytes
  uint64_t eligible_garbage = 0;  // garbage in them: what relocation reclaims
  bool force = false;             // combined garbage ratio >= force_threshold

  double garbage_ratio() const {
    return eligible_bytes == 0 ? 0.0 : static_cast<double>(eligible_garbage) / eligible_bytes;
  }
};

BlobGcThresholds BlobGcThresholdsFrom(const Options& options);

// A file is eligible when it has garbage and is either among the oldest
// age_cutoff fraction of blob files (by file number: numbers only grow) or
// its garbage ratio reaches garbage_threshold. A file without garbage is never
// eligible: relocating it would rewrite bytes and reclaim none.
BlobGcCandidates PickBlobGcCandidates(const std::map<uint64_t, BlobFileState>& blob_files,
                                      const BlobGcThresholds& thresholds);

// Garbage ratio of one file (garbage bytes / blob bytes; 0 for an empty file).
double GarbageRatio(const BlobFileState& f);

}  // namespace lode

#endif  // LODE_GC_BLOB_GC_POLICY_H_
