// GcReport: the state of blob garbage collection, for people and programs.
//
// Filled by DB::GetGcReport from one consistent version; a plain value that
// the caller owns. ToText() is for a terminal, ToJson() is the stable,
// documented format of doc/gc_report.md.
#ifndef LODE_INCLUDE_GC_REPORT_H_
#define LODE_INCLUDE_GC_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace lode {

struct GcReportBlobFile {
  uint64_t number = 0;
  uint64_t file_size = 0;      // bytes on disk
  uint64_t blob_count = 0;     // blobs ever written to the file
  uint64_t blob_bytes = 0;     // their stored bytes
  uint64_t garbage_count = 0;  // of those, blobs no live table references
  uint64_t garbage_bytes = 0;
  double garbage_ratio = 0;  // garbage_bytes / blob_bytes
  bool eligible = false;     // relocation would pick it at the current thresholds
  // Number of live tables referencing the file, per level (index = level).
  std::vector<int> referencing_tables_per_level;

  // "L0:1 L3:2": the non-zero entries of referencing_tables_per_level; ""
  // when no live table references the file.
  std::string TablesByLevel() const;
};

// A blob file the space-ceiling scheduler ranks for relocation.
struct GcReportCandidate {
  uint64_t number = 0;
  uint64_t live_bytes = 0;     // what relocating it copies
  uint64_t garbage_bytes = 0;  // what it frees
  double garbage_ratio = 0;
  double score = 0;      // benefit/cost, age-weighted: higher goes first
  bool planned = false;  // in the plan being carried out now
};

struct GcReport {
  std::vector<GcReportBlobFile> files;  // sorted by garbage ratio, highest first

  // Totals over live blob files.
  uint64_t num_blob_files = 0;
  uint64_t blob_file_bytes = 0;  // on disk
  uint64_t live_blob_bytes = 0;
  uint64_t garbage_blob_bytes = 0;
  double space_amplification = 0;  // blob_file_bytes / live_blob_bytes (1 if no blobs)
  uint64_t reclaimable_bytes = 0;  // garbage in eligible files: what GC would free
  uint64_t rewrite_bytes = 0;      // live bytes in eligible files: what GC would copy

  // Thresholds in force when the report was made.
  double age_cutoff = 0;
  double garbage_threshold = 0;
  double force_threshold = 0;

  // The space-ceiling scheduler (doc/gc.md): its ceiling, the trigger at
  // which it starts, the space amplification if every possibly hidden garbage
  // byte (overwrites not yet merged with older versions) were garbage, and
  // what it does next and why.
  double max_space_amplification = 0;  // 0: no ceiling
  double gc_trigger = 0;
  double space_amplification_upper = 0;
  uint64_t hidden_garbage_bound = 0;  // blob bytes referenced above the bottom level
  // Of that, the older blobs the flushes found their tables shadow (lost on
  // reopen, never more than the bound).
  uint64_t hidden_garbage_estimate = 0;
  bool idle = false;                          // idle reclamation is due or running
  std::string next_action;                    // "none", "reveal" or "relocate"
  std::string next_reason;                    // one line
  std::vector<GcReportCandidate> candidates;  // best first

  // Cumulative since the DB was opened.
  uint64_t gc_runs = 0;
  uint64_t bytes_relocated = 0;
  uint64_t blobs_relocated = 0;
  uint64_t files_dropped = 0;
  uint64_t bytes_reclaimed = 0;
  uint64_t gc_bytes_read = 0;     // blob bytes read to be relocated
  uint64_t gc_bytes_written = 0;  // blob file bytes written by relocation
  uint64_t reveal_compactions = 0;
  uint64_t scheduled_plans = 0;
  uint64_t idle_jobs = 0;
  uint64_t gc_paced_micros = 0;  // time relocation waited for blob_gc_rate_limit

  // The space slowdown (doc/gc.md): past slowdown_start writes wait in
  // proportion to their bytes, at slowdown_limit they stall until GC
  // catches up (both 0: off). Cumulative since the DB was opened.
  double slowdown_start = 0;
  double slowdown_limit = 0;
  uint64_t write_slowdowns = 0;  // write groups that slept
  uint64_t write_slowdown_micros = 0;
  uint64_t write_stalls = 0;  // write groups that waited at the limit
  uint64_t write_stall_micros = 0;

  std::string ToText() const;
  std::string ToJson() const;
};

}  // namespace lode

#endif  // LODE_INCLUDE_GC_REPORT_H_
