#include "blob/blob_source.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "blob/blob_file_cache.h"
#include "lib/filename.h"
#include "lib/util/random.h"
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

TEST_F(BlobSourceTest, ReadBlobLeavesTheValuePinnedInTheCacheAndHitsShareIt) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, NewLRUCache(1 << 20));
  const Entry& e = entries_[3];
  BlobIndex index;
  ASSERT_TRUE(index.DecodeFrom(e.index).ok());
  PinnedBlob first;
  Status s;
  EXPECT_FALSE(source.GetCached(e.key, index, &first, &s));  // nothing cached yet
  ASSERT_TRUE(source.ReadBlob(ReadOptions(), e.key, index, &first, nullptr).ok());
  EXPECT_TRUE(first.pinned());
  EXPECT_EQ(e.value, first.data().ToString());
  // A hit points at the same bytes: the value was not copied.
  PinnedBlob second;
  ASSERT_TRUE(source.GetCached(e.key, index, &second, &s));
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(second.pinned());
  EXPECT_EQ(first.data().data(), second.data().data());
  EXPECT_EQ(1u, source.file_reads());
  EXPECT_EQ(1u, source.cache_hits());
  second.Reset();
  EXPECT_FALSE(second.pinned());
  EXPECT_TRUE(second.data().empty());
  EXPECT_EQ(e.value, first.data().ToString());  // the other pin still holds it
}

TEST_F(BlobSourceTest, ReadBlobWithoutCachingOwnsTheValue) {
  BlobFileCache files(&env_, dir_.path(), 10);
  for (bool with_cache : {false, true}) {
    BlobSource source(&files, with_cache ? NewLRUCache(1 << 20) : nullptr);
    ReadOptions ro;
    ro.fill_cache = false;
    PinnedBlob v;
    for (const Entry& e : entries_) {  // one PinnedBlob reused for every value
      BlobIndex index;
      ASSERT_TRUE(index.DecodeFrom(e.index).ok());
      ASSERT_TRUE(source.ReadBlob(ro, e.key, index, &v, nullptr).ok());
      EXPECT_FALSE(v.pinned());
      EXPECT_EQ(e.value, v.data().ToString());
    }
    Status s;
    BlobIndex index;
    ASSERT_TRUE(index.DecodeFrom(entries_[0].index).ok());
    EXPECT_FALSE(source.GetCached(entries_[0].key, index, &v, &s));  // nothing was cached
  }
}

TEST_F(BlobSourceTest, ValuesStayRightWhileEvictedBuffersAreReused) {
  // A cache whose shards hold less than one value: an insert evicts the
  // other values of its shard, whose buffers the next reads on this thread
  // reuse; no value may show another's bytes.
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, NewLRUCache(2 * 3200));
  Random rnd(17);
  std::vector<std::unique_ptr<PinnedBlob>> held;  // some values stay pinned a while
  for (int i = 0; i < 300; i++) {
    const Entry& e = entries_[rnd.Uniform(entries_.size())];
    BlobIndex index;
    ASSERT_TRUE(index.DecodeFrom(e.index).ok());
    if (i % 2 == 0) {
      std::string v;
      ASSERT_TRUE(source.GetBlob(ReadOptions(), e.key, index, &v).ok());
      ASSERT_EQ(e.value, v) << i;
    } else {
      auto v = std::make_unique<PinnedBlob>();
      Status s;
      if (!source.GetCached(e.key, index, v.get(), &s)) {
        s = source.ReadBlob(ReadOptions(), e.key, index, v.get(), nullptr);
      }
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_EQ(e.value, v->data().ToString()) << i;
      held.push_back(std::move(v));
      if (held.size() > 3) held.erase(held.begin());
    }
  }
  EXPECT_GT(source.file_reads(), entries_.size());  // values were evicted and read again
}

TEST_F(BlobSourceTest, ImplausibleIndexIsCorruptionBeforeAnyAllocation) {
  BlobFileCache files(&env_, dir_.path(), 10);
  BlobSource source(&files, nullptr);
  BlobIndex index;
  ASSERT_TRUE(index.DecodeFrom(entries_[0].index).ok());
  BlobIndex huge = index;
  huge.uncompressed_size = uint64_t{1} << 40;  // LZ4 cannot expand that much
  BlobIndex outside = index;
  outside.size = uint64_t{1} << 30;  // runs past the end of the file
  for (const BlobIndex& bad : {huge, outside}) {
    PinnedBlob v;
    Status s = source.ReadBlob(ReadOptions(), entries_[0].key, bad, &v, nullptr);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    EXPECT_TRUE(v.data().empty());
    std::string str;
    EXPECT_TRUE(source.GetBlob(ReadOptions(), entries_[0].key, bad, &str).IsCorruption());
  }
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
