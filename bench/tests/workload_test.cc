// Key format and value size distributions of lode_bench.
#include <gtest/gtest.h>

#include <map>

#include "bench/key_format.h"
#include "bench/value_size_distribution.h"

namespace lode::bench {

TEST(KeyFormatTest, KeysHaveFixedSizeSortNumericallyAndParseBack) {
  KeyFormat keys(16);
  std::string a, b;
  keys.Format(9, &a);
  keys.Format(10, &b);
  EXPECT_EQ(a, "0000000000000009");
  EXPECT_EQ(b.size(), 16u);
  EXPECT_LT(a, b);
  uint64_t n;
  ASSERT_TRUE(keys.Parse(b, &n));
  EXPECT_EQ(n, 10u);
}

TEST(KeyFormatTest, MissingKeysSortInsideTheRangeAndNeverParse) {
  KeyFormat keys(8);
  std::string missing, lo, hi;
  keys.FormatMissing(125, &missing);
  keys.Format(119, &lo);
  keys.Format(120, &hi);
  EXPECT_EQ(missing.size(), 8u);
  EXPECT_LT(lo, missing);
  EXPECT_LT(missing, hi);
  uint64_t n;
  EXPECT_FALSE(keys.Parse(missing, &n));
}

TEST(KeyFormatTest, CheckRejectsKeySizeTooSmallForNum) {
  EXPECT_TRUE(KeyFormat::Check(16, 1000000).ok());
  EXPECT_TRUE(KeyFormat::Check(4, 1000).ok());  // 999 + marker digit
  EXPECT_FALSE(KeyFormat::Check(3, 1000).ok());
  EXPECT_FALSE(KeyFormat::Check(0, 10).ok());
  EXPECT_FALSE(KeyFormat::Check(16, 0).ok());
}

TEST(ValueSizeDistributionTest, FixedUsesValueSize) {
  ValueSizeDistribution d;
  ASSERT_TRUE(ValueSizeDistribution::Parse("fixed", 123, &d).ok());
  std::mt19937_64 rng(1);
  EXPECT_EQ(d.Next(&rng), 123u);
  EXPECT_EQ(d.MaxSize(), 123u);
  EXPECT_EQ(d.ToString(), "fixed:123");
}

TEST(ValueSizeDistributionTest, UniformStaysInRangeAndTakesSuffixes) {
  ValueSizeDistribution d;
  ASSERT_TRUE(ValueSizeDistribution::Parse("uniform:1K:4K", 0, &d).ok());
  std::mt19937_64 rng(2);
  size_t lo = SIZE_MAX, hi = 0;
  for (int i = 0; i < 10000; i++) {
    size_t s = d.Next(&rng);
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  EXPECT_GE(lo, 1024u);
  EXPECT_LE(hi, 4096u);
  EXPECT_LT(lo, 1100u);
  EXPECT_GT(hi, 4000u);
  EXPECT_EQ(d.MeanSize(), 2560);
}

TEST(ValueSizeDistributionTest, MixFollowsWeights) {
  ValueSizeDistribution d;
  ASSERT_TRUE(ValueSizeDistribution::Parse("mix:100@90,16K@10", 0, &d).ok());
  std::mt19937_64 rng(3);
  std::map<size_t, int> counts;
  for (int i = 0; i < 20000; i++) counts[d.Next(&rng)]++;
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_NEAR(counts[100], 18000, 400);
  EXPECT_NEAR(counts[16384], 2000, 400);
  EXPECT_EQ(d.MaxSize(), 16384u);
  EXPECT_EQ(d.ToString(), "mix:100@90,16384@10");
}

TEST(ValueSizeDistributionTest, MalformedSpecsAreRejected) {
  ValueSizeDistribution d;
  for (const char* bad : {"", "normal", "uniform:5", "uniform:9:3", "uniform:a:b", "mix:",
                          "mix:100", "mix:100@0", "mix:100@1,", "fixed:3", "uniform:-1:5"}) {
    EXPECT_TRUE(ValueSizeDistribution::Parse(bad, 100, &d).IsInvalidArgument()) << bad;
  }
}

}  // namespace lode::bench
