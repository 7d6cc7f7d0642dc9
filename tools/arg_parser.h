// ArgParser: the options and positional arguments of one `lode` subcommand,
// plus the number parsers every subcommand shares.
//
// A subcommand declares its options, calls Parse on the words after its name,
// then reads typed values; every error is an InvalidArgument whose message
// names the option at fault ("--count: 'abc' is not a number"), ready to be
// printed on one line. Not thread-safe; one parser per command invocation.
#ifndef LODE_TOOLS_ARG_PARSER_H_
#define LODE_TOOLS_ARG_PARSER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lode/status.h"

namespace lode::tool {

// Parses an unsigned integer with an optional binary suffix: "123", "64K",
// "4M", "1G", "2T" (also "64k", "64KB", "64KiB"). InvalidArgument
// "'abc' is not a number" / "'99999T' is too large" otherwise.
Status ParseSize(const std::string& text, uint64_t* value);

// Parses a finite decimal number ("0.25", "1e-3"); no suffixes.
Status ParseDouble(const std::string& text, double* value);

// Parses a comma-separated list of sizes ("12,15,20"); no empty items.
Status ParseSizeList(const std::string& text, std::vector<uint64_t>* values);

class ArgParser {
 public:
  // synopsis: the words after "lode CMD" in the usage line ("DB KEY").
  ArgParser(std::string command, std::string synopsis, std::string description);

  // --name VALUE (also --name=VALUE); the last occurrence wins.
  void AddOption(const std::string& name, const std::string& value_name, const std::string& help);
  // --name, without a value.
  void AddSwitch(const std::string& name, const std::string& help);
  // How many positional words the command takes.
  void SetPositionalCount(size_t min, size_t max);

  // Parses the words after the command name. "-h"/"--help" anywhere makes
  // help_requested() true and returns OK without checking the rest. "--"
  // ends options; a lone "-" is a positional (stdin).
  Status Parse(const std::vector<std::string>& args);

  bool help_requested() const { return help_requested_; }
  const std::vector<std::string>& positionals() const { return positionals_; }
  // True if the option or switch was given.
  bool Has(const std::string& name) const { return values_.count(name) != 0; }

  // The value of an option, or def when it was not given.
  std::string GetString(const std::string& name, const std::string& def = "") const;
  // Typed values; errors name the option. *value = def when not given.
  Status GetSize(const std::string& name, uint64_t def, uint64_t* value) const;
  Status GetDouble(const std::string& name, double def, double* value) const;
  // A double in [0, 1] when given (def is returned as is).
  Status GetFraction(const std::string& name, double def, double* value) const;

  const std::string& command() const { return command_; }
  // The text of `lode CMD --help`.
  std::string Help() const;

 private:
  struct Spec {
    std::string name;
    std::string value_name;  // empty for a switch
    std::string help;
  };
  const Spec* Find(const std::string& name) const;

  std::string command_;
  std::string synopsis_;
  std::string description_;
  std::vector<Spec> specs_;
  size_t min_positionals_ = 0;
  size_t max_positionals_ = 0;

  bool help_requested_ = false;
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> values_;
};

}  // namespace lode::tool

#endif  // LODE_TOOLS_ARG_PARSER_H_
