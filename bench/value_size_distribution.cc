#include "bench/value_size_distribution.h"

#include <algorithm>

#include "bench/flag_set.h"

namespace lode::bench {

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool ParseSize(const std::string& text, size_t* out) {
  uint64_t v;
  if (!FlagSet::ParseUint(text, &v) || v > (uint64_t{1} << 32)) return false;
  *out = static_cast<size_t>(v);
  return true;
}

}  // namespace

Status ValueSizeDistribution::Parse(const std::string& spec, size_t fixed_size,
                                    ValueSizeDistribution* out) {
  ValueSizeDistribution d;
  const std::string bad = "bad --value_size_dist";
  if (spec == "fixed") {
    d.kind_ = Kind::kFixed;
    d.min_ = d.max_ = fixed_size;
  } else if (spec.compare(0, 8, "uniform:") == 0) {
    std::vector<std::string> parts = Split(spec.substr(8), ':');
    if (parts.size() != 2 || !ParseSize(parts[0], &d.min_) || !ParseSize(parts[1], &d.max_) ||
        d.min_ > d.max_) {
      return Status::InvalidArgument(bad + " (want uniform:MIN:MAX, MIN <= MAX)", spec);
    }
    d.kind_ = Kind::kUniform;
  } else if (spec.compare(0, 4, "mix:") == 0) {
    d.kind_ = Kind::kMix;
    uint64_t total = 0;
    for (const std::string& entry : Split(spec.substr(4), ',')) {
      std::vector<std::string> sw = Split(entry, '@');
      size_t size;
      uint64_t weight;
      if (sw.size() != 2 || !ParseSize(sw[0], &size) || !FlagSet::ParseUint(sw[1], &weight) ||
          weight == 0 || weight > (uint64_t{1} << 32)) {
        return Status::InvalidArgument(bad + " (want mix:SIZE@WEIGHT,..., weights > 0)", spec);
      }
      total += weight;
      d.sizes_.push_back(size);
      d.cumulative_.push_back(total);
    }
    d.min_ = *std::min_element(d.sizes_.begin(), d.sizes_.end());
    d.max_ = *std::max_element(d.sizes_.begin(), d.sizes_.end());
  } else {
    return Status::InvalidArgument(bad + " (fixed | uniform:MIN:MAX | mix:SIZE@WEIGHT,...)", spec);
  }
  *out = std::move(d);
  return Status::OK();
}

size_t ValueSizeDistribution::Next(std::mt19937_64* rng) const {
  switch (kind_) {
    case Kind::kFixed:
      return min_;
    case Kind::kUniform:
      return min_ + static_cast<size_t>((*rng)() % (max_ - min_ + 1));
    case Kind::kMix: {
      uint64_t r = (*rng)() % cumulative_.back();
      size_t i = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                     cumulative_.begin());
      return sizes_[i];
    }
  }
  return min_;
}

size_t ValueSizeDistribution::MaxSize() const { return max_; }

double ValueSizeDistribution::MeanSize() const {
  switch (kind_) {
    case Kind::kFixed:
      return static_cast<double>(min_);
    case Kind::kUniform:
      return (static_cast<double>(min_) + static_cast<double>(max_)) / 2;
    case Kind::kMix: {
      double sum = 0;
      uint64_t prev = 0;
      for (size_t i = 0; i < sizes_.size(); i++) {
        sum += static_cast<double>(sizes_[i]) * static_cast<double>(cumulative_[i] - prev);
        prev = cumulative_[i];
      }
      return sum / static_cast<double>(cumulative_.back());
    }
  }
  return 0;
}

std::string ValueSizeDistribution::ToString() const {
  switch (kind_) {
    case Kind::kFixed:
      return "fixed:" + std::to_string(min_);
    case Kind::kUniform:
      return "uniform:" + std::to_string(min_) + ":" + std::to_string(max_);
    case Kind::kMix: {
      std::string s = "mix:";
      uint64_t prev = 0;
      for (size_t i = 0; i < sizes_.size(); i++) {
        if (i > 0) s += ",";
        s += std::to_string(sizes_[i]) + "@" + std::to_string(cumulative_[i] - prev);
        prev = cumulative_[i];
      }
      return s;
    }
  }
  return "";
}

}  // namespace lode::bench
