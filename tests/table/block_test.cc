#include "table/block.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "lib/util/coding.h"
#include "lib/util/comparator.h"
#include "table/block_builder.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

BlockContents Own(const Slice& s) {
  BlockContents c;
  c.owned.reset(new char[s.size() + 1]);
  if (s.size() > 0) memcpy(c.owned.get(), s.data(), s.size());
  c.data = Slice(c.owned.get(), s.size());
  return c;
}

std::unique_ptr<Block> Build(const std::map<std::string, std::string>& model, int restart) {
  BlockBuilder b(restart);
  for (const auto& [k, v] : model) b.Add(k, v);
  EXPECT_EQ(static_cast<int>(model.size()), b.num_entries());
  const size_t estimate = b.CurrentSizeEstimate();
  Slice contents = b.Finish();
  EXPECT_EQ(estimate, contents.size());
  return std::make_unique<Block>(Own(contents), 0);
}

std::map<std::string, std::string> MakeModel(Random* rnd, int n) {
  std::map<std::string, std::string> m;
  while (static_cast<int>(m.size()) < n) {
    // Shared prefixes of varying lengths exercise the prefix compression.
    std::string k =
        test::NumberedKey(rnd->Uniform(100000), 6) + test::RandomBytes(rnd, rnd->Uniform(4), 1.0);
    m[k] = test::RandomBytes(rnd, rnd->Uniform(40), 1.0);
  }
  return m;
}

}  // namespace

TEST(BlockTest, EmptyBlockIteratesNothing) {
  auto block = Build({}, 16);
  std::unique_ptr<Iterator> it(block->NewIterator(BytewiseComparator()));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek("a");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(BlockTest, ForwardAndBackwardMatchModelForManyRestartIntervals) {
  Random rnd(1);
  for (int restart : {1, 2, 3, 16, 1000}) {
    auto model = MakeModel(&rnd, 500);
    auto block = Build(model, restart);
    std::unique_ptr<Iterator> it(block->NewIterator(BytewiseComparator()));
    auto m = model.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
      ASSERT_NE(model.end(), m);
      EXPECT_EQ(m->first, it->key().ToString());
      EXPECT_EQ(m->second, it->value().ToString());
    }
    EXPECT_EQ(model.end(), m);
    auto r = model.rbegin();
    for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
      ASSERT_NE(model.rend(), r);
      EXPECT_EQ(r->first, it->key().ToString());
      EXPECT_EQ(r->second, it->value().ToString());
    }
    EXPECT_EQ(model.rend(), r);
    EXPECT_TRUE(it->status().ok());
  }
}

TEST(BlockTest, SeekFindsFirstKeyAtOrAfterTarget) {
  Random rnd(2);
  auto model = MakeModel(&rnd, 300);
  auto block = Build(model, 16);
  std::unique_ptr<Iterator> it(block->NewIterator(BytewiseComparator()));
  for (int i = 0; i < 2000; i++) {
    std::string target = test::NumberedKey(rnd.Uniform(100001), 6);
    if (rnd.OneIn(3)) {  // exact keys too
      auto pick = model.begin();
      std::advance(pick, rnd.Uniform(model.size()));
      target = pick->first;
    }
    it->Seek(target);
    auto m = model.lower_bound(target);
    if (m == model.end()) {
      EXPECT_FALSE(it->Valid());
      continue;
    }
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ(m->first, it->key().ToString());
    // Prev after Seek steps to the predecessor, across restart points.
    it->Prev();
    if (m == model.begin()) {
      EXPECT_FALSE(it->Valid());
    } else {
      ASSERT_TRUE(it->Valid());
      EXPECT_EQ(std::prev(m)->first, it->key().ToString());
    }
  }
}

