#include "blob/blob_index.h"

#include <gtest/gtest.h>

#include "lib/util/random.h"

namespace lode {

namespace {
BlobIndex Make(uint64_t file, uint64_t off, uint64_t size, uint64_t usize, Compression c) {
  BlobIndex i;
  i.file_number = file;
  i.offset = off;
  i.size = size;
  i.uncompressed_size = usize;
  i.compression = c;
  return i;
}
}  // namespace

TEST(BlobIndexTest, RoundTripsRawAndCompressed) {
  std::vector<BlobIndex> cases = {
      Make(0, 0, 0, 0, Compression::kNone),
      Make(7, 62, 4096, 4096, Compression::kNone),
      Make(123456, 1ull << 40, 1000, 900000, Compression::kLZ4),
      Make(UINT64_MAX, UINT64_MAX - 10, 10, UINT64_MAX, Compression::kLZ4),
  };
  for (const auto& in : cases) {
    std::string enc;
    in.EncodeTo(&enc);
    EXPECT_LE(enc.size(), BlobIndex::kMaxEncodedLength);
    EXPECT_EQ(BlobIndex::kBlobIndexTypeV1, static_cast<unsigned char>(enc[0]));
    BlobIndex out;
    Status s = out.DecodeFrom(enc);
    ASSERT_TRUE(s.ok()) << s.ToString() << " " << in.DebugString();
    EXPECT_EQ(in, out) << in.DebugString() << " vs " << out.DebugString();
  }
}

TEST(BlobIndexTest, RawIndexOmitsUncompressedSize) {
  std::string raw, lz4;
  Make(5, 100, 5000, 5000, Compression::kNone).EncodeTo(&raw);
  Make(5, 100, 5000, 9000, Compression::kLZ4).EncodeTo(&lz4);
  EXPECT_LT(raw.size(), lz4.size());
  BlobIndex out;
  ASSERT_TRUE(out.DecodeFrom(raw).ok());
  EXPECT_EQ(5000u, out.uncompressed_size);
}

TEST(BlobIndexTest, DebugStringNamesEveryField) {
  std::string d = Make(12, 4138, 1000, 4096, Compression::kLZ4).DebugString();
  EXPECT_EQ("file=12 offset=4138 size=1000 uncompressed=4096 compression=lz4", d);
}

TEST(BlobIndexTest, EveryProperPrefixIsCorruption) {
  std::string enc;
  Make(300, 70000, 5000, 20000, Compression::kLZ4).EncodeTo(&enc);
  for (size_t n = 0; n < enc.size(); n++) {
    BlobIndex out;
    Status s = out.DecodeFrom(Slice(enc.data(), n));
    EXPECT_TRUE(s.IsCorruption()) << "prefix " << n << ": " << s.ToString();
  }
}

TEST(BlobIndexTest, MalformedInputsAreCorruption) {
  std::string good;
  Make(3, 100, 10, 10, Compression::kNone).EncodeTo(&good);
  BlobIndex out;

  std::string bad_type = good;
  bad_type[0] = 2;
  EXPECT_TRUE(out.DecodeFrom(bad_type).IsCorruption());

  std::string trailing = good + "x";
  EXPECT_TRUE(out.DecodeFrom(trailing).IsCorruption());

  std::string bad_compression = good;
  bad_compression.back() = 7;  // the compression byte of a raw index is last
  EXPECT_TRUE(out.DecodeFrom(bad_compression).IsCorruption());

  // An unterminated varint (11 continuation bytes).
  std::string overlong(1, static_cast<char>(BlobIndex::kBlobIndexTypeV1));
  overlong.append(11, static_cast<char>(0x80));
  EXPECT_TRUE(out.DecodeFrom(overlong).IsCorruption());

  // offset + size wraps around.
  std::string wraps;
  Make(1, UINT64_MAX - 5, 10, 10, Compression::kNone).EncodeTo(&wraps);
  EXPECT_TRUE(out.DecodeFrom(wraps).IsCorruption());

  EXPECT_TRUE(out.DecodeFrom(Slice()).IsCorruption());
}

TEST(BlobIndexTest, RandomGarbageNeverCrashes) {
  Random rnd(301);
  for (int i = 0; i < 20000; i++) {
    std::string junk(rnd.Uniform(30), '\0');
    for (char& c : junk) c = static_cast<char>(rnd.Next());
    if (!junk.empty() && rnd.OneIn(2)) junk[0] = 1;
    BlobIndex out;
    Status s = out.DecodeFrom(junk);
    if (s.ok()) {
      std::string again;
      out.EncodeTo(&again);
      BlobIndex out2;
      ASSERT_TRUE(out2.DecodeFrom(again).ok());
      EXPECT_EQ(out, out2);
    } else {
      EXPECT_TRUE(s.IsCorruption());
    }
  }
}

}  // namespace lode
