// Separation settings changed on a live DB with SetOptions: each takes effect
// at the next flush without reopening, and values written under the old
// settings stay readable.
#include <map>

#include "tests/integration/blob_db_test_util.h"

namespace lode::test {
namespace {

class BlobOptionsTest : public BlobDBTest {
 protected:
  void Set(const std::string& name, const std::string& value) {
    Status s = db_->SetOptions({{name, value}});
    ASSERT_TRUE(s.ok()) << name << "=" << value << ": " << s.ToString();
  }
  std::string OptionsText() {
    std::string v;
    EXPECT_TRUE(db_->GetProperty("lode.options", &v));
    return v;
  }
  void PutBatch(const std::string& prefix, int n, size_t size, Random* rnd, double ratio = 1.0) {
    for (int i = 0; i < n; i++) {
      std::string k = prefix + NumberedKey(i);
      std::string v = RandomBytes(rnd, size, ratio);
      Put(k, v);
      model_[k] = v;
    }
  }
  void CheckModel() {
    for (const auto& [k, v] : model_) ASSERT_EQ(v, Get(k)) << k;
    EXPECT_EQ(model_, Contents());
  }
  std::map<std::string, std::string> model_;
};

TEST_F(BlobOptionsTest, MinBlobSizeChangeAppliesToLaterFlushes) {
  Open(BlobOptions());  // min_blob_size 1024
  Random rnd(1);
  PutBatch("a", 10, 2000, &rnd);
  FlushOrDie();
  EXPECT_EQ(10u, BlobsWritten());

  Set("min_blob_size", "4096");
  PutBatch("b", 10, 2000, &rnd);  // now below the threshold
  FlushOrDie();
  EXPECT_EQ(10u, BlobsWritten());
  EXPECT_NE(std::string::npos, OptionsText().find("min_blob_size: 4096\n")) << OptionsText();

  Set("min_blob_size", "100");
  PutBatch("c", 10, 200, &rnd);  // now above it
  FlushOrDie();
  EXPECT_EQ(20u, BlobsWritten());
  CheckModel();
  // Compaction keeps each value in the form it has: the threshold decides at
  // flush only.
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(20u, BlobsWritten());
  CheckModel();
}

TEST_F(BlobOptionsTest, EnableBlobFilesTogglesSeparationOfLaterFlushes) {
  Open(BlobOptions());
  Random rnd(2);
  Set("enable_blob_files", "false");
  PutBatch("a", 10, 5000, &rnd);
  FlushOrDie();
  EXPECT_TRUE(DbFiles(".blob").empty());
  Set("enable_blob_files", "true");
  PutBatch("b", 10, 5000, &rnd);
  FlushOrDie();
  EXPECT_EQ(1u, DbFiles(".blob").size());
  EXPECT_EQ(10u, BlobsWritten());
  Set("enable_blob_files", "false");
  PutBatch("c", 10, 5000, &rnd);
  FlushOrDie();
  EXPECT_EQ(1u, DbFiles(".blob").size());
  CheckModel();
}

TEST_F(BlobOptionsTest, BlobFileSizeChangeSplitsLaterFlushesIntoSmallerFiles) {
  Open(BlobOptions());  // blob_file_size 64 MiB: one file per flush
  Random rnd(3);
  PutBatch("a", 32, 4096, &rnd);
  FlushOrDie();
  EXPECT_EQ(1u, DbFiles(".blob").size());
  Set("blob_file_size", std::to_string(32 << 10));
  PutBatch("b", 32, 4096, &rnd);  // 128 KiB of blobs: about four files
  FlushOrDie();
  const size_t files = DbFiles(".blob").size();
  EXPECT_GE(files, 1u + 4u);
  EXPECT_LE(files, 1u + 5u);
  EXPECT_EQ(files, IntProperty("lode.num-blob-files"));
  CheckModel();
}

TEST_F(BlobOptionsTest, BlobCompressionChangeAppliesToLaterFlushes) {
  Open(BlobOptions());  // blob_compression none
  Random rnd(4);
  PutBatch("a", 20, 8192, &rnd, /*ratio=*/0.1);
  FlushOrDie();
  const uint64_t uncompressed = IntProperty("lode.live-blob-bytes");
  EXPECT_EQ(20u * 8192u, uncompressed);
  Set("blob_compression", "lz4");
  PutBatch("b", 20, 8192, &rnd, /*ratio=*/0.1);
  FlushOrDie();
  const uint64_t compressed = IntProperty("lode.live-blob-bytes") - uncompressed;
  EXPECT_GT(compressed, 0u);
  EXPECT_LT(compressed, uncompressed / 3);
  CheckModel();
  Reopen();  // options come from Open again; every blob still reads back
  CheckModel();
}

// Settings given at a later Open apply to new flushes only: a DB reopened
// with separation off (or another threshold) still reads its old blobs, and
// its blob files stay live through compaction.
TEST_F(BlobOptionsTest, ReopenWithSeparationOffStillReadsOldBlobs) {
  Open(BlobOptions());
  Random rnd(5);
  PutBatch("a", 20, 3000, &rnd);
  FlushOrDie();
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  Options o = BlobOptions();
  o.enable_blob_files = false;
  Open(o);
  CheckModel();
  PutBatch("b", 20, 3000, &rnd);
  FlushOrDie();
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(blobs, DbFiles(".blob"));  // no new blob file, the old one kept
  EXPECT_EQ(20u, BlobsWritten());
  CheckModel();
}

TEST_F(BlobOptionsTest, BadValuesAreRejectedAndChangeNothing) {
  Open(BlobOptions());
  const std::string before = OptionsText();
  const std::map<std::string, std::string> bad[] = {
      {{"min_blob_size", "-1"}},
      {{"min_blob_size", "12abc"}},
      {{"enable_blob_files", "maybe"}},
      {{"blob_compression", "zstd-ish"}},
      {{"blob_file_size", "0"}},
      {{"blob_size_min", "10"}},
      // One bad entry spoils the whole update.
      {{"min_blob_size", "10"}, {"blob_compression", "bogus"}},
  };
  for (const auto& update : bad) {
    std::unordered_map<std::string, std::string> u(update.begin(), update.end());
    Status s = db_->SetOptions(u);
    EXPECT_TRUE(s.IsInvalidArgument()) << update.begin()->first << ": " << s.ToString();
  }
  EXPECT_EQ(before, OptionsText());
}

}  // namespace
}  // namespace lode::test
