// BlobFileReader's readahead surface: ReadAhead reads many records in one
// I/O, GetBlob takes a record from those bytes only when they hold all of it
// and checks it exactly as a file read, RecordExtent locates a record.
#include <gtest/gtest.h>

#include <memory>

#include "blob/blob_file_reader.h"
#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/util/test_util.h"

namespace lode {
namespace {

using test::KVs;

class BlobReadaheadReaderTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kNumber = 9;

  BlobReadaheadReaderTest() : env_(Env::Default()), fname_(BlobFileName(dir_.path(), kNumber)) {
    Random rnd(5);
    for (int i = 0; i < 20; i++) {
      kvs_.emplace_back(test::NumberedKey(static_cast<uint64_t>(i)), test::RandomBytes(&rnd, 3000));
    }
  }

  void WriteAndOpen(Compression c) {
    test::WriteBlobFile(env_.target(), fname_, kNumber, c, kvs_, &indexes_);
    Status s = BlobFileReader::Open(&env_, fname_, kNumber, &reader_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // Reads every record of the file in one ReadAhead.
  BlobFileReader::Prefetched ReadAll() {
    uint64_t begin = 0, end = 0, unused = 0;
    EXPECT_TRUE(reader_->RecordExtent(kvs_.front().first, indexes_.front(), &begin, &unused).ok());
    EXPECT_TRUE(reader_->RecordExtent(kvs_.back().first, indexes_.back(), &unused, &end).ok());
    buf_.reset(new char[end - begin]);
    BlobFileReader::Prefetched p;
    Status s = reader_->ReadAhead(begin, static_cast<size_t>(end - begin), buf_.get(), &p);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(end - begin, p.data.size());
    return p;
  }

  test::TempDir dir_;
  test::CountingEnv env_;
  std::string fname_;
  KVs kvs_;
  std::vector<BlobIndex> indexes_;
  std::unique_ptr<BlobFileReader> reader_;
  std::unique_ptr<char[]> buf_;
};

TEST_F(BlobReadaheadReaderTest, RecordsInsideTheWindowNeedNoFurtherReads) {
  for (Compression c : {Compression::kNone, Compression::kLZ4}) {
    indexes_.clear();
    WriteAndOpen(c);
    const BlobFileReader::Prefetched p = ReadAll();
    const int reads = env_.reads.load();
    for (size_t i = 0; i < kvs_.size(); i++) {
      std::string v;
      Status s = reader_->GetBlob(ReadOptions(), kvs_[i].first, indexes_[i], &v, &p);
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_TRUE(v == kvs_[i].second) << i;
    }
    EXPECT_EQ(reads, env_.reads.load());
  }
}

TEST_F(BlobReadaheadReaderTest, RecordsNotWhollyInsideAreReadFromTheFile) {
  WriteAndOpen(Compression::kNone);
  BlobFileReader::Prefetched p = ReadAll();
  // Cut the window in the middle of record 10: records 10.. come from the file.
  uint64_t begin10 = 0, end10 = 0;
  ASSERT_TRUE(reader_->RecordExtent(kvs_[10].first, indexes_[10], &begin10, &end10).ok());
  p.data = Slice(p.data.data(), static_cast<size_t>(begin10 + 5 - p.offset));
  const int reads = env_.reads.load();
  for (size_t i = 0; i < kvs_.size(); i++) {
    std::string v;
    ASSERT_TRUE(reader_->GetBlob(ReadOptions(), kvs_[i].first, indexes_[i], &v, &p).ok());
    ASSERT_TRUE(v == kvs_[i].second) << i;
  }
  EXPECT_EQ(reads + 10, env_.reads.load());
  // Bytes said to be of another file are never used.
  BlobFileReader::Prefetched other = ReadAll();
  other.file_number = kNumber + 1;
  std::string v;
  const int before = env_.reads.load();
  ASSERT_TRUE(reader_->GetBlob(ReadOptions(), kvs_[3].first, indexes_[3], &v, &other).ok());
  EXPECT_EQ(before + 1, env_.reads.load());
}

TEST_F(BlobReadaheadReaderTest, DamagedByteInTheWindowIsCorruptionNamingTheFile) {
  WriteAndOpen(Compression::kNone);
  BlobFileReader::Prefetched p = ReadAll();
  uint64_t begin = 0, end = 0;
  ASSERT_TRUE(reader_->RecordExtent(kvs_[7].first, indexes_[7], &begin, &end).ok());
  buf_[static_cast<size_t>((begin + end) / 2 - p.offset)] ^= 0x04;
  std::string v = "old";
  Status s = reader_->GetBlob(ReadOptions(), kvs_[7].first, indexes_[7], &v, &p);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000009.blob")) << s.ToString();
  EXPECT_TRUE(v.empty());
  // Its neighbours in the same window are fine; the wrong key is refused.
  ASSERT_TRUE(reader_->GetBlob(ReadOptions(), kvs_[6].first, indexes_[6], &v, &p).ok());
  EXPECT_TRUE(v == kvs_[6].second);
  s = reader_->GetBlob(ReadOptions(), kvs_[5].first, indexes_[6], &v, &p);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(BlobReadaheadReaderTest, ReadAheadIsClippedToTheRecordArea) {
  WriteAndOpen(Compression::kNone);
  uint64_t size = 0;
  ASSERT_TRUE(env_.GetFileSize(fname_, &size).ok());
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  BlobFileReader::Prefetched p;
  // From offset 0, for more than the file: header and footer are left out.
  ASSERT_TRUE(reader_->ReadAhead(0, 1 << 20, buf.get(), &p).ok());
  EXPECT_EQ(kNumber, p.file_number);
  EXPECT_EQ(BlobLogHeader::kSize, p.offset);
  EXPECT_EQ(size - BlobLogHeader::kSize - BlobLogFooter::kSize, p.data.size());
  ASSERT_TRUE(reader_->ReadAhead(size, 100, buf.get(), &p).ok());
  EXPECT_EQ(0u, p.data.size());
  // An index pointing outside the records has no extent.
  BlobIndex bad = indexes_[0];
  bad.offset = size;
  uint64_t begin = 0, end = 0;
  EXPECT_TRUE(reader_->RecordExtent(kvs_[0].first, bad, &begin, &end).IsCorruption());
}

}  // namespace
}  // namespace lode
