// lode gc-report | gc: look at blob garbage, and collect it.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "lib/util/human_format.h"
#include "lode/db.h"
#include "lode/env.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/gc_report_html.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

namespace {

uint64_t Delta(uint64_t before, uint64_t after) { return after > before ? after - before : 0; }

}  // namespace

int RunGcReport(const Args& args) {
  ArgParser p("gc-report", "DB",
              "Prints the blob GC report: totals (live and garbage bytes, space\n"
              "amplification, what GC would reclaim now), then one row per blob file,\n"
              "most garbage first. doc/gc_report.md describes every field.");
  p.AddSwitch("--json", "print the report as JSON (format_version 1)");
  p.AddOption("--html", "FILE", "write a self-contained HTML page with per-file bars");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  if (p.Has("--json") && p.Has("--html")) {
    return Fail("gc-report", kExitUsage, "--html: cannot be combined with --json");
  }
  const std::string& path = p.positionals()[0];
  Options options;
  options.create_if_missing = false;
  options.enable_blob_gc = false;  // inspecting must not change what it shows
  std::unique_ptr<DB> db;
  Status s = ApplyKeyFileOption(p, &options);
  if (s.ok()) s = OpenDb(path, options, false, &db);
  if (!s.ok()) return FailStatus("gc-report", path, s);
  GcReport report;
  s = db->GetGcReport(&report);
  if (!s.ok()) return FailStatus("gc-report", path, s);

  if (p.Has("--html")) {
    const std::string file = p.GetString("--html");
    s = WriteStringToFile(Env::Default(), RenderGcReportHtml(report, path), file, false);
    if (!s.ok()) return FailStatus("gc-report", file, s);
    std::printf("wrote %s (%" PRIu64 " blob files)\n", file.c_str(),
                static_cast<uint64_t>(report.files.size()));
  } else {
    const std::string text = p.Has("--json") ? report.ToJson() : report.ToText();
    std::fputs(text.c_str(), stdout);
  }
  if (std::fflush(stdout) != 0) return Fail("gc-report", kExitFailure, "stdout: write error");
  return kExitOk;
}

int RunGc(const Args& args) {
  ArgParser p("gc", "DB",
              "Runs blob garbage collection now: relocates the live blobs out of every\n"
              "eligible blob file (or only those named by --files), drops files that\n"
              "hold only garbage, and prints what that reclaimed.");
  p.AddOption("--age-cutoff", "F", "oldest fraction of blob files eligible, for this run");
  p.AddOption("--garbage-threshold", "F",
              "files with at least this garbage ratio are eligible, for this run");
  p.AddOption("--files", "N,M,...", "relocate out of these blob file numbers only");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  BlobGcOptions gc;
  Status s = p.GetFraction("--age-cutoff", -1, &gc.age_cutoff);
  if (s.ok()) s = p.GetFraction("--garbage-threshold", -1, &gc.garbage_threshold);
  if (s.ok() && p.Has("--files")) {
    s = ParseSizeList(p.GetString("--files"), &gc.blob_files);
    if (!s.ok()) s = Status::InvalidArgument(std::string("--files: ") + s.message());
  }
  if (!s.ok()) return UsageError(p, s);

  const std::string& path = p.positionals()[0];
  Options options;
  options.create_if_missing = false;
  std::unique_ptr<DB> db;
  s = ApplyKeyFileOption(p, &options);
  if (s.ok()) s = OpenDb(path, options, false, &db);
  if (!s.ok()) return FailStatus("gc", path, s);
  GcReport before, after;
  s = db->GetGcReport(&before);
  if (!s.ok()) return FailStatus("gc", path, s);
  for (uint64_t number : gc.blob_files) {
    bool found = false;
    for (const auto& f : before.files) found |= f.number == number;
    if (!found) {
      return Fail("gc", kExitUsage,
                  std::string("--files: ") + path + " has no blob file " + std::to_string(number));
    }
  }
  const double start = NowSeconds();
  s = db->RunBlobGc(gc);
  if (s.ok()) s = db->WaitForBackgroundWork();
  const double seconds = NowSeconds() - start;
  if (!s.ok()) return FailStatus("gc", path, s);
  s = db->GetGcReport(&after);
  if (!s.ok()) return FailStatus("gc", path, s);

  const uint64_t disk_freed = Delta(after.blob_file_bytes, before.blob_file_bytes);
  std::printf("gc: %s: reclaimed %s, rewrote %s (%" PRIu64 " blobs), dropped %" PRIu64
              " files, in %.2f s\n",
              path.c_str(),
              HumanBytes(Delta(before.bytes_reclaimed, after.bytes_reclaimed)).c_str(),
              HumanBytes(Delta(before.bytes_relocated, after.bytes_relocated)).c_str(),
              Delta(before.blobs_relocated, after.blobs_relocated),
              Delta(before.files_dropped, after.files_dropped), seconds);
  std::printf("  blob files   %" PRIu64 " -> %" PRIu64 "\n", before.num_blob_files,
              after.num_blob_files);
  std::printf("  on disk      %s -> %s (%s freed)\n", HumanBytes(before.blob_file_bytes).c_str(),
              HumanBytes(after.blob_file_bytes).c_str(), HumanBytes(disk_freed).c_str());
  std::printf("  garbage      %s -> %s\n", HumanBytes(before.garbage_blob_bytes).c_str(),
              HumanBytes(after.garbage_blob_bytes).c_str());
  std::printf("  space amp    %.2fx -> %.2fx\n", before.space_amplification,
              after.space_amplification);
  if (std::fflush(stdout) != 0) return Fail("gc", kExitFailure, "stdout: write error");
  return kExitOk;
}

}  // namespace lode::tool
