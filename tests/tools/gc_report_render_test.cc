// GcReport::ToText and ToJson on a hand-built report (the engine fills real
// ones; here every field has a known value).
#include <gtest/gtest.h>

#include "lode/gc_report.h"
#include "tests/tools/mini_json.h"

namespace lode {
namespace {

GcReportBlobFile File(uint64_t number, uint64_t blob_bytes, uint64_t garbage_bytes, bool eligible,
                      std::vector<int> tables) {
  GcReportBlobFile f;
  f.number = number;
  f.blob_count = blob_bytes / 1024;
  f.blob_bytes = blob_bytes;
  f.file_size = blob_bytes + 4096;
  f.garbage_count = garbage_bytes / 1024;
  f.garbage_bytes = garbage_bytes;
  f.garbage_ratio = static_cast<double>(garbage_bytes) / static_cast<double>(blob_bytes);
  f.eligible = eligible;
  f.referencing_tables_per_level = std::move(tables);
  return f;
}

// Three files given out of order: 7 (10% garbage), 12 (75%, eligible), 9 (all garbage, no tables).
GcReport SampleReport() {
  GcReport r;
  r.files.push_back(File(7, 8 << 20, 838861, false, {0, 0, 0, 0, 0, 0, 4}));
  r.files.push_back(File(12, 4 << 20, 3 << 20, true, {1, 0, 0, 2}));
  r.files.push_back(File(9, 1 << 20, 1 << 20, true, {}));
  r.num_blob_files = 3;
  for (const auto& f : r.files) {
    r.blob_file_bytes += f.file_size;
    r.live_blob_bytes += f.blob_bytes - f.garbage_bytes;
    r.garbage_blob_bytes += f.garbage_bytes;
  }
  r.space_amplification =
      static_cast<double>(r.blob_file_bytes) / static_cast<double>(r.live_blob_bytes);
  r.reclaimable_bytes = (3 << 20) + (1 << 20);
  r.rewrite_bytes = 1 << 20;
  r.age_cutoff = 0.25;
  r.garbage_threshold = 0.5;
  r.force_threshold = 0.8;
  r.gc_runs = 2;
  r.bytes_relocated = 123456;
  r.blobs_relocated = 120;
  r.files_dropped = 1;
  r.bytes_reclaimed = 5 << 20;
  return r;
}

TEST(GcReportTextTest, TotalsComeFirstWithHumanSizes) {
  const std::string text = SampleReport().ToText();
  const size_t totals = text.find("blob files      3");
  const size_t table = text.find("tables by level");
  ASSERT_NE(totals, std::string::npos) << text;
  ASSERT_NE(table, std::string::npos) << text;
  EXPECT_LT(totals, table);
  // 13 MiB of blobs + 3 * 4 KiB of overhead.
  EXPECT_NE(text.find("on disk         13.0 MiB  (13643776 bytes)"), std::string::npos) << text;
  EXPECT_NE(text.find("garbage         4.80 MiB"), std::string::npos) << text;
  EXPECT_NE(text.find("reclaim 4.00 MiB and rewrite 1.00 MiB (2 eligible files)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("age cutoff 0.25, garbage threshold 0.50, force 0.80"), std::string::npos);
  EXPECT_NE(text.find("2 runs, 121 KiB relocated (120 blobs), 1 file dropped, 5.00 MiB reclaimed"),
            std::string::npos)
      << text;
}

TEST(GcReportTextTest, RowsSortedByGarbageRatioWithEligibleMarkAndLevels) {
  const std::string text = SampleReport().ToText();
  const size_t f9 = text.find("000009");
  const size_t f12 = text.find("000012");
  const size_t f7 = text.find("000007");
  ASSERT_NE(f9, std::string::npos);
  ASSERT_NE(f12, std::string::npos);
  ASSERT_NE(f7, std::string::npos);
  EXPECT_LT(f9, f12);
  EXPECT_LT(f12, f7);
  const auto row = [&](size_t at) { return text.substr(at, text.find('\n', at) - at); };
  EXPECT_NE(row(f12).find("75.0%"), std::string::npos) << row(f12);
  EXPECT_NE(row(f12).find("*"), std::string::npos) << row(f12);
  EXPECT_NE(row(f12).find("L0:1 L3:2"), std::string::npos) << row(f12);
  EXPECT_NE(row(f12).find("4.00 MiB"), std::string::npos) << row(f12);
  EXPECT_NE(row(f7).find("10.0%"), std::string::npos) << row(f7);
  EXPECT_EQ(row(f7).find("*"), std::string::npos) << row(f7);
  EXPECT_NE(row(f7).find("L6:4"), std::string::npos) << row(f7);
  EXPECT_NE(row(f9).find("100.0%"), std::string::npos) << row(f9);
  EXPECT_NE(row(f9).find(" -"), std::string::npos) << "no referencing tables: " << row(f9);
}

TEST(GcReportTextTest, EmptyReportSaysSo) {
  GcReport r;
  r.space_amplification = 1;
  const std::string text = r.ToText();
  EXPECT_NE(text.find("blob files      0"), std::string::npos) << text;
  EXPECT_NE(text.find("(no blob files)"), std::string::npos) << text;
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
}

TEST(GcReportJsonTest, ParsesBackWithEveryDocumentedKeyAndValue) {
  const GcReport r = SampleReport();
  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(r.ToJson(), &v, &error)) << error << "\n" << r.ToJson();
  ASSERT_EQ(v.type, test::JsonValue::Type::kObject);
  EXPECT_EQ(v["format_version"].text, "1");

  const test::JsonValue& t = v["totals"];
  EXPECT_EQ(t["num_blob_files"].uint(), 3u);
  EXPECT_EQ(t["blob_file_bytes"].uint(), r.blob_file_bytes);
  EXPECT_EQ(t["live_blob_bytes"].uint(), r.live_blob_bytes);
  EXPECT_EQ(t["garbage_blob_bytes"].uint(), r.garbage_blob_bytes);
  EXPECT_EQ(t["space_amplification"].number(), r.space_amplification);
  EXPECT_EQ(t["eligible_files"].uint(), 2u);
  EXPECT_EQ(t["reclaimable_bytes"].uint(), r.reclaimable_bytes);
  EXPECT_EQ(t["rewrite_bytes"].uint(), r.rewrite_bytes);

  const test::JsonValue& th = v["thresholds"];
  EXPECT_EQ(th["age_cutoff"].number(), 0.25);
  EXPECT_EQ(th["garbage_threshold"].number(), 0.5);
  EXPECT_EQ(th["force_threshold"].number(), 0.8);

  const test::JsonValue& gc = v["gc"];
  EXPECT_EQ(gc["runs"].uint(), 2u);
  EXPECT_EQ(gc["bytes_relocated"].uint(), 123456u);
  EXPECT_EQ(gc["blobs_relocated"].uint(), 120u);
  EXPECT_EQ(gc["files_dropped"].uint(), 1u);
  EXPECT_EQ(gc["bytes_reclaimed"].uint(), uint64_t{5} << 20);

  const auto& files = v["files"].array;
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0]["number"].uint(), 9u);  // sorted like the text report
  EXPECT_EQ(files[1]["number"].uint(), 12u);
  EXPECT_EQ(files[2]["number"].uint(), 7u);
  const test::JsonValue& f12 = files[1];
  for (const char* key :
       {"number", "file_size", "blob_count", "blob_bytes", "garbage_count", "garbage_bytes",
        "garbage_ratio", "eligible", "referencing_tables_per_level"}) {
    EXPECT_TRUE(f12.Has(key)) << key;
  }
  EXPECT_EQ(f12["file_size"].uint(), (4u << 20) + 4096);
  EXPECT_EQ(f12["blob_count"].uint(), 4096u);
  EXPECT_EQ(f12["blob_bytes"].uint(), 4u << 20);
  EXPECT_EQ(f12["garbage_count"].uint(), 3072u);
  EXPECT_EQ(f12["garbage_bytes"].uint(), 3u << 20);
  EXPECT_EQ(f12["garbage_ratio"].number(), 0.75);
  EXPECT_TRUE(f12["eligible"].boolean);
  EXPECT_FALSE(files[2]["eligible"].boolean);
  const auto& levels = f12["referencing_tables_per_level"].array;
  ASSERT_EQ(levels.size(), 4u);
  EXPECT_EQ(levels[0].text, "1");
  EXPECT_EQ(levels[3].text, "2");
  EXPECT_TRUE(files[0]["referencing_tables_per_level"].array.empty());
}

TEST(GcReportJsonTest, KeyOrderIsStable) {
  const std::string json = SampleReport().ToJson();
  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(json, &v, &error)) << error;
  std::vector<std::string> top;
  for (const auto& [k, unused] : v.object) top.push_back(k);
  EXPECT_EQ(top, (std::vector<std::string>{"format_version", "totals", "thresholds", "gc",
                                           "scheduler", "files"}));
  EXPECT_EQ(json, SampleReport().ToJson());
}

TEST(GcReportJsonTest, EmptyReportIsValidJson) {
  GcReport r;
  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(r.ToJson(), &v, &error)) << error;
  EXPECT_TRUE(v["files"].array.empty());
  EXPECT_EQ(v["totals"]["num_blob_files"].uint(), 0u);
}

}  // namespace
}  // namespace lode
