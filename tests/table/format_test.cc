#include "table/format.h"

#include <gtest/gtest.h>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/compression.h"
#include "tests/table/table_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

TEST(FormatTest, BlockHandleRoundTripsEdgeValues) {
  const uint64_t values[] = {0, 1, 127, 128, 1u << 20, UINT32_MAX, UINT64_MAX};
  for (uint64_t off : values) {
    for (uint64_t size : values) {
      std::string enc;
      BlockHandle(off, size).EncodeTo(&enc);
      EXPECT_LE(enc.size(), BlockHandle::kMaxEncodedLength);
      enc.append("tail");
      Slice in(enc);
      BlockHandle h;
      ASSERT_TRUE(h.DecodeFrom(&in));
      EXPECT_EQ(off, h.offset());
      EXPECT_EQ(size, h.size());
      EXPECT_EQ("tail", in.ToString());
    }
  }
}

TEST(FormatTest, BlockHandleDecodeRejectsTruncatedInput) {
  std::string enc;
  BlockHandle(1u << 30, 1u << 30).EncodeTo(&enc);
  for (size_t n = 0; n < enc.size(); n++) {
    Slice in(enc.data(), n);
    BlockHandle h;
    EXPECT_FALSE(h.DecodeFrom(&in)) << n;
  }
}

TEST(FormatTest, FooterRoundTripsAndHasFixedSize) {
  std::string enc;
  Footer(BlockHandle(1234, 56), BlockHandle(UINT64_MAX - 1, 7)).EncodeTo(&enc);
  ASSERT_EQ(Footer::kSize, enc.size());
  EXPECT_EQ(kTableMagicNumber, DecodeFixed64(enc.data() + Footer::kHandlesSize + 4));
  Footer f;
  ASSERT_TRUE(f.DecodeFrom(enc, "x.sst", 99).ok());
  EXPECT_EQ(1234u, f.metaindex_handle().offset());
  EXPECT_EQ(56u, f.metaindex_handle().size());
  EXPECT_EQ(UINT64_MAX - 1, f.index_handle().offset());
  EXPECT_EQ(7u, f.index_handle().size());
  EXPECT_EQ(kTableFormatVersion, f.format_version());
}

TEST(FormatTest, FooterRejectsEveryBitFlip) {
  std::string enc;
  Footer(BlockHandle(1234, 56), BlockHandle(5000, 70)).EncodeTo(&enc);
  for (size_t bit = 0; bit < enc.size() * 8; bit++) {
    std::string bad = enc;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    Footer f;
    Status s = f.DecodeFrom(bad, "000012.sst", 4096);
    ASSERT_TRUE(s.IsCorruption()) << bit;
    EXPECT_NE(std::string::npos, s.message().find("000012.sst")) << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find("4096")) << s.ToString();
  }
}

TEST(FormatTest, FooterRejectsUnknownVersionEvenWithValidChecksum) {
  std::string enc;
  Footer(BlockHandle(1, 2), BlockHandle(3, 4)).EncodeTo(&enc);
  EncodeFixed32(enc.data() + Footer::kHandlesSize, kTableFormatVersion + 1);
  EncodeFixed32(enc.data() + Footer::kSize - 4, Checksum32(enc.data(), Footer::kSize - 4));
  Footer f;
  Status s = f.DecodeFrom(enc, "a.sst", 0);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.message().find("version")) << s.ToString();
}

namespace {
// A file holding `contents` as one block at offset 5 (after junk).
std::string MakeBlockFile(const std::string& contents, bool compress, BlockHandle* handle) {
  std::string file = "junk!";
  std::string stored;
  BlockType type = kBlockTypeNone;
  if (compress && LZ4CompressIfWorthIt(contents, &stored)) {
    type = kBlockTypeLZ4;
  } else {
    stored = contents;
  }
  *handle = BlockHandle(file.size(), stored.size());
  file += stored;
  AppendBlockTrailer(stored, type, static_cast<uint32_t>(contents.size()), &file);
  return file;
}
}  // namespace

TEST(FormatTest, ReadBlockReturnsRawAndLZ4Contents) {
  Random rnd(301);
  for (bool compress : {false, true}) {
    const std::string contents = test::RandomBytes(&rnd, 10000, 0.1);
    BlockHandle h;
    std::string file = MakeBlockFile(contents, compress, &h);
    if (compress) {
      EXPECT_LT(h.size(), contents.size());
    }
    test::StringSource src(file);
    BlockContents out;
    ASSERT_TRUE(ReadBlock(&src, "f.sst", ReadOptions(), h, &out).ok());
    EXPECT_EQ(contents, out.data.ToString());
  }
}

TEST(FormatTest, ReadBlockDetectsAnyBitFlipWhenVerifying) {
  Random rnd(7);
  for (bool compress : {false, true}) {
    const std::string contents = test::RandomBytes(&rnd, 300, 0.2);
    BlockHandle h;
    const std::string file = MakeBlockFile(contents, compress, &h);
    for (size_t pos = h.offset(); pos < file.size(); pos++) {
      std::string bad = file;
      bad[pos] = static_cast<char>(bad[pos] ^ 0x10);
      test::StringSource src(bad);
      BlockContents out;
      Status s = ReadBlock(&src, "000007.sst", ReadOptions(), h, &out);
      ASSERT_TRUE(s.IsCorruption()) << pos;
      EXPECT_NE(std::string::npos, s.message().find("000007.sst")) << s.ToString();
      EXPECT_NE(std::string::npos, s.message().find("at offset 5")) << s.ToString();
    }
  }
}

TEST(FormatTest, ReadBlockWithoutVerifyStillRejectsBadTypeAndSizes) {
  const std::string contents(100, 'a');
  BlockHandle h;
  std::string file = MakeBlockFile(contents, false, &h);
  ReadOptions ro;
  ro.verify_checksums = false;
  BlockContents out;
  std::string bad = file;
  bad[h.offset() + h.size()] = 7;  // unknown type
  test::StringSource s1(bad);
  EXPECT_TRUE(ReadBlock(&s1, "f", ro, h, &out).IsCorruption());
  bad = file;
  EncodeFixed32(bad.data() + h.offset() + h.size() + 1, 99);  // size mismatch
  test::StringSource s2(bad);
  EXPECT_TRUE(ReadBlock(&s2, "f", ro, h, &out).IsCorruption());
  bad = file;
  bad[h.offset() + h.size()] = kBlockTypeLZ4;  // raw bytes that are not LZ4
  EncodeFixed32(bad.data() + h.offset() + h.size() + 1, 100000);
  test::StringSource s3(bad);
  EXPECT_TRUE(ReadBlock(&s3, "f", ro, h, &out).IsCorruption());
}

TEST(FormatTest, ReadBlockRejectsTruncatedFileAndHugeHandle) {
  BlockHandle h;
  std::string file = MakeBlockFile(std::string(100, 'b'), false, &h);
  for (size_t cut = 0; cut < file.size(); cut += 7) {
    test::StringSource src(file.substr(0, cut));
    BlockContents out;
    Status s = ReadBlock(&src, "t.sst", ReadOptions(), h, &out);
    ASSERT_TRUE(s.IsCorruption()) << cut;
    EXPECT_NE(std::string::npos, s.message().find("truncated")) << s.ToString();
  }
  test::StringSource src(file);
  BlockContents out;
  EXPECT_TRUE(ReadBlock(&src, "t.sst", ReadOptions(), BlockHandle(0, uint64_t{1} << 40), &out)
                  .IsCorruption());
}

}  // namespace lode
