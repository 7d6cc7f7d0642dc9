// Blob files across close, crash-free reopen and WAL recovery; compaction of
// tables holding blob indexes checked by VerifyDB; orphan blob files removed
// at open; live blob files that are missing or truncated reported by name.
#include <map>

#include "lib/filename.h"
#include "tests/integration/blob_db_test_util.h"

namespace lode::test {
namespace {

class BlobRecoveryTest : public BlobDBTest {
 protected:
  // Writes n separated values (and a few inline ones) into the model.
  void Load(const std::string& prefix, int n, Random* rnd) {
    for (int i = 0; i < n; i++) {
      std::string k = prefix + NumberedKey(i);
      std::string v = RandomBytes(rnd, i % 5 == 0 ? 100 : 2000 + rnd->Uniform(3000));
      Put(k, v);
      model_[k] = v;
    }
  }
  void CheckModel() {
    for (const auto& [k, v] : model_) ASSERT_EQ(v, Get(k)) << k;
    EXPECT_EQ(model_, Contents());
  }
  // Closes the DB and runs VerifyDB over the directory.
  VerifyReport CloseAndVerify() {
    db_.reset();
    VerifyReport report;
    Status s = VerifyDB(dir_.path(), options_, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (const auto& p : report.problems) ADD_FAILURE() << p;
    return report;
  }
  std::map<std::string, std::string> model_;
};

TEST_F(BlobRecoveryTest, BlobValuesSurviveReopenFlushedOrOnlyInTheWal) {
  Open(BlobOptions());
  Random rnd(1);
  Load("flushed", 40, &rnd);
  FlushOrDie();
  Load("walonly", 40, &rnd);  // never flushed: replayed from the WAL
  Reopen();
  CheckModel();
  // Recovery wrote the WAL's large values to a blob file of their own.
  EXPECT_EQ(2u, DbFiles(".blob").size());
  EXPECT_EQ(64u, BlobsWritten());  // 2 x 40 values, one in five inline
  Reopen();
  CheckModel();
  const VerifyReport r = CloseAndVerify();
  EXPECT_EQ(2u, r.blob_files_checked);
  EXPECT_EQ(64u, r.blobs_checked);
  EXPECT_EQ(64u, r.blob_refs_checked);
}

TEST_F(BlobRecoveryTest, CompactionOfBlobIndexesKeepsValuesReadableAndVerifyClean) {
  Options o = BlobOptions();
  o.write_buffer_size = 256 << 10;
  Open(o);
  Random rnd(2);
  for (int round = 0; round < 4; round++) {
    Load("k", 120, &rnd);  // overwrites the same keys each round
    for (int i = round; i < 120; i += 7) {
      Delete("k" + NumberedKey(i));
      model_.erase("k" + NumberedKey(i));
    }
    FlushOrDie();
  }
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  CheckModel();
  EXPECT_EQ(0, FilesAtLevel(0));
  uint64_t live_blob_values = 0;
  for (const auto& [k, v] : model_) live_blob_values += v.size() >= 1024 ? 1 : 0;
  Reopen();
  CheckModel();
  const VerifyReport r = CloseAndVerify();
  EXPECT_EQ(live_blob_values, r.blob_refs_checked);
  EXPECT_GE(r.blob_files_checked, 1u);
}

TEST_F(BlobRecoveryTest, OrphanBlobFilesAreRemovedAtOpen) {
  Open(BlobOptions());
  Random rnd(3);
  Load("a", 20, &rnd);
  FlushOrDie();
  const auto live = DbFiles(".blob");
  ASSERT_EQ(1u, live.size());
  db_.reset();
  // A finished blob file nothing references (a copy of the live one under a
  // new number, as a flush that crashed before its manifest write leaves),
  // and an unfinished one.
  const std::string copy = BlobFileName(dir_.path(), 900);
  WriteAll(copy, ReadAll(dir_.path() + "/" + live[0]));
  const std::string partial = BlobFileName(dir_.path(), 901);
  WriteAll(partial, ReadAll(dir_.path() + "/" + live[0]).substr(0, 100));
  Open(options_);
  EXPECT_FALSE(Env::Default()->FileExists(copy));
  EXPECT_FALSE(Env::Default()->FileExists(partial));
  EXPECT_EQ(live, DbFiles(".blob"));
  CheckModel();
  // New files never reuse the orphans' numbers' files by accident.
  Load("b", 20, &rnd);
  FlushOrDie();
  CheckModel();
}

TEST_F(BlobRecoveryTest, MissingBlobFileIsCorruptionNamingIt) {
  Open(BlobOptions());
  Random rnd(4);
  Load("a", 10, &rnd);
  FlushOrDie();
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  db_.reset();
  ASSERT_TRUE(Env::Default()->RemoveFile(dir_.path() + "/" + blobs[0]).ok());
  std::unique_ptr<DB> db;
  Status s = DB::Open(options_, dir_.path(), &db);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(blobs[0])) << s.ToString();
  EXPECT_EQ(nullptr, db);
}

TEST_F(BlobRecoveryTest, TruncatedBlobFileIsCorruptionNamingIt) {
  Open(BlobOptions());
  Random rnd(5);
  Load("a", 10, &rnd);
  FlushOrDie();
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  db_.reset();
  const std::string path = dir_.path() + "/" + blobs[0];
  const std::string contents = ReadAll(path);
  // Cut inside the records, and just the footer's last byte.
  for (size_t cut : {contents.size() / 2, contents.size() - 1}) {
    WriteAll(path, contents.substr(0, cut));
    std::unique_ptr<DB> db;
    Status s = DB::Open(options_, dir_.path(), &db);
    EXPECT_TRUE(s.IsCorruption()) << "cut at " << cut << ": " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(blobs[0])) << s.ToString();
    EXPECT_EQ(nullptr, db);
  }
  WriteAll(path, contents);  // restored, everything reads again
  Open(options_);
  CheckModel();
}

// A file that disappears while the DB is open (after the open-time check)
// is damage: reads report Corruption naming it, never NotFound, which would
// tell the user the key does not exist.
TEST_F(BlobRecoveryTest, FileRemovedWhileOpenIsCorruptionNotNotFound) {
  Open(BlobOptions());
  Put("blob", std::string(5000, 'b'));
  Put("inline", "i");
  FlushOrDie();
  Reopen();  // no reader is open yet
  const auto blobs = DbFiles(".blob");
  ASSERT_EQ(1u, blobs.size());
  ASSERT_TRUE(Env::Default()->RemoveFile(dir_.path() + "/" + blobs[0]).ok());
  std::string v;
  Status s = db_->Get(ReadOptions(), "blob", &v);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(blobs[0])) << s.ToString();
  auto it = db_->NewIterator(ReadOptions());
  it->Seek("blob");
  ASSERT_TRUE(it->Valid());
  EXPECT_TRUE(it->value().empty());
  EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
  it.reset();
  EXPECT_EQ("i", Get("inline"));  // the table is fine
}

