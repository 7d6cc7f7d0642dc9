#include "blob/blob_source.h"

#include <gtest/gtest.h>

#include <thread>

#include "blob/blob_file_cache.h"
#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

class BlobSourceTest : public ::testing::Test {
 protected:
  BlobSourceTest() : env_(Env::Default()) {
    Random rnd(8);
    for (uint64_t f = 1; f <= 3; f++) {
      test::KVs kvs;
      for (int i = 0; i < 5; i++) {
        kvs.emplace_back(test::NumberedKey(f * 100 + i), test::RandomBytes(&rnd, 3000, 0.5));
      }
      std::vector<BlobIndex> indexes;
      test::WriteBlobFile(Env::Default(), BlobFileName(dir_.path(), f), f, Compression::kLZ4, kvs,
                          &indexes);
      for (size_t i = 0; i < kvs.size(); i++) {
        std::string enc;
        indexes[i].EncodeTo(&enc);
        entries_.push_back({kvs[i].first, kvs[i].second, enc});
      }
    }
  }

  struct Entry {
    std::string key, value, index;
  };
  test::TempDir dir_;
  test::CountingEnv env_;
  std::vector<Entry> entries_;
};

TEST_F(BlobSourceTest, SecondReadIsServedFromTheBlobCache) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, NewLRUCache(1 << 20));
  const Entry& e = entries_[7];
  std::string v;
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  EXPECT_EQ(e.value, v);
  const int reads = env_.reads.load();
  EXPECT_GT(reads, 0);
  v.clear();
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  EXPECT_EQ(e.value, v);
  EXPECT_EQ(reads, env_.reads.load());  // no file read
  EXPECT_EQ(1u, source.cache_hits());
  EXPECT_EQ(1u, source.file_reads());
}

TEST_F(BlobSourceTest, FillCacheFalseLeavesTheCacheAlone) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, NewLRUCache(1 << 20));
  ReadOptions no_fill;
  no_fill.fill_cache = false;
  const Entry& e = entries_[0];
  std::string v;
  ASSERT_TRUE(source.GetBlob(no_fill, e.key, e.index, &v).ok());
  const int reads = env_.reads.load();
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  EXPECT_EQ(reads + 1, env_.reads.load());
  EXPECT_EQ(e.value, v);
  EXPECT_EQ(0u, source.cache_hits());
}

TEST_F(BlobSourceTest, WithoutBlobCacheEveryReadHitsTheFile) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, nullptr);
  const Entry& e = entries_[3];
  std::string v;
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  const int reads = env_.reads.load();
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  EXPECT_EQ(reads + 1, env_.reads.load());
  EXPECT_EQ(e.value, v);
}

TEST_F(BlobSourceTest, CachedBlobAskedForUnderAnotherKeyIsCorruption) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, NewLRUCache(1 << 20));
  const Entry& e = entries_[2];
  std::string v;
  ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, e.index, &v).ok());
  Status s = source.GetBlob(ReadOptions(), entries_[1].key, e.index, &v);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000001.blob")) << s.ToString();
}

TEST_F(BlobSourceTest, MalformedIndexIsCorruption) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, nullptr);
  std::string v;
  EXPECT_TRUE(source.GetBlob(ReadOptions(), "k", Slice("\x01\x05", 2), &v).IsCorruption());
}

TEST_F(BlobSourceTest, MissingFileIsAnErrorAndNotCached) {
  BlobFileCache files(&env_, dir_.path(), 10);
  std::shared_ptr<BlobFileReader> r;
  EXPECT_FALSE(files.Get(99, &r).ok());
  EXPECT_EQ(nullptr, r);
}

TEST_F(BlobSourceTest, FileCacheOpensEachFileOnceUntilEvicted) {
  BlobFileCache files(&env_, dir_.path(), 10);
  std::shared_ptr<BlobFileReader> a, b;
  ASSERT_TRUE(files.Get(2, &a).ok());
  ASSERT_TRUE(files.Get(2, &b).ok());
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(1, env_.random_opens.load());
  EXPECT_EQ(5u, a->blob_count());
  files.Evict(2);
  std::shared_ptr<BlobFileReader> c;
  ASSERT_TRUE(files.Get(2, &c).ok());
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(2, env_.random_opens.load());
  // An evicted reader still held by a caller keeps working.
  std::string v;
  BlobIndex index;
  ASSERT_TRUE(index.DecodeFrom(entries_[5].index).ok());
  ASSERT_TRUE(a->GetBlob(ReadOptions(), entries_[5].key, index, &v).ok());
  EXPECT_EQ(entries_[5].value, v);
}

TEST_F(BlobSourceTest, ConcurrentReadersGetTheRightValues) {
  BlobFileCache files(&env_, dir_.path(), 2);     // smaller than the file count
  BlobSource source(&files, NewLRUCache(20000));  // holds a few values only
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      Random rnd(t + 1);
      for (int i = 0; i < 300; i++) {
        const Entry& e = entries_[rnd.Uniform(entries_.size())];
        std::string v;
        ReadOptions ro;
        ro.fill_cache = rnd.OneIn(2);
        if (!source.GetBlob(ro, e.key, e.index, &v).ok() || v != e.value) wrong++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(0, wrong.load());
  EXPECT_GT(source.cache_hits(), 0u);
}

}  // namespace lode
