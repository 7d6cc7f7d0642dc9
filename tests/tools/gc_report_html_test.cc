#include "tools/gc_report_html.h"

#include <gtest/gtest.h>

namespace lode::tool {
namespace {

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    n++;
  }
  return n;
}

GcReportBlobFile File(uint64_t number, uint64_t size, double ratio, bool eligible) {
  GcReportBlobFile f;
  f.number = number;
  f.file_size = size;
  f.blob_bytes = size - 100;
  f.garbage_bytes = static_cast<uint64_t>(static_cast<double>(f.blob_bytes) * ratio);
  f.garbage_ratio = ratio;
  f.blob_count = 10;
  f.eligible = eligible;
  f.referencing_tables_per_level = {0, 1};
  return f;
}

GcReport Report() {
  GcReport r;
  r.files = {File(3, 1000, 0.1, false), File(5, 4000, 0.9, true), File(8, 2000, 0.5, true),
             File(11, 500, 0.0, false)};
  r.num_blob_files = 4;
  r.garbage_threshold = 0.5;
  for (const auto& f : r.files) {
    r.blob_file_bytes += f.file_size;
    r.garbage_blob_bytes += f.garbage_bytes;
    r.live_blob_bytes += f.blob_bytes - f.garbage_bytes;
  }
  return r;
}

TEST(GcReportHtmlTest, OneBarPerBlobFileInReportOrder) {
  const std::string html = RenderGcReportHtml(Report(), "/data/db");
  EXPECT_EQ(Count(html, "class=\"bar\""), 4u);
  const size_t f5 = html.find("id=\"f000005\"");
  const size_t f8 = html.find("id=\"f000008\"");
  const size_t f3 = html.find("id=\"f000003\"");
  const size_t f11 = html.find("id=\"f000011\"");
  ASSERT_NE(f5, std::string::npos);
  EXPECT_LT(f5, f8);
  EXPECT_LT(f8, f3);
  EXPECT_LT(f3, f11);
}

TEST(GcReportHtmlTest, EligibleFilesAreMarkedAndLongestBarIsFullWidth) {
  const std::string html = RenderGcReportHtml(Report(), "db");
  EXPECT_EQ(Count(html, "class=\"row eligible\""), 2u);
  EXPECT_EQ(Count(html, "class=\"row\""), 2u);
  // File 5 is the largest: its bar spans the track; file 11 is an eighth of it.
  const size_t f5 = html.find("id=\"f000005\"");
  EXPECT_NE(html.find("class=\"bar\" style=\"width:100.000%\"", f5), std::string::npos);
  const size_t f11 = html.find("id=\"f000011\"");
  EXPECT_NE(html.find("class=\"bar\" style=\"width:12.500%\"", f11), std::string::npos);
}

TEST(GcReportHtmlTest, SelfContainedAndEscaped) {
  const std::string html = RenderGcReportHtml(Report(), "<db & \"x\">");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("&lt;db &amp; &quot;x&quot;&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<db &"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(GcReportHtmlTest, LegendAndTotalsPresent) {
  const std::string html = RenderGcReportHtml(Report(), "db");
  EXPECT_NE(html.find("class=\"legend\""), std::string::npos);
  EXPECT_NE(html.find("class=\"totals\""), std::string::npos);
  EXPECT_LT(html.find("class=\"totals\""), html.find("class=\"bar\""));
}

TEST(GcReportHtmlTest, EmptyReportHasNoBars) {
  GcReport r;
  const std::string html = RenderGcReportHtml(r, "db");
  EXPECT_EQ(Count(html, "class=\"bar\""), 0u);
  EXPECT_NE(html.find("No blob files."), std::string::npos);
}

}  // namespace
}  // namespace lode::tool
