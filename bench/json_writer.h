// JsonWriter: builds one JSON object as text, fields in insertion order.
// Non-finite doubles become null. Single-threaded.
#ifndef LODE_BENCH_JSON_WRITER_H_
#define LODE_BENCH_JSON_WRITER_H_

#include <cstdint>
#include <string>

namespace lode::bench {

class JsonWriter {
 public:
  JsonWriter& Add(const std::string& name, const std::string& value);
  JsonWriter& Add(const std::string& name, const char* value);
  JsonWriter& Add(const std::string& name, double value);
  JsonWriter& Add(const std::string& name, uint64_t value);
  JsonWriter& Add(const std::string& name, int64_t value);
  JsonWriter& Add(const std::string& name, int value) { return Add(name, int64_t{value}); }
  JsonWriter& Add(const std::string& name, bool value);
  JsonWriter& AddNull(const std::string& name);
  // value must already be valid JSON (an object from another JsonWriter).
  JsonWriter& AddRaw(const std::string& name, const std::string& json);

  // The object, "{...}".
  std::string ToString() const { return "{" + body_ + "}"; }

  static std::string Quote(const std::string& s);

 private:
  void Key(const std::string& name);
  std::string body_;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_JSON_WRITER_H_