TEST(BlockTest, SeekEdgeCases) {
  std::map<std::string, std::string> model;
  for (int i = 0; i < 100; i++) model[test::NumberedKey(i * 2, 4)] = std::to_string(i);
  auto block = Build(model, 16);
  std::unique_ptr<Iterator> it(block->NewIterator(BytewiseComparator()));
  it->Seek("");  // before everything
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("key0000", it->key().ToString());
  it->Prev();
  EXPECT_FALSE(it->Valid());
  it->Seek("key0198");  // the last key
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("key0198", it->key().ToString());
  it->Next();
  EXPECT_FALSE(it->Valid());
  it->Seek("key0199");  // after everything
  EXPECT_FALSE(it->Valid());
  it->Seek("key0031");  // between entries, at a restart boundary (entry 16 is key0032)
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("key0032", it->key().ToString());
  it->Prev();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("key0030", it->key().ToString());
  it->Next();
  it->Next();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ("key0034", it->key().ToString());
}

TEST(BlockTest, AlternatingNextAndPrevStaysConsistent) {
  Random rnd(3);
  auto model = MakeModel(&rnd, 200);
  std::vector<std::string> keys;
  for (const auto& kv : model) keys.push_back(kv.first);
  auto block = Build(model, 4);
  std::unique_ptr<Iterator> it(block->NewIterator(BytewiseComparator()));
  it->SeekToFirst();
  size_t pos = 0;
  for (int step = 0; step < 5000; step++) {
    if (rnd.OneIn(2)) {
      it->Next();
      pos++;
    } else {
      it->Prev();
      pos = (pos == 0) ? keys.size() : pos - 1;
    }
    if (pos >= keys.size()) {
      ASSERT_FALSE(it->Valid());
      pos = rnd.Uniform(keys.size());
      it->Seek(keys[pos]);
    }
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(keys[pos], it->key().ToString());
  }
}

TEST(BlockTest, MalformedRestartArrayIsCorruption) {
  const char* cases[] = {"", "abc", "\0\0\0\0", "\xff\xff\xff\x7f"};
  const size_t sizes[] = {0, 3, 4, 4};
  for (int i = 0; i < 4; i++) {
    Block block(Own(Slice(cases[i], sizes[i])), 77);
    std::string fname = "000009.sst";
    std::unique_ptr<Iterator> it(block.NewIterator(BytewiseComparator(), &fname));
    it->SeekToFirst();
    EXPECT_FALSE(it->Valid());
    ASSERT_TRUE(it->status().IsCorruption()) << i;
    EXPECT_NE(std::string::npos, it->status().message().find("000009.sst")) << i;
    EXPECT_NE(std::string::npos, it->status().message().find("77")) << i;
  }
}

// Garbage, truncations and bit flips: iteration may end with Corruption, but
// never crashes or reads out of bounds (run under ASan).
TEST(BlockTest, DamagedBlocksNeverCrash) {
  Random rnd(4);
  auto model = MakeModel(&rnd, 100);
  BlockBuilder b(8);
  for (const auto& [k, v] : model) b.Add(k, v);
  const std::string good = b.Finish().ToString();
  int corruptions = 0;
  for (int trial = 0; trial < 3000; trial++) {
    std::string bad = good;
    switch (trial % 3) {
      case 0:
        bad.resize(rnd.Uniform(good.size()));
        break;
      case 1:
        for (int f = 0; f < 3; f++) {
          size_t pos = rnd.Uniform(bad.size());
          bad[pos] = static_cast<char>(bad[pos] ^ (1 << rnd.Uniform(8)));
        }
        break;
      case 2:
        bad = test::RandomBytes(&rnd, rnd.Uniform(200), 1.0);
        break;
    }
    Block block(Own(bad), 0);
    std::unique_ptr<Iterator> it(block.NewIterator(BytewiseComparator()));
    int steps = 0;
    for (it->SeekToFirst(); it->Valid() && steps < 1000; it->Next()) steps++;
    for (it->SeekToLast(); it->Valid() && steps < 2000; it->Prev()) steps++;
    it->Seek(test::NumberedKey(rnd.Uniform(100000), 6));
    if (it->Valid()) it->Prev();
    if (!it->status().ok()) {
      EXPECT_TRUE(it->status().IsCorruption());
      corruptions++;
    }
  }
  EXPECT_GT(corruptions, 100);
}

}  // namespace lode
