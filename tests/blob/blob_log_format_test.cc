#include "blob/blob_log_format.h"

#include <gtest/gtest.h>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode {

TEST(BlobLogFormatTest, HeaderRoundTripsAndHasFixedSize) {
  BlobLogHeader h;
  h.compression = Compression::kLZ4;
  h.file_number = 4242;
  std::string enc;
  h.EncodeTo(&enc);
  ASSERT_EQ(BlobLogHeader::kSize, enc.size());
  EXPECT_EQ("lodeBLOB", enc.substr(0, 8));
  BlobLogHeader out;
  ASSERT_TRUE(out.DecodeFrom(enc).ok());
  EXPECT_EQ(kBlobFormatVersion, out.version);
  EXPECT_EQ(Compression::kLZ4, out.compression);
  EXPECT_EQ(0, out.flags);
  EXPECT_EQ(4242u, out.file_number);
}

TEST(BlobLogFormatTest, HeaderEveryBitFlipIsCorruption) {
  BlobLogHeader h;
  h.file_number = 9;
  std::string enc;
  h.EncodeTo(&enc);
  for (size_t bit = 0; bit < enc.size() * 8; bit++) {
    std::string bad = enc;
    bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    BlobLogHeader out;
    EXPECT_TRUE(out.DecodeFrom(bad).IsCorruption()) << "bit " << bit;
  }
  BlobLogHeader out;
  EXPECT_TRUE(out.DecodeFrom(Slice(enc.data(), enc.size() - 1)).IsCorruption());
}

// A header written on purpose by a newer writer (valid checksum) is
// NotSupported, not Corruption.
TEST(BlobLogFormatTest, HeaderWithNewerVersionOrUnknownFlagIsNotSupported) {
  BlobLogHeader h;
  h.version = kBlobFormatVersion + 1;
  std::string enc;
  h.EncodeTo(&enc);
  BlobLogHeader out;
  EXPECT_TRUE(out.DecodeFrom(enc).IsNotSupported());

  BlobLogHeader f;
  f.flags = 0x80;
  enc.clear();
  f.EncodeTo(&enc);
  EXPECT_TRUE(out.DecodeFrom(enc).IsNotSupported());

  // The encrypted bit is known to the format (the reader refuses it later).
  BlobLogHeader e;
  e.flags = kBlobFlagEncrypted;
  enc.clear();
  e.EncodeTo(&enc);
  EXPECT_TRUE(out.DecodeFrom(enc).ok());
  EXPECT_EQ(kBlobFlagEncrypted, out.flags);
}

TEST(BlobLogFormatTest, FooterRoundTripsAndEveryBitFlipIsCorruption) {
  BlobLogFooter f;
  f.blob_count = 17;
  f.blob_bytes = 1 << 20;
  f.records_checksum = 0xdeadbeefcafef00dull;
  std::string enc;
  f.EncodeTo(&enc);
  ASSERT_EQ(BlobLogFooter::kSize, enc.size());
  EXPECT_EQ("lodeBEND", enc.substr(0, 8));
  BlobLogFooter out;
  ASSERT_TRUE(out.DecodeFrom(enc).ok());
  EXPECT_EQ(17u, out.blob_count);
  EXPECT_EQ(uint64_t{1} << 20, out.blob_bytes);
  EXPECT_EQ(f.records_checksum, out.records_checksum);
  for (size_t bit = 0; bit < enc.size() * 8; bit++) {
    std::string bad = enc;
    bad[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    EXPECT_TRUE(out.DecodeFrom(bad).IsCorruption()) << "bit " << bit;
  }
}

TEST(BlobLogFormatTest, RecordHeaderRoundTripsAndChecksumCoversFieldsKeyAndValue) {
  BlobLogRecordHeader rh;
  rh.key_size = 3;
  rh.stored_size = 5;
  rh.uncompressed_size = 50;
  rh.compression = Compression::kLZ4;
  std::string rec;
  rh.EncodeTo(&rec);
  ASSERT_EQ(BlobLogRecordHeader::kSize, rec.size());
  rec += "keyvalue";
  const uint64_t sum = BlobLogRecordHeader::ComputeChecksum(rec.data(), rec.size());
  EXPECT_EQ(sum, BlobLogRecordHeader::ComputeChecksum(
                     Slice(rec.data() + 8, BlobLogRecordHeader::kSize - 8 + 3), "value"));
  EXPECT_EQ(sum, Checksum64(rec.data() + 8, rec.size() - 8));
  // Changing any covered byte changes the checksum.
  for (size_t i = 8; i < rec.size(); i++) {
    std::string bad = rec;
    bad[i] ^= 1;
    EXPECT_NE(sum, BlobLogRecordHeader::ComputeChecksum(bad.data(), bad.size())) << i;
  }
  BlobLogRecordHeader out;
  ASSERT_TRUE(out.DecodeFrom(rec).ok());
  EXPECT_EQ(3u, out.key_size);
  EXPECT_EQ(5u, out.stored_size);
  EXPECT_EQ(50u, out.uncompressed_size);
  EXPECT_EQ(Compression::kLZ4, out.compression);
}

TEST(BlobLogFormatTest, RecordHeaderRejectsBadFields) {
  BlobLogRecordHeader rh;
  rh.stored_size = 5;
  rh.uncompressed_size = 5;
  std::string rec;
  rh.EncodeTo(&rec);
  BlobLogRecordHeader out;
  ASSERT_TRUE(out.DecodeFrom(rec).ok());
  EXPECT_TRUE(out.DecodeFrom(Slice(rec.data(), rec.size() - 1)).IsCorruption());
  std::string bad = rec;
  bad[28] = 9;  // compression
  EXPECT_TRUE(out.DecodeFrom(bad).IsCorruption());
  bad = rec;
  bad[29] = 1;  // flags
  EXPECT_TRUE(out.DecodeFrom(bad).IsCorruption());
  bad = rec;
  EncodeFixed64(bad.data() + 20, 6);  // raw record whose sizes differ
  EXPECT_TRUE(out.DecodeFrom(bad).IsCorruption());
}

}  // namespace lode
