// What every `lode` subcommand shares: exit codes, one-line error output,
// byte escaping for terminals, a clock. (Opening a DB: open_db.h.)
// Called from the tool's single thread.
#ifndef LODE_TOOLS_TOOL_COMMON_H_
#define LODE_TOOLS_TOOL_COMMON_H_

#include <string>
#include <vector>

#include "lode/slice.h"
#include "lode/status.h"
#include "tools/arg_parser.h"

namespace lode::tool {

// Exit status of the tool (doc/tool.md).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the command ran and failed (not found, I/O, corruption)
constexpr int kExitUsage = 2;    // bad command line; nothing was done

// Prints "lode: CMD: MESSAGE" as one line on stderr (newlines in message
// become spaces) and returns exit_code.
int Fail(const std::string& command, int exit_code, const std::string& message);

// Prints the parse error of parser as one line and returns kExitUsage.
int UsageError(const ArgParser& parser, const Status& s);

// "lode: CMD: WHAT: <status>". The code is spelled out ("IO error: ...")
// except for InvalidArgument and NotFound, whose messages read alone.
int FailStatus(const std::string& command, const std::string& what, const Status& s);

// Parses args into parser. Returns true if the command should go on;
// otherwise *exit_code is set: kExitOk after printing --help on stdout, or
// kExitUsage after printing the error.
bool ParseArgs(ArgParser* parser, const std::vector<std::string>& args, int* exit_code);

// Bytes made safe for a terminal line: printable ASCII as is, backslash as
// "\\", everything else as "\xNN". Reversible.
std::string EscapeBytes(const Slice& bytes);

// Seconds on a monotonic clock, for timing commands.
double NowSeconds();

}  // namespace lode::tool

#endif  // LODE_TOOLS_TOOL_COMMON_H_
