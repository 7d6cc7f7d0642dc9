// Builds a GcReport (include/lode/gc_report.h) from one version.
#ifndef LODE_GC_GC_REPORT_BUILDER_H_
#define LODE_GC_GC_REPORT_BUILDER_H_

#include "gc/blob_gc_policy.h"
#include "lib/db_stats.h"
#include "lode/gc_report.h"

namespace lode {

// REQUIRES: v stays alive (the caller holds a reference or the DB mutex).
void BuildGcReport(const Version* v, const BlobGcThresholds& thresholds, const GcStats& stats,
                   GcReport* report);

}  // namespace lode

#endif  // LODE_GC_GC_REPORT_BUILDER_H_
