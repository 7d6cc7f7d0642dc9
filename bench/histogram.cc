#include "bench/histogram.h"

#include <algorithm>
#include <cstdio>

namespace lode::bench {

namespace {

// Bucket limits: 1, 2, ..., 32 ns one by one, then each about 1/24 of a
// power of two (≈3% wide) wider than the last, up to past 2^37 ns (137 s).
// The last bucket takes everything beyond.
std::vector<uint64_t> MakeLimits() {
  std::vector<uint64_t> limits;
  for (uint64_t v = 1; v <= 32; v++) limits.push_back(v);
  for (int shift = 5; shift < 38; shift++) {
    const uint64_t base = uint64_t{1} << shift;
    for (int i = 1; i <= 24; i++) {
      uint64_t limit = base + base * static_cast<uint64_t>(i) / 24;
      if (limit > limits.back()) limits.push_back(limit);
    }
  }
  limits.push_back(UINT64_MAX);
  return limits;
}

const std::vector<uint64_t>& Limits() {
  static const std::vector<uint64_t> limits = MakeLimits();
  return limits;
}

}  // namespace

Histogram::Histogram() : buckets_(Limits().size(), 0) {}

size_t Histogram::NumBuckets() { return Limits().size(); }

uint64_t Histogram::BucketLimit(size_t i) { return Limits()[i]; }

size_t Histogram::BucketFor(uint64_t nanos) {
  const std::vector<uint64_t>& limits = Limits();
  // First limit strictly greater than nanos: bucket i holds [limit[i-1], limit[i]).
  return static_cast<size_t>(std::upper_bound(limits.begin(), limits.end(), nanos) -
                             limits.begin());
}

void Histogram::Add(uint64_t nanos) {
  size_t b = std::min(BucketFor(nanos), buckets_.size() - 1);
  buckets_[b]++;
  if (count_ == 0 || nanos < min_) min_ = nanos;
  if (nanos > max_) max_ = nanos;
  count_++;
  sum_ += static_cast<double>(nanos);
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); i++) buckets_[i] += other.buckets_[i];
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void Histogram::Clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = min_ = max_ = 0;
  sum_ = 0;
}

double Histogram::Average() const { return count_ == 0 ? 0 : sum_ / static_cast<double>(count_); }

double Histogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 1.0);
  const double threshold = static_cast<double>(count_) * p;
  double cumulative = 0;
  for (size_t b = 0; b < buckets_.size(); b++) {
    if (buckets_[b] == 0) continue;
    const double next = cumulative + static_cast<double>(buckets_[b]);
    if (next >= threshold) {
      const double left = b == 0 ? 0 : static_cast<double>(Limits()[b - 1]);
      const double right =
          b + 1 == buckets_.size() ? static_cast<double>(max_) : static_cast<double>(Limits()[b]);
      const double fraction = (threshold - cumulative) / static_cast<double>(buckets_[b]);
      double v = left + (right - left) * fraction;
      return std::clamp(v, static_cast<double>(min_), static_cast<double>(max_));
    }
    cumulative = next;
  }
  return static_cast<double>(max_);
}

std::string Histogram::ToString() const {
  char buf[256];
  std::snprintf(buf, sizeof(buf), "count %llu avg %.2f p50 %.2f p99 %.2f p99.9 %.2f max %.2f (us)",
                static_cast<unsigned long long>(count_), Average() / 1e3, Percentile(0.5) / 1e3,
                Percentile(0.99) / 1e3, Percentile(0.999) / 1e3, static_cast<double>(max_) / 1e3);
  return buf;
}

}  // namespace lode::bench
