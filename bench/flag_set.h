// FlagSet: gflags-style command-line flags (--name=value) bound to variables.
//
// Register each flag once with Add, then Parse argv. Booleans also accept a
// bare --name (true) and --noname (false). The FlagSet does not own the
// variables it writes. Single-threaded use only.
#ifndef LODE_BENCH_FLAG_SET_H_
#define LODE_BENCH_FLAG_SET_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "lode/status.h"

namespace lode::bench {

class FlagSet {
 public:
  void Add(const std::string& name, bool* var, const std::string& help);
  // Any integer type; values out of the type's range are rejected. Accepts
  // K/M/G suffixes (powers of 1024), e.g. --write_buffer_size=64M.
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void Add(const std::string& name,
                                                                       T* var,
                                                                       const std::string& help) {
    AddCustom(
        name,
        [var](const std::string& text) {
          if constexpr (std::is_signed_v<T>) {
            int64_t v;
            if (!ParseInt(text, &v) || v < std::numeric_limits<T>::min() ||
                v > std::numeric_limits<T>::max()) {
              return false;
            }
            *var = static_cast<T>(v);
          } else {
            uint64_t v;
            if (!ParseUint(text, &v) || v > std::numeric_limits<T>::max()) return false;
            *var = static_cast<T>(v);
          }
          return true;
        },
        [var] { return std::to_string(*var); }, help);
  }
  void Add(const std::string& name, double* var, const std::string& help);
  void Add(const std::string& name, std::string* var, const std::string& help);
  // A flag with its own parser; parse returns false on a bad value.
  // current() gives the value shown as default in Usage().
  void AddCustom(const std::string& name, std::function<bool(const std::string&)> parse,
                 std::function<std::string()> current, const std::string& help);

  // Parses argv[1..argc). Unknown flags, positional arguments and bad values
  // are InvalidArgument naming the flag. *help is set when --help was given.
  Status Parse(int argc, char** argv, bool* help);

  // One line per flag: name, default (the value before Parse), help.
  std::string Usage() const;

  // Integer parsing shared with the integer flags: decimal with an optional
  // K, M or G suffix; the whole text must be used.
  static bool ParseInt(const std::string& text, int64_t* value);
  static bool ParseUint(const std::string& text, uint64_t* value);

 private:
  struct Flag {
    std::string name;
    bool is_bool = false;
    std::function<bool(const std::string&)> parse;
    std::function<std::string()> current;
    std::string default_value;
    std::string help;
  };
  void AddFlag(Flag flag);
  const Flag* Find(const std::string& name) const;

  std::vector<Flag> flags_;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_FLAG_SET_H_
