#include "lib/skiplist.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "lib/util/arena.h"
#include "lib/util/random.h"

namespace lode {
namespace {

using Key = uint64_t;

struct KeyComparator {
  int operator()(const Key& a, const Key& b) const { return a < b ? -1 : (a > b ? 1 : 0); }
};
using List = SkipList<Key, KeyComparator>;

// Checks the list against the model: forward, backward and Seek.
void ExpectMatchesModel(const List& list, const std::set<Key>& model) {
  List::Iterator it(&list);
  it.SeekToFirst();
  for (Key k : model) {
    ASSERT_TRUE(it.Valid());
    EXPECT_EQ(it.key(), k);
    it.Next();
  }
  EXPECT_FALSE(it.Valid());

  it.SeekToLast();
  for (auto r = model.rbegin(); r != model.rend(); ++r) {
    ASSERT_TRUE(it.Valid());
    EXPECT_EQ(it.key(), *r);
    it.Prev();
  }
  EXPECT_FALSE(it.Valid());
}

TEST(SkipListTest, EmptyListHasNothing) {
  Arena arena;
  List list(KeyComparator(), &arena);
  EXPECT_FALSE(list.Contains(10));
  List::Iterator it(&list);
  EXPECT_FALSE(it.Valid());
  it.SeekToFirst();
  EXPECT_FALSE(it.Valid());
  it.Seek(100);
  EXPECT_FALSE(it.Valid());
  it.SeekToLast();
  EXPECT_FALSE(it.Valid());
}

TEST(SkipListTest, SequentialInsertsKeepOrder) {
  Arena arena;
  List list(KeyComparator(), &arena);
  std::set<Key> model;
  for (Key k = 0; k < 2000; k++) {
    list.Insert(k * 2);
    model.insert(k * 2);
  }
  ExpectMatchesModel(list, model);
  for (Key k = 0; k < 4000; k++) EXPECT_EQ(list.Contains(k), k % 2 == 0) << k;
}

TEST(SkipListTest, RandomInsertsMatchStdSet) {
  Arena arena;
  List list(KeyComparator(), &arena);
  std::set<Key> model;
  Random rnd(1234);
  for (int i = 0; i < 5000; i++) {
    Key k = rnd.Uniform(20000);
    if (model.insert(k).second) list.Insert(k);
  }
  ExpectMatchesModel(list, model);
  for (Key k = 0; k < 20000; k += 3) EXPECT_EQ(list.Contains(k), model.count(k) == 1) << k;

  // Seek lands on the first key >= target.
  List::Iterator it(&list);
  for (Key target = 0; target < 20100; target += 37) {
    it.Seek(target);
    auto m = model.lower_bound(target);
    if (m == model.end()) {
      EXPECT_FALSE(it.Valid()) << target;
    } else {
      ASSERT_TRUE(it.Valid()) << target;
      EXPECT_EQ(it.key(), *m) << target;
      // And Prev from there is the last key < target.
      it.Prev();
      if (m == model.begin()) {
        EXPECT_FALSE(it.Valid());
      } else {
        ASSERT_TRUE(it.Valid());
        EXPECT_EQ(it.key(), *std::prev(m));
      }
    }
  }
}

// One writer inserts while readers iterate. Each reader checks that keys come
// in strictly increasing order and that every key it saw in an earlier pass
// is still visible (nodes are never lost), and that what the writer had
// published before the reader started is all there.
TEST(SkipListTest, ConcurrentReadersSeeOrderedAndStableKeys) {
  constexpr int kReaders = 3;
  constexpr int kInserts = 20000;
  Arena arena;
  List list(KeyComparator(), &arena);
  std::atomic<int> published{0};  // keys [0, published) of `order` are inserted
  std::atomic<bool> done{false};
  std::vector<Key> order;
  {
    Random rnd(42);
    std::set<Key> seen;
    while (order.size() < kInserts) {
      Key k = rnd.Next64() >> 1;
      if (seen.insert(k).second) order.push_back(k);
    }
  }
  // Readers record failures here instead of calling gtest from threads.
  std::atomic<int> errors{0};

  auto reader = [&](int id) {
    Random rnd(100 + id);
    std::vector<Key> previous;  // keys seen in the last full pass
    int passes = 0;
    // Run until the writer is done, then one more pass.
    while (true) {
      const bool last = done.load(std::memory_order_acquire);
      const int before = published.load(std::memory_order_acquire);
      std::vector<Key> pass;
      List::Iterator it(&list);
      it.SeekToFirst();
      bool first = true;
      Key prev = 0;
      while (it.Valid()) {
        if (!first && !(prev < it.key())) errors++;
        prev = it.key();
        first = false;
        pass.push_back(prev);
        it.Next();
      }
      // Everything published before the pass began must be in it.
      if (pass.size() < static_cast<size_t>(before)) errors++;
      for (int i = 0; i < before; i += 97) {
        if (!list.Contains(order[i])) errors++;
      }
      // Keys seen before stay visible.
      for (size_t i = 0; i < previous.size(); i += 1 + rnd.Uniform(16)) {
        if (!list.Contains(previous[i])) errors++;
      }
      previous.swap(pass);
      passes++;
      if (last) break;
    }
    if (previous.size() != static_cast<size_t>(kInserts)) errors++;
    if (passes < 1) errors++;
  };

  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; i++) readers.emplace_back(reader, i);
  for (int i = 0; i < kInserts; i++) {
    list.Insert(order[i]);
    published.store(i + 1, std::memory_order_release);
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);

  std::set<Key> model(order.begin(), order.end());
  ExpectMatchesModel(list, model);
}

}  // namespace
}  // namespace lode
