#include "table/table_properties.h"

#include <gtest/gtest.h>

#include "lib/util/coding.h"
#include "table/block_builder.h"

namespace lode {

TEST(TablePropertiesTest, RoundTripsEveryField) {
  TableProperties p;
  p.num_entries = 1;
  p.num_deletions = 2;
  p.num_blob_indexes = 3;
  p.raw_key_bytes = 4;
  p.raw_value_bytes = UINT64_MAX;
  p.data_bytes = 6;
  p.index_bytes = 7;
  p.filter_bytes = 8;
  p.num_data_blocks = 9;
  p.compression = Compression::kLZ4;
  std::string enc;
  p.EncodeTo(&enc);
  TableProperties q;
  ASSERT_TRUE(q.DecodeFrom(enc, "f.sst", 0).ok());
  EXPECT_EQ(p.DebugString(), q.DebugString());
  EXPECT_EQ(UINT64_MAX, q.raw_value_bytes);
  EXPECT_EQ(Compression::kLZ4, q.compression);
}

TEST(TablePropertiesTest, UnknownNamesAreIgnored) {
  BlockBuilder b(1);
  std::string v;
  PutVarint64(&v, 42);
  b.Add("lode.a_future_property", "whatever");
  b.Add("lode.num_entries", v);
  b.Add("lode.zzz", "x");
  TableProperties p;
  ASSERT_TRUE(p.DecodeFrom(b.Finish(), "f.sst", 0).ok());
  EXPECT_EQ(42u, p.num_entries);
}

TEST(TablePropertiesTest, MalformedValueIsCorruptionNamingFile) {
  BlockBuilder b(1);
  b.Add("lode.num_entries", "\xff");  // truncated varint
  TableProperties p;
  Status s = p.DecodeFrom(b.Finish(), "000003.sst", 123);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.message().find("000003.sst")) << s.ToString();
  EXPECT_NE(std::string::npos, s.message().find("123")) << s.ToString();
  BlockBuilder c(1);
  c.Add("lode.compression", "\x09");
  EXPECT_TRUE(p.DecodeFrom(c.Finish(), "f", 0).IsCorruption());
}

}  // namespace lode
