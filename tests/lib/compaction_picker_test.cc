// The picker in VersionSet and the Compaction description, over versions
// built from metadata only (no table is opened).
#include <gtest/gtest.h>

#include "lib/compaction.h"
#include "lib/table_cache.h"
#include "lib/version_set.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

constexpr uint64_t kMiB = 1 << 20;

FileMetaData MakeFile(uint64_t number, const std::string& lo, const std::string& hi,
                      uint64_t size = kMiB, SequenceNumber seq = 100) {
  FileMetaData f;
  f.number = number;
  f.file_size = size;
  f.smallest = InternalKey(lo, seq, kTypeValue);
  f.largest = InternalKey(hi, seq, kTypeValue);
  f.smallest_seqno = f.largest_seqno = seq;
  return f;
}

std::set<uint64_t> Numbers(const std::vector<FileMetaData*>& files) {
  std::set<uint64_t> r;
  for (const FileMetaData* f : files) r.insert(f->number);
  return r;
}

class CompactionPickerTest : public ::testing::Test {
 protected:
  CompactionPickerTest() : icmp_(BytewiseComparator()) {
    options_.level0_compaction_trigger = 4;
    options_.max_bytes_for_level_base = 10 * kMiB;
    options_.max_bytes_for_level_multiplier = 10;
    options_.target_file_size = 2 * kMiB;
    table_cache_ = std::make_unique<TableCache>(dir_.path(), options_, &icmp_, nullptr, 10);
    vset_ = std::make_unique<VersionSet>(dir_.path(), &options_, table_cache_.get(), &icmp_);
    vset_->MarkFileNumberUsed(10000);
  }
  ~CompactionPickerTest() override {
    std::lock_guard<std::mutex> l(mu_);
    for (Compaction* c : live_) delete c;
    live_.clear();
  }

  void Add(int level, const FileMetaData& f) { pending_.AddFile(level, f); }
  void Install() {
    std::lock_guard<std::mutex> l(mu_);
    ASSERT_TRUE(vset_->LogAndApply(&pending_, &mu_).ok());
    pending_.Clear();
  }
  Compaction* Pick() {
    std::lock_guard<std::mutex> l(mu_);
    Compaction* c = vset_->PickCompaction();
    if (c != nullptr) live_.push_back(c);
    return c;
  }
  void Release(Compaction* c) {
    std::lock_guard<std::mutex> l(mu_);
    live_.erase(std::find(live_.begin(), live_.end(), c));
    delete c;
  }
  bool Needs() {
    std::lock_guard<std::mutex> l(mu_);
    return vset_->NeedsCompaction();
  }

  test::TempDir dir_;
  InternalKeyComparator icmp_;
  Options options_;
  std::mutex mu_;
  std::unique_ptr<TableCache> table_cache_;
  std::unique_ptr<VersionSet> vset_;
  VersionEdit pending_;
  std::vector<Compaction*> live_;
};

}  // namespace

TEST_F(CompactionPickerTest, NothingToDoOnAnEmptyTree) {
  EXPECT_FALSE(Needs());
  EXPECT_EQ(nullptr, Pick());
}

TEST_F(CompactionPickerTest, LevelZeroTriggersOnFileCount) {
  for (int i = 0; i < 3; i++) Add(0, MakeFile(10 + i, "a", "m", kMiB, 10 + i));
  Add(1, MakeFile(20, "b", "c"));
  Add(1, MakeFile(21, "x", "y"));  // outside the L0 range
  Install();
  EXPECT_FALSE(Needs());
  EXPECT_EQ(nullptr, Pick());

  Add(0, MakeFile(13, "k", "p", kMiB, 13));
  Install();
  EXPECT_TRUE(Needs());
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(0, c->level());
  EXPECT_EQ(1, c->output_level());
  EXPECT_EQ((std::set<uint64_t>{10, 11, 12, 13}), Numbers(c->inputs(0)));
  EXPECT_EQ((std::set<uint64_t>{20}), Numbers(c->inputs(1)));
  EXPECT_FALSE(c->IsTrivialMove());
  for (const FileMetaData* f : c->inputs(0)) EXPECT_TRUE(f->being_compacted);
  for (const FileMetaData* f : c->inputs(1)) EXPECT_TRUE(f->being_compacted);

  // One L0 compaction at a time, even with more L0 files arriving.
  for (int i = 0; i < 4; i++) Add(0, MakeFile(30 + i, "q", "r", kMiB, 30 + i));
  Install();
  EXPECT_EQ(nullptr, Pick());
  Release(c);
  for (const FileMetaData* f : vset_->current()->files(0)) EXPECT_FALSE(f->being_compacted);
  Compaction* c2 = Pick();
  ASSERT_NE(nullptr, c2);
  EXPECT_EQ(0, c2->level());
}

