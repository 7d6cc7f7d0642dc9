// lode verify: every checksum of every live file, and the garbage invariant.
#include <cinttypes>
#include <cstdio>

#include "lib/util/human_format.h"
#include "lode/db.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

int RunVerify(const Args& args) {
  ArgParser p("verify", "DB",
              "Reads every live table and blob file, checks every checksum, resolves\n"
              "every blob index against its blob file, and recomputes each blob file's\n"
              "garbage from the tables (it must match the manifest exactly). Prints\n"
              "what it checked and each problem found; exits with status 1 on any.");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  const std::string& path = p.positionals()[0];
  if (!DbExists(path)) {
    return Fail("verify", kExitFailure, path + ": no lode database here (no CURRENT file)");
  }
  VerifyReport report;
  Options options;
  options.create_if_missing = false;
  Status s = ApplyKeyFileOption(p, &options);
  if (!s.ok()) return FailStatus("verify", path, s);
  s = VerifyDB(path, options, &report);
  std::printf("verify: %s\n", path.c_str());
  std::printf("  tables       %" PRIu64 " (%" PRIu64 " entries)\n", report.tables_checked,
              report.table_entries);
  std::printf("  blob files   %" PRIu64 " (%" PRIu64 " blobs)\n", report.blob_files_checked,
              report.blobs_checked);
  std::printf("  blob refs    %" PRIu64 " resolved\n", report.blob_refs_checked);
  std::printf("  bytes read   %s\n", HumanBytes(report.bytes_checked).c_str());
  for (const std::string& problem : report.problems) {
    std::printf("  PROBLEM: %s\n", problem.c_str());
  }
  std::fflush(stdout);
  if (!s.ok() || !report.problems.empty()) {
    const std::string what = report.problems.empty()
                                 ? s.ToString()
                                 : std::to_string(report.problems.size()) + " problem" +
                                       (report.problems.size() == 1 ? "" : "s") +
                                       ", first: " + report.problems[0];
    return Fail("verify", kExitFailure, path + ": " + what);
  }
  std::printf("  OK\n");
  return kExitOk;
}

}  // namespace lode::tool
