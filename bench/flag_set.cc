#include "bench/flag_set.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace lode::bench {

namespace {

// Multiplier for a trailing K/M/G; strips it from *digits.
bool SplitSuffix(std::string* digits, uint64_t* multiplier) {
  *multiplier = 1;
  if (digits->empty()) return false;
  switch (digits->back()) {
    case 'K':
    case 'k':
      *multiplier = uint64_t{1} << 10;
      break;
    case 'M':
    case 'm':
      *multiplier = uint64_t{1} << 20;
      break;
    case 'G':
    case 'g':
      *multiplier = uint64_t{1} << 30;
      break;
    default:
      return true;
  }
  digits->pop_back();
  return !digits->empty();
}

std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

}  // namespace

bool FlagSet::ParseUint(const std::string& text, uint64_t* value) {
  std::string digits = text;
  uint64_t mult;
  if (!SplitSuffix(&digits, &mult) || digits[0] == '-' || digits[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(digits.c_str(), &end, 10);
  if (errno != 0 || end != digits.c_str() + digits.size()) return false;
  if (v > std::numeric_limits<uint64_t>::max() / mult) return false;
  *value = static_cast<uint64_t>(v) * mult;
  return true;
}

bool FlagSet::ParseInt(const std::string& text, int64_t* value) {
  std::string digits = text;
  uint64_t mult;
  if (!SplitSuffix(&digits, &mult)) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(digits.c_str(), &end, 10);
  if (errno != 0 || end != digits.c_str() + digits.size()) return false;
  const auto limit = static_cast<long long>(std::numeric_limits<int64_t>::max() / mult);
  if (v > limit || v < -limit) return false;
  *value = static_cast<int64_t>(v) * static_cast<int64_t>(mult);
  return true;
}

void FlagSet::AddFlag(Flag flag) {
  flag.default_value = flag.current();
  flags_.push_back(std::move(flag));
}

void FlagSet::Add(const std::string& name, bool* var, const std::string& help) {
  Flag f;
  f.name = name;
  f.is_bool = true;
  f.parse = [var](const std::string& text) {
    if (text == "1" || text == "true" || text == "yes" || text == "on") {
      *var = true;
    } else if (text == "0" || text == "false" || text == "no" || text == "off") {
      *var = false;
    } else {
      return false;
    }
    return true;
  };
  f.current = [var] { return std::string(*var ? "true" : "false"); };
  f.help = help;
  AddFlag(std::move(f));
}

void FlagSet::Add(const std::string& name, double* var, const std::string& help) {
  AddCustom(
      name,
      [var](const std::string& text) {
        errno = 0;
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (text.empty() || errno != 0 || end != text.c_str() + text.size()) return false;
        *var = v;
        return true;
      },
      [var] { return FormatDouble(*var); }, help);
}

void FlagSet::Add(const std::string& name, std::string* var, const std::string& help) {
  AddCustom(
      name,
      [var](const std::string& text) {
        *var = text;
        return true;
      },
      [var] { return *var; }, help);
}

void FlagSet::AddCustom(const std::string& name, std::function<bool(const std::string&)> parse,
                        std::function<std::string()> current, const std::string& help) {
  Flag f;
  f.name = name;
  f.parse = std::move(parse);
  f.current = std::move(current);
  f.help = help;
  AddFlag(std::move(f));
}

const FlagSet::Flag* FlagSet::Find(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status FlagSet::Parse(int argc, char** argv, bool* help) {
  *help = false;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      *help = true;
      continue;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      return Status::InvalidArgument("unexpected argument (flags are --name=value)", arg);
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const Flag* flag = Find(name);
    if (flag == nullptr && !has_value && name.compare(0, 2, "no") == 0) {
      // --nosync style negation of a boolean.
      const Flag* negated = Find(name.substr(2));
      if (negated != nullptr && negated->is_bool) {
        negated->parse("false");
        continue;
      }
    }
    if (flag == nullptr) return Status::InvalidArgument("unknown flag", "--" + name);
    if (!has_value) {
      if (!flag->is_bool) return Status::InvalidArgument("flag needs a value", "--" + name);
      value = "true";
    }
    if (!flag->parse(value)) {
      return Status::InvalidArgument("bad value for --" + name, value);
    }
  }
  return Status::OK();
}

std::string FlagSet::Usage() const {
  std::string out;
  for (const Flag& f : flags_) {
    out += "  --" + f.name + " (default: " + f.default_value + ")\n      " + f.help + "\n";
  }
  return out;
}

}  // namespace lode::bench
