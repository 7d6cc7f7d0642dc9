#include "bench/histogram.h"

#include <gtest/gtest.h>

namespace lode::bench {

TEST(HistogramTest, EmptyHistogramReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0);
  EXPECT_EQ(h.Average(), 0);
  EXPECT_EQ(h.min(), 0u);
}

TEST(HistogramTest, PercentilesOfUniformValuesAreWithinBucketPrecision) {
  Histogram h;
  for (uint64_t v = 1; v <= 100000; v++) h.Add(v * 100);  // 100 ns .. 10 ms
  EXPECT_EQ(h.count(), 100000u);
  EXPECT_EQ(h.min(), 100u);
  EXPECT_EQ(h.max(), 10000000u);
  EXPECT_NEAR(h.Percentile(0.5), 5e6, 5e6 * 0.05);
  EXPECT_NEAR(h.Percentile(0.99), 9.9e6, 9.9e6 * 0.05);
  EXPECT_NEAR(h.Percentile(0.999), 9.99e6, 9.99e6 * 0.05);
  EXPECT_NEAR(h.Average(), 5.00005e6, 1);
}

TEST(HistogramTest, PercentileIsClampedToObservedRange) {
  Histogram h;
  h.Add(1000);
  EXPECT_EQ(h.Percentile(0.0), 1000);
  EXPECT_EQ(h.Percentile(0.5), 1000);
  EXPECT_EQ(h.Percentile(1.0), 1000);
}

TEST(HistogramTest, TailPercentileSeesRareSlowOperations) {
  Histogram h;
  for (int i = 0; i < 9990; i++) h.Add(1000);
  for (int i = 0; i < 10; i++) h.Add(50'000'000);
  EXPECT_LT(h.Percentile(0.99), 1100);
  EXPECT_GT(h.Percentile(0.9995), 45'000'000);
}

TEST(HistogramTest, MergeEqualsAddingAllSamplesToOne) {
  Histogram a, b, all;
  for (uint64_t v = 1; v < 5000; v += 3) {
    a.Add(v);
    all.Add(v);
  }
  for (uint64_t v = 2; v < 900000; v += 7) {
    b.Add(v);
    all.Add(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double p : {0.1, 0.5, 0.9, 0.99, 0.999}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
}

TEST(HistogramTest, BucketsCoverEveryValueInOrder) {
  EXPECT_EQ(Histogram::BucketFor(0), 0u);
  for (size_t i = 1; i + 1 < Histogram::NumBuckets(); i++) {
    ASSERT_LT(Histogram::BucketLimit(i - 1), Histogram::BucketLimit(i));
    // Bucket i holds [limit(i-1), limit(i)).
    EXPECT_EQ(Histogram::BucketFor(Histogram::BucketLimit(i - 1)), i);
    EXPECT_EQ(Histogram::BucketFor(Histogram::BucketLimit(i) - 1), i);
  }
  Histogram h;
  h.Add(UINT64_MAX);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), UINT64_MAX);
}

}  // namespace lode::bench
