#include "blob/blob_file_iterator.h"

#include <gtest/gtest.h>

#include "blob/blob_log_format.h"
#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

class BlobFileIteratorTest : public ::testing::Test {
 protected:
  BlobFileIteratorTest() : env_(Env::Default()), fname_(BlobFileName(dir_.path(), 3)) {}

  void Write(const test::KVs& kvs) {
    indexes_.clear();
    test::WriteBlobFile(env_, fname_, 3, Compression::kLZ4, kvs, &indexes_);
  }
  // Walks the whole file; returns the final status and the records seen.
  Status Walk(test::KVs* seen, std::vector<BlobIndex>* seen_indexes, size_t readahead = 4096) {
    std::unique_ptr<BlobFileIterator> it;
    Status s = BlobFileIterator::Open(env_, fname_, 3, &it, readahead);
    if (!s.ok()) return s;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string v;
      s = it->GetValue(&v);
      if (!s.ok()) return s;
      seen->emplace_back(it->key().ToString(), v);
      seen_indexes->push_back(it->index());
      EXPECT_EQ(it->index().offset - BlobLogRecordHeader::kSize - it->key().size(),
                it->record_offset());
      EXPECT_EQ(it->index().size, it->stored_value().size());
    }
    return it->status();
  }

  test::TempDir dir_;
  Env* env_;
  std::string fname_;
  std::vector<BlobIndex> indexes_;
};

TEST_F(BlobFileIteratorTest, WalksEveryRecordOfAFileInOrder) {
  Random rnd(11);
  test::KVs kvs;
  for (int i = 0; i < 200; i++) {
    // Mixed sizes, some larger than the 4 KiB readahead.
    kvs.emplace_back(test::NumberedKey(i),
                     test::RandomBytes(&rnd, rnd.Skewed(15), i % 2 ? 1.0 : 0.2));
  }
  Write(kvs);
  test::KVs seen;
  std::vector<BlobIndex> seen_indexes;
  Status s = Walk(&seen, &seen_indexes);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(kvs.size(), seen.size());
  for (size_t i = 0; i < kvs.size(); i++) {
    EXPECT_EQ(kvs[i].first, seen[i].first);
    EXPECT_TRUE(kvs[i].second == seen[i].second) << i;
    EXPECT_EQ(indexes_[i], seen_indexes[i]) << i;
  }
}

TEST_F(BlobFileIteratorTest, EmptyFileHasNoRecords) {
  Write({});
  test::KVs seen;
  std::vector<BlobIndex> idx;
  EXPECT_TRUE(Walk(&seen, &idx).ok());
  EXPECT_TRUE(seen.empty());
}

TEST_F(BlobFileIteratorTest, EveryBitFlipStopsTheWalkWithCorruptionAtAnOffset) {
  Random rnd(12);
  test::KVs kvs = {
      {"k1", test::RandomBytes(&rnd, 300, 0.3)}, {"k2", ""}, {"k3", test::RandomBytes(&rnd, 200)}};
  Write(kvs);
  const std::string good = test::ReadAll(fname_);
  for (size_t off = 0; off < good.size(); off++) {
    std::string bad = good;
    bad[off] ^= static_cast<char>(0x10);
    test::WriteAll(fname_, bad);
    test::KVs seen;
    std::vector<BlobIndex> idx;
    Status s = Walk(&seen, &idx, off % 2 ? 4096 : 1 << 20);
    ASSERT_TRUE(s.IsCorruption()) << "flip at " << off << ": " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find("000003.blob: ")) << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(" at offset ")) << s.ToString();
    for (size_t i = 0; i < seen.size(); i++) {
      ASSERT_TRUE(seen[i] == kvs[i]) << "wrong record returned, flip at " << off;
    }
  }
}

TEST_F(BlobFileIteratorTest, RemovedRecordIsCaughtByFooterTotals) {
  test::KVs kvs = {
      {"a", std::string(100, '1')}, {"b", std::string(100, '2')}, {"c", std::string(100, '3')}};
  Write(kvs);
  std::string data = test::ReadAll(fname_);
  // Cut record "b" out whole: every remaining record is intact.
  const size_t b_start = indexes_[1].offset - BlobLogRecordHeader::kSize - 1;
  const size_t b_end = indexes_[1].offset + indexes_[1].size;
  data.erase(b_start, b_end - b_start);
  test::WriteAll(fname_, data);
  test::KVs seen;
  std::vector<BlobIndex> idx;
  Status s = Walk(&seen, &idx);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_EQ(2u, seen.size());
}

TEST_F(BlobFileIteratorTest, SwappedRecordsAreCaughtByRecordsChecksum) {
  Random rnd(13);
  test::KVs kvs = {{"a", test::RandomBytes(&rnd, 100)}, {"b", test::RandomBytes(&rnd, 100)}};
  Write(kvs);
  ASSERT_EQ(Compression::kNone, indexes_[0].compression);
  std::string data = test::ReadAll(fname_);
  const size_t rec = BlobLogRecordHeader::kSize + 1 + 100;
  std::string first = data.substr(BlobLogHeader::kSize, rec);
  std::string second = data.substr(BlobLogHeader::kSize + rec, rec);
  data.replace(BlobLogHeader::kSize, rec, second);
  data.replace(BlobLogHeader::kSize + rec, rec, first);
  test::WriteAll(fname_, data);
  test::KVs seen;
  std::vector<BlobIndex> idx;
  Status s = Walk(&seen, &idx);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("records checksum")) << s.ToString();
}

TEST_F(BlobFileIteratorTest, TruncatedFileFailsToOpen) {
  Write({{"a", std::string(100, '1')}});
  std::string data = test::ReadAll(fname_);
  test::WriteAll(fname_, Slice(data.data(), data.size() - 3));
  std::unique_ptr<BlobFileIterator> it;
  EXPECT_TRUE(BlobFileIterator::Open(env_, fname_, 3, &it).IsCorruption());
}

}  // namespace lode
