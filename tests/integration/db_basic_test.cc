// Whole-DB behaviour through the public API: reads after writes, flushes,
// reopen, iterators, snapshots.
#include <algorithm>

#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

TEST_F(DBTest, PutGetDeleteInMemtable) {
  Open();
  Put("a", "1");
  Put("b", "2");
  EXPECT_EQ("1", Get("a"));
  EXPECT_EQ("2", Get("b"));
  EXPECT_EQ("NOT_FOUND", Get("c"));
  Put("a", "3");
  EXPECT_EQ("3", Get("a"));
  Delete("a");
  EXPECT_EQ("NOT_FOUND", Get("a"));
}

TEST_F(DBTest, ManyKeysAcrossFlushesSurviveReopen) {
  Open();
  Random rnd(301);
  std::map<std::string, std::string> model;
  for (int i = 0; i < 5000; i++) {
    std::string k = NumberedKey(rnd.Uniform(3000));
    std::string v = RandomBytes(&rnd, 50 + rnd.Uniform(300));
    Put(k, v);
    model[k] = v;
    if (i % 1500 == 0) {
      ASSERT_TRUE(db_->Flush().ok());
    }
  }
  ASSERT_TRUE(db_->Flush().ok());
  int files = 0;
  for (int l = 0; l < 7; l++) files += FilesAtLevel(l);
  EXPECT_GE(files, 2);
  for (int round = 0; round < 2; round++) {
    for (const auto& [k, v] : model) ASSERT_EQ(v, Get(k)) << k;
    EXPECT_EQ(model, Contents());
    Reopen();
  }
}

TEST_F(DBTest, OverwriteAndDeleteVisibleAcrossMemtableAndTables) {
  Open();
  Put("k1", "old");
  Put("k2", "old");
  Put("k3", "old");
  ASSERT_TRUE(db_->Flush().ok());
  Put("k1", "new");  // memtable shadows table
  Delete("k2");      // memtable tombstone hides table value
  EXPECT_EQ("new", Get("k1"));
  EXPECT_EQ("NOT_FOUND", Get("k2"));
  EXPECT_EQ("old", Get("k3"));
  ASSERT_TRUE(db_->Flush().ok());  // newer table shadows older table
  EXPECT_EQ("new", Get("k1"));
  EXPECT_EQ("NOT_FOUND", Get("k2"));
  Reopen();
  EXPECT_EQ("new", Get("k1"));
  EXPECT_EQ("NOT_FOUND", Get("k2"));
  EXPECT_EQ("old", Get("k3"));
  std::map<std::string, std::string> expected = {{"k1", "new"}, {"k3", "old"}};
  EXPECT_EQ(expected, Contents());
}

TEST_F(DBTest, IteratorMergesSourcesInOrderBothDirections) {
  Open();
  std::map<std::string, std::string> model;
  Random rnd(7);
  for (int batch = 0; batch < 4; batch++) {
    for (int i = 0; i < 300; i++) {
      std::string k = NumberedKey(rnd.Uniform(1000));
      if (rnd.OneIn(5)) {
        Delete(k);
        model.erase(k);
      } else {
        std::string v = RandomBytes(&rnd, rnd.OneIn(4) ? 3000 : 40);  // some go to blob files
        Put(k, v);
        model[k] = v;
      }
    }
    if (batch < 3) {
      ASSERT_TRUE(db_->Flush().ok());
    }
  }
  auto it = db_->NewIterator(ReadOptions());
  // Forward.
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    ASSERT_NE(m, model.end());
    ASSERT_EQ(m->first, it->key().ToString());
    ASSERT_EQ(m->second, it->value().ToString());
  }
  EXPECT_EQ(m, model.end());
  // Backward.
  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    ASSERT_NE(r, model.rend());
    ASSERT_EQ(r->first, it->key().ToString());
    ASSERT_EQ(r->second, it->value().ToString());
  }
  EXPECT_EQ(r, model.rend());
  // Random seeks with direction changes.
  for (int i = 0; i < 200; i++) {
    std::string target = NumberedKey(rnd.Uniform(1100));
    it->Seek(target);
    auto mm = model.lower_bound(target);
    if (mm == model.end()) {
      ASSERT_FALSE(it->Valid());
      continue;
    }
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(mm->first, it->key().ToString());
    if (rnd.OneIn(2)) {
      it->Prev();
      if (mm == model.begin()) {
        ASSERT_FALSE(it->Valid());
      } else {
        --mm;
        ASSERT_TRUE(it->Valid());
        ASSERT_EQ(mm->first, it->key().ToString());
        ASSERT_EQ(mm->second, it->value().ToString());
        it->Next();
        ++mm;
        ASSERT_TRUE(it->Valid());
        ASSERT_EQ(mm->first, it->key().ToString());
      }
    }
  }
  EXPECT_TRUE(it->status().ok());
}

