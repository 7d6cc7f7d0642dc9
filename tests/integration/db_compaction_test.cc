// Leveled compaction through the public API.
#include <set>

#include "tests/integration/db_test_util.h"
#include "tests/util/fault_injection_env.h"

namespace lode::test {
namespace {

class CompactionTest : public DBTest {
 protected:
  std::set<std::string> Tables() {
    std::vector<std::string> children;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    std::set<std::string> r;
    for (const auto& c : children) {
      if (c.size() > 4 && c.compare(c.size() - 4, 4, ".sst") == 0) r.insert(c);
    }
    return r;
  }
  uint64_t TableEntries() {
    db_.reset();
    VerifyReport vr;
    Status s = VerifyDB(dir_.path(), options_, &vr);
    EXPECT_TRUE(s.ok()) << s.ToString();
    Open(options_);
    return vr.table_entries;
  }
};

TEST_F(CompactionTest, DeletedKeysStayDeletedAtEveryLevelAndTombstonesLeaveTheBottom) {
  Open();
  Random rnd(11);
  for (int i = 0; i < 3000; i++) Put(NumberedKey(i), RandomBytes(&rnd, 200));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  for (int i = 0; i < 3000; i += 2) Delete(NumberedKey(i));
  ASSERT_TRUE(db_->Flush().ok());
  for (int i = 1; i < 3000; i += 2) ASSERT_NE("NOT_FOUND", Get(NumberedKey(i)));
  for (int i = 0; i < 3000; i += 2) ASSERT_EQ("NOT_FOUND", Get(NumberedKey(i)));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  for (int i = 0; i < 3000; i += 2) ASSERT_EQ("NOT_FOUND", Get(NumberedKey(i)));
  Reopen();
  for (int i = 0; i < 3000; i += 2) ASSERT_EQ("NOT_FOUND", Get(NumberedKey(i)));
  EXPECT_EQ(1500u, Contents().size());
  // Only the 1500 live entries remain: no tombstone, no shadowed version.
  EXPECT_EQ(1500u, TableEntries());
}

TEST_F(CompactionTest, SnapshotKeepsTombstoneAndOldVersionThroughCompaction) {
  Open();
  Put("a", "1");
  Put("b", "1");
  ASSERT_TRUE(db_->Flush().ok());
  const Snapshot* before = db_->GetSnapshot();
  Delete("a");
  Put("b", "2");
  ASSERT_TRUE(db_->Flush().ok());
  const Snapshot* during = db_->GetSnapshot();
  Put("b", "3");
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  const Snapshot* after = db_->GetSnapshot();
  EXPECT_EQ("1", Get("a", before));
  EXPECT_EQ("1", Get("b", before));
  EXPECT_EQ("NOT_FOUND", Get("a", during));
  EXPECT_EQ("2", Get("b", during));
  EXPECT_EQ("3", Get("b", after));
  EXPECT_EQ("NOT_FOUND", Get("a", after));
  db_->ReleaseSnapshot(before);
  db_->ReleaseSnapshot(during);
  db_->ReleaseSnapshot(after);
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(1u, TableEntries());  // just b=3 once no snapshot needs the rest
  EXPECT_EQ("3", Get("b"));
}

TEST_F(CompactionTest, NonOverlappingFileMovesDownWithoutRewrite) {
  Open();
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), "v");
  ASSERT_TRUE(db_->Flush().ok());
  const auto tables = Tables();
  ASSERT_EQ(1u, tables.size());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(tables, Tables());  // the same file, now lower
  EXPECT_EQ(0, FilesAtLevel(0));
  for (int i = 0; i < 100; i++) ASSERT_EQ("v", Get(NumberedKey(i)));
}

