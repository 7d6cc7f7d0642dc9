#include "table/bloom_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/util/test_util.h"

namespace lode {

namespace {
// Concatenation by append (operator+ on a temporary trips a GCC 12 -Wrestrict false positive).
std::string Cat(const std::string& a, const std::string& b) {
  std::string r = a;
  r.append(b);
  return r;
}

std::string BuildFilter(int bits_per_key, int n, const std::string& prefix = "k",
                        BloomLayout layout = BloomLayout::kBlocked) {
  BloomFilterBuilder b(bits_per_key, layout);
  for (int i = 0; i < n; i++) b.AddKey(Cat(prefix, test::NumberedKey(i, 8)));
  std::string out;
  b.Finish(&out);
  return out;
}
}  // namespace

TEST(BloomFilterTest, EmptyFilterMatchesNothingAndIsSmall) {
  std::string f = BuildFilter(10, 0);
  EXPECT_LE(f.size(), 9u);
  BloomFilterReader r(f);
  ASSERT_TRUE(r.valid());
  EXPECT_FALSE(r.KeyMayMatch("hello"));
  EXPECT_FALSE(r.KeyMayMatch(""));
}

TEST(BloomFilterTest, NoFalseNegatives) {
  for (int n : {1, 10, 100, 1000, 10000}) {
    std::string f = BuildFilter(10, n);
    BloomFilterReader r(f);
    for (int i = 0; i < n; i++) {
      ASSERT_TRUE(r.KeyMayMatch(Cat("k", test::NumberedKey(i, 8)))) << n << " " << i;
    }
  }
}

TEST(BloomFilterTest, FalsePositiveRateNearTargetAt10BitsPerKey) {
  const int n = 10000;
  std::string f = BuildFilter(10, n);
  EXPECT_LE(f.size(), static_cast<size_t>(n * 10 / 8 + 9));
  BloomFilterReader r(f);
  int fp = 0;
  const int probes = 100000;
  for (int i = 0; i < probes; i++) {
    if (r.KeyMayMatch(Cat("other", test::NumberedKey(i, 8)))) fp++;
  }
  const double rate = static_cast<double>(fp) / probes;
  EXPECT_LE(rate, 0.02) << rate;    // theory: ~0.8% at 10 bits/key, 7 probes
  EXPECT_GT(rate, 0.0005) << rate;  // the filter is not accidentally oversized
}

TEST(BloomFilterTest, MoreBitsPerKeyGivesFewerFalsePositives) {
  int prev_fp = INT32_MAX;
  for (int bits : {4, 8, 16}) {
    std::string s = BuildFilter(bits, 5000);
    BloomFilterReader reader(s);
    int fp = 0;
    for (int i = 0; i < 50000; i++) fp += reader.KeyMayMatch(Cat("x", std::to_string(i))) ? 1 : 0;
    EXPECT_LT(fp, prev_fp) << bits;
    prev_fp = fp;
  }
}

TEST(BloomFilterTest, RepeatedKeysCountOnce) {
  BloomFilterBuilder b(10);
  for (int i = 0; i < 100; i++) {
    b.AddKey("same");
    b.AddKey("same");
    b.AddKey(Cat("other", std::to_string(i)));
  }
  EXPECT_EQ(200u, b.num_keys());
}

TEST(BloomFilterTest, MalformedFilterMatchesEverything) {
  for (std::string bad :
       {std::string(), std::string("abc"), std::string(20, '\0'), std::string(20, '\x7f')}) {
    BloomFilterReader r(bad);
    EXPECT_FALSE(r.valid());
    EXPECT_TRUE(r.KeyMayMatch("anything"));
  }
}

TEST(BloomFilterTest, BuilderWritesTheBlockedLayoutByDefault) {
  std::string f = BuildFilter(10, 1000);
  BloomFilterReader r(f);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(BloomLayout::kBlocked, r.layout());
  EXPECT_EQ(kBlockedBloomMarker, static_cast<unsigned char>(f.back()));
  EXPECT_EQ(0u, (f.size() - 2) % kBloomBlockBytes);
}

TEST(BloomFilterTest, PlainFiltersOfOlderTablesStillWork) {
  const int n = 5000;
  std::string f = BuildFilter(10, n, "k", BloomLayout::kPlain);
  BloomFilterReader r(f);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(BloomLayout::kPlain, r.layout());
  for (int i = 0; i < n; i++) ASSERT_TRUE(r.KeyMayMatch(Cat("k", test::NumberedKey(i, 8))));
  int fp = 0;
  for (int i = 0; i < 50000; i++) fp += r.KeyMayMatch(Cat("other", test::NumberedKey(i, 8)));
  EXPECT_LE(fp, 1000);  // ~1%
}

TEST(BloomFilterTest, EveryProbeOfAKeyFallsInOneBlock) {
  // 50 keys at 100 bits/key: several blocks.
  const int kKeys = 50;
  BloomFilterBuilder many(100);
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; i++) keys.push_back(Cat("solo", std::to_string(i)));
  for (const auto& k : keys) many.AddKey(k);
  std::string all;
  many.Finish(&all);
  const size_t blocks = (all.size() - 2) / kBloomBlockBytes;
  ASSERT_GT(blocks, 5u);
  // Clearing every block but one makes exactly the keys of that block (and
  // no others) still match: a key's bits never straddle two blocks.
  for (size_t keep = 0; keep < blocks; keep++) {
    std::string f = all;
    for (size_t b = 0; b < blocks; b++) {
      if (b != keep)
        std::fill(f.begin() + b * kBloomBlockBytes, f.begin() + (b + 1) * kBloomBlockBytes, '\0');
    }
    BloomFilterReader r(f);
    int matched = 0;
    for (const auto& k : keys) matched += r.KeyMayMatch(k) ? 1 : 0;
    int in_block = 0;
    for (const auto& k : keys) {
      // Recompute which block k lives in: the one whose clearing hides it.
      std::string g = all;
      std::fill(g.begin() + keep * kBloomBlockBytes, g.begin() + (keep + 1) * kBloomBlockBytes,
                '\0');
      in_block += BloomFilterReader(g).KeyMayMatch(k) ? 0 : 1;
    }
    EXPECT_EQ(in_block, matched) << keep;
  }
}

TEST(BloomFilterTest, MalformedBlockedFilterMatchesEverything) {
  std::string f = BuildFilter(10, 1000);
  std::string short_array = f.substr(0, f.size() - 2 - 1) + f.substr(f.size() - 2);
  std::string bad_probes = f;
  bad_probes[bad_probes.size() - 2] = 0;
  for (const std::string& bad : {short_array, bad_probes}) {
    BloomFilterReader r(bad);
    EXPECT_FALSE(r.valid());
    EXPECT_TRUE(r.KeyMayMatch("anything"));
  }
}

}  // namespace lode
