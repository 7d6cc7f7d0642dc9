// Histogram: latency distribution of one benchmark, in nanoseconds.
//
// Buckets grow geometrically (about 4% wide) from 1 ns to over 100 s, so a
// percentile is exact to a few percent whatever its magnitude, and two
// histograms merge by adding counts. One histogram per thread; merge them
// after the threads are joined. Not thread-safe.
#ifndef LODE_BENCH_HISTOGRAM_H_
#define LODE_BENCH_HISTOGRAM_H_

#include <cstdint>
#include <string>
#include <vector>

namespace lode::bench {

class Histogram {
 public:
  Histogram();

  void Add(uint64_t nanos);
  void Merge(const Histogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double Average() const;
  // The value below which fraction p (in [0, 1]) of the samples fall,
  // interpolated inside its bucket and clamped to [min, max]. 0 when empty.
  double Percentile(double p) const;

  // "count N avg A p50 B p99 C p99.9 D max E" in microseconds.
  std::string ToString() const;

  // Upper bound (exclusive) of bucket i, in nanoseconds; for tests.
  static uint64_t BucketLimit(size_t i);
  static size_t BucketFor(uint64_t nanos);
  static size_t NumBuckets();

 private:
  uint64_t count_ = 0;
  uint64_t min_ = 0;
  uint64_t max_ = 0;
  double sum_ = 0;
  std::vector<uint64_t> buckets_;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_HISTOGRAM_H_
