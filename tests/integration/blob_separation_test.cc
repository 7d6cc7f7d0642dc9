// Key-value separation through the public API: which values go to blob files
// (the min_blob_size threshold, enable_blob_files), round trips of every
// size from empty to 64 MiB, keys whose values move between inline and blob,
// iterators over mixed values, and the blob properties.
#include <map>

#include "tests/integration/blob_db_test_util.h"

namespace lode::test {
namespace {

TEST_F(BlobDBTest, ValuesJustBelowAtAndAboveTheThresholdRoundTrip) {
  Options o = BlobOptions();
  o.min_blob_size = 1024;
  Open(o);
  Random rnd(11);
  const std::map<std::string, std::string> model = {
      {"below", RandomBytes(&rnd, 1023)},
      {"at", RandomBytes(&rnd, 1024)},
      {"above", RandomBytes(&rnd, 1025)},
      {"tiny", "x"},
  };
  for (const auto& [k, v] : model) Put(k, v);
  FlushOrDie();
  // Exactly the values of at least min_blob_size bytes were separated.
  EXPECT_EQ(2u, BlobsWritten());
  EXPECT_EQ(1024u + 1025u, IntProperty("lode.live-blob-bytes"));
  for (const auto& [k, v] : model) EXPECT_EQ(v, Get(k)) << k;
  EXPECT_EQ(model, Contents());
  Reopen();
  for (const auto& [k, v] : model) EXPECT_EQ(v, Get(k)) << k;
  EXPECT_EQ(model, Contents());
}

TEST_F(BlobDBTest, EmptyValuesRoundTripInlineAndAsBlobs) {
  Options o = BlobOptions();
  Open(o);
  Put("empty", "");
  FlushOrDie();
  EXPECT_EQ(0u, BlobsWritten());  // below any positive threshold
  EXPECT_EQ("", Get("empty"));

  // With a zero threshold every value is separated, even an empty one.
  ASSERT_TRUE(db_->SetOptions({{"min_blob_size", "0"}}).ok());
  Put("empty2", "");
  Put("one", "1");
  FlushOrDie();
  EXPECT_EQ(2u, BlobsWritten());
  EXPECT_EQ("", Get("empty2"));
  EXPECT_EQ("1", Get("one"));
  std::map<std::string, std::string> expected = {{"empty", ""}, {"empty2", ""}, {"one", "1"}};
  EXPECT_EQ(expected, Contents());
  Reopen();
  EXPECT_EQ(expected, Contents());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(expected, Contents());
}

TEST_F(BlobDBTest, SixtyFourMiBValueGoesToABlobFileAndReadsBack) {
  Options o = BlobOptions();
  o.write_buffer_size = 4 << 20;
  Open(o);
  Random rnd(64);
  const std::string big = RandomBytes(&rnd, 64 << 20);
  Put("big", big);
  Put("small", "s");
  FlushOrDie();
  auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  EXPECT_GT(FileSize(blobs[0]), 64u << 20);
  EXPECT_TRUE(Get("big") == big);
  Reopen();
  EXPECT_TRUE(Get("big") == big);
  auto it = db_->NewIterator(ReadOptions());
  it->Seek("big");
  ASSERT_TRUE(it->Valid());
  EXPECT_TRUE(it->value() == Slice(big));
  it->Next();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("s", it->value().ToString());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
}

TEST_F(BlobDBTest, DisabledBlobFilesKeepEverythingInline) {
  Options o = BlobOptions();
  o.enable_blob_files = false;
  Open(o);
  Random rnd(3);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 50; i++) model[NumberedKey(i)] = RandomBytes(&rnd, 100 + i * 1000);
  for (const auto& [k, v] : model) Put(k, v);
  FlushOrDie();
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_TRUE(DbFiles(".blob").empty());
  EXPECT_EQ(0u, IntProperty("lode.num-blob-files"));
  EXPECT_EQ(model, Contents());
}

TEST_F(BlobDBTest, ThresholdAboveEveryValueKeepsEverythingInline) {
  Options o = BlobOptions();
  o.min_blob_size = 1 << 20;
  Open(o);
  Random rnd(4);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 20; i++) model[NumberedKey(i)] = RandomBytes(&rnd, (1 << 20) - 1 - i);
  for (const auto& [k, v] : model) Put(k, v);
  FlushOrDie();
  EXPECT_TRUE(DbFiles(".blob").empty());
  EXPECT_EQ(0u, IntProperty("lode.total-blob-bytes"));
  EXPECT_EQ(model, Contents());
}

