// A tiny strict JSON parser for tests: enough to check that the tool's and
// GcReport's JSON parses back and holds the expected keys and values.
// Rejects trailing commas, bare words, control characters in strings and
// trailing garbage, so a test that parses has proven well-formed output.
#ifndef LODE_TESTS_TOOLS_MINI_JSON_H_
#define LODE_TESTS_TOOLS_MINI_JSON_H_

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lode::test {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // number as written, or the decoded string
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;  // in document order

  double number() const { return std::strtod(text.c_str(), nullptr); }
  uint64_t uint() const { return std::strtoull(text.c_str(), nullptr, 10); }
  bool Has(const std::string& key) const { return Find(key) != nullptr; }
  const JsonValue* Find(const std::string& key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  // REQUIRES: Has(key)
  const JsonValue& operator[](const std::string& key) const { return *Find(key); }
};

class JsonParser {
 public:
  // True and *out filled if text is exactly one JSON value (whitespace around).
  static bool Parse(const std::string& text, JsonValue* out, std::string* error) {
    JsonParser p(text);
    if (!p.Value(out, 0)) {
      *error = p.error_ + " at offset " + std::to_string(p.pos_);
      return false;
    }
    p.Space();
    if (p.pos_ != text.size()) {
      *error = "trailing bytes at offset " + std::to_string(p.pos_);
      return false;
    }
    return true;
  }

 private:
  explicit JsonParser(const std::string& s) : s_(s) {}

  void Space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) {
      pos_++;
    }
  }
  bool Fail(const char* why) {
    error_ = why;
    return false;
  }
  bool Literal(const char* word) {
    const std::string w(word);
    if (s_.compare(pos_, w.size(), w) != 0) return Fail("bad literal");
    pos_ += w.size();
    return true;
  }

  bool Value(JsonValue* v, int depth) {
    if (depth > 64) return Fail("too deep");
    Space();
    if (pos_ >= s_.size()) return Fail("unexpected end");
    const char c = s_[pos_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') {
      v->type = JsonValue::Type::kString;
      return String(&v->text);
    }
    if (c == 't') {
      v->type = JsonValue::Type::kBool;
      v->boolean = true;
      return Literal("true");
    }
    if (c == 'f') {
      v->type = JsonValue::Type::kBool;
      return Literal("false");
    }
    if (c == 'n') return Literal("null");
    return Number(v);
  }

  bool Number(JsonValue* v) {
    const size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') pos_++;
    if (pos_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[pos_]))) {
      return Fail("bad number");
    }
    if (s_[pos_] == '0' && pos_ + 1 < s_.size() &&
        isdigit(static_cast<unsigned char>(s_[pos_ + 1]))) {
      return Fail("leading zero");
    }
    while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) pos_++;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      pos_++;
      if (pos_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[pos_])))
        return Fail("bad fraction");
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) pos_++;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      pos_++;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) pos_++;
      if (pos_ >= s_.size() || !isdigit(static_cast<unsigned char>(s_[pos_])))
        return Fail("bad exponent");
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_]))) pos_++;
    }
    v->type = JsonValue::Type::kNumber;
    v->text = s_.substr(start, pos_ - start);
    return true;
  }

  bool String(std::string* out) {
    pos_++;  // opening quote
    while (pos_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return Fail("control character in string");
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        continue;
      }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return Fail("short \\u escape");
          const unsigned long cp = std::strtoul(s_.substr(pos_, 4).c_str(), nullptr, 16);
          pos_ += 4;
          // Tests only need U+0000..U+00FF back as single bytes.
          if (cp > 0xFF) return Fail("\\u escape above U+00FF");
          out->push_back(static_cast<char>(cp));
          break;
        }
        default:
          return Fail("bad escape");
      }
    }
    return Fail("unterminated string");
  }

  bool Array(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kArray;
    pos_++;
    Space();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      pos_++;
      return true;
    }
    while (true) {
      v->array.emplace_back();
      if (!Value(&v->array.back(), depth + 1)) return false;
      Space();
      if (pos_ >= s_.size()) return Fail("unterminated array");
      if (s_[pos_] == ']') {
        pos_++;
        return true;
      }
      if (s_[pos_++] != ',') return Fail("expected , or ]");
    }
  }

  bool Object(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kObject;
    pos_++;
    Space();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      pos_++;
      return true;
    }
    while (true) {
      Space();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected key");
      std::string key;
      if (!String(&key)) return false;
      Space();
      if (pos_ >= s_.size() || s_[pos_++] != ':') return Fail("expected :");
      JsonValue child;
      if (!Value(&child, depth + 1)) return false;
      v->object.emplace_back(std::move(key), std::move(child));
      Space();
      if (pos_ >= s_.size()) return Fail("unterminated object");
      if (s_[pos_] == '}') {
        pos_++;
        return true;
      }
      if (s_[pos_++] != ',') return Fail("expected , or }");
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace lode::test

#endif  // LODE_TESTS_TOOLS_MINI_JSON_H_
