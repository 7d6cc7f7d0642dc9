// Opening, bad options, locking, orphans, damaged files, SetOptions, DestroyDB.
#include <fstream>

#include "lib/filename.h"
#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

std::vector<std::string> FilesWithSuffix(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> children, r;
  EXPECT_TRUE(Env::Default()->GetChildren(dir, &children).ok());
  for (const auto& c : children) {
    if (c.size() >= suffix.size() &&
        c.compare(c.size() - suffix.size(), suffix.size(), suffix) == 0) {
      r.push_back(c);
    }
  }
  std::sort(r.begin(), r.end());
  return r;
}

TEST_F(DBTest, MissingDbWithoutCreateIfMissingIsInvalidArgument) {
  Options o = SmallOptions();
  o.create_if_missing = false;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, dir_.path() + "/nope", &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("create_if_missing"));
  EXPECT_EQ(nullptr, db);
}

TEST_F(DBTest, ErrorIfExistsRefusesExistingDb) {
  Open();
  db_.reset();
  Options o = SmallOptions();
  o.error_if_exists = true;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, dir_.path(), &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
}

TEST_F(DBTest, SecondOpenOfSameDirectoryIsBusy) {
  Open();
  std::unique_ptr<DB> db2;
  Status s = DB::Open(options_, dir_.path(), &db2);
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("LOCK"));
  db_.reset();
  s = DB::Open(options_, dir_.path(), &db2);  // released on close
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(DBTest, BadOptionsAreRejectedNamingTheOption) {
  struct Case {
    const char* name;
    void (*change)(Options*);
  } cases[] = {
      {"write_buffer_size", [](Options* o) { o->write_buffer_size = 0; }},
      {"block_size", [](Options* o) { o->block_size = 0; }},
      {"num_levels", [](Options* o) { o->num_levels = 1; }},
      {"blob_file_size", [](Options* o) { o->blob_file_size = 0; }},
      {"blob_gc_age_cutoff", [](Options* o) { o->blob_gc_age_cutoff = 1.5; }},
      {"max_background_jobs", [](Options* o) { o->max_background_jobs = 0; }},
      {"compaction_thread_nice", [](Options* o) { o->compaction_thread_nice = -1; }},
      {"compaction_thread_nice", [](Options* o) { o->compaction_thread_nice = 20; }},
      {"level0_stop_writes_trigger", [](Options* o) { o->level0_stop_writes_trigger = 1; }},
  };
  for (const Case& c : cases) {
    Options o = SmallOptions();
    c.change(&o);
    std::unique_ptr<DB> db;
    Status s = DB::Open(o, dir_.path(), &db);
    EXPECT_TRUE(s.IsInvalidArgument()) << c.name << ": " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(c.name)) << s.ToString();
  }
}

TEST_F(DBTest, OrphanFilesAreDeletedAtOpen) {
  Open();
  Put("a", "1");
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();
  WriteAll(TableFileName(dir_.path(), 9000), "not a table");
  WriteAll(BlobFileName(dir_.path(), 9001), "not a blob file");
  WriteAll(LogFileName(dir_.path(), 3), "");  // older than the live log
  Open(options_);
  EXPECT_FALSE(Env::Default()->FileExists(TableFileName(dir_.path(), 9000)));
  EXPECT_FALSE(Env::Default()->FileExists(BlobFileName(dir_.path(), 9001)));
  EXPECT_FALSE(Env::Default()->FileExists(LogFileName(dir_.path(), 3)));
  EXPECT_EQ("1", Get("a"));
}

TEST_F(DBTest, MissingTableFileIsCorruptionNamingIt) {
  Open();
  Put("a", "1");
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();
  auto tables = FilesWithSuffix(dir_.path(), ".sst");
  ASSERT_EQ(1u, tables.size());
  ASSERT_TRUE(Env::Default()->RemoveFile(dir_.path() + "/" + tables[0]).ok());
  std::unique_ptr<DB> db;
  Status s = DB::Open(options_, dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(tables[0])) << s.ToString();
}

TEST_F(DBTest, GarbledCurrentIsCorruption) {
  Open();
  db_.reset();
  WriteAll(CurrentFileName(dir_.path()), "MANIFEST-999999\n");
  std::unique_ptr<DB> db;
  Status s = DB::Open(options_, dir_.path(), &db);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST-999999")) << s.ToString();
}

