#include "lib/util/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace lode {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if none does.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; k++) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

}  // namespace

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char buf[8];
    switch (c) {
      case '"':
        out += "\\\"";
        i++;
        continue;
      case '\\':
        out += "\\\\";
        i++;
        continue;
      case '\n':
        out += "\\n";
        i++;
        continue;
      case '\r':
        out += "\\r";
        i++;
        continue;
      case '\t':
        out += "\\t";
        i++;
        continue;
      case '\b':
        out += "\\b";
        i++;
        continue;
      case '\f':
        out += "\\f";
        i++;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      i++;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      i++;
    } else if (size_t n = Utf8SequenceLength(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      i++;
    }
  }
  out.push_back('"');
  return out;
}

void JsonWriter::NewLine(size_t depth) {
  if (indent_ <= 0) return;
  out_.push_back('\n');
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {  // the key already placed separator and indentation
    after_key_ = false;
    return;
  }
  if (stack_.empty()) {
    assert(out_.empty() && "one top-level value per document");
    return;
  }
  assert(!stack_.back().is_object && "a value inside an object needs a Key");
  Level& level = stack_.back();
  if (!level.empty) out_ += (level.compact && indent_ > 0) ? ", " : ",";
  level.empty = false;
  if (!level.compact) NewLine(stack_.size());
}

void JsonWriter::Key(std::string_view key) {
  assert(!stack_.empty() && stack_.back().is_object && !after_key_);
  if (!stack_.back().empty) out_.push_back(',');
  stack_.back().empty = false;
  NewLine(stack_.size());
  out_ += JsonQuote(key);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::Open(char c, bool is_object, bool compact) {
  BeforeValue();
  out_.push_back(c);
  stack_.push_back(Level{is_object, compact});
}

void JsonWriter::Close(char c) {
  assert(!stack_.empty() && !after_key_);
  const bool newline = !stack_.back().empty && !stack_.back().compact;
  stack_.pop_back();
  if (newline) NewLine(stack_.size());
  out_.push_back(c);
}

void JsonWriter::BeginObject() { Open('{', true, false); }
void JsonWriter::EndObject() {
  assert(!stack_.empty() && stack_.back().is_object);
  Close('}');
}
void JsonWriter::BeginArray(bool compact) { Open('[', false, compact); }
void JsonWriter::EndArray() {
  assert(!stack_.empty() && !stack_.back().is_object);
  Close(']');
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  out_ += JsonQuote(value);
}

void JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  assert(ec == std::errc());
  (void)ec;
  out_.append(buf, end);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

}  // namespace lode
