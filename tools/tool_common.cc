#include "tools/tool_common.h"

#include <chrono>
#include <cstdio>

namespace lode::tool {

int Fail(const std::string& command, int exit_code, const std::string& message) {
  std::string line = std::string("lode: ") + command + ": " + message;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  line.push_back('\n');
  std::fputs(line.c_str(), stderr);
  return exit_code;
}

int UsageError(const ArgParser& parser, const Status& s) {
  return Fail(parser.command(), kExitUsage, s.message());
}

int FailStatus(const std::string& command, const std::string& what, const Status& s) {
  const bool plain = s.IsInvalidArgument() || s.IsNotFound();
  return Fail(command, kExitFailure, what + ": " + (plain ? s.message() : s.ToString()));
}

bool ParseArgs(ArgParser* parser, const std::vector<std::string>& args, int* exit_code) {
  Status s = parser->Parse(args);
  if (!s.ok()) {
    *exit_code = UsageError(*parser, s);
    return false;
  }
  if (parser->help_requested()) {
    std::fputs(parser->Help().c_str(), stdout);
    *exit_code = kExitOk;
    return false;
  }
  return true;
}

std::string EscapeBytes(const Slice& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); i++) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

double NowSeconds() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

}  // namespace lode::tool
