// GcReport rendering: ToText for a terminal, ToJson in the stable format of
// doc/gc_report.md. Filling the report is the engine's job (DB::GetGcReport).
#include "lode/gc_report.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "lib/util/human_format.h"
#include "lib/util/json_writer.h"

namespace lode {

namespace {

// Version of the JSON layout; bump on any change that is not a pure addition.
constexpr int kGcReportJsonFormatVersion = 1;

// Files in report order: garbage ratio highest first, then file number, so
// equal ratios still print in a stable order whatever the filler did.
std::vector<const GcReportBlobFile*> SortedFiles(const GcReport& r) {
  std::vector<const GcReportBlobFile*> files;
  files.reserve(r.files.size());
  for (const auto& f : r.files) files.push_back(&f);
  std::stable_sort(files.begin(), files.end(),
                   [](const GcReportBlobFile* a, const GcReportBlobFile* b) {
                     if (a->garbage_ratio != b->garbage_ratio) {
                       return a->garbage_ratio > b->garbage_ratio;
                     }
                     return a->number < b->number;
                   });
  return files;
}

uint64_t EligibleCount(const GcReport& r) {
  return static_cast<uint64_t>(
      std::count_if(r.files.begin(), r.files.end(), [](const auto& f) { return f.eligible; }));
}

std::string Plural(uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return buf;
}

// A ten-cell bar of the garbage ratio, for scanning the table by eye.
std::string RatioBar(double ratio) {
  const double r = std::clamp(ratio, 0.0, 1.0);
  const int filled = static_cast<int>(r * 10 + 0.5);
  std::string bar = "[";
  bar.append(filled, '#');
  bar.append(10 - filled, '.');
  bar += ']';
  return bar;
}

}  // namespace

std::string GcReportBlobFile::TablesByLevel() const {
  std::string s;
  for (size_t level = 0; level < referencing_tables_per_level.size(); level++) {
    if (referencing_tables_per_level[level] == 0) continue;
    if (!s.empty()) s += ' ';
    s += 'L';
    s += std::to_string(level);
    s += ':';
    s += std::to_string(referencing_tables_per_level[level]);
  }
  return s;
}

std::string GcReport::ToText() const {
  std::string out = "Blob GC report\n";
  const auto line = [&out](const char* label, const std::string& value) {
    out += Format("  %-15s %s\n", label, value.c_str());
  };
  const uint64_t blob_bytes = live_blob_bytes + garbage_blob_bytes;
  const double total_ratio =
      blob_bytes == 0 ? 0.0
                      : static_cast<double>(garbage_blob_bytes) / static_cast<double>(blob_bytes);
  const uint64_t eligible = EligibleCount(*this);

  line("blob files", std::to_string(num_blob_files));
  line("on disk",
       HumanBytes(blob_file_bytes) + "  (" + std::to_string(blob_file_bytes) + " bytes)");
  line("live", HumanBytes(live_blob_bytes));
  line("garbage",
       HumanBytes(garbage_blob_bytes) + "  (" + HumanPercent(total_ratio) + " of blob bytes)");
  line("space amp", Format("%.2fx", space_amplification));
  line("GC would", std::string("reclaim ") + HumanBytes(reclaimable_bytes) + " and rewrite " +
                       HumanBytes(rewrite_bytes) + " (" + Plural(eligible, "eligible file") + ")");
  line("thresholds", Format("age cutoff %.2f, garbage threshold %.2f, force %.2f", age_cutoff,
                            garbage_threshold, force_threshold));
  line("GC so far", Plural(gc_runs, "run") + ", " + HumanBytes(bytes_relocated) + " relocated (" +
                        Plural(blobs_relocated, "blob") + "), " + Plural(files_dropped, "file") +
                        " dropped, " + HumanBytes(bytes_reclaimed) + " reclaimed");
  line("GC I/O", HumanBytes(gc_bytes_read) + " read, " + HumanBytes(gc_bytes_written) +
                     " written; " + Plural(reveal_compactions, "reveal merge") + ", " +
                     Plural(scheduled_plans, "relocation plan") + ", " +
                     Plural(idle_jobs, "idle job") +
                     Format("; paced %.1f s", static_cast<double>(gc_paced_micros) / 1e6));
  if (max_space_amplification > 0) {
    line("ceiling", Format("%.2fx (GC starts at %.2fx); now %.2fx, at most %.2fx counting %s "
                           "that may be hidden garbage (%s likely)",
                           max_space_amplification, gc_trigger, space_amplification,
                           space_amplification_upper, HumanBytes(hidden_garbage_bound).c_str(),
                           HumanBytes(hidden_garbage_estimate).c_str()));
  } else {
    line("ceiling", "none (max_space_amplification = 0)");
  }
  if (slowdown_start > 0) {
    line("writes", Format("slowed past %.2fx, stalled at %.2fx: ", slowdown_start, slowdown_limit) +
                       Plural(write_slowdowns, "slowdown") +
                       Format(" (%.1f s), ", static_cast<double>(write_slowdown_micros) / 1e6) +
                       Plural(write_stalls, "stall") +
                       Format(" (%.1f s)", static_cast<double>(write_stall_micros) / 1e6));
  } else {
    line("writes", "never slowed for space (no ceiling, GC off or blob_gc_slowdown_writes off)");
  }
  line("next", (idle ? "[idle] " : "") + next_action + ": " + next_reason);
  if (!candidates.empty()) {
    std::string c;
    for (const GcReportCandidate& k : candidates) {
      if (!c.empty()) c += ", ";
      c += Format("%06" PRIu64 "%s (%s garbage, score %.2f)", k.number, k.planned ? "*" : "",
                  HumanPercent(k.garbage_ratio).c_str(), k.score);
    }
    line("candidates", c);
  }

  out += "\n";
  if (files.empty()) {
    out += "  (no blob files)\n";
    return out;
  }
  out += Format("  %-8s %10s %9s %8s %-12s %-8s %s\n", "file", "size", "blobs", "garbage", "",
                "eligible", "tables by level");
  for (const GcReportBlobFile* f : SortedFiles(*this)) {
    out += Format("  %06" PRIu64 "   %10s %9" PRIu64 " %8s %-12s %-8s %s\n", f->number,
                  HumanBytes(f->file_size).c_str(), f->blob_count,
                  HumanPercent(f->garbage_ratio).c_str(), RatioBar(f->garbage_ratio).c_str(),
                  f->eligible ? "*" : "",
                  f->TablesByLevel().empty() ? "-" : f->TablesByLevel().c_str());
  }
  out += "  (* eligible: GC would relocate this file at the current thresholds)\n";
  return out;
}

std::string GcReport::ToJson() const {
  JsonWriter w;
  w.BeginObject();
  w.Key("format_version");
  w.Int(kGcReportJsonFormatVersion);

  w.Key("totals");
  w.BeginObject();
  w.Key("num_blob_files");
  w.Uint(num_blob_files);
  w.Key("blob_file_bytes");
  w.Uint(blob_file_bytes);
  w.Key("live_blob_bytes");
  w.Uint(live_blob_bytes);
  w.Key("garbage_blob_bytes");
  w.Uint(garbage_blob_bytes);
  w.Key("space_amplification");
  w.Double(space_amplification);
  w.Key("eligible_files");
  w.Uint(EligibleCount(*this));
  w.Key("reclaimable_bytes");
  w.Uint(reclaimable_bytes);
  w.Key("rewrite_bytes");
  w.Uint(rewrite_bytes);
  w.EndObject();

  w.Key("thresholds");
  w.BeginObject();
  w.Key("age_cutoff");
  w.Double(age_cutoff);
  w.Key("garbage_threshold");
  w.Double(garbage_threshold);
  w.Key("force_threshold");
  w.Double(force_threshold);
  w.EndObject();

  w.Key("gc");
  w.BeginObject();
  w.Key("runs");
  w.Uint(gc_runs);
  w.Key("bytes_relocated");
  w.Uint(bytes_relocated);
  w.Key("blobs_relocated");
  w.Uint(blobs_relocated);
  w.Key("files_dropped");
  w.Uint(files_dropped);
  w.Key("bytes_reclaimed");
  w.Uint(bytes_reclaimed);
  w.Key("bytes_read");
  w.Uint(gc_bytes_read);
  w.Key("bytes_written");
  w.Uint(gc_bytes_written);
  w.Key("reveal_compactions");
  w.Uint(reveal_compactions);
  w.Key("scheduled_plans");
  w.Uint(scheduled_plans);
  w.Key("idle_jobs");
  w.Uint(idle_jobs);
  w.Key("paced_micros");
  w.Uint(gc_paced_micros);
  w.Key("write_slowdowns");
  w.Uint(write_slowdowns);
  w.Key("write_slowdown_micros");
  w.Uint(write_slowdown_micros);
  w.Key("write_stalls");
  w.Uint(write_stalls);
  w.Key("write_stall_micros");
  w.Uint(write_stall_micros);
  w.EndObject();

  w.Key("scheduler");
  w.BeginObject();
  w.Key("max_space_amplification");
  w.Double(max_space_amplification);
  w.Key("trigger");
  w.Double(gc_trigger);
  w.Key("space_amplification");
  w.Double(space_amplification);
  w.Key("space_amplification_upper");
  w.Double(space_amplification_upper);
  w.Key("hidden_garbage_bound");
  w.Uint(hidden_garbage_bound);
  w.Key("hidden_garbage_estimate");
  w.Uint(hidden_garbage_estimate);
  w.Key("slowdown_start");
  w.Double(slowdown_start);
  w.Key("slowdown_limit");
  w.Double(slowdown_limit);
  w.Key("idle");
  w.Bool(idle);
  w.Key("next_action");
  w.String(next_action);
  w.Key("reason");
  w.String(next_reason);
  w.Key("candidates");
  w.BeginArray();
  for (const GcReportCandidate& k : candidates) {
    w.BeginObject();
    w.Key("number");
    w.Uint(k.number);
    w.Key("live_bytes");
    w.Uint(k.live_bytes);
    w.Key("garbage_bytes");
    w.Uint(k.garbage_bytes);
    w.Key("garbage_ratio");
    w.Double(k.garbage_ratio);
    w.Key("score");
    w.Double(k.score);
    w.Key("planned");
    w.Bool(k.planned);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();

  w.Key("files");
  w.BeginArray();
  for (const GcReportBlobFile* f : SortedFiles(*this)) {
    w.BeginObject();
    w.Key("number");
    w.Uint(f->number);
    w.Key("file_size");
    w.Uint(f->file_size);
    w.Key("blob_count");
    w.Uint(f->blob_count);
    w.Key("blob_bytes");
    w.Uint(f->blob_bytes);
    w.Key("garbage_count");
    w.Uint(f->garbage_count);
    w.Key("garbage_bytes");
    w.Uint(f->garbage_bytes);
    w.Key("garbage_ratio");
    w.Double(f->garbage_ratio);
    w.Key("eligible");
    w.Bool(f->eligible);
    w.Key("referencing_tables_per_level");
    w.BeginArray(/*compact=*/true);
    for (int n : f->referencing_tables_per_level) w.Int(n);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string out = w.str();
  out.push_back('\n');
  return out;
}

}  // namespace lode
