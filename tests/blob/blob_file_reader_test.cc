// Writer + reader round trips and everything the reader must refuse.
#include "blob/blob_file_reader.h"

#include <gtest/gtest.h>

#include "blob/blob_file_writer.h"
#include "blob/blob_log_format.h"
#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

using test::KVs;

class BlobFileReaderTest : public ::testing::Test {
 protected:
  BlobFileReaderTest() : env_(Env::Default()), fname_(BlobFileName(dir_.path(), kNumber)) {}

  static constexpr uint64_t kNumber = 7;

  void Write(Compression c, const KVs& kvs) {
    indexes_.clear();
    test::WriteBlobFile(env_, fname_, kNumber, c, kvs, &indexes_);
  }
  std::unique_ptr<BlobFileReader> Open() {
    std::unique_ptr<BlobFileReader> r;
    Status s = BlobFileReader::Open(env_, fname_, kNumber, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }
  void ExpectReadsBack(const KVs& kvs) {
    auto r = Open();
    ASSERT_NE(nullptr, r);
    ReadOptions ro;
    for (size_t i = 0; i < kvs.size(); i++) {
      std::string v;
      Status s = r->GetBlob(ro, kvs[i].first, indexes_[i], &v);
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_EQ(kvs[i].second.size(), v.size());
      ASSERT_TRUE(kvs[i].second == v) << "value " << i << " differs";
    }
  }

  test::TempDir dir_;
  Env* env_;
  std::string fname_;
  std::vector<BlobIndex> indexes_;
};

// A ratio for test::RandomBytes whose repeated fragment fits in LZ4's 64 KiB
// window, so LZ4 really finds the repeats.
double Compressible(size_t n) { return n <= 10000 ? 0.1 : 1000.0 / static_cast<double>(n); }

// Expects a Corruption whose message names the blob file.
void ExpectCorruptionNamingFile(const Status& s, const std::string& what) {
  EXPECT_TRUE(s.IsCorruption()) << what << ": " << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000007.blob")) << what << ": " << s.ToString();
}

}  // namespace

struct RoundTripCase {
  size_t value_size;
  bool compressible;
  Compression compression;
};

class BlobRoundTripTest : public BlobFileReaderTest,
                          public ::testing::WithParamInterface<RoundTripCase> {};

TEST_P(BlobRoundTripTest, ValuesReadBackEqual) {
  const RoundTripCase c = GetParam();
  Random rnd(c.value_size + 17);
  KVs kvs;
  for (int i = 0; i < 3; i++) {
    kvs.emplace_back(
        test::NumberedKey(i),
        test::RandomBytes(&rnd, c.value_size, c.compressible ? Compressible(c.value_size) : 1.0));
  }
  Write(c.compression, kvs);
  uint64_t stored = 0;
  for (size_t i = 0; i < kvs.size(); i++) {
    EXPECT_EQ(kvs[i].second.size(), indexes_[i].uncompressed_size);
    stored += indexes_[i].size;
    // Compressed only when asked and when it pays.
    const bool expect_lz4 =
        c.compression == Compression::kLZ4 && c.compressible && c.value_size >= 64;
    EXPECT_EQ(expect_lz4 ? Compression::kLZ4 : Compression::kNone, indexes_[i].compression)
        << "value size " << c.value_size;
    if (indexes_[i].compression == Compression::kLZ4) {
      EXPECT_LT(indexes_[i].size, indexes_[i].uncompressed_size);
    }
  }
  ExpectReadsBack(kvs);
  auto r = Open();
  EXPECT_EQ(3u, r->blob_count());
  EXPECT_EQ(stored, r->blob_bytes());  // blob bytes count stored value bytes
  uint64_t size = 0;
  ASSERT_TRUE(env_->GetFileSize(fname_, &size).ok());
  EXPECT_EQ(size, r->file_size());
}

