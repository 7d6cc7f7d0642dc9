// Builds a GcReport (include/lode/gc_report.h) from one version.
#ifndef LODE_GC_GC_REPORT_BUILDER_H_
#define LODE_GC_GC_REPORT_BUILDER_H_

#include <set>

#include "gc/blob_gc_policy.h"
#include "gc/blob_gc_scheduler.h"
#include "lib/db_stats.h"
#include "lode/gc_report.h"

namespace lode {

// REQUIRES: v stays alive (the caller holds a reference or the DB mutex).
void BuildGcReport(const Version* v, const BlobGcThresholds& thresholds, const GcStats& stats,
                   GcReport* report);

// Adds what the space-ceiling scheduler plans next (plan, made for the same
// version) and the files of the plan being carried out.
void AddGcPlanToReport(const BlobGcPlan& plan, const std::set<uint64_t>& running_plan, bool idle,
                       GcReport* report);

}  // namespace lode

#endif  // LODE_GC_GC_REPORT_BUILDER_H_