TEST_F(DBTest, SnapshotSeesFrozenStateWhileWritesContinue) {
  Open();
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), "v1-" + std::to_string(i));
  const Snapshot* snap = db_->GetSnapshot();
  auto frozen = Contents();
  for (int i = 0; i < 100; i += 2) Put(NumberedKey(i), "v2-" + std::to_string(i));
  for (int i = 1; i < 100; i += 4) Delete(NumberedKey(i));
  Put("zzz", "new");
  EXPECT_EQ(frozen, Contents(snap));
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(frozen, Contents(snap));
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(frozen, Contents(snap));
  EXPECT_EQ("v1-2", Get(NumberedKey(2), snap));
  EXPECT_EQ("v2-2", Get(NumberedKey(2)));
  EXPECT_EQ("v1-1", Get(NumberedKey(1), snap));
  EXPECT_EQ("NOT_FOUND", Get(NumberedKey(1)));
  db_->ReleaseSnapshot(snap);
}

TEST_F(DBTest, EmptyKeyAndEmptyValue) {
  Open();
  Put("", "empty key");
  Put("k", "");
  EXPECT_EQ("empty key", Get(""));
  EXPECT_EQ("", Get("k"));
  ASSERT_TRUE(db_->Flush().ok());
  Reopen();
  EXPECT_EQ("empty key", Get(""));
  EXPECT_EQ("", Get("k"));
}

TEST_F(DBTest, WriteBatchAppliesAtomicallyInOrder) {
  Open();
  WriteBatch b;
  b.Put("x", "1");
  b.Put("y", "2");
  b.Delete("x");
  b.Put("z", "3");
  EXPECT_EQ(4u, b.Count());
  ASSERT_TRUE(db_->Write(WriteOptions(), &b).ok());
  EXPECT_EQ("NOT_FOUND", Get("x"));
  EXPECT_EQ("2", Get("y"));
  EXPECT_EQ("3", Get("z"));
}

TEST_F(DBTest, LargeKeysAndValuesUpTo64MiB) {
  Options o = SmallOptions();
  o.write_buffer_size = 4 << 20;
  Open(o);
  Random rnd(99);
  std::string big = RandomBytes(&rnd, 64 << 20, 0.3);
  std::string big_key = "big-" + RandomBytes(&rnd, 1 << 20);
  Put("huge", big);
  Put(big_key, "value of a 1 MiB key");
  EXPECT_EQ(big, Get("huge"));
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(big, Get("huge"));
  EXPECT_EQ("value of a 1 MiB key", Get(big_key));
  Reopen();
  EXPECT_EQ(big, Get("huge"));
}

TEST_F(DBTest, PropertiesReportLevelsAndStats) {
  Open();
  for (int i = 0; i < 2000; i++) Put(NumberedKey(i), std::string(200, 'x'));
  ASSERT_TRUE(db_->Flush().ok());
  std::string v;
  EXPECT_TRUE(db_->GetProperty("lode.levels", &v));
  EXPECT_NE(std::string::npos, v.find("Level"));
  EXPECT_TRUE(db_->GetProperty("lode.stats", &v));
  EXPECT_NE(std::string::npos, v.find("Write amplification"));
  EXPECT_FALSE(db_->GetProperty("lode.no-such-property", &v));
  EXPECT_FALSE(db_->GetProperty("lode.num-files-at-level99", &v));
  int files = 0;
  for (int l = 0; l < 7; l++) files += FilesAtLevel(l);
  EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace lode::test