INSTANTIATE_TEST_SUITE_P(Sizes, BlobRoundTripTest,
                         ::testing::Values(RoundTripCase{0, false, Compression::kNone},
                                           RoundTripCase{0, true, Compression::kLZ4},
                                           RoundTripCase{1, true, Compression::kLZ4},
                                           RoundTripCase{100, true, Compression::kLZ4},
                                           RoundTripCase{100, false, Compression::kLZ4},
                                           RoundTripCase{4096, true, Compression::kNone},
                                           RoundTripCase{4096, true, Compression::kLZ4},
                                           RoundTripCase{4096, false, Compression::kLZ4},
                                           RoundTripCase{1 << 20, true, Compression::kNone},
                                           RoundTripCase{1 << 20, true, Compression::kLZ4},
                                           RoundTripCase{1 << 20, false, Compression::kNone},
                                           RoundTripCase{1 << 20, false, Compression::kLZ4}),
                         [](const ::testing::TestParamInfo<RoundTripCase>& info) {
                           const RoundTripCase& c = info.param;
                           return std::to_string(c.value_size) +
                                  (c.compressible ? "_compressible_" : "_random_") +
                                  (c.compression == Compression::kLZ4 ? "lz4" : "none");
                         });

TEST_F(BlobFileReaderTest, SixtyFourMiBValuesRoundTripCompressedAndRaw) {
  Random rnd(64);
  const size_t n = 64 << 20;
  KVs kvs = {{"incompressible", test::RandomBytes(&rnd, n)},
             {"compressible", test::RandomBytes(&rnd, n, Compressible(n))}};
  Write(Compression::kLZ4, kvs);
  EXPECT_EQ(Compression::kNone, indexes_[0].compression);
  EXPECT_EQ(Compression::kLZ4, indexes_[1].compression);
  EXPECT_LT(indexes_[1].size, n / 4);
  ExpectReadsBack(kvs);
}

TEST_F(BlobFileReaderTest, EmptyFileOpensWithZeroCounts) {
  Write(Compression::kLZ4, {});
  auto r = Open();
  ASSERT_NE(nullptr, r);
  EXPECT_EQ(0u, r->blob_count());
  EXPECT_EQ(0u, r->blob_bytes());
  EXPECT_EQ(kBlobFileMinSize, r->file_size());
}

TEST_F(BlobFileReaderTest, IndexOffsetIsJustPastRecordHeaderAndKey) {
  Write(Compression::kNone, {{"a", "xx"}, {"bcd", "yyy"}});
  EXPECT_EQ(BlobLogHeader::kSize + BlobLogRecordHeader::kSize + 1, indexes_[0].offset);
  EXPECT_EQ(indexes_[0].offset + 2 + BlobLogRecordHeader::kSize + 3, indexes_[1].offset);
  EXPECT_EQ(kNumber, indexes_[1].file_number);
}

TEST_F(BlobFileReaderTest, GetBlobIsOnePositionedRead) {
  test::CountingEnv counting(env_);
  Write(Compression::kLZ4, {{"k1", std::string(10000, 'a')}, {"k2", std::string(5000, 'b')}});
  std::unique_ptr<BlobFileReader> r;
  ASSERT_TRUE(BlobFileReader::Open(&counting, fname_, kNumber, &r).ok());
  const int after_open = counting.reads.load();
  std::string v;
  ASSERT_TRUE(r->GetBlob(ReadOptions(), "k1", indexes_[0], &v).ok());
  EXPECT_EQ(after_open + 1, counting.reads.load());
  EXPECT_EQ(std::string(10000, 'a'), v);
}

TEST_F(BlobFileReaderTest, WrongKeyIsCorruption) {
  Write(Compression::kNone, {{"key1", std::string(100, 'x')}, {"key2", std::string(100, 'y')}});
  auto r = Open();
  std::string v;
  // Same length, other key.
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key2", indexes_[0], &v), "same length");
  // Other length: the record would start elsewhere.
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key10", indexes_[0], &v), "longer");
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "k", indexes_[0], &v), "shorter");
  // Without checksum verification the key is still checked.
  ReadOptions no_verify;
  no_verify.verify_checksums = false;
  ExpectCorruptionNamingFile(r->GetBlob(no_verify, "key2", indexes_[0], &v), "no verify");
}

