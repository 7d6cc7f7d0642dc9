// JsonWriter: builds one JSON document into a string, with correct escaping.
//
// Just enough JSON for reports (GcReport::ToJson, the lode tool): objects,
// arrays, strings, integers, doubles, booleans. Keys are written in the order
// the caller gives them, so output is stable. Not thread-safe; one writer per
// document. The caller owes balanced Begin/End calls and a Key before every
// value inside an object (asserted in debug builds).
#ifndef LODE_LIB_UTIL_JSON_WRITER_H_
#define LODE_LIB_UTIL_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lode {

class JsonWriter {
 public:
  // indent > 0: pretty-printed with that many spaces per level; 0: compact.
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  void BeginObject();
  void EndObject();
  // compact: elements on one line even when pretty-printing ("[1, 0, 2]"),
  // for short arrays of numbers.
  void BeginArray(bool compact = false);
  void EndArray();

  // The key of the next value. REQUIRES: inside an object.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Uint(uint64_t value);
  void Int(int64_t value);
  // Shortest text that reads back as the same double; NaN and infinities,
  // which JSON cannot carry, are written as null.
  void Double(double value);
  void Bool(bool value);
  void Null();

  // The document so far; complete once every Begin has its End.
  const std::string& str() const { return out_; }

 private:
  struct Level {
    bool is_object;
    bool compact = false;
    bool empty = true;
  };
  // Writes the separator and indentation that precede a value or key.
  void BeforeValue();
  void Open(char c, bool is_object, bool compact);
  void Close(char c);
  void NewLine(size_t depth);

  int indent_;
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

// s as a JSON string literal, quotes included. Bytes that are not valid
// UTF-8 are written as \u00XX escapes of their Latin-1 reading, so the output
// is always valid JSON (binary keys stay distinguishable).
std::string JsonQuote(std::string_view s);

}  // namespace lode

#endif  // LODE_LIB_UTIL_JSON_WRITER_H_
