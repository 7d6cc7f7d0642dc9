// The tool's small pure helpers: progress bar text, workload stream, human
// formats, byte escaping.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "lib/util/human_format.h"
#include "tools/progress_bar.h"
#include "tools/tool_common.h"
#include "tools/workload_generator.h"

namespace lode::tool {
namespace {

TEST(ProgressBarTest, RenderShowsFractionCountsRateAndEta) {
  EXPECT_EQ(ProgressBar::Render(25, 100, 50'000'000, 2.0, 20),
            "[#####...............]  25%  25/100  25.0 MB/s  ETA 6s");
  EXPECT_EQ(ProgressBar::Render(100, 100, 1'000'000, 1.0, 10),
            "[##########] 100%  100/100  1.0 MB/s");
  EXPECT_EQ(ProgressBar::Render(0, 0, 0, 0, 4), "[####] 100%  0/0  0.0 MB/s");
}

TEST(ProgressBarTest, DisabledBarWritesNothing) {
  FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar(f, 10, /*enabled=*/false);
    bar.Update(5, 100);
    bar.Finish();
  }
  EXPECT_EQ(std::ftell(f), 0L);
  std::fclose(f);
}

TEST(ProgressBarTest, EnabledBarDrawsAndClearsItsLine) {
  FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar(f, 10, /*enabled=*/true);
    bar.Update(10, 100);
    bar.Finish();
  }
  std::rewind(f);
  char buf[512];
  const size_t n = std::fread(buf, 1, sizeof(buf), f);
  const std::string out(buf, n);
  EXPECT_NE(out.find("100%"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 4), "\r\x1b[K") << "ends by erasing the line";
  std::fclose(f);
}

TEST(WorkloadGeneratorTest, SameSeedSameStream) {
  WorkloadOptions o;
  o.count = 500;
  o.value_size = 10;
  o.value_size_max = 200;
  o.overwrite_fraction = 0.3;
  o.delete_fraction = 0.2;
  o.seed = 42;
  WorkloadGenerator a(o), b(o);
  WorkloadOp x, y;
  while (a.Next(&x)) {
    ASSERT_TRUE(b.Next(&y));
    ASSERT_EQ(x.type, y.type);
    ASSERT_EQ(x.key, y.key);
    ASSERT_EQ(x.value, y.value);
  }
  EXPECT_FALSE(b.Next(&y));
  o.seed = 43;
  WorkloadGenerator c(o);
  WorkloadGenerator d(WorkloadOptions{o.count, o.value_size, o.value_size_max, o.overwrite_fraction,
                                      o.delete_fraction, 42, o.key_prefix});
  bool differs = false;
  while (c.Next(&x) && d.Next(&y)) differs |= x.value != y.value;
  EXPECT_TRUE(differs);
}

TEST(WorkloadGeneratorTest, FractionsSizesAndLiveKeysHold) {
  WorkloadOptions o;
  o.count = 20000;
  o.value_size = 100;
  o.value_size_max = 300;
  o.overwrite_fraction = 0.25;
  o.delete_fraction = 0.1;
  o.key_prefix = "p/";
  WorkloadGenerator g(o);
  std::set<std::string> live;
  std::map<WorkloadOp::Type, uint64_t> counts;
  WorkloadOp op;
  while (g.Next(&op)) {
    counts[op.type]++;
    ASSERT_EQ(op.key.rfind("p/", 0), 0u);
    ASSERT_EQ(op.key.size(), 2u + 16u);
    switch (op.type) {
      case WorkloadOp::Type::kInsert:
        ASSERT_TRUE(live.insert(op.key).second) << "inserts use new keys";
        break;
      case WorkloadOp::Type::kOverwrite:
        ASSERT_TRUE(live.count(op.key)) << "overwrites hit live keys";
        break;
      case WorkloadOp::Type::kDelete:
        ASSERT_EQ(live.erase(op.key), 1u) << "deletes hit live keys";
        ASSERT_TRUE(op.value.empty());
        break;
    }
    if (op.type != WorkloadOp::Type::kDelete) {
      ASSERT_GE(op.value.size(), 100u);
      ASSERT_LE(op.value.size(), 300u);
    }
  }
  EXPECT_EQ(g.generated(), 20000u);
  EXPECT_EQ(g.live_keys(), live.size());
  EXPECT_NEAR(static_cast<double>(counts[WorkloadOp::Type::kOverwrite]) / 20000, 0.25, 0.02);
  EXPECT_NEAR(static_cast<double>(counts[WorkloadOp::Type::kDelete]) / 20000, 0.1, 0.02);
}

TEST(WorkloadGeneratorTest, FixedSizeWhenNoMax) {
  WorkloadOptions o;
  o.count = 50;
  o.value_size = 4096;
  WorkloadGenerator g(o);
  WorkloadOp op;
  while (g.Next(&op)) {
    ASSERT_EQ(op.type, WorkloadOp::Type::kInsert);
    ASSERT_EQ(op.value.size(), 4096u);
  }
}

TEST(HumanFormatTest, BytesPercentAndSeconds) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1024), "1.00 KiB");
  EXPECT_EQ(HumanBytes(1536), "1.50 KiB");
  EXPECT_EQ(HumanBytes(12900000), "12.3 MiB");
  EXPECT_EQ(HumanBytes(uint64_t{512} << 30), "512 GiB");
  EXPECT_EQ(HumanBytes((uint64_t{1} << 20) - 1), "1.00 MiB");
  EXPECT_EQ(HumanBytes(UINT64_MAX), "16.0 EiB");
  EXPECT_EQ(HumanPercent(0.3333), "33.3%");
  EXPECT_EQ(HumanPercent(1), "100.0%");
  EXPECT_EQ(HumanSeconds(0.85), "850 ms");
  EXPECT_EQ(HumanSeconds(2.345), "2.35 s");
  EXPECT_EQ(HumanSeconds(185), "3m 05s");
}

TEST(EscapeBytesTest, PrintableAsIsOthersAsHex) {
  EXPECT_EQ(EscapeBytes("key-1"), "key-1");
  EXPECT_EQ(EscapeBytes(std::string("a\\b\n\x00\xff", 6)), "a\\\\b\\x0a\\x00\\xff");
}

}  // namespace
}  // namespace lode::tool
