// lode stats: what the engine says about its levels, files and blob files.
#include <cstdio>
#include <memory>

#include "lode/db.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

int RunStats(const Args& args) {
  ArgParser p("stats", "DB",
              "Prints the DB's properties lode.levels (files and bytes per level),\n"
              "lode.stats (compaction, write and space amplification) and\n"
              "lode.blob-stats (blob files, live and garbage bytes).");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  const std::string& path = p.positionals()[0];
  Options options;
  options.create_if_missing = false;
  options.enable_blob_gc = false;  // inspecting must not change what it shows
  std::unique_ptr<DB> db;
  Status s = ApplyKeyFileOption(p, &options);
  if (s.ok()) s = OpenDb(path, options, false, &db);
  if (!s.ok()) return FailStatus("stats", path, s);
  static const char* const kProperties[] = {"lode.levels", "lode.stats", "lode.blob-stats"};
  bool first = true;
  for (const char* name : kProperties) {
    std::string value;
    if (!db->GetProperty(name, &value)) value = "(not available)\n";
    if (!value.empty() && value.back() != '\n') value.push_back('\n');
    std::printf("%s== %s ==\n%s", first ? "" : "\n", name, value.c_str());
    first = false;
  }
  if (std::fflush(stdout) != 0) return Fail("stats", kExitFailure, "stdout: write error");
  return kExitOk;
}

}  // namespace lode::tool