TEST_F(BlobFileReaderTest, IndexPastEndOfFileIsCorruptionNamingFileAndOffset) {
  Write(Compression::kNone, {{"key", std::string(100, 'x')}});
  auto r = Open();
  std::string v;
  BlobIndex past = indexes_[0];
  past.offset = r->file_size() + 1000;
  Status s = r->GetBlob(ReadOptions(), "key", past, &v);
  ExpectCorruptionNamingFile(s, "past EOF");
  EXPECT_NE(std::string::npos, s.ToString().find(std::to_string(past.offset))) << s.ToString();

  BlobIndex into_footer = indexes_[0];
  into_footer.size += 1;  // last byte would be the footer's
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", into_footer, &v), "into footer");

  BlobIndex huge = indexes_[0];
  huge.size = UINT64_MAX - huge.offset;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", huge, &v), "huge");

  BlobIndex before_records = indexes_[0];
  before_records.offset = 5;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", before_records, &v), "header");
}

TEST_F(BlobFileReaderTest, IndexDisagreeingWithRecordIsCorruption) {
  Write(Compression::kLZ4, {{"key", std::string(5000, 'x')}, {"key", std::string(5000, 'y')}});
  auto r = Open();
  std::string v;
  BlobIndex i = indexes_[0];
  i.size -= 1;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", i, &v), "size");
  i = indexes_[0];
  i.uncompressed_size += 1;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", i, &v), "uncompressed");
  i = indexes_[0];
  i.compression = Compression::kNone;
  i.uncompressed_size = i.size;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", i, &v), "compression");
  i = indexes_[0];
  i.offset += 1;
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", i, &v), "shifted");
  i.uncompressed_size = uint64_t{1} << 40;  // implausible: refused before allocating
  ExpectCorruptionNamingFile(r->GetBlob(ReadOptions(), "key", i, &v), "implausible");
  i = indexes_[0];
  i.file_number = kNumber + 1;
  EXPECT_TRUE(r->GetBlob(ReadOptions(), "key", i, &v).IsInvalidArgument());
}

TEST_F(BlobFileReaderTest, ReadStoredReturnsStoredBytesWithoutDecompressing) {
  const std::string value(20000, 'z');
  Write(Compression::kLZ4, {{"key", value}});
  auto r = Open();
  std::string stored;
  ASSERT_TRUE(r->ReadStored("key", indexes_[0], &stored).ok());
  EXPECT_EQ(indexes_[0].size, stored.size());
  EXPECT_LT(stored.size(), value.size());
  ExpectCorruptionNamingFile(r->ReadStored("kez", indexes_[0], &stored), "wrong key");
}

TEST_F(BlobFileReaderTest, TruncatedFileFailsToOpenWithCorruption) {
  Random rnd(5);
  Write(Compression::kLZ4,
        {{"a", test::RandomBytes(&rnd, 3000, 0.5)}, {"b", test::RandomBytes(&rnd, 3000)}});
  const std::string full = test::ReadAll(fname_);
  std::vector<size_t> lengths = {0,
                                 1,
                                 BlobLogHeader::kSize,
                                 BlobLogHeader::kSize + 10,
                                 full.size() / 2,
                                 full.size() - BlobLogFooter::kSize,
                                 full.size() - 1};
  for (size_t len : lengths) {
    test::WriteAll(fname_, Slice(full.data(), len));
    std::unique_ptr<BlobFileReader> r;
    ExpectCorruptionNamingFile(BlobFileReader::Open(env_, fname_, kNumber, &r),
                               "length " + std::to_string(len));
    EXPECT_EQ(nullptr, r);
  }
}

