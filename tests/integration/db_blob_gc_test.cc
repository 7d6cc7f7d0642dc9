// Blob garbage collection through the public API: exact garbage accounting,
// relocation, dead files dropped, snapshots and iterators protected, failures
// rolled back with no orphan left.
#include <set>

#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/integration/db_test_util.h"
#include "tests/util/fault_injection_env.h"

namespace lode::test {
namespace {

class BlobGcTest : public DBTest {
 protected:
  // Uncompressed blobs so stored bytes equal value bytes; GC only on demand.
  Options GcOptions() {
    Options o = SmallOptions();
    o.blob_compression = Compression::kNone;
    o.min_blob_size = 1000;
    o.write_buffer_size = 4 << 20;  // flushes only when the test asks
    o.blob_file_size = 64 << 20;    // one blob file per flush
    o.blob_gc_age_cutoff = 0;       // eligibility by garbage ratio only
    o.blob_gc_garbage_threshold = 0.5;
    o.blob_gc_force_threshold = 1.0;  // no automatic targeted GC
    o.max_space_amplification = 0;    // no space-ceiling scheduler
    o.blob_gc_idle_seconds = 0;       // nor idle reclamation
    return o;
  }

  std::string Value(int key, int version, size_t size = 4000) {
    std::string v = "k" + std::to_string(key) + "v" + std::to_string(version) + ":";
    v.resize(size, static_cast<char>('a' + (key + version) % 26));
    return v;
  }

  std::set<std::string> FilesOnDisk(const std::string& suffix) {
    std::vector<std::string> children;
    EXPECT_TRUE(options_.env != nullptr ? options_.env->GetChildren(dir_.path(), &children).ok()
                                        : Env::Default()->GetChildren(dir_.path(), &children).ok());
    std::set<std::string> r;
    for (const auto& c : children) {
      if (c.size() > suffix.size() &&
          c.compare(c.size() - suffix.size(), suffix.size(), suffix) == 0) {
        r.insert(c);
      }
    }
    return r;
  }

  // Writes keys [0, keys) and flushes, overwrites [0, overwritten) and
  // flushes, then compacts everything, so the first file's overwritten
  // blobs are counted garbage.
  void LoadOverwriteAndCompact(int keys, int overwritten) {
    for (int i = 0; i < keys; i++) Put(NumberedKey(i), Value(i, 0));
    ASSERT_TRUE(db_->Flush().ok());
    for (int i = 0; i < overwritten; i++) Put(NumberedKey(i), Value(i, 1));
    ASSERT_TRUE(db_->Flush().ok());
    ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  }

  GcReport Report() {
    GcReport r;
    EXPECT_TRUE(db_->GetGcReport(&r).ok());
    return r;
  }

