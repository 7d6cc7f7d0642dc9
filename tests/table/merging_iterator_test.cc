#include "table/merging_iterator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "lib/util/comparator.h"
#include "tests/table/table_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {
using Entries = std::vector<std::pair<std::string, std::string>>;
}  // namespace

TEST(MergingIteratorTest, NoChildrenIsEmpty) {
  std::unique_ptr<Iterator> it(NewMergingIterator(BytewiseComparator(), {}));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

// Random Seek/Next/Prev/SeekToFirst/SeekToLast over several children holding
// disjoint keys (some empty) must match a std::map of their union.
TEST(MergingIteratorTest, MatchesModelUnderRandomOperations) {
  Random rnd(17);
  for (int round = 0; round < 20; round++) {
    const int num_children = 1 + static_cast<int>(rnd.Uniform(6));
    std::map<std::string, std::string> model;
    std::vector<Entries> parts(num_children);
    for (int i = 0; i < 400; i++) {
      std::string k = test::NumberedKey(rnd.Uniform(1000), 4);
      if (model.count(k)) continue;
      std::string v = std::to_string(i);
      v.insert(v.begin(), 'v');
      model[k] = v;
      // Child 0 stays empty in odd rounds.
      int c = static_cast<int>(rnd.Uniform(num_children));
      if (round % 2 == 1 && c == 0 && num_children > 1) c = 1;
      parts[c].emplace_back(k, v);
    }
    std::vector<Iterator*> children;
    for (auto& p : parts) {
      std::sort(p.begin(), p.end());
      children.push_back(new test::VectorIterator(BytewiseComparator(), p));
    }
    std::unique_ptr<Iterator> it(NewMergingIterator(BytewiseComparator(), children));
    auto m = model.end();
    for (int step = 0; step < 3000; step++) {
      switch (rnd.Uniform(7)) {
        case 0: {
          std::string target = test::NumberedKey(rnd.Uniform(1100), 4);
          it->Seek(target);
          m = model.lower_bound(target);
          break;
        }
        case 1:
          it->SeekToFirst();
          m = model.begin();
          break;
        case 2:
          it->SeekToLast();
          m = model.empty() ? model.end() : std::prev(model.end());
          break;
        case 3:
        case 4:
          if (m == model.end()) continue;
          it->Next();
          ++m;
          break;
        default:
          if (m == model.end()) continue;
          it->Prev();
          m = (m == model.begin()) ? model.end() : std::prev(m);
          break;
      }
      if (m == model.end()) {
        ASSERT_FALSE(it->Valid()) << round << ":" << step;
      } else {
        ASSERT_TRUE(it->Valid()) << round << ":" << step;
        ASSERT_EQ(m->first, it->key().ToString()) << round << ":" << step;
        ASSERT_EQ(m->second, it->value().ToString());
      }
    }
    EXPECT_TRUE(it->status().ok());
  }
}

TEST(MergingIteratorTest, DirectionSwitchAtInterleavedKeys) {
  Entries a = {{"a", "1"}, {"c", "3"}, {"e", "5"}};
  Entries b = {{"b", "2"}, {"d", "4"}, {"f", "6"}};
  std::unique_ptr<Iterator> it(NewMergingIterator(
      BytewiseComparator(), {new test::VectorIterator(BytewiseComparator(), a),
                             new test::VectorIterator(BytewiseComparator(), b)}));
  it->Seek("c");
  ASSERT_EQ("c", it->key().ToString());
  it->Prev();
  ASSERT_EQ("b", it->key().ToString());
  it->Next();
  ASSERT_EQ("c", it->key().ToString());
  it->Next();
  ASSERT_EQ("d", it->key().ToString());
  it->Prev();
  it->Prev();
  ASSERT_EQ("b", it->key().ToString());
  it->SeekToLast();
  ASSERT_EQ("f", it->key().ToString());
  it->Prev();
  ASSERT_EQ("e", it->key().ToString());
  it->Next();
  ASSERT_EQ("f", it->key().ToString());
  it->Next();
  EXPECT_FALSE(it->Valid());
}

TEST(MergingIteratorTest, ChildErrorInvalidatesAndIsReported) {
  Entries a = {{"a", "1"}, {"c", "3"}, {"e", "5"}};
  Entries b = {{"b", "2"}, {"d", "4"}, {"f", "6"}};
  auto* bad = new test::VectorIterator(BytewiseComparator(), b);
  bad->FailAt(1);  // fails on reaching "d"
  std::unique_ptr<Iterator> it(NewMergingIterator(
      BytewiseComparator(), {new test::VectorIterator(BytewiseComparator(), a), bad}));
  std::vector<std::string> seen;
  for (it->SeekToFirst(); it->Valid(); it->Next()) seen.push_back(it->key().ToString());
  // Moving past "b" makes b fail: the merge stops there instead of going on
  // without b's entries.
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), seen);
  EXPECT_TRUE(it->status().IsCorruption());
}

}  // namespace lode