TEST_F(BlobFileReaderTest, UnfinishedFileFailsToOpenWithCorruption) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_->NewWritableFile(fname_, &file).ok());
  BlobFileWriter w(std::move(file), fname_, kNumber, Compression::kNone);
  ASSERT_TRUE(w.Open().ok());
  BlobIndex i;
  ASSERT_TRUE(w.AddBlob("k", std::string(500, 'v'), &i).ok());
  w.Abandon();
  std::unique_ptr<BlobFileReader> r;
  ExpectCorruptionNamingFile(BlobFileReader::Open(env_, fname_, kNumber, &r), "no footer");
}

TEST_F(BlobFileReaderTest, FileNamingAnotherNumberIsCorruption) {
  Write(Compression::kNone, {{"k", "v"}});
  std::unique_ptr<BlobFileReader> r;
  Status s = BlobFileReader::Open(env_, fname_, kNumber + 1, &r);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(BlobFileReaderTest, EncryptedFlagIsNotSupported) {
  Write(Compression::kNone, {{"k", "v"}});
  std::string data = test::ReadAll(fname_);
  BlobLogHeader h;
  h.file_number = kNumber;
  h.flags = kBlobFlagEncrypted;
  std::string enc;
  h.EncodeTo(&enc);
  data.replace(0, enc.size(), enc);
  test::WriteAll(fname_, data);
  std::unique_ptr<BlobFileReader> r;
  EXPECT_TRUE(BlobFileReader::Open(env_, fname_, kNumber, &r).IsNotSupported());
}

// Flip one bit at a spread of offsets covering header, every record header,
// keys, values and footer: each flip is caught (Open or GetBlob fails with
// Corruption naming the file) and no read ever returns wrong bytes.
TEST_F(BlobFileReaderTest, BitFlipsAreCorruptionNeverWrongBytes) {
  Random rnd(99);
  KVs kvs = {{"alpha", test::RandomBytes(&rnd, 2000, 0.2)},  // lz4
             {"b", ""},                                      // empty value
             {"gamma", test::RandomBytes(&rnd, 1500)},       // raw
             {"delta-key", test::RandomBytes(&rnd, 700, 0.3)}};
  Write(Compression::kLZ4, kvs);
  const std::string good = test::ReadAll(fname_);
  std::vector<size_t> offsets;
  for (size_t off = 0; off < good.size(); off++) {
    // Every byte of header, record headers, keys and footer; every 7th of values.
    bool in_value = false;
    for (const auto& i : indexes_) in_value |= off >= i.offset && off < i.offset + i.size;
    if (!in_value || off % 7 == 0) offsets.push_back(off);
  }
  ASSERT_GT(offsets.size(), 300u);
  int open_failures = 0, read_failures = 0;
  for (size_t off : offsets) {
    std::string bad = good;
    bad[off] ^= static_cast<char>(1 << (off % 8));
    test::WriteAll(fname_, bad);
    std::unique_ptr<BlobFileReader> r;
    Status s = BlobFileReader::Open(env_, fname_, kNumber, &r);
    if (!s.ok()) {
      ExpectCorruptionNamingFile(s, "open, offset " + std::to_string(off));
      open_failures++;
      continue;
    }
    bool caught = false;
    for (size_t i = 0; i < kvs.size(); i++) {
      std::string v;
      s = r->GetBlob(ReadOptions(), kvs[i].first, indexes_[i], &v);
      if (s.ok()) {
        ASSERT_TRUE(v == kvs[i].second) << "wrong bytes returned, flip at " << off;
      } else {
        ExpectCorruptionNamingFile(s, "get, offset " + std::to_string(off));
        caught = true;
      }
    }
    EXPECT_TRUE(caught) << "flip at offset " << off << " went unnoticed";
    read_failures += caught;
  }
  EXPECT_GT(open_failures, 0);
  EXPECT_GT(read_failures, 0);
}

}  // namespace lode
