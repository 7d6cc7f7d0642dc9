// lode load: generate a write workload (inserts, overwrites, deletes).
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "lib/util/human_format.h"
#include "lode/db.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/progress_bar.h"
#include "tools/tool_common.h"
#include "tools/workload_generator.h"

namespace lode::tool {

int RunLoad(const Args& args) {
  ArgParser p("load", "DB",
              "Writes --count operations: new keys, overwrites of live keys and deletes\n"
              "of live keys, with values of random bytes. The same options and --seed\n"
              "give the same data. Flushes at the end so the data is in tables and\n"
              "blob files. Shows a progress bar when stderr is a terminal, then one\n"
              "summary line.");
  p.AddOption("--count", "N", "number of operations (required)");
  p.AddOption("--value-size", "BYTES", "size of each value (required)");
  p.AddOption("--value-size-max", "BYTES", "if given, sizes are uniform in [--value-size, BYTES]");
  p.AddOption("--overwrite-fraction", "F", "fraction of operations that overwrite (0)");
  p.AddOption("--delete-fraction", "F", "fraction of operations that delete (0)");
  p.AddOption("--seed", "N", "seed of the generator (1)");
  p.AddOption("--key-prefix", "P", "keys are P followed by 16 digits (\"key\")");
  p.AddSwitch("--no-flush", "leave the last writes in the memtable");
  AddOpenOptions(&p, true);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;

  WorkloadOptions w;
  Status s;
  if (!p.Has("--count")) return Fail("load", kExitUsage, "--count: required");
  if (!p.Has("--value-size")) return Fail("load", kExitUsage, "--value-size: required");
  s = p.GetSize("--count", 0, &w.count);
  if (s.ok()) s = p.GetSize("--value-size", 0, &w.value_size);
  if (s.ok()) s = p.GetSize("--value-size-max", w.value_size, &w.value_size_max);
  if (s.ok()) s = p.GetFraction("--overwrite-fraction", 0, &w.overwrite_fraction);
  if (s.ok()) s = p.GetFraction("--delete-fraction", 0, &w.delete_fraction);
  if (s.ok()) s = p.GetSize("--seed", 1, &w.seed);
  if (!s.ok()) return UsageError(p, s);
  if (w.value_size_max < w.value_size) {
    return Fail("load", kExitUsage, "--value-size-max: smaller than --value-size");
  }
  if (w.value_size_max > (uint64_t{1} << 30)) {
    return Fail("load", kExitUsage, "--value-size-max: larger than 1G");
  }
  if (w.overwrite_fraction + w.delete_fraction > 1) {
    return Fail("load", kExitUsage,
                "--delete-fraction: with --overwrite-fraction adds up to more than 1");
  }
  w.key_prefix = p.GetString("--key-prefix", "key");
  Options options;
  s = ApplyOpenOptions(p, &options);
  if (!s.ok()) return UsageError(p, s);

  const std::string& path = p.positionals()[0];
  std::unique_ptr<DB> db;
  s = OpenDb(path, options, true, &db);
  if (!s.ok()) return FailStatus("load", path, s);

  WorkloadGenerator gen(w);
  ProgressBar bar(stderr, w.count, ProgressBar::IsTerminal(stderr));
  const double start = NowSeconds();
  uint64_t bytes = 0, inserts = 0, overwrites = 0, deletes = 0;
  WorkloadOp op;
  const WriteOptions wo;
  while (gen.Next(&op)) {
    if (op.type == WorkloadOp::Type::kDelete) {
      s = db->Delete(wo, op.key);
      deletes++;
    } else {
      s = db->Put(wo, op.key, op.value);
      (op.type == WorkloadOp::Type::kInsert ? inserts : overwrites)++;
    }
    if (!s.ok()) {
      bar.Finish();
      return FailStatus("load", path, s);
    }
    bytes += op.key.size() + op.value.size();
    bar.Update(gen.generated(), bytes);
  }
  if (!p.Has("--no-flush")) {
    s = db->Flush();
    if (s.ok()) s = db->WaitForBackgroundWork();
  }
  bar.Finish();
  if (!s.ok()) return FailStatus("load", path, s);
  const double seconds = NowSeconds() - start;
  std::printf("load: %" PRIu64 " ops (%" PRIu64 " inserts, %" PRIu64 " overwrites, %" PRIu64
              " deletes), %s in %.2f s, %.1f MB/s\n",
              w.count, inserts, overwrites, deletes, HumanBytes(bytes).c_str(), seconds,
              seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0);
  return kExitOk;
}

}  // namespace lode::tool
