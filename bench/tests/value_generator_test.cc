#include "bench/value_generator.h"

#include <gtest/gtest.h>
#include <lz4.h>

namespace lode::bench {

TEST(ValueGeneratorTest, GeneratedValuesVerifyForTheirKeyOnly) {
  ValueGenerator gen(0.5);
  std::mt19937_64 rng(7);
  std::string v;
  for (size_t size : {0, 1, 7, 15, 16, 17, 100, 4096, 16384, (1 << 20) + 5000}) {
    gen.Generate(42, size, &rng, &v);
    ASSERT_EQ(v.size(), size);
    EXPECT_TRUE(gen.Verify(42, v)) << size;
    if (size >= 1) {
      EXPECT_FALSE(gen.Verify(43, v)) << size;
    }
  }
}

TEST(ValueGeneratorTest, AnyFlippedByteFailsVerification) {
  ValueGenerator gen(0.5);
  std::mt19937_64 rng(8);
  std::string v;
  gen.Generate(1234, 300, &rng, &v);
  for (size_t i = 0; i < v.size(); i++) {
    std::string bad = v;
    bad[i] ^= 0x01;
    EXPECT_FALSE(gen.Verify(1234, bad)) << "byte " << i;
  }
}

TEST(ValueGeneratorTest, TruncatedOrExtendedValueFailsVerification) {
  ValueGenerator gen(0.5);
  std::mt19937_64 rng(9);
  std::string v;
  gen.Generate(5, 8192, &rng, &v);
  EXPECT_FALSE(gen.Verify(5, Slice(v.data(), v.size() - 1)));
  EXPECT_FALSE(gen.Verify(5, Slice(v.data(), 100)));
  EXPECT_FALSE(gen.Verify(5, v + "x"));
  // (An empty value is what Generate makes for size 0, so it cannot be told apart.)
}

TEST(ValueGeneratorTest, ValuesWrittenWithAnotherRatioStillVerify) {
  ValueGenerator writer(0.25), reader(0.9);
  std::mt19937_64 rng(10);
  std::string v;
  writer.Generate(77, 5000, &rng, &v);
  EXPECT_TRUE(reader.Verify(77, v));
  v[4000] ^= 0x40;
  EXPECT_FALSE(reader.Verify(77, v));
}

double Lz4Ratio(const std::string& v) {
  std::string out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(v.size()))), '\0');
  int n = LZ4_compress_default(v.data(), out.data(), static_cast<int>(v.size()),
                               static_cast<int>(out.size()));
  return static_cast<double>(n) / static_cast<double>(v.size());
}

TEST(ValueGeneratorTest, ValuesCompressToAboutTheRequestedRatio) {
  std::mt19937_64 rng(11);
  std::string v;
  for (double ratio : {0.25, 0.5, 0.75}) {
    ValueGenerator gen(ratio);
    gen.Generate(1, 16384, &rng, &v);
    EXPECT_NEAR(Lz4Ratio(v), ratio, 0.12) << ratio;
  }
  ValueGenerator incompressible(1.0);
  incompressible.Generate(1, 16384, &rng, &v);
  EXPECT_GT(Lz4Ratio(v), 0.95);
}

}  // namespace lode::bench
