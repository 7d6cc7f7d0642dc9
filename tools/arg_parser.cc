#include "tools/arg_parser.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace lode::tool {

namespace {

Status NotANumber(const std::string& text) {
  return Status::InvalidArgument(std::string("'") + text + "' is not a number");
}

// Binary multiplier of a size suffix ("", "K", "KB", "KiB", ...); 0 if unknown.
uint64_t SuffixMultiplier(std::string suffix) {
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.empty()) return 1;
  if (suffix.size() == 3 && suffix.substr(1) == "IB") suffix.resize(1);
  if (suffix.size() == 2 && suffix[1] == 'B') suffix.resize(1);
  if (suffix.size() != 1) return 0;
  switch (suffix[0]) {
    case 'K':
      return uint64_t{1} << 10;
    case 'M':
      return uint64_t{1} << 20;
    case 'G':
      return uint64_t{1} << 30;
    case 'T':
      return uint64_t{1} << 40;
    default:
      return 0;
  }
}

}  // namespace

Status ParseSize(const std::string& text, uint64_t* value) {
  size_t i = 0;
  unsigned __int128 whole = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
    if (whole > std::numeric_limits<uint64_t>::max()) {
      return Status::InvalidArgument(std::string("'") + text + "' is too large");
    }
    i++;
  }
  if (i == 0) return NotANumber(text);
  // An optional fraction, meaningful only with a suffix ("1.5M").
  unsigned __int128 frac_num = 0, frac_den = 1;
  if (i < text.size() && text[i] == '.') {
    i++;
    const size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (frac_den < 1000000000000000000ull) {
        frac_num = frac_num * 10 + static_cast<unsigned>(text[i] - '0');
        frac_den *= 10;
      }
      i++;
    }
    if (i == start) return NotANumber(text);
  }
  const uint64_t mult = SuffixMultiplier(text.substr(i));
  if (mult == 0) return NotANumber(text);
  if (frac_num != 0 && mult == 1) {
    return Status::InvalidArgument(std::string("'") + text + "' is not a whole number");
  }
  const unsigned __int128 result = whole * mult + frac_num * mult / frac_den;
  if (result > std::numeric_limits<uint64_t>::max()) {
    return Status::InvalidArgument(std::string("'") + text + "' is too large");
  }
  *value = static_cast<uint64_t>(result);
  return Status::OK();
}

Status ParseDouble(const std::string& text, double* value) {
  // strtod alone would accept leading spaces, "inf", "nan" and hex floats.
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.' ||
                        text[0] == '-' || text[0] == '+')) {
    return NotANumber(text);
  }
  for (char c : text) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
          c == 'e' || c == 'E')) {
      return NotANumber(text);
    }
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
    return NotANumber(text);
  }
  *value = v;
  return Status::OK();
}

Status ParseSizeList(const std::string& text, std::vector<uint64_t>* values) {
  values->clear();
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    uint64_t v;
    Status s = ParseSize(item, &v);
    if (!s.ok()) return s;
    values->push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::OK();
}

ArgParser::ArgParser(std::string command, std::string synopsis, std::string description)
    : command_(std::move(command)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)) {}

void ArgParser::AddOption(const std::string& name, const std::string& value_name,
                          const std::string& help) {
  specs_.push_back(Spec{name, value_name.empty() ? "VALUE" : value_name, help});
}

void ArgParser::AddSwitch(const std::string& name, const std::string& help) {
  specs_.push_back(Spec{name, "", help});
}

void ArgParser::SetPositionalCount(size_t min, size_t max) {
  min_positionals_ = min;
  max_positionals_ = max;
}

const ArgParser::Spec* ArgParser::Find(const std::string& name) const {
  for (const Spec& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Status ArgParser::Parse(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      help_requested_ = true;
      return Status::OK();
    }
  }
  bool options_done = false;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (options_done || a == "-" || a.size() < 2 || a[0] != '-') {
      positionals_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a[1] != '-') return Status::InvalidArgument(a + ": unknown option");
    const size_t eq = a.find('=');
    const std::string name = a.substr(0, eq);
    const Spec* spec = Find(name);
    if (spec == nullptr) return Status::InvalidArgument(name + ": unknown option");
    if (spec->value_name.empty()) {
      if (eq != std::string::npos) {
        return Status::InvalidArgument(name + ": takes no value");
      }
      values_[name] = "";
    } else if (eq != std::string::npos) {
      values_[name] = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      values_[name] = args[++i];
    } else {
      return Status::InvalidArgument(name + ": needs a value (" + spec->value_name + ")");
    }
  }
  if (positionals_.size() < min_positionals_ || positionals_.size() > max_positionals_) {
    const std::string got =
        positionals_.empty()
            ? "no arguments"
            : (positionals_.size() == 1 ? "1 argument"
                                        : std::to_string(positionals_.size()) + " arguments");
    return Status::InvalidArgument(std::string("expected ") + synopsis_ + ", got " + got);
  }
  return Status::OK();
}

std::string ArgParser::GetString(const std::string& name, const std::string& def) const {
  auto it = values_.find(name);
  return it == values_.end() ? def : it->second;
}

Status ArgParser::GetSize(const std::string& name, uint64_t def, uint64_t* value) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    *value = def;
    return Status::OK();
  }
  Status s = ParseSize(it->second, value);
  return s.ok() ? s : Status::InvalidArgument(name + ": " + s.message());
}

Status ArgParser::GetDouble(const std::string& name, double def, double* value) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    *value = def;
    return Status::OK();
  }
  Status s = ParseDouble(it->second, value);
  return s.ok() ? s : Status::InvalidArgument(name + ": " + s.message());
}

Status ArgParser::GetFraction(const std::string& name, double def, double* value) const {
  Status s = GetDouble(name, def, value);
  if (s.ok() && Has(name) && !(*value >= 0 && *value <= 1)) {
    return Status::InvalidArgument(name + ": '" + GetString(name) + "' is not between 0 and 1");
  }
  return s;
}

std::string ArgParser::Help() const {
  std::string out = std::string("usage: lode ") + command_;
  if (!specs_.empty()) out += " [options]";
  if (!synopsis_.empty()) out += std::string(" ") + synopsis_;
  out += std::string("\n\n") + description_ + "\n";
  if (!specs_.empty()) {
    out += "\noptions:\n";
    for (const Spec& s : specs_) {
      std::string left = std::string("  ") + s.name;
      if (!s.value_name.empty()) left += std::string(" ") + s.value_name;
      if (left.size() < 28) {
        left.resize(28, ' ');
      } else {
        left += std::string("\n") + std::string(28, ' ');
      }
      out += left + s.help + "\n";
    }
  }
  out += "  -h, --help                show this help\n";
  return out;
}

}  // namespace lode::tool
