// The `lode` subcommands. Each takes the words after its name, prints its
// result on stdout and any error as one line on stderr, and returns the exit
// status (tool_common.h). main.cc maps names to these.
#ifndef LODE_TOOLS_COMMANDS_H_
#define LODE_TOOLS_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace lode::tool {

using Args = std::vector<std::string>;

// cmd_basic.cc
int RunPut(const Args& args);
int RunGet(const Args& args);
int RunDel(const Args& args);
int RunScan(const Args& args);
// cmd_load.cc
int RunLoad(const Args& args);
// cmd_stats.cc
int RunStats(const Args& args);
// cmd_gc.cc
int RunGcReport(const Args& args);
int RunGc(const Args& args);
// cmd_verify.cc
int RunVerify(const Args& args);
// cmd_dump.cc
int RunDumpSst(const Args& args);
int RunDumpBlob(const Args& args);
// cmd_demo.cc
int RunDemoCommand(const Args& args);
// The demo itself (see the marked block in cmd_demo.cc): a fresh DB in dir,
// num_objects objects, GC, verification.
int RunDemo(const std::string& dir, uint64_t num_objects, uint64_t seed);

}  // namespace lode::tool

#endif  // LODE_TOOLS_COMMANDS_H_