TEST_F(CompactionPickerTest, LevelZeroTakesOnlyOverlappingFiles) {
  Add(0, MakeFile(10, "a", "c", kMiB, 10));  // oldest: the seed
  Add(0, MakeFile(11, "b", "d", kMiB, 11));
  Add(0, MakeFile(12, "x", "z", kMiB, 12));
  Add(0, MakeFile(13, "p", "q", kMiB, 13));
  Install();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ((std::set<uint64_t>{10, 11}), Numbers(c->inputs(0)));
}

TEST_F(CompactionPickerTest, HighestLevelScoreWins) {
  // L1: 12 MiB of 10 (score 1.2); L2: 150 MiB of 100 (score 1.5).
  for (int i = 0; i < 6; i++) {
    Add(1, MakeFile(100 + i, test::NumberedKey(i * 10), test::NumberedKey(i * 10 + 1), 2 * kMiB));
  }
  for (int i = 0; i < 15; i++) {
    Add(2,
        MakeFile(200 + i, test::NumberedKey(i * 10 + 5), test::NumberedKey(i * 10 + 6), 10 * kMiB));
  }
  Install();
  {
    std::lock_guard<std::mutex> l(mu_);
    EXPECT_NEAR(1.2, vset_->LevelScore(vset_->current(), 1), 1e-9);
    EXPECT_NEAR(1.5, vset_->LevelScore(vset_->current(), 2), 1e-9);
    EXPECT_DOUBLE_EQ(100.0 * kMiB, vset_->MaxBytesForLevel(2));
  }
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(2, c->level());
  EXPECT_EQ(1, c->num_input_files(0));
  EXPECT_TRUE(c->IsTrivialMove());  // nothing in L3
  // Then L1, whose score is next.
  Compaction* c2 = Pick();
  ASSERT_NE(nullptr, c2);
  EXPECT_EQ(2, c2->level());  // L2 without c's file still scores 1.4
  Compaction* c3 = Pick();
  ASSERT_NE(nullptr, c3);
  EXPECT_NE(c->input(0, 0), c3->input(0, 0));
}

TEST_F(CompactionPickerTest, BeingCompactedFilesAreNeverPickedTwice) {
  // L1 over target: 4 files of 4 MiB, each overlapping its own L2 file.
  for (int i = 0; i < 4; i++) {
    Add(1, MakeFile(100 + i, test::NumberedKey(i * 10), test::NumberedKey(i * 10 + 5), 4 * kMiB));
    Add(2, MakeFile(200 + i, test::NumberedKey(i * 10 + 1), test::NumberedKey(i * 10 + 2)));
  }
  Install();
  std::set<uint64_t> seen;
  std::vector<Compaction*> cs;
  while (Compaction* c = Pick()) {
    EXPECT_EQ(1, c->level());
    for (int which = 0; which < 2; which++) {
      for (const FileMetaData* f : c->inputs(which)) {
        EXPECT_TRUE(seen.insert(f->number).second) << "file " << f->number << " picked twice";
      }
    }
    cs.push_back(c);
  }
  // The L1 score drops below 1 once two files are taken (8 MiB of 10 left).
  EXPECT_EQ(2u, cs.size());
  for (Compaction* c : cs) Release(c);
  EXPECT_NE(nullptr, Pick());
}

TEST_F(CompactionPickerTest, LevelRoundRobinFollowsTheCompactPointer) {
  for (int i = 0; i < 4; i++) {
    Add(1, MakeFile(100 + i, test::NumberedKey(i * 10), test::NumberedKey(i * 10 + 5), 4 * kMiB));
  }
  Install();
  std::vector<uint64_t> order;
  for (int round = 0; round < 5; round++) {
    Compaction* c = Pick();
    ASSERT_NE(nullptr, c);
    order.push_back(c->input(0, 0)->number);
    // Install nothing; just release, as if the job failed: the pointer moved.
    Release(c);
  }
  EXPECT_EQ((std::vector<uint64_t>{100, 101, 102, 103, 100}), order);
}

TEST_F(CompactionPickerTest, ExpandsLevelInputsWhenTheNextLevelAllowsIt) {
  Add(1, MakeFile(100, "b", "c", 6 * kMiB));
  Add(1, MakeFile(101, "e", "f", 6 * kMiB));
  Add(2, MakeFile(200, "a", "g"));  // covers both L1 files
  Install();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_EQ((std::set<uint64_t>{100, 101}), Numbers(c->inputs(0)));
  EXPECT_EQ((std::set<uint64_t>{200}), Numbers(c->inputs(1)));
}

