#include "bench/json_writer.h"

#include <cmath>
#include <cstdio>

namespace lode::bench {

std::string JsonWriter::Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

void JsonWriter::Key(const std::string& name) {
  if (!body_.empty()) body_ += ",";
  body_ += Quote(name) + ":";
}

JsonWriter& JsonWriter::Add(const std::string& name, const std::string& value) {
  Key(name);
  body_ += Quote(value);
  return *this;
}

JsonWriter& JsonWriter::Add(const std::string& name, const char* value) {
  return Add(name, std::string(value));
}

JsonWriter& JsonWriter::Add(const std::string& name, double value) {
  Key(name);
  if (!std::isfinite(value)) {
    body_ += "null";
  } else {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6g", value);
    body_ += buf;
  }
  return *this;
}

JsonWriter& JsonWriter::Add(const std::string& name, uint64_t value) {
  Key(name);
  body_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Add(const std::string& name, int64_t value) {
  Key(name);
  body_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Add(const std::string& name, bool value) {
  Key(name);
  body_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::AddNull(const std::string& name) {
  Key(name);
  body_ += "null";
  return *this;
}

JsonWriter& JsonWriter::AddRaw(const std::string& name, const std::string& json) {
  Key(name);
  body_ += json.empty() ? "null" : json;
  return *this;
}

}  // namespace lode::bench
