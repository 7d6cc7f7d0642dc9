// BlobGcScheduler: keeps blob space under Options::max_space_amplification
// without the user calling anything.
//
// Space amplification is blob file bytes on disk over live blob bytes. The
// manifest knows the garbage that compactions have met (counted garbage); an
// overwrite whose older version sits in a lower level is garbage nobody has
// counted yet (hidden garbage). So the scheduler tracks two figures:
//
//   space_amp        = file bytes / (blob bytes - counted garbage)   (a floor)
//   space_amp_upper  = file bytes / (that live - shadowing bytes)     (a ceiling)
//
// where shadowing bytes are the blob bytes referenced from tables above the
// deepest non-empty level: at most that much live data can be hidden garbage.
//
// Two kinds of job come out of a plan, each chosen by benefit over cost:
//  - reveal: merge an upper level down, turning hidden garbage into counted
//    garbage (cost: the table bytes rewritten; with values in blob files the
//    tables are small);
//  - relocate: rewrite the tables that pin the best blob files, copying their
//    live blobs out (cost: the live bytes copied). Files are ranked like a
//    log-structured file system's cleaner ranks segments: garbage reclaimed
//    per live byte copied, weighted up for older files, since cold data stays
//    put once moved while hot files are still turning into garbage by
//    themselves.
//
// A pure function of one version and the options, so the background picker,
// the GC report and the tests agree. Thread-compatible.
#ifndef LODE_GC_BLOB_GC_SCHEDULER_H_
#define LODE_GC_BLOB_GC_SCHEDULER_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "lib/version_set.h"
#include "lode/options.h"

namespace lode {

struct BlobGcSchedulerOptions {
  double max_space_amplification = 1.2;  // <= 1: no ceiling
  double idle_space_amplification = 1.03;
  uint64_t blob_file_size = 256 << 20;
};

BlobGcSchedulerOptions BlobGcSchedulerOptionsFrom(const Options& options);

// The blob space of one version: what a plan starts from, and what the
// space slowdown (gc/space_slowdown.h) compares with its limits.
struct BlobSpace {
  uint64_t blob_file_bytes = 0;
  uint64_t live_blob_bytes = 0;  // blob bytes minus counted garbage
  uint64_t shadowing_bytes = 0;  // referenced above the deepest non-empty level
  // What the flushes that wrote the unmerged tables found they shadow
  // (FileMetaData::shadowed_blob_bytes): an estimate of the hidden garbage,
  // at most shadowing_bytes.
  uint64_t shadowed_bytes = 0;
  std::vector<uint64_t> ref_bytes;    // per level: blob bytes its tables reference
  std::vector<uint64_t> table_bytes;  // per level: bytes of its tables
  int bottom = -1;                    // the deepest non-empty level
};

BlobSpace MeasureBlobSpace(const Version* v);

struct BlobGcCandidate {
  uint64_t number = 0;
  uint64_t file_size = 0;
  uint64_t live_bytes = 0;
  uint64_t garbage_bytes = 0;
  double garbage_ratio = 0;
  double score = 0;  // benefit/cost: higher is relocated first
};

enum class BlobGcAction { kNone, kReveal, kRelocate };

struct BlobGcPlan {
  // The state the plan was made from.
  uint64_t blob_file_bytes = 0;
  uint64_t live_blob_bytes = 0;  // blob bytes minus counted garbage
  uint64_t shadowing_bytes = 0;  // upper bound of hidden garbage
  uint64_t shadowed_bytes = 0;   // the flushes' estimate of it (BlobSpace)
  double space_amp = 1;
  double space_amp_upper = 1;
  double ceiling = 0;  // 0: none
  double trigger = 0;  // space amplification at which GC starts
  double target = 0;   // where a relocation plan aims to bring it

  BlobGcAction action = BlobGcAction::kNone;
  bool urgent = false;          // at the ceiling: ahead of ordinary compactions
  int reveal_level = -1;        // kReveal: the level to merge down
  std::set<uint64_t> gc_files;  // kRelocate: the files to copy out of
  uint64_t planned_live_bytes = 0;
  uint64_t planned_garbage_bytes = 0;
  std::vector<BlobGcCandidate> candidates;  // best first, at most kMaxListed
  std::string reason;                       // one line: why this action (or none)

  static constexpr size_t kMaxListed = 8;
};

// Plans the next GC work for version v. idle: no foreground writes for a
// while, so aim at options.idle_space_amplification instead of the ceiling.
BlobGcPlan PlanBlobGc(const Version* v, const BlobGcSchedulerOptions& options, bool idle);

}  // namespace lode

#endif  // LODE_GC_BLOB_GC_SCHEDULER_H_