TEST_F(CompactionPickerTest, TrivialMoveDetection) {
  Add(1, MakeFile(100, "a", "b", 11 * kMiB));
  Install();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_TRUE(c->IsTrivialMove());
  VersionEdit move;
  c->AddTrivialMoveTo(&move);
  ASSERT_EQ(1u, move.new_files().size());
  EXPECT_EQ(2, move.new_files()[0].first);
  EXPECT_EQ(1u, move.deleted_files().count({1, 100}));
  {
    std::lock_guard<std::mutex> l(mu_);
    ASSERT_TRUE(vset_->LogAndApply(&move, &mu_).ok());
  }
  Release(c);
  EXPECT_EQ(1, vset_->NumLevelFiles(2));
  EXPECT_EQ(0, vset_->NumLevelFiles(1));

  // Too much grandparent overlap: not trivial.
  Add(1, MakeFile(101, "c", "z", 11 * kMiB));
  for (int i = 0; i < 3; i++) {
    const std::string k = test::NumberedKey(i);
    Add(3, MakeFile(300 + i, k, k, 10 * kMiB));
  }
  Install();
  Compaction* c2 = Pick();
  ASSERT_NE(nullptr, c2);
  EXPECT_EQ(1, c2->level());
  EXPECT_EQ(3u, c2->grandparents().size());
  EXPECT_TRUE(c2->inputs(1).empty());
  EXPECT_FALSE(c2->IsTrivialMove());
}

TEST_F(CompactionPickerTest, CompactRangeAndBusyInputs) {
  Add(1, MakeFile(100, "a", "c"));
  Add(1, MakeFile(101, "d", "f"));
  Add(1, MakeFile(102, "g", "i"));
  Add(2, MakeFile(200, "e", "h"));
  Add(2, MakeFile(201, "i", "j"));  // taking 102 too would need it: no expansion
  Install();
  InternalKey b("b", kMaxSequenceNumber, kValueTypeForSeek), e("e", 0, kTypeDeletion);
  bool busy = true;
  Compaction* c;
  {
    std::lock_guard<std::mutex> l(mu_);
    c = vset_->CompactRange(1, &b, &e, &busy);
    if (c != nullptr) live_.push_back(c);
  }
  ASSERT_NE(nullptr, c);
  EXPECT_FALSE(busy);
  EXPECT_EQ((std::set<uint64_t>{100, 101}), Numbers(c->inputs(0)));  // target 2 MiB: 2 files
  EXPECT_EQ((std::set<uint64_t>{200}), Numbers(c->inputs(1)));

  // 102 overlaps L2 file 200, which is busy.
  InternalKey g("g", kMaxSequenceNumber, kValueTypeForSeek);
  {
    std::lock_guard<std::mutex> l(mu_);
    EXPECT_EQ(nullptr, vset_->CompactRange(1, &g, nullptr, &busy));
    EXPECT_TRUE(busy);
    InternalKey y("y", kMaxSequenceNumber, kValueTypeForSeek);
    EXPECT_EQ(nullptr, vset_->CompactRange(1, &y, nullptr, &busy));  // nothing there
    EXPECT_FALSE(busy);
  }
}

TEST_F(CompactionPickerTest, BottommostAndBaseLevel) {
  Add(1, MakeFile(100, "c", "f", 11 * kMiB));
  Add(3, MakeFile(300, "e", "e"));
  Install();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  EXPECT_FALSE(c->IsBottommost());
  EXPECT_TRUE(c->IsBaseLevelForKey("c"));
  EXPECT_TRUE(c->IsBaseLevelForKey("d"));
  EXPECT_FALSE(c->IsBaseLevelForKey("e"));
  EXPECT_TRUE(c->IsBaseLevelForKey("f"));
}

// A compaction of L1 [a, c] + [m, n] into L2 may write one L2 table spanning
// [a, n]; a flush of [f, g] overlaps no file anywhere but must not land in L2.
TEST_F(CompactionPickerTest, FlushIsNotPushedIntoARangeBeingFilled) {
  Add(1, MakeFile(100, "a", "c", 1000));
  Add(1, MakeFile(101, "m", "n", 1000));
  Add(2, MakeFile(200, "b", "b", 1000));
  Install();
  std::lock_guard<std::mutex> l(mu_);
  EXPECT_EQ(2, vset_->current()->PickLevelForMemTableOutput("f", "g"));
  InternalKey a("a", kMaxSequenceNumber, kValueTypeForSeek), n("n", 0, kTypeDeletion);
  Compaction* c = vset_->CompactRange(1, &a, &n);
  ASSERT_NE(nullptr, c);
  live_.push_back(c);
  EXPECT_EQ((std::set<uint64_t>{100, 101}), Numbers(c->inputs(0)));
  EXPECT_TRUE(vset_->RangeBusyAtLevel(2, "f", "g"));
  EXPECT_FALSE(vset_->RangeBusyAtLevel(2, "o", "p"));
  EXPECT_FALSE(vset_->RangeBusyAtLevel(1, "f", "g"));
  EXPECT_EQ(1, vset_->current()->PickLevelForMemTableOutput("f", "g"));
  EXPECT_EQ(2, vset_->current()->PickLevelForMemTableOutput("o", "p"));
}

}  // namespace lode
