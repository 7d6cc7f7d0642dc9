// The read path of separated values: damaged blob bytes are reported as
// Corruption naming the blob file (never returned as the value), the
// verify_checksums=false path, and the blob cache.
#include <map>

#include "tests/integration/blob_db_test_util.h"

namespace lode::test {
namespace {

class BlobReadTest : public BlobDBTest {
 protected:
  // Writes key -> value (separated) plus a few neighbours, flushes, closes,
  // flips a byte in the middle of value's bytes in the blob file, reopens.
  void WriteAndDamage(const Options& o, const std::string& key, const std::string& value) {
    Open(o);
    Put("a-before", std::string(3000, 'a'));
    Put(key, value);
    Put("z-after", std::string(3000, 'z'));
    FlushOrDie();
    blobs_ = DbFiles(".blob");
    ASSERT_EQ(1u, blobs_.size());
    db_.reset();
    ASSERT_TRUE(FlipByteOf(blobs_[0], value.substr(value.size() / 2, 64)));
    Open(o);
  }
  ~BlobReadTest() override { db_.reset(); }  // before env_ goes

  std::vector<std::string> blobs_;
  ReadCountingEnv env_{Env::Default(), ".blob"};
};

TEST_F(BlobReadTest, FlippedBlobByteIsCorruptionNamingTheFileOnGet) {
  Random rnd(1);
  const std::string value = RandomBytes(&rnd, 8000);
  WriteAndDamage(BlobOptions(), "k", value);
  std::string got = "untouched";
  Status s = db_->Get(ReadOptions(), "k", &got);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(blobs_[0])) << s.ToString();
  EXPECT_TRUE(got.empty() || got == "untouched") << "damaged bytes handed out";
  // The neighbours in the same file are intact and still read.
  EXPECT_EQ(std::string(3000, 'a'), Get("a-before"));
  EXPECT_EQ(std::string(3000, 'z'), Get("z-after"));
}

TEST_F(BlobReadTest, FlippedCompressedBlobByteIsCorruptionToo) {
  Options o = BlobOptions();
  o.blob_compression = Compression::kLZ4;
  Random rnd(2);
  const std::string value = RandomBytes(&rnd, 64 << 10, /*ratio=*/0.5);
  Open(o);
  Put("k", value);
  FlushOrDie();
  blobs_ = DbFiles(".blob");
  ASSERT_EQ(1u, blobs_.size());
  db_.reset();
  // Damage the middle of the file: inside the compressed record.
  const std::string path = dir_.path() + "/" + blobs_[0];
  std::string contents = ReadAll(path);
  contents[contents.size() / 2] ^= 0x01;
  WriteAll(path, contents);
  Open(o);
  std::string got;
  Status s = db_->Get(ReadOptions(), "k", &got);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(blobs_[0])) << s.ToString();
}

TEST_F(BlobReadTest, IteratorValueOfDamagedBlobSetsCorruptionStatus) {
  Random rnd(3);
  const std::string value = RandomBytes(&rnd, 8000);
  WriteAndDamage(BlobOptions(), "k", value);
  for (bool reverse : {false, true}) {
    auto it = db_->NewIterator(ReadOptions());
    if (reverse) {
      it->SeekToLast();
      ASSERT_TRUE(it->Valid());
      EXPECT_EQ(std::string(3000, 'z'), it->value().ToString());
      it->Prev();
    } else {
      it->SeekToFirst();
      ASSERT_TRUE(it->Valid());
      EXPECT_EQ(std::string(3000, 'a'), it->value().ToString());
      it->Next();
    }
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ("k", it->key().ToString());
    EXPECT_TRUE(it->status().ok());  // values are resolved lazily
    Slice v = it->value();
    EXPECT_NE(v, Slice(value));
    EXPECT_TRUE(v.empty()) << "damaged bytes handed out";
    EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
    EXPECT_NE(std::string::npos, it->status().ToString().find(blobs_[0]));
  }
}

TEST_F(BlobReadTest, WithoutChecksumVerificationIntactValuesReadAndBadIndexesAreStillCaught) {
  Open(BlobOptions());
  Random rnd(4);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 30; i++) model[NumberedKey(i)] = RandomBytes(&rnd, 1000 + i * 200);
  for (const auto& [k, v] : model) Put(k, v);
  FlushOrDie();
  ReadOptions fast;
  fast.verify_checksums = false;
  for (const auto& [k, v] : model) {
    std::string got;
    ASSERT_TRUE(db_->Get(fast, k, &got).ok());
    EXPECT_EQ(v, got);
  }
  auto it = db_->NewIterator(fast);
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    ASSERT_EQ(m->first, it->key().ToString());
    ASSERT_TRUE(it->value() == Slice(m->second));
  }
  EXPECT_TRUE(it->status().ok());
  it.reset();

  // Damage the key stored in a blob record: the record no longer matches the
  // index, which is checked even without checksums.
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  db_.reset();
  const std::string victim = NumberedKey(17);
  const std::string& value = model[victim];
  ASSERT_TRUE(FlipByteOf(blobs[0], victim + value.substr(0, 16), victim.size() - 1));
  Open(options_);
  std::string got;
  Status s = db_->Get(fast, victim, &got);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(blobs[0])) << s.ToString();
  s = db_->Get(ReadOptions(), victim, &got);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(BlobReadTest, SecondGetIsServedFromTheBlobCache) {
  ReadCountingEnv& env = env_;
  Options o = BlobOptions();
  o.env = &env;
  o.blob_cache_capacity = 1 << 20;
  Open(o);
  Random rnd(5);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 20; i++) model[NumberedKey(i)] = RandomBytes(&rnd, 4000);
  for (const auto& [k, v] : model) Put(k, v);
  FlushOrDie();

  const uint64_t before = env.matching_reads.load();
  for (const auto& [k, v] : model) ASSERT_EQ(v, Get(k));
  const uint64_t first_pass = env.matching_reads.load() - before;
  EXPECT_GE(first_pass, model.size());  // each value read from the file once
  for (const auto& [k, v] : model) ASSERT_EQ(v, Get(k));
  EXPECT_EQ(first_pass, env.matching_reads.load() - before);  // no blob file I/O

  // An iterator finds the values in the cache as well.
  EXPECT_EQ(model, Contents());
  EXPECT_EQ(first_pass, env.matching_reads.load() - before);

  // fill_cache=false reads do not populate the cache.
  Put("new", std::string(5000, 'n'));
  FlushOrDie();
  ReadOptions no_fill;
  no_fill.fill_cache = false;
  std::string got;
  const uint64_t start = env.matching_reads.load();
  ASSERT_TRUE(db_->Get(no_fill, "new", &got).ok());
  ASSERT_TRUE(db_->Get(no_fill, "new", &got).ok());
  EXPECT_GE(env.matching_reads.load() - start, 2u);
  db_.reset();
}

TEST_F(BlobReadTest, WithoutBlobCacheEveryGetReadsTheFile) {
  ReadCountingEnv& env = env_;
  Options o = BlobOptions();
  o.env = &env;
  o.blob_cache_capacity = 0;
  Open(o);
  Put("k", std::string(5000, 'v'));
  FlushOrDie();
  EXPECT_EQ(std::string(5000, 'v'), Get("k"));
  const uint64_t before = env.matching_reads.load();
  for (int i = 0; i < 5; i++) EXPECT_EQ(std::string(5000, 'v'), Get("k"));
  EXPECT_EQ(5u, env.matching_reads.load() - before);
  db_.reset();
}

}  // namespace
}  // namespace lode::test