  void ExpectVerified() {
    db_.reset();
    VerifyReport vr;
    Status s = VerifyDB(dir_.path(), options_, &vr);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (const auto& p : vr.problems) ADD_FAILURE() << p;
    Open(options_);
  }
};

TEST_F(BlobGcTest, OverwritesBecomeExactGarbageOfTheirBlobFile) {
  Open(GcOptions());
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  GcReport r = Report();
  ASSERT_EQ(1u, r.num_blob_files);
  EXPECT_EQ(100u, r.files[0].blob_count);
  EXPECT_EQ(400000u, r.files[0].blob_bytes);
  EXPECT_EQ(0u, r.garbage_blob_bytes);

  for (int i = 0; i < 30; i++) Put(NumberedKey(i), Value(i, 1, 2000));  // 30 overwrites
  for (int i = 30; i < 40; i++) Delete(NumberedKey(i));                 // 10 deletes
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  r = Report();
  ASSERT_EQ(2u, r.num_blob_files);
  const GcReportBlobFile* first = nullptr;
  for (const auto& f : r.files) {
    if (first == nullptr || f.number < first->number) first = &f;
  }
  EXPECT_EQ(40u, first->garbage_count);
  EXPECT_EQ(160000u, first->garbage_bytes);
  EXPECT_DOUBLE_EQ(0.4, first->garbage_ratio);
  EXPECT_EQ(60u * 4000 + 30u * 2000, r.live_blob_bytes);
  EXPECT_EQ(IntProperty("lode.garbage-blob-bytes"), r.garbage_blob_bytes);
  ExpectVerified();
}

TEST_F(BlobGcTest, FlushesEstimateTheGarbageTheirOverwritesHideUntilACompactionCountsIt) {
  Open(GcOptions());
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(0u, Report().hidden_garbage_estimate) << "a fresh load shadows nothing";
  // New keys shadow nothing; 30 overwrites shadow 30 older blobs, which no
  // compaction has counted as garbage yet.
  for (int i = 100; i < 150; i++) Put(NumberedKey(i), Value(i, 0));
  for (int i = 0; i < 30; i++) Put(NumberedKey(i), Value(i, 1, 2000));
  ASSERT_TRUE(db_->Flush().ok());
  GcReport r = Report();
  EXPECT_EQ(0u, r.garbage_blob_bytes);
  EXPECT_EQ(30u * 4000, r.hidden_garbage_estimate);
  EXPECT_GE(r.hidden_garbage_bound, r.hidden_garbage_estimate);
  EXPECT_NE(std::string::npos, r.ToJson().find("\"hidden_garbage_estimate\": 120000"))
      << r.ToJson();
  // Overwriting a key twice in one memtable shadows the tree's version once.
  for (int i = 30; i < 40; i++) {
    Put(NumberedKey(i), Value(i, 1));
    Put(NumberedKey(i), Value(i, 2));
  }
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(40u * 4000, Report().hidden_garbage_estimate);
  // The compaction that meets both versions counts it; the estimate goes.
  // (It also relocates the last flush's file, half of which the flush
  // found dead, so what is left counted is the first file's 40 blobs.)
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  r = Report();
  EXPECT_EQ(0u, r.hidden_garbage_estimate);
  EXPECT_EQ(40u * 4000, r.garbage_blob_bytes) << r.ToText();
}

TEST_F(BlobGcTest, FullyDeadBlobFileIsDroppedWithoutGc) {
  Open(GcOptions());
  for (int i = 0; i < 50; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  const auto blobs_before = FilesOnDisk(".blob");
  ASSERT_EQ(1u, blobs_before.size());
  for (int i = 0; i < 50; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  GcReport r = Report();
  EXPECT_EQ(1u, r.num_blob_files);
  EXPECT_EQ(0u, r.garbage_blob_bytes);
  EXPECT_EQ(1u, r.files_dropped);
  EXPECT_EQ(0u, r.bytes_relocated);  // dropped by accounting alone, no I/O
  EXPECT_EQ(0u, FilesOnDisk(".blob").count(*blobs_before.begin()));
  for (int i = 0; i < 50; i++) ASSERT_EQ(Value(i, 1), Get(NumberedKey(i)));
  ExpectVerified();
}

TEST_F(BlobGcTest, RunBlobGcRelocatesLiveBlobsAndReclaimsTheFile) {
  Open(GcOptions());
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  const std::string old_file = *FilesOnDisk(".blob").begin();
  for (int i = 0; i < 70; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  GcReport before = Report();
  EXPECT_EQ(30u * 4000, before.rewrite_bytes);
  EXPECT_EQ(70u * 4000, before.reclaimable_bytes);

  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
  GcReport after = Report();
  EXPECT_EQ(0u, after.garbage_blob_bytes);
  EXPECT_EQ(before.live_blob_bytes, after.live_blob_bytes);
  EXPECT_EQ(30u * 4000, after.bytes_relocated - before.bytes_relocated);
  EXPECT_EQ(30u, after.blobs_relocated - before.blobs_relocated);
  EXPECT_GE(after.files_dropped, 1u);
  EXPECT_LT(after.blob_file_bytes, before.blob_file_bytes);
  // Nothing but live blobs is left: the files hold exactly the live values
  // plus the format's overhead (32 B header, 40 B footer per file, 30 B
  // record header and the key per blob; see doc/blob_format.md).
  const uint64_t overhead = after.num_blob_files * (32 + 40) + 100 * (30 + NumberedKey(0).size());
  EXPECT_EQ(after.live_blob_bytes + overhead, after.blob_file_bytes);
  EXPECT_EQ(0u, FilesOnDisk(".blob").count(old_file));
  for (int i = 0; i < 100; i++) ASSERT_EQ(Value(i, i < 70 ? 1 : 0), Get(NumberedKey(i))) << i;
  ExpectVerified();
  for (int i = 0; i < 100; i++) ASSERT_EQ(Value(i, i < 70 ? 1 : 0), Get(NumberedKey(i))) << i;
}

TEST_F(BlobGcTest, GcStartsWritebackOfItsOutputButTheWritePathNever) {
  // The write path's files must not pay for writeback (it would hold up
  // the writer); GC's output streams to the device as it is written.
  CountingEnv env(Env::Default());
  Options o = GcOptions();
  o.env = &env;
  Open(o);
  LoadOverwriteAndCompact(800, 200);
  EXPECT_EQ(0, env.writebacks.load());
  // Relocating the 600 live values of the first file writes 2.4 MB: at
  // least two calls at one per kBackgroundWritebackBytes (1 MiB).
  BlobGcOptions gc;
  gc.garbage_threshold = 0.2;
  gc.age_cutoff = 1;
  const GcReport before = Report();
  ASSERT_TRUE(db_->RunBlobGc(gc).ok());
  const GcReport after = Report();
  ASSERT_EQ(600u * 4000, after.bytes_relocated - before.bytes_relocated);
  EXPECT_EQ(2, env.writebacks.load());
  for (int i = 0; i < 800; i++) ASSERT_EQ(Value(i, i < 200 ? 1 : 0), Get(NumberedKey(i))) << i;
}

TEST_F(BlobGcTest, GcOfLastLevelTablesRewritesThemInPlace) {
  Options o = GcOptions();
  o.num_levels = 2;  // everything compacted lands in the last level
  Open(o);
  for (int i = 0; i < 60; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  for (int i = 0; i < 45; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  ASSERT_EQ(0, FilesAtLevel(0));
  ASSERT_GT(Report().garbage_blob_bytes, 0u);
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
  EXPECT_EQ(0u, Report().garbage_blob_bytes);
  EXPECT_EQ(0, FilesAtLevel(0));
  for (int i = 0; i < 60; i++) ASSERT_EQ(Value(i, i < 45 ? 1 : 0), Get(NumberedKey(i))) << i;
  ExpectVerified();
}

TEST_F(BlobGcTest, SnapshotAndOpenIteratorStillReadRelocatedAndOldBlobs) {
  Open(GcOptions());
  for (int i = 0; i < 80; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  const Snapshot* snap = db_->GetSnapshot();
  auto it = db_->NewIterator(ReadOptions());  // pins the current files
  for (int i = 0; i < 60; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions{{}, -1, 0.0}).ok());
  for (int i = 0; i < 80; i++) {
    ASSERT_EQ(Value(i, 0), Get(NumberedKey(i), snap)) << i;
    ASSERT_EQ(Value(i, i < 60 ? 1 : 0), Get(NumberedKey(i))) << i;
  }
  int n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), n++) {
    ASSERT_EQ(Value(n, 0), it->value().ToString()) << n;
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(80, n);
  it.reset();
  db_->ReleaseSnapshot(snap);
  ExpectVerified();
}

TEST_F(BlobGcTest, CorruptSourceBlobFailsGcAndLeavesEverythingAsItWas) {
  Open(GcOptions());
  for (int i = 0; i < 40; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  for (int i = 0; i < 30; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  db_.reset();
  // Damage the value of key 35, which lives in the first blob file and would
  // be relocated.
  const std::string first = dir_.path() + "/" + *FilesOnDisk(".blob").begin();
  std::string data = ReadAll(first);
  const std::string needle = Value(35, 0).substr(0, 12);
  size_t pos = data.find(needle);
  ASSERT_NE(std::string::npos, pos);
  data[pos + 100] ^= 0x20;
  WriteAll(first, data);
  Open(options_);
  const auto tables = FilesOnDisk(".sst");
  const auto blobs = FilesOnDisk(".blob");
  GcReport before = Report();

  Status s = db_->RunBlobGc(BlobGcOptions());
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(BaseName(first))) << s.ToString();
  EXPECT_EQ(tables, FilesOnDisk(".sst"));
  EXPECT_EQ(blobs, FilesOnDisk(".blob"));
  GcReport after = Report();
  EXPECT_EQ(before.garbage_blob_bytes, after.garbage_blob_bytes);
  EXPECT_EQ(before.num_blob_files, after.num_blob_files);
  // The DB keeps working; only the damaged value reports the damage.
  EXPECT_EQ(Value(36, 0), Get(NumberedKey(36)));
  EXPECT_NE(std::string::npos, Get(NumberedKey(35)).find("Corruption"));
  Put("after", "still writable");
  EXPECT_EQ("still writable", Get("after"));
}

TEST_F(BlobGcTest, FailedWriteDuringGcRollsBackAndRetrySucceeds) {
  FaultInjectionEnv env;
  Options o = GcOptions();
  o.env = &env;
  Open(o);
  LoadOverwriteAndCompact(60, 40);
  const auto tables = FilesOnDisk(".sst");
  const auto blobs = FilesOnDisk(".blob");
  const GcReport before = Report();

  for (FaultInjectionEnv::Op op : {FaultInjectionEnv::Op::kWrite, FaultInjectionEnv::Op::kSync}) {
    for (const char* kind : {".blob", ".sst"}) {
      env.FailNth(op, 0, kind);
      Status s = db_->RunBlobGc(BlobGcOptions());
      EXPECT_TRUE(s.IsIOError()) << kind << ": " << s.ToString();
      env.ClearFaults();
      EXPECT_EQ(tables, FilesOnDisk(".sst")) << kind;
      EXPECT_EQ(blobs, FilesOnDisk(".blob")) << kind;
      EXPECT_EQ(before.garbage_blob_bytes, Report().garbage_blob_bytes);
    }
  }
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
  EXPECT_EQ(0u, Report().garbage_blob_bytes);
  for (int i = 0; i < 60; i++) ASSERT_EQ(Value(i, i < 40 ? 1 : 0), Get(NumberedKey(i))) << i;
  db_.reset();
  options_.env = nullptr;
  ExpectVerified();
}

TEST_F(BlobGcTest, ForceThresholdCollectsColdFilesWithoutBeingAsked) {
  Options o = GcOptions();
  o.blob_gc_force_threshold = 0.6;
  Open(o);
  for (int i = 0; i < 100; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());  // cold tables at the bottom
  for (int i = 0; i < 80; i++) Put(NumberedKey(i), Value(i, 1));
  ASSERT_TRUE(db_->Flush().ok());
  // The overwrites only become garbage when the old entries meet the new
  // ones; after that the old file is 80% garbage and GC is due by itself.
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  GcReport r = Report();
  EXPECT_EQ(0u, r.garbage_blob_bytes);
  EXPECT_GT(r.bytes_relocated, 0u);
  for (int i = 0; i < 100; i++) ASSERT_EQ(Value(i, i < 80 ? 1 : 0), Get(NumberedKey(i)));
}

TEST_F(BlobGcTest, RunBlobGcOnNamedFilesAndBadArguments) {
  Open(GcOptions());
  for (int i = 0; i < 20; i++) Put(NumberedKey(i), Value(i, 0));
  ASSERT_TRUE(db_->Flush().ok());
  GcReport r = Report();
  ASSERT_EQ(1u, r.files.size());
  const uint64_t number = r.files[0].number;
  Status s = db_->RunBlobGc(BlobGcOptions{{424242}, -1, -1});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("424242"));
  s = db_->RunBlobGc(BlobGcOptions{{}, 2.0, -1});
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  // Named explicitly, even a file without garbage is rewritten.
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions{{number}, -1, -1}).ok());
  r = Report();
  ASSERT_EQ(1u, r.files.size());
  EXPECT_NE(number, r.files[0].number);
  EXPECT_EQ(20u * 4000, r.bytes_relocated);
  for (int i = 0; i < 20; i++) ASSERT_EQ(Value(i, 0), Get(NumberedKey(i)));
}

TEST_F(BlobGcTest, GcSettingsChangeAtRuntime) {
  Open(GcOptions());
  EXPECT_TRUE(db_->SetOptions({{"enable_blob_gc", "false"},
                               {"blob_gc_age_cutoff", "0.5"},
                               {"blob_gc_garbage_threshold", "0.3"},
                               {"blob_gc_force_threshold", "0.9"}})
                  .ok());
  GcReport r = Report();
  EXPECT_DOUBLE_EQ(0.5, r.age_cutoff);
  EXPECT_DOUBLE_EQ(0.3, r.garbage_threshold);
  EXPECT_DOUBLE_EQ(0.9, r.force_threshold);
  EXPECT_TRUE(db_->SetOptions({{"blob_gc_force_threshold", "-0.1"}}).IsInvalidArgument());
}

TEST_F(BlobGcTest, RunBlobGcFollowsTheAgeCutoffUntilNoEligibleFileIsLeft) {
  Options o = GcOptions();
  o.blob_gc_age_cutoff = 0.34;        // by age only:
  o.blob_gc_garbage_threshold = 1.0;  // no file is garbage enough on its own
  Open(o);
  for (int file = 0; file < 3; file++) {
    for (int i = 0; i < 30; i++) Put(NumberedKey(file * 100 + i), Value(i, 0));
    ASSERT_TRUE(db_->Flush().ok());
  }
  for (int file = 0; file < 3; file++) {
    for (int i = 0; i < 10; i++) Put(NumberedKey(file * 100 + i), Value(i, 1, 1500));
  }
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
  GcReport r = Report();
  // Every old file had a third garbage; as files went, the cutoff reached
  // the younger ones too.
  EXPECT_EQ(0u, r.garbage_blob_bytes);
  EXPECT_EQ(60u * 4000, r.bytes_relocated);
  EXPECT_EQ(0u, r.reclaimable_bytes);
  for (int file = 0; file < 3; file++) {
    for (int i = 0; i < 30; i++) {
      ASSERT_EQ(Value(i, i < 10 ? 1 : 0, i < 10 ? 1500 : 4000), Get(NumberedKey(file * 100 + i)));
    }
  }
  ExpectVerified();
}

}  // namespace
}  // namespace lode::test
