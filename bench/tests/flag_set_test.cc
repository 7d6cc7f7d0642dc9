#include "bench/flag_set.h"

#include <gtest/gtest.h>

#include "bench/bench_flags.h"
#include "bench/json_writer.h"

namespace lode::bench {

namespace {

Status ParseArgs(FlagSet* flags, std::vector<std::string> args, bool* help) {
  args.insert(args.begin(), "lode_bench");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return flags->Parse(static_cast<int>(argv.size()), argv.data(), help);
}

}  // namespace

TEST(FlagSetTest, ParsesEveryTypeAndSizeSuffixes) {
  BenchConfig c;
  FlagSet flags;
  RegisterBenchFlags(&flags, &c);
  bool help;
  ASSERT_TRUE(ParseArgs(&flags,
                        {"--num=20000", "--write_buffer_size=4M", "--compression_ratio=0.25",
                         "--benchmarks=fillseq,gc", "--sync", "--nodisable_wal",
                         "--blob_compression=none", "--min_blob_size=1K", "--seed=7"},
                        &help)
                  .ok());
  EXPECT_FALSE(help);
  EXPECT_EQ(c.num, 20000);
  EXPECT_EQ(c.options.write_buffer_size, size_t{4} << 20);
  EXPECT_EQ(c.compression_ratio, 0.25);
  EXPECT_EQ(c.benchmarks, "fillseq,gc");
  EXPECT_TRUE(c.sync);
  EXPECT_FALSE(c.disable_wal);
  EXPECT_EQ(c.options.blob_compression, Compression::kNone);
  EXPECT_EQ(c.options.min_blob_size, 1024u);
  EXPECT_EQ(c.seed, 7u);
}

TEST(FlagSetTest, RejectsUnknownFlagsBadValuesAndPositionals) {
  BenchConfig c;
  FlagSet flags;
  RegisterBenchFlags(&flags, &c);
  bool help;
  EXPECT_TRUE(ParseArgs(&flags, {"--no_such_flag=1"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--num=abc"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--num"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--threads=99999999999"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--min_blob_size=-1"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--sync=maybe"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"--compression=zstd"}, &help).IsInvalidArgument());
  EXPECT_TRUE(ParseArgs(&flags, {"fillseq"}, &help).IsInvalidArgument());
}

TEST(FlagSetTest, UsageShowsDefaultsFromOptions) {
  BenchConfig c;
  FlagSet flags;
  RegisterBenchFlags(&flags, &c);
  bool help;
  ASSERT_TRUE(ParseArgs(&flags, {"--help", "--min_blob_size=7"}, &help).ok());
  EXPECT_TRUE(help);
  const std::string usage = flags.Usage();
  EXPECT_NE(usage.find("--min_blob_size (default: " + std::to_string(Options().min_blob_size)),
            std::string::npos);
}

TEST(JsonWriterTest, QuotesStringsAndWritesNullForNonFinite) {
  JsonWriter inner;
  inner.Add("x", uint64_t{1});
  JsonWriter j;
  j.Add("s", "a\"b\\c\n").Add("nan", 0.0 / 0.0).Add("ok", true).AddRaw("o", inner.ToString());
  EXPECT_EQ(j.ToString(), "{\"s\":\"a\\\"b\\\\c\\n\",\"nan\":null,\"ok\":true,\"o\":{\"x\":1}}");
}

}  // namespace lode::bench