TEST_F(BlobRecoveryTest, TableRemovedWhileOpenIsCorruptionNotNotFound) {
  Open(BlobOptions());
  Put("a", "1");
  FlushOrDie();
  Reopen();  // the table is not open yet
  const auto tables = DbFiles(".sst");
  ASSERT_EQ(1u, tables.size());
  ASSERT_TRUE(Env::Default()->RemoveFile(dir_.path() + "/" + tables[0]).ok());
  std::string v;
  Status s = db_->Get(ReadOptions(), "a", &v);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(tables[0])) << s.ToString();
}

// The size check at open covers tables too: a table cut short (or grown) is
// named at open instead of failing some later read.
TEST_F(BlobRecoveryTest, TableFileOfTheWrongSizeIsCorruptionNamingIt) {
  Open(BlobOptions());
  Random rnd(6);
  Load("a", 10, &rnd);
  FlushOrDie();
  const auto tables = DbFiles(".sst");
  ASSERT_EQ(1u, tables.size());
  db_.reset();
  const std::string path = dir_.path() + "/" + tables[0];
  const std::string contents = ReadAll(path);
  for (const std::string& damaged : {contents.substr(0, contents.size() - 10), contents + "xx"}) {
    WriteAll(path, damaged);
    std::unique_ptr<DB> db;
    Status s = DB::Open(options_, dir_.path(), &db);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(tables[0])) << s.ToString();
  }
  WriteAll(path, contents);
  Open(options_);
  CheckModel();
}

}  // namespace
}  // namespace lode::test
