#include "blob/pinned_blob.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace lode {
namespace {

int g_deleted = 0;
void DeleteString(const Slice& /*key*/, void* value) {
  g_deleted++;
  delete static_cast<std::string*>(value);
}

TEST(PinnedBlobTest, PinHoldsTheCacheEntryUntilReset) {
  g_deleted = 0;
  auto cache = NewLRUCache(1 << 20);
  auto* value = new std::string("cached bytes");
  Cache::Handle* h = cache->Insert("k", value, value->size(), &DeleteString);
  PinnedBlob b;
  b.Pin(cache.get(), h, Slice(*value));
  EXPECT_TRUE(b.pinned());
  EXPECT_EQ("cached bytes", b.data().ToString());
  cache->Erase("k");  // gone from the cache, but pinned: still alive
  EXPECT_EQ(0, g_deleted);
  EXPECT_EQ("cached bytes", b.data().ToString());
  b.Reset();
  EXPECT_EQ(1, g_deleted);
  EXPECT_FALSE(b.pinned());
  EXPECT_TRUE(b.data().empty());
}

TEST(PinnedBlobTest, DestructionReleasesThePin) {
  g_deleted = 0;
  auto cache = NewLRUCache(1 << 20);
  auto* value = new std::string("v");
  {
    PinnedBlob b;
    b.Pin(cache.get(), cache->Insert("k", value, 1, &DeleteString), Slice(*value));
    cache->Erase("k");
  }
  EXPECT_EQ(1, g_deleted);
}

TEST(PinnedBlobTest, OwnedBufferIsReusedForValuesThatFit) {
  PinnedBlob b;
  char* first = b.AllocateOwned(1000);
  memset(first, 'a', 1000);
  b.SetOwned(1000);
  EXPECT_EQ(std::string(1000, 'a'), b.data().ToString());
  EXPECT_FALSE(b.pinned());
  char* second = b.AllocateOwned(600);  // fits: same memory
  EXPECT_EQ(first, second);
  EXPECT_TRUE(b.data().empty());  // allocating starts a new value
  memset(second, 'b', 600);
  b.SetOwned(600);
  EXPECT_EQ(std::string(600, 'b'), b.data().ToString());
  char* third = b.AllocateOwned(5000);  // larger: a new buffer
  memset(third, 'c', 5000);
  b.SetOwned(5000);
  EXPECT_EQ(std::string(5000, 'c'), b.data().ToString());
}

TEST(PinnedBlobTest, PinningReplacesAnOwnedValue) {
  auto cache = NewLRUCache(1 << 20);
  PinnedBlob b;
  memset(b.AllocateOwned(10), 'x', 10);
  b.SetOwned(10);
  auto* value = new std::string("pinned");
  b.Pin(cache.get(), cache->Insert("k", value, 6, &DeleteString), Slice(*value));
  EXPECT_EQ("pinned", b.data().ToString());
}

}  // namespace
}  // namespace lode