// The same key alternates between small and large values across flushes;
// every snapshot keeps seeing its own version, and after compaction the
// latest one wins whichever form it has.
TEST_F(BlobDBTest, KeyMovesBetweenInlineAndBlobAsItsValueChanges) {
  Open(BlobOptions());
  Random rnd(5);
  std::vector<std::pair<const Snapshot*, std::string>> versions;
  for (int round = 0; round < 6; round++) {
    const size_t size = round % 2 == 0 ? 10 + round : 5000 + round;
    std::string v = RandomBytes(&rnd, size);
    Put("k", v);
    Put("other" + std::to_string(round), v);
    versions.emplace_back(db_->GetSnapshot(), v);
    if (round % 3 != 2) FlushOrDie();  // some versions still in the memtable
  }
  for (const auto& [snap, v] : versions) EXPECT_EQ(v, Get("k", snap));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  for (const auto& [snap, v] : versions) EXPECT_EQ(v, Get("k", snap));
  for (const auto& [snap, v] : versions) db_->ReleaseSnapshot(snap);
  // Versions kept for the snapshots sit in the bottom table until it is
  // merged again: a new write over the range makes CompactRange merge it.
  Put("k", versions.back().second);
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(versions.back().second, Get("k"));
  // Overwritten blob versions of "k" became garbage: the large "other"
  // values and the latest (large) "k" are all that is live.
  uint64_t live = versions.back().second.size();
  for (const auto& [snap, v] : versions) {
    if (v.size() >= 1024) live += v.size();
  }
  EXPECT_EQ(live, IntProperty("lode.live-blob-bytes"));
}

// A random mix of inline and separated values, overwrites and deletes,
// checked against a model with Get and with iterators in both directions.
TEST_F(BlobDBTest, IteratorsInBothDirectionsOverMixedValues) {
  Options o = BlobOptions();
  o.write_buffer_size = 256 << 10;  // automatic flushes as well
  Open(o);
  Random rnd(6);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 1500; i++) {
    std::string k = NumberedKey(rnd.Uniform(400));
    if (rnd.OneIn(8)) {
      Delete(k);
      model.erase(k);
    } else {
      const size_t size = rnd.OneIn(2) ? rnd.Uniform(1024) : 1024 + rnd.Uniform(4000);
      std::string v = RandomBytes(&rnd, size);
      Put(k, v);
      model[k] = v;
    }
    if (i % 400 == 399) FlushOrDie();
  }
  for (int pass = 0; pass < 2; pass++) {
    EXPECT_EQ(model, Contents());
    auto it = db_->NewIterator(ReadOptions());
    auto m = model.rbegin();
    for (it->SeekToLast(); it->Valid(); it->Prev(), ++m) {
      ASSERT_NE(m, model.rend());
      ASSERT_EQ(m->first, it->key().ToString());
      ASSERT_TRUE(it->value() == Slice(m->second)) << m->first;
    }
    EXPECT_EQ(m, model.rend());
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    // Direction changes in the middle, on separated and inline values alike.
    auto mid = model.begin();
    std::advance(mid, model.size() / 2);
    it->Seek(mid->first);
    for (int step = 0; step < 20; step++) {
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(mid->first, it->key().ToString());
      ASSERT_TRUE(it->value() == Slice(mid->second));
      if (step % 3 == 2) {
        it->Prev();
        --mid;
      } else {
        it->Next();
        ++mid;
      }
    }
    for (const auto& [k, v] : model) ASSERT_EQ(v, Get(k)) << k;
    ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  }
}

TEST_F(BlobDBTest, BlobPropertiesMatchTheFilesOnDisk) {
  Options o = BlobOptions();
  o.blob_file_size = 64 << 10;  // several blob files per flush
  Open(o);
  Random rnd(7);
  uint64_t value_bytes = 0;
  for (int i = 0; i < 60; i++) {
    std::string v = RandomBytes(&rnd, 3000 + i);
    value_bytes += v.size();
    Put(NumberedKey(i), v);
  }
  Put("inline", "small");
  FlushOrDie();
  auto check_files = [&] {
    auto blobs = DbFiles(".blob");
    uint64_t on_disk = 0;
    for (const auto& b : blobs) on_disk += FileSize(b);
    EXPECT_EQ(blobs.size(), IntProperty("lode.num-blob-files"));
    EXPECT_EQ(on_disk, IntProperty("lode.total-blob-bytes"));
    std::string stats;
    EXPECT_TRUE(db_->GetProperty("lode.blob-stats", &stats));
    EXPECT_NE(std::string::npos, stats.find("Blob files: " + std::to_string(blobs.size())))
        << stats;
    EXPECT_NE(std::string::npos, stats.find("Blob file bytes: " + std::to_string(on_disk)))
        << stats;
    return blobs.size();
  };
  EXPECT_GE(check_files(), 2u);
  EXPECT_EQ(value_bytes, IntProperty("lode.live-blob-bytes"));

  // Overwrite half of them with small values: after compaction their blob
  // bytes are garbage and no longer live.
  uint64_t dropped = 0;
  for (int i = 0; i < 60; i += 2) {
    std::string old = Get(NumberedKey(i));
    dropped += old.size();
    Put(NumberedKey(i), "now inline");
  }
  FlushOrDie();
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  check_files();
  EXPECT_EQ(value_bytes - dropped, IntProperty("lode.live-blob-bytes"));
  std::string stats;
  ASSERT_TRUE(db_->GetProperty("lode.blob-stats", &stats));
  EXPECT_NE(std::string::npos,
            stats.find("Live blob bytes: " + std::to_string(value_bytes - dropped)))
      << stats;
}

}  // namespace
}  // namespace lode::test
