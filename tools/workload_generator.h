// WorkloadGenerator: the deterministic stream of writes `lode load` issues.
//
// Each operation inserts a new key, overwrites a live key, or deletes a live
// key, with the configured fractions (an overwrite or delete falls back to an
// insert while no key is live). The same options and seed give the same
// stream, byte for byte. One thread.
#ifndef LODE_TOOLS_WORKLOAD_GENERATOR_H_
#define LODE_TOOLS_WORKLOAD_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lib/util/random.h"

namespace lode::tool {

struct WorkloadOptions {
  uint64_t count = 0;           // operations to generate
  uint64_t value_size = 100;    // smallest value
  uint64_t value_size_max = 0;  // largest value; <= value_size means fixed size
  double overwrite_fraction = 0;
  double delete_fraction = 0;  // REQUIRES: overwrite + delete <= 1
  uint64_t seed = 1;
  std::string key_prefix = "key";
};

struct WorkloadOp {
  enum class Type { kInsert, kOverwrite, kDelete };
  Type type = Type::kInsert;
  std::string key;
  std::string value;  // empty for kDelete
};

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(const WorkloadOptions& options);

  // The next operation into *op; false once count operations were generated.
  bool Next(WorkloadOp* op);

  uint64_t generated() const { return generated_; }
  uint64_t live_keys() const { return live_.size(); }

  // The key of insert number i: prefix + 16 zero-padded digits.
  std::string KeyFor(uint64_t i) const;

 private:
  void FillValue(std::string* value);

  WorkloadOptions options_;
  Random rnd_;
  uint64_t generated_ = 0;
  uint64_t next_insert_ = 0;
  std::vector<uint64_t> live_;  // insert numbers of live keys, unordered
};

}  // namespace lode::tool

#endif  // LODE_TOOLS_WORKLOAD_GENERATOR_H_
