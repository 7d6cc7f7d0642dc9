#include "table/two_level_iterator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "lib/util/comparator.h"
#include "tests/table/table_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// Blocks of entries; the index maps each block's last key (or a marker key for
// an empty block) to the block number.
struct Fixture {
  std::vector<Entries> blocks;
  std::vector<int> fail_blocks;  // block_function returns an error iterator

  Iterator* NewIter() const {
    Entries index;
    std::string last;
    for (size_t i = 0; i < blocks.size(); i++) {
      if (!blocks[i].empty()) last = blocks[i].back().first;
      // Empty blocks reuse the previous key plus a suffix to stay sorted
      // ("!" sorts before every "key..." for leading ones).
      index.emplace_back(blocks[i].empty() ? last + "!" + std::to_string(i) : last,
                         std::to_string(i));
    }
    return NewTwoLevelIterator(new test::VectorIterator(BytewiseComparator(), index),
                               [this](const Slice& v) -> Iterator* {
                                 const int b = std::stoi(v.ToString());
                                 for (int f : fail_blocks) {
                                   if (f == b)
                                     return NewEmptyIterator(Status::Corruption("bad block"));
                                 }
                                 return new test::VectorIterator(BytewiseComparator(), blocks[b]);
                               });
  }
};

}  // namespace

TEST(TwoLevelIteratorTest, AllInnerIteratorsEmpty) {
  Fixture f;
  f.blocks.resize(5);
  std::unique_ptr<Iterator> it(f.NewIter());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek("x");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(TwoLevelIteratorTest, EmptyIndex) {
  Fixture f;
  std::unique_ptr<Iterator> it(f.NewIter());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(TwoLevelIteratorTest, SkipsEmptyBlocksBothWaysAndMatchesModel) {
  Random rnd(23);
  Fixture f;
  std::map<std::string, std::string> model;
  int next = 0;
  for (int b = 0; b < 40; b++) {
    Entries e;
    if (!rnd.OneIn(3)) {  // a third of the blocks are empty, some in runs
      const int n = 1 + static_cast<int>(rnd.Uniform(5));
      for (int i = 0; i < n; i++) {
        std::string k = test::NumberedKey(next += 2, 4);
        e.emplace_back(k, "v" + k);
        model[k] = "v" + k;
      }
    }
    f.blocks.push_back(e);
  }
  f.blocks.insert(f.blocks.begin(), Entries{});  // leading and trailing empties
  f.blocks.push_back(Entries{});
  std::unique_ptr<Iterator> it(f.NewIter());
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    ASSERT_EQ(m->first, it->key().ToString());
  }
  EXPECT_EQ(model.end(), m);
  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    ASSERT_EQ(r->first, it->key().ToString());
  }
  EXPECT_EQ(model.rend(), r);
  for (int i = 0; i < 500; i++) {
    std::string target = test::NumberedKey(rnd.Uniform(next + 3), 4);
    it->Seek(target);
    auto lb = model.lower_bound(target);
    if (lb == model.end()) {
      ASSERT_FALSE(it->Valid());
      continue;
    }
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(lb->first, it->key().ToString());
    it->Prev();
    if (lb == model.begin()) {
      ASSERT_FALSE(it->Valid());
    } else {
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(std::prev(lb)->first, it->key().ToString());
    }
  }
  EXPECT_TRUE(it->status().ok());
}

TEST(TwoLevelIteratorTest, InnerErrorStopsTheWalkAndIsReported) {
  Fixture f;
  f.blocks = {{{"a", "1"}}, {{"b", "2"}}, {{"c", "3"}}};
  f.fail_blocks = {1};
  std::unique_ptr<Iterator> it(f.NewIter());
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("a", it->key().ToString());
  it->Next();
  EXPECT_FALSE(it->Valid());  // does not skip to "c"
  EXPECT_TRUE(it->status().IsCorruption());
  it->SeekToLast();
  ASSERT_TRUE(it->Valid());
  it->Prev();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().IsCorruption());
}

}  // namespace lode