TEST_F(CompactionTest, SustainedRandomWritesKeepL0BoundedAndEverythingReadable) {
  Options o = SmallOptions();
  o.write_buffer_size = 1 << 20;
  o.target_file_size = 1 << 20;
  o.max_bytes_for_level_base = 4 << 20;
  o.min_blob_size = 1 << 20;  // inline values: this test is about the tree
  Open(o);
  Random rnd(2024);
  std::map<std::string, uint32_t> model;  // key -> version
  int max_l0 = 0;
  constexpr int kWrites = 160000;  // ~160 MiB of 1 KiB values
  // Incompressible, so the tree really holds ~40 MiB of live data.
  std::string value = RandomBytes(&rnd, 1000);
  for (int i = 0; i < kWrites; i++) {
    value[100 + i % 800] = static_cast<char>(rnd.Next());
    std::string k = NumberedKey(rnd.Uniform(40000));
    uint32_t version = static_cast<uint32_t>(i);
    memcpy(value.data(), &version, 4);
    memcpy(value.data() + 4, k.data(), std::min<size_t>(k.size(), 20));
    Put(k, value);
    model[k] = version;
    if (i % 2000 == 0) max_l0 = std::max(max_l0, FilesAtLevel(0));
  }
  EXPECT_LE(max_l0, o.level0_stop_writes_trigger);
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_LT(FilesAtLevel(0), o.level0_compaction_trigger);
  int deeper = 0;
  for (int l = 1; l < 7; l++) deeper += FilesAtLevel(l);
  EXPECT_GT(deeper, 4);
  for (const auto& [k, version] : model) {
    std::string v = Get(k);
    ASSERT_EQ(1000u, v.size()) << k;
    uint32_t got;
    memcpy(&got, v.data(), 4);
    ASSERT_EQ(version, got) << k;
  }
  Reopen();
  EXPECT_EQ(model.size(), Contents().size());
}

TEST_F(CompactionTest, FailedCompactionLeavesNoNewFileAndTheDbReadable) {
  FaultInjectionEnv env;
  Options o = SmallOptions();
  o.env = &env;
  o.level0_compaction_trigger = 100;  // compactions only when asked
  o.level0_slowdown_writes_trigger = 100;
  o.level0_stop_writes_trigger = 100;
  Open(o);
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 500; i++) Put(NumberedKey(i), "r" + std::to_string(round));
    ASSERT_TRUE(db_->Flush().ok());
  }
  const auto tables = Tables();
  ASSERT_EQ(3u, tables.size());
  for (uint64_t nth : {0, 1, 3}) {
    env.FailNth(FaultInjectionEnv::Op::kWrite, nth, ".sst");
    Status s = db_->CompactRange(nullptr, nullptr);
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    env.ClearFaults();
    EXPECT_EQ(tables, Tables()) << "after failing write " << nth;
    for (int i = 0; i < 500; i++) ASSERT_EQ("r2", Get(NumberedKey(i)));
  }
  env.FailNth(FaultInjectionEnv::Op::kSync, 0, ".sst");
  EXPECT_FALSE(db_->CompactRange(nullptr, nullptr).ok());
  env.ClearFaults();
  EXPECT_EQ(tables, Tables());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_NE(tables, Tables());
  Reopen();
  for (int i = 0; i < 500; i++) ASSERT_EQ("r2", Get(NumberedKey(i)));
}

TEST_F(CompactionTest, IteratorOpenedBeforeCompactionKeepsItsView) {
  Open();
  for (int i = 0; i < 2000; i++) Put(NumberedKey(i), "old" + std::to_string(i));
  ASSERT_TRUE(db_->Flush().ok());
  auto it = db_->NewIterator(ReadOptions());
  it->SeekToFirst();
  for (int i = 0; i < 2000; i += 3) Put(NumberedKey(i), "new");
  for (int i = 1; i < 2000; i += 3) Delete(NumberedKey(i));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  int n = 0;
  for (; it->Valid(); it->Next(), n++) {
    ASSERT_EQ(NumberedKey(n), it->key().ToString());
    ASSERT_EQ("old" + std::to_string(n), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(2000, n);
}

TEST_F(CompactionTest, StatsReportCompactionWorkAndWriteAmplification) {
  Open();
  for (int i = 0; i < 5000; i++) Put(NumberedKey(i % 1000), std::string(300, 'z'));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  std::string stats;
  ASSERT_TRUE(db_->GetProperty("lode.stats", &stats));
  EXPECT_NE(std::string::npos, stats.find("Write amplification"));
  size_t pos = stats.find("Write amplification: ");
  ASSERT_NE(std::string::npos, pos);
  double wamp = std::stod(stats.substr(pos + strlen("Write amplification: ")));
  EXPECT_GT(wamp, 1.0);  // the WAL alone writes every byte once
}

}  // namespace
}  // namespace lode::test
