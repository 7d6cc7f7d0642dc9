#include "lib/util/cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/util/coding.h"
#include "lib/util/random.h"

namespace lode {
namespace {

// Values are ints on the heap; the deleter records which keys it freed.
std::vector<std::string>* g_deleted = nullptr;

void DeleteInt(const Slice& key, void* value) {
  if (g_deleted != nullptr) g_deleted->push_back(key.ToString());
  delete static_cast<int*>(value);
}

class CacheTest : public ::testing::Test {
 protected:
  CacheTest() { g_deleted = &deleted_; }
  ~CacheTest() override { g_deleted = nullptr; }

  static std::string Key(uint64_t k) {
    std::string s;
    PutFixed64(&s, k);
    return s;
  }
  void Put(Cache* c, uint64_t k, int v, size_t charge = 1) {
    c->Release(c->Insert(Key(k), new int(v), charge, &DeleteInt));
  }
  // -1 if absent.
  int Get(Cache* c, uint64_t k) {
    Cache::Handle* h = c->Lookup(Key(k));
    if (h == nullptr) return -1;
    const int v = *static_cast<int*>(c->Value(h));
    c->Release(h);
    return v;
  }

  std::vector<std::string> deleted_;
};

TEST_F(CacheTest, LookupFindsWhatInsertPut) {
  auto c = NewLRUCache(1000);
  Put(c.get(), 1, 101);
  Put(c.get(), 2, 102);
  EXPECT_EQ(101, Get(c.get(), 1));
  EXPECT_EQ(102, Get(c.get(), 2));
  EXPECT_EQ(-1, Get(c.get(), 3));
}

TEST_F(CacheTest, KeysOfDifferentLengthsAndEmptyKeyAreDistinct) {
  auto c = NewLRUCache(1000);
  const std::vector<std::string> keys = {
      "", "a", "ab", std::string(1, '\0'), std::string(2, '\0'), std::string(100, 'x')};
  for (size_t i = 0; i < keys.size(); i++) {
    c->Release(c->Insert(keys[i], new int(static_cast<int>(i)), 1, &DeleteInt));
  }
  for (size_t i = 0; i < keys.size(); i++) {
    Cache::Handle* h = c->Lookup(keys[i]);
    ASSERT_NE(nullptr, h) << i;
    EXPECT_EQ(static_cast<int>(i), *static_cast<int*>(c->Value(h)));
    c->Release(h);
  }
}

TEST_F(CacheTest, InsertOfAnExistingKeyReplacesAndFreesTheOldValue) {
  auto c = NewLRUCache(1000);
  Put(c.get(), 7, 1);
  Put(c.get(), 7, 2);
  EXPECT_EQ(2, Get(c.get(), 7));
  ASSERT_EQ(1u, deleted_.size());
  EXPECT_EQ(Key(7), deleted_[0]);
  EXPECT_EQ(1u, c->TotalCharge());
}

TEST_F(CacheTest, ErasedEntryStaysValidWhileAHandleIsHeld) {
  auto c = NewLRUCache(1000);
  Put(c.get(), 5, 55);
  Cache::Handle* h = c->Lookup(Key(5));
  ASSERT_NE(nullptr, h);
  c->Erase(Key(5));
  EXPECT_EQ(-1, Get(c.get(), 5));
  EXPECT_TRUE(deleted_.empty());
  EXPECT_EQ(55, *static_cast<int*>(c->Value(h)));
  c->Release(h);
  ASSERT_EQ(1u, deleted_.size());
}

TEST_F(CacheTest, EvictsLeastRecentlyUsedButNeverAPinnedEntry) {
  // One shard's worth: keys chosen at random spread over the 16 shards, so
  // fill well past capacity and check the totals and the pinned entry.
  auto c = NewLRUCache(16 * 10);
  Cache::Handle* pinned = c->Insert(Key(999999), new int(9), 1, &DeleteInt);
  for (uint64_t k = 0; k < 5000; k++) Put(c.get(), k, static_cast<int>(k));
  EXPECT_LE(c->TotalCharge(), 16u * 10 + 1);
  EXPECT_GT(deleted_.size(), 4000u);
  EXPECT_EQ(9, *static_cast<int*>(c->Value(pinned)));
  EXPECT_EQ(9, Get(c.get(), 999999));
  c->Release(pinned);
  // The most recent keys are still there; the oldest are gone.
  EXPECT_EQ(4999, Get(c.get(), 4999));
  EXPECT_EQ(-1, Get(c.get(), 0));
}

TEST_F(CacheTest, ManyEntriesSurviveTableGrowth) {
  auto c = NewLRUCache(1 << 30);
  Random rnd(31);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 20000; i++) keys.push_back(rnd.Next64());
  for (size_t i = 0; i < keys.size(); i++) Put(c.get(), keys[i], static_cast<int>(i));
  for (size_t i = 0; i < keys.size(); i++) {
    ASSERT_EQ(static_cast<int>(i), Get(c.get(), keys[i])) << i;
  }
  for (size_t i = 0; i < keys.size(); i += 2) c->Erase(Key(keys[i]));
  for (size_t i = 0; i < keys.size(); i++) {
    ASSERT_EQ(i % 2 == 0 ? -1 : static_cast<int>(i), Get(c.get(), keys[i])) << i;
  }
  EXPECT_EQ(keys.size() / 2, c->TotalCharge());
}

TEST_F(CacheTest, ZeroCapacityKeepsNothingOnceReleased) {
  auto c = NewLRUCache(0);
  Cache::Handle* h = c->Insert(Key(1), new int(1), 1, &DeleteInt);
  EXPECT_EQ(1, *static_cast<int*>(c->Value(h)));
  c->Release(h);
  EXPECT_EQ(1u, deleted_.size());
  EXPECT_EQ(-1, Get(c.get(), 1));
}

TEST_F(CacheTest, DestroyingTheCacheFreesEveryUnpinnedEntry) {
  {
    auto c = NewLRUCache(1000);
    for (uint64_t k = 0; k < 50; k++) Put(c.get(), k, 0);
  }
  EXPECT_EQ(50u, deleted_.size());
}

}  // namespace
}  // namespace lode
