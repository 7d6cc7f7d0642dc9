// A WAL whose records reuse a sequence number (damage a checksum cannot
// see: the records themselves are intact) must fail the open with
// Corruption, not insert two entries with the same key and sequence into the
// memtable (which trips the skiplist's invariant). Found by fuzz_wal_reader.
#include <gtest/gtest.h>

#include "lib/filename.h"
#include "lib/log_writer.h"
#include "lib/write_batch_internal.h"
#include "lode/db.h"
#include "tests/util/db_files.h"
#include "tests/util/test_util.h"
#include "tests/util/torture_options.h"

namespace lode::test {
namespace {

std::string Record(SequenceNumber seq, const std::string& key, const std::string& value) {
  WriteBatch b;
  b.Put(key, value);
  WriteBatchInternal::SetSequence(&b, seq);
  return WriteBatchInternal::Contents(&b).ToString();
}

TEST(WalSequenceTest, RecordsReusingASequenceAreCorruptionNotACrash) {
  for (WalRecoveryMode mode : kAllWalRecoveryModes) {
    TempDir dir;
    Options o;
    o.wal_recovery_mode = mode;
    {
      std::unique_ptr<DB> db;
      ASSERT_TRUE(DB::Open(o, dir.path(), &db).ok());
    }
    const uint64_t log = NewestLogNumber(Env::Default(), dir.path());
    ASSERT_GT(log, 0u);
    std::unique_ptr<WritableFile> f;
    ASSERT_TRUE(Env::Default()->NewWritableFile(LogFileName(dir.path(), log), &f).ok());
    {
      log::Writer w(f.get());
      ASSERT_TRUE(w.AddRecord(Record(5, "a", "first")).ok());
      ASSERT_TRUE(w.AddRecord(Record(5, "a", "second")).ok());
    }
    ASSERT_TRUE(f->Close().ok());
    std::unique_ptr<DB> db;
    Status s = DB::Open(o, dir.path(), &db);
    EXPECT_TRUE(s.IsCorruption()) << static_cast<int>(mode) << ": " << s.ToString();
  }
}

TEST(WalSequenceTest, IncreasingSequencesReplay) {
  TempDir dir;
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(Options(), dir.path(), &db).ok());
  }
  const uint64_t log = NewestLogNumber(Env::Default(), dir.path());
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(Env::Default()->NewWritableFile(LogFileName(dir.path(), log), &f).ok());
  {
    log::Writer w(f.get());
    ASSERT_TRUE(w.AddRecord(Record(5, "a", "first")).ok());
    ASSERT_TRUE(w.AddRecord(Record(6, "a", "second")).ok());
  }
  ASSERT_TRUE(f->Close().ok());
  std::unique_ptr<DB> db;
  Status s = DB::Open(Options(), dir.path(), &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::string v;
  ASSERT_TRUE(db->Get(ReadOptions(), "a", &v).ok());
  EXPECT_EQ("second", v);
}

}  // namespace
}  // namespace lode::test
