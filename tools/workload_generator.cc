#include "tools/workload_generator.h"

#include <cstdio>
#include <cstring>

namespace lode::tool {

WorkloadGenerator::WorkloadGenerator(const WorkloadOptions& options)
    : options_(options), rnd_(options.seed) {}

std::string WorkloadGenerator::KeyFor(uint64_t i) const {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llu", static_cast<unsigned long long>(i));
  return options_.key_prefix + buf;
}

void WorkloadGenerator::FillValue(std::string* value) {
  uint64_t n = options_.value_size;
  if (options_.value_size_max > options_.value_size) {
    n += rnd_.Uniform(options_.value_size_max - options_.value_size + 1);
  }
  // Random bytes, eight at a time: incompressible, like most large objects.
  value->resize(n);
  char* p = value->data();
  size_t left = n;
  while (left > 0) {
    const uint64_t r = rnd_.Next64();
    const size_t k = left < 8 ? left : 8;
    std::memcpy(p, &r, k);
    p += k;
    left -= k;
  }
}

bool WorkloadGenerator::Next(WorkloadOp* op) {
  if (generated_ >= options_.count) return false;
  generated_++;
  // One draw picks the kind, in millionths, so fractions stay exact enough.
  const double u = static_cast<double>(rnd_.Uniform(1000000)) / 1e6;
  WorkloadOp::Type type = WorkloadOp::Type::kInsert;
  if (!live_.empty()) {
    if (u < options_.delete_fraction) {
      type = WorkloadOp::Type::kDelete;
    } else if (u < options_.delete_fraction + options_.overwrite_fraction) {
      type = WorkloadOp::Type::kOverwrite;
    }
  }
  op->type = type;
  op->value.clear();
  switch (type) {
    case WorkloadOp::Type::kInsert:
      live_.push_back(next_insert_);
      op->key = KeyFor(next_insert_++);
      FillValue(&op->value);
      break;
    case WorkloadOp::Type::kOverwrite:
      op->key = KeyFor(live_[rnd_.Uniform(live_.size())]);
      FillValue(&op->value);
      break;
    case WorkloadOp::Type::kDelete: {
      const size_t i = rnd_.Uniform(live_.size());
      op->key = KeyFor(live_[i]);
      live_[i] = live_.back();
      live_.pop_back();
      break;
    }
  }
  return true;
}

}  // namespace lode::tool
