// Scans over separated values read blob files ahead in large windows instead
// of one read per value, and still check every record they serve.
#include <map>

#include "tests/integration/blob_db_test_util.h"

namespace lode::test {
namespace {

class BlobReadaheadTest : public BlobDBTest {
 protected:
  BlobReadaheadTest() : env_(Env::Default(), ".blob") {}
  ~BlobReadaheadTest() override { db_.reset(); }  // before env_ goes

  Options ScanOptions() {
    Options o = BlobOptions();
    o.env = &env_;
    o.write_buffer_size = 32 << 20;
    return o;
  }
  // n separated values of `size` bytes under keys prefix+i, one flush.
  void Load(int n, size_t size, int first = 0, int step = 1) {
    Random rnd(static_cast<uint32_t>(n + first));
    for (int i = first; i < first + n * step; i += step) {
      std::string k = NumberedKey(static_cast<uint64_t>(i));
      std::string v = RandomBytes(&rnd, size);
      Put(k, v);
      model_[k] = v;
    }
  }
  // Blob file reads done by fn.
  template <typename Fn>
  uint64_t BlobReadsOf(Fn fn) {
    const uint64_t before = env_.matching_reads.load();
    fn();
    return env_.matching_reads.load() - before;
  }
  void ScanForward() {
    auto it = db_->NewIterator(ReadOptions());
    auto m = model_.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
      ASSERT_NE(m, model_.end());
      ASSERT_EQ(m->first, it->key().ToString());
      ASSERT_TRUE(it->value() == Slice(m->second)) << m->first;
    }
    ASSERT_EQ(m, model_.end());
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  }
  void ScanReverse() {
    auto it = db_->NewIterator(ReadOptions());
    auto m = model_.rbegin();
    for (it->SeekToLast(); it->Valid(); it->Prev(), ++m) {
      ASSERT_NE(m, model_.rend());
      ASSERT_EQ(m->first, it->key().ToString());
      ASSERT_TRUE(it->value() == Slice(m->second)) << m->first;
    }
    ASSERT_EQ(m, model_.rend());
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  }

  ReadCountingEnv env_;
  std::map<std::string, std::string> model_;
};

TEST_F(BlobReadaheadTest, ForwardScanOfLargeValuesReadsFarFewerTimesThanValues) {
  Open(ScanOptions());
  Load(400, 16 << 10);  // 6.4 MiB in one blob file
  FlushOrDie();
  ASSERT_EQ(1u, DbFiles(".blob").size());
  const uint64_t reads = BlobReadsOf([&] { ScanForward(); });
  // Windows grow 32 KiB -> 4 MiB: a handful of reads, not 400.
  EXPECT_LE(reads, 20u);
  EXPECT_GE(reads, 3u);
  // Nothing is read twice: the windows cover the file about once.
  const uint64_t bytes_before = env_.matching_bytes.load();
  ScanForward();
  EXPECT_LE(env_.matching_bytes.load() - bytes_before, 400u * (16 << 10) * 5 / 4);
}

TEST_F(BlobReadaheadTest, ReverseScanReadsAheadBackwards) {
  Open(ScanOptions());
  Load(400, 16 << 10);
  FlushOrDie();
  const uint64_t reads = BlobReadsOf([&] { ScanReverse(); });
  EXPECT_LE(reads, 20u);
}

TEST_F(BlobReadaheadTest, ScanAlternatingBetweenBlobFilesKeepsAWindowPerFile) {
  Open(ScanOptions());
  Load(200, 16 << 10, /*first=*/0, /*step=*/2);  // even keys: first blob file
  FlushOrDie();
  Load(200, 16 << 10, /*first=*/1, /*step=*/2);  // odd keys: second blob file
  FlushOrDie();
  ASSERT_EQ(2u, DbFiles(".blob").size());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());  // one table, two blob files
  Reopen();
  EXPECT_LE(BlobReadsOf([&] { ScanForward(); }), 30u);
  EXPECT_LE(BlobReadsOf([&] { ScanReverse(); }), 30u);
}

TEST_F(BlobReadaheadTest, ScanSkippingOverwrittenBlobsStillReadsAhead) {
  Open(ScanOptions());
  Load(400, 16 << 10);
  FlushOrDie();
  // Every third value moves inline: the scan skips over its old record.
  for (int i = 0; i < 400; i += 3) {
    Put(NumberedKey(i), "inline now");
    model_[NumberedKey(i)] = "inline now";
  }
  FlushOrDie();
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_LE(BlobReadsOf([&] { ScanForward(); }), 30u);
}

TEST_F(BlobReadaheadTest, RandomSeeksDoNotReadWindows) {
  Open(ScanOptions());
  Load(400, 16 << 10);
  FlushOrDie();
  Random rnd(9);
  auto it = db_->NewIterator(ReadOptions());
  const uint64_t bytes_before = env_.matching_bytes.load();
  const int kSeeks = 50;
  for (int i = 0; i < kSeeks; i++) {
    // Far apart keys: no two seeks hit neighbouring records.
    const std::string k = NumberedKey(static_cast<uint64_t>((i * 157) % 400));
    it->Seek(k);
    ASSERT_TRUE(it->Valid());
    ASSERT_TRUE(it->value() == Slice(model_[k]));
  }
  // About one record per seek, never a 256 KiB window each.
  EXPECT_LE(env_.matching_bytes.load() - bytes_before, uint64_t{kSeeks} * (20 << 10));
}

TEST_F(BlobReadaheadTest, DamagedRecordInsideAWindowIsStillCaught) {
  Open(ScanOptions());
  Load(400, 16 << 10);
  FlushOrDie();
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  db_.reset();
  const std::string victim = NumberedKey(250);  // deep inside a later window
  ASSERT_TRUE(FlipByteOf(blobs[0], model_[victim].substr(8000, 64)));
  Open(options_);
  for (bool reverse : {false, true}) {
    auto it = db_->NewIterator(ReadOptions());
    int good = 0;
    for (reverse ? it->SeekToLast() : it->SeekToFirst(); it->Valid();
         reverse ? it->Prev() : it->Next()) {
      Slice v = it->value();
      if (it->key() == Slice(victim)) {
        EXPECT_TRUE(v.empty()) << "damaged bytes handed out";
        break;
      }
      ASSERT_TRUE(v == Slice(model_[it->key().ToString()])) << it->key().ToString();
      ASSERT_TRUE(it->status().ok()) << it->status().ToString();
      good++;
    }
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ(reverse ? 149 : 250, good);
    EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
    EXPECT_NE(std::string::npos, it->status().ToString().find(blobs[0]));
  }
}

TEST_F(BlobReadaheadTest, CompressedValuesScanWithReadaheadToo) {
  Options o = ScanOptions();
  o.blob_compression = Compression::kLZ4;
  Open(o);
  Random rnd(12);
  for (int i = 0; i < 300; i++) {
    std::string v = RandomBytes(&rnd, 20 << 10, /*ratio=*/0.4);
    Put(NumberedKey(i), v);
    model_[NumberedKey(i)] = v;
  }
  FlushOrDie();
  EXPECT_LE(BlobReadsOf([&] { ScanForward(); }), 15u);
  EXPECT_LE(BlobReadsOf([&] { ScanReverse(); }), 15u);
}

}  // namespace
}  // namespace lode::test