TEST_F(DBTest, TornWalTailIsToleratedAndEarlierWritesKept) {
  Open();
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), std::string(100, 'v'), /*sync=*/true);
  db_.reset();
  auto logs = FilesWithSuffix(dir_.path(), ".log");
  ASSERT_FALSE(logs.empty());
  const std::string log = dir_.path() + "/" + logs.back();
  std::string data = ReadAll(log);
  ASSERT_GT(data.size(), 50u);
  WriteAll(log, Slice(data.data(), data.size() - 30));  // tear the last record
  Open(options_);
  for (int i = 0; i < 99; i++) ASSERT_EQ(std::string(100, 'v'), Get(NumberedKey(i))) << i;
  EXPECT_EQ("NOT_FOUND", Get(NumberedKey(99)));
}

TEST_F(DBTest, WalCorruptionInTheMiddleHonoursRecoveryMode) {
  Open();
  for (int i = 0; i < 2000; i++) Put(NumberedKey(i), std::string(100, 'v'));
  db_.reset();
  auto logs = FilesWithSuffix(dir_.path(), ".log");
  const std::string log = dir_.path() + "/" + logs.back();
  std::string data = ReadAll(log);
  ASSERT_GT(data.size(), 100000u);
  data[40000] ^= 0x55;
  WriteAll(log, data);

  Options strict = options_;
  strict.wal_recovery_mode = WalRecoveryMode::kAbsoluteConsistency;
  std::unique_ptr<DB> db;
  Status s = DB::Open(strict, dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(logs.back())) << s.ToString();

  // Point-in-time (the default) keeps exactly the prefix before the damage.
  Open(options_);
  int present = 0;
  bool gap = false;
  for (int i = 0; i < 2000; i++) {
    if (Get(NumberedKey(i)) == "NOT_FOUND") {
      gap = true;
    } else {
      ASSERT_FALSE(gap) << "hole before key " << i;
      present++;
    }
  }
  EXPECT_GT(present, 100);
  EXPECT_LT(present, 2000);
}

TEST_F(DBTest, SetOptionsValidatesAndApplies) {
  Open();
  EXPECT_TRUE(db_->SetOptions({{"min_blob_size", "65536"}}).ok());
  Status s = db_->SetOptions({{"no_such_option", "1"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(std::string::npos, s.ToString().find("no_such_option"));
  s = db_->SetOptions({{"blob_gc_age_cutoff", "abc"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(std::string::npos, s.ToString().find("blob_gc_age_cutoff"));
  s = db_->SetOptions({{"blob_gc_age_cutoff", "2"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  s = db_->SetOptions({{"blob_compression", "zstd"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  // A failed update changes nothing, even for the valid names beside it.
  s = db_->SetOptions({{"min_blob_size", "100"}, {"blob_file_size", "0"}});
  EXPECT_TRUE(s.IsInvalidArgument());
  std::string opts;
  ASSERT_TRUE(db_->GetProperty("lode.options", &opts));
  EXPECT_NE(std::string::npos, opts.find("min_blob_size: 65536"));
}

TEST_F(DBTest, DestroyDbRemovesEverything) {
  Open();
  Put("a", "1");
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_TRUE(DestroyDB(dir_.path(), options_).IsBusy());  // still open
  db_.reset();
  ASSERT_TRUE(DestroyDB(dir_.path(), options_).ok());
  EXPECT_FALSE(Env::Default()->FileExists(dir_.path()));
}

}  // namespace
}  // namespace lode::test

namespace lode::test {
namespace {

TEST_F(DBTest, ParanoidOpenDetectsADamagedTable) {
  Open();
  for (int i = 0; i < 500; i++) Put(NumberedKey(i), std::string(100, 'p'));
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();
  std::vector<std::string> children;
  ASSERT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
  std::string table;
  for (const auto& c : children) {
    if (c.size() > 4 && c.compare(c.size() - 4, 4, ".sst") == 0) table = dir_.path() + "/" + c;
  }
  ASSERT_FALSE(table.empty());
  std::string data = ReadAll(table);
  data[100] ^= 0x01;  // inside the first data block
  WriteAll(table, data);
  Options o = options_;
  o.paranoid_checks = true;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(".sst")) << s.ToString();
  // Without paranoid checks the DB opens and the damage shows on read.
  Open(options_);
  EXPECT_NE(std::string::npos, Get(NumberedKey(0)).find("Corruption"));
}

}  // namespace
}  // namespace lode::test
