// lode: the command-line tool. Dispatches to one subcommand per first word.
#include <cstdio>
#include <string>
#include <vector>

#include "tools/commands.h"
#include "tools/tool_common.h"

namespace lode::tool {
namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args&);
};

const Command kCommands[] = {
    {"put", "store one value (argument, --file, or stdin)", RunPut},
    {"get", "print one value, byte-exact", RunGet},
    {"del", "delete one key", RunDel},
    {"scan", "list keys and values in order", RunScan},
    {"load", "generate a write workload", RunLoad},
    {"stats", "levels, files, sizes, amplification", RunStats},
    {"gc-report", "the blob GC report (text, --json, --html)", RunGcReport},
    {"gc", "run blob GC now and print what it reclaimed", RunGc},
    {"verify", "check every checksum and the garbage invariant", RunVerify},
    {"dump-sst", "print one table file", RunDumpSst},
    {"dump-blob", "print one blob file", RunDumpBlob},
    {"demo", "store, overwrite, delete, collect garbage, verify", RunDemoCommand},
};

std::string Usage() {
  std::string s =
      "usage: lode COMMAND [options] ARGS...\n\n"
      "lode is the command-line tool of the lode key-value store.\n\ncommands:\n";
  for (const Command& c : kCommands) {
    char line[160];
    std::snprintf(line, sizeof(line), "  %-11s %s\n", c.name, c.summary);
    s += line;
  }
  s += "\n'lode COMMAND --help' describes one command. Sizes accept K, M, G, T\n"
       "suffixes (binary). Exit status: 0 success, 1 failure, 2 bad usage.\n";
  return s;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(Usage().c_str(), stderr);
    return kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    if (name == "help" && argc > 2) {
      // "lode help CMD" is "lode CMD --help".
      for (const Command& c : kCommands) {
        if (argv[2] == std::string(c.name)) return c.run({"--help"});
      }
      return Fail("help", kExitUsage, std::string(argv[2]) + ": unknown command");
    }
    std::fputs(Usage().c_str(), stdout);
    return kExitOk;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(Args(argv + 2, argv + argc));
  }
  return Fail(name, kExitUsage, "unknown command (see 'lode --help')");
}

}  // namespace
}  // namespace lode::tool

int main(int argc, char** argv) { return lode::tool::Main(argc, argv); }
