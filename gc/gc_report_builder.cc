#include "gc/gc_report_builder.h"

#include <algorithm>

namespace lode {

void BuildGcReport(const Version* v, const BlobGcThresholds& thresholds, const GcStats& stats,
                   GcReport* report) {
  *report = GcReport();
  const BlobGcCandidates candidates = PickBlobGcCandidates(v->blob_files(), thresholds);
  const int num_levels = v->NumLevels();
  std::map<uint64_t, std::vector<int>> refs;  // blob file -> tables per level
  for (int level = 0; level < num_levels; level++) {
    for (const FileMetaData* f : v->files(level)) {
      for (const BlobRef& r : f->blob_refs) {
        auto& per_level = refs[r.blob_file_number];
        if (per_level.empty()) per_level.resize(static_cast<size_t>(num_levels), 0);
        per_level[static_cast<size_t>(level)]++;
      }
    }
  }
  for (const auto& [number, state] : v->blob_files()) {
    GcReportBlobFile f;
    f.number = number;
    f.file_size = state.meta->file_size;
    f.blob_count = state.meta->blob_count;
    f.blob_bytes = state.meta->blob_bytes;
    f.garbage_count = state.garbage_count;
    f.garbage_bytes = state.garbage_bytes;
    f.garbage_ratio = GarbageRatio(state);
    f.eligible = candidates.eligible.count(number) > 0;
    auto it = refs.find(number);
    f.referencing_tables_per_level =
        it != refs.end() ? it->second : std::vector<int>(static_cast<size_t>(num_levels), 0);
    report->num_blob_files++;
    report->blob_file_bytes += f.file_size;
    report->live_blob_bytes += f.blob_bytes - f.garbage_bytes;
    report->garbage_blob_bytes += f.garbage_bytes;
    report->files.push_back(std::move(f));
  }
  std::stable_sort(report->files.begin(), report->files.end(),
                   [](const GcReportBlobFile& a, const GcReportBlobFile& b) {
                     return a.garbage_ratio > b.garbage_ratio;
                   });
  report->space_amplification =
      report->live_blob_bytes == 0
          ? 1.0
          : static_cast<double>(report->blob_file_bytes) / report->live_blob_bytes;
  report->reclaimable_bytes = candidates.eligible_garbage;
  report->rewrite_bytes = candidates.eligible_bytes - candidates.eligible_garbage;
  report->age_cutoff = thresholds.age_cutoff;
  report->garbage_threshold = thresholds.garbage_threshold;
  report->force_threshold = thresholds.force_threshold;
  report->gc_runs = stats.runs + stats.relocations;
  report->bytes_relocated = stats.bytes_relocated;
  report->blobs_relocated = stats.blobs_relocated;
  report->files_dropped = stats.files_dropped;
  report->bytes_reclaimed = stats.bytes_reclaimed;
  report->gc_bytes_read = stats.bytes_relocated;  // relocation reads exactly what it copies
  report->gc_bytes_written = stats.bytes_written;
  report->reveal_compactions = stats.reveal_compactions;
  report->scheduled_plans = stats.scheduled_plans;
  report->idle_jobs = stats.idle_jobs;
  report->write_slowdowns = stats.slowdown_writes;
  report->write_slowdown_micros = stats.slowdown_micros;
  report->write_stalls = stats.stall_writes;
  report->write_stall_micros = stats.stall_micros;
}

void AddGcPlanToReport(const BlobGcPlan& plan, const std::set<uint64_t>& running_plan, bool idle,
                       GcReport* report) {
  report->max_space_amplification = plan.ceiling;
  report->gc_trigger = plan.trigger;
  report->space_amplification_upper = plan.space_amp_upper;
  report->hidden_garbage_bound = plan.shadowing_bytes;
  report->hidden_garbage_estimate = plan.shadowed_bytes;
  report->idle = idle;
  if (!running_plan.empty()) {
    report->next_action = "relocate";
    report->next_reason = "carrying out a plan over " + std::to_string(running_plan.size()) +
                          " file(s); then: " + plan.reason;
  } else {
    switch (plan.action) {
      case BlobGcAction::kNone:
        report->next_action = "none";
        break;
      case BlobGcAction::kReveal:
        report->next_action = "reveal";
        break;
      case BlobGcAction::kRelocate:
        report->next_action = "relocate";
        break;
    }
    report->next_reason = plan.reason;
  }
  for (const BlobGcCandidate& c : plan.candidates) {
    GcReportCandidate r;
    r.number = c.number;
    r.live_bytes = c.live_bytes;
    r.garbage_bytes = c.garbage_bytes;
    r.garbage_ratio = c.garbage_ratio;
    r.score = c.score;
    r.planned = running_plan.count(c.number) > 0 ||
                (running_plan.empty() && plan.gc_files.count(c.number) > 0);
    report->candidates.push_back(r);
  }
}

}  // namespace lode
