// CompactionJob over real tables in a temporary directory, installed with
// LogAndApply and read back through Version::Get.
#include "lib/compaction_job.h"

#include <gtest/gtest.h>

#include <map>

#include "blob/blob_index.h"
#include "lib/compaction.h"
#include "lib/filename.h"
#include "lib/table_cache.h"
#include "lib/version_set.h"
#include "table/merging_iterator.h"
#include "table/table_builder.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

struct Entry {
  std::string key;
  SequenceNumber seq;
  ValueType type;
  std::string value;
};

std::string BlobIdx(uint64_t file, uint64_t offset, uint64_t size) {
  BlobIndex bi;
  bi.file_number = file;
  bi.offset = offset;
  bi.size = size;
  bi.uncompressed_size = size;
  std::string s;
  bi.EncodeTo(&s);
  return s;
}

// Fails appends and syncs of table files once `fail_after` more appends of
// them have succeeded, while armed.
class FaultyEnv : public EnvWrapper {
 public:
  explicit FaultyEnv(Env* target) : EnvWrapper(target) {}

  class File : public WritableFileWrapper {
   public:
    File(FaultyEnv* env, std::unique_ptr<WritableFile> f)
        : WritableFileWrapper(std::move(f)), env_(env) {}
    Status Append(const Slice& data) override {
      if (env_->ShouldFail()) return Status::IOError("injected append failure");
      return WritableFileWrapper::Append(data);
    }
    Status Sync() override {
      if (env_->ShouldFail()) return Status::IOError("injected sync failure");
      return WritableFileWrapper::Sync();
    }

   private:
    FaultyEnv* env_;
  };

  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
    Status s = EnvWrapper::NewWritableFile(f, r);
    if (s.ok() && f.ends_with(".sst")) *r = std::make_unique<File>(this, std::move(*r));
    return s;
  }
  bool ShouldFail() {
    if (!armed) return false;
    if (fail_after > 0) {
      fail_after--;
      return false;
    }
    return true;
  }

  bool armed = false;
  int fail_after = 0;
};

class CompactionJobTest : public ::testing::Test {
 protected:
  CompactionJobTest() : icmp_(BytewiseComparator()), env_(Env::Default()) {
    options_.env = &env_;
    options_.level0_compaction_trigger = 2;
    options_.target_file_size = 8 << 10;  // several outputs per job
    options_.block_size = 1024;
    options_.compression = Compression::kNone;
    table_cache_ = std::make_unique<TableCache>(dir_.path(), options_, &icmp_, nullptr, 100);
    vset_ = std::make_unique<VersionSet>(dir_.path(), &options_, table_cache_.get(), &icmp_);
    VersionEdit first;
    std::lock_guard<std::mutex> l(mu_);
    EXPECT_TRUE(vset_->LogAndApply(&first, &mu_).ok());
  }
  ~CompactionJobTest() override {
    std::lock_guard<std::mutex> l(mu_);
    delete compaction_;
  }

  // Writes a table with the entries (any order) and returns its metadata.
  FileMetaData BuildTable(std::vector<Entry> entries) {
    std::sort(entries.begin(), entries.end(), [this](const Entry& a, const Entry& b) {
      return icmp_.Compare(InternalKey(a.key, a.seq, a.type).Encode(),
                           InternalKey(b.key, b.seq, b.type).Encode()) < 0;
    });
    FileMetaData meta;
    meta.number = vset_->NewFileNumber();
    std::unique_ptr<WritableFile> file;
    EXPECT_TRUE(
        Env::Default()->NewWritableFile(TableFileName(dir_.path(), meta.number), &file).ok());
    TableBuilderOptions topts;
    topts.icmp = &icmp_;
    TableBuilder builder(topts, file.get());
    BlobAccounting acct;
    for (const Entry& e : entries) {
      InternalKey k(e.key, e.seq, e.type);
      builder.Add(k.Encode(), e.value);
      if (e.type == kTypeBlobIndex) {
        EXPECT_TRUE(acct.AddKept(e.value).ok());
      }
      if (meta.smallest.empty()) meta.smallest = k;
      meta.largest = k;
      if (meta.num_entries == 0 || e.seq < meta.smallest_seqno) meta.smallest_seqno = e.seq;
      meta.largest_seqno = std::max(meta.largest_seqno, e.seq);
      meta.num_entries++;
      if (e.type == kTypeDeletion) meta.num_deletions++;
    }
    EXPECT_TRUE(builder.Finish().ok());
    EXPECT_TRUE(file->Sync().ok());
    EXPECT_TRUE(file->Close().ok());
    meta.file_size = builder.FileSize();
    meta.blob_refs = acct.TakeKeptRefs();
    return meta;
  }

  Status Apply(VersionEdit* edit) {
    std::lock_guard<std::mutex> l(mu_);
    return vset_->LogAndApply(edit, &mu_);
  }

  CompactionJobContext Context(std::vector<SequenceNumber> snapshots = {}) {
    CompactionJobContext ctx;
    ctx.dbname = dir_.path();
    ctx.options = &options_;
    ctx.icmp = &icmp_;
    ctx.table_cache = table_cache_.get();
    ctx.snapshots = std::move(snapshots);
    ctx.new_file_number = [this] { return vset_->NewFileNumber(); };
    return ctx;
  }

  Compaction* Pick() {
    std::lock_guard<std::mutex> l(mu_);
    delete compaction_;
    compaction_ = vset_->PickCompaction();
    return compaction_;
  }

  // Runs the picked compaction and installs it.
  Status RunAndInstall(const CompactionJobContext& ctx, CompactionJobStats* stats = nullptr) {
    Compaction* c = Pick();
    if (c == nullptr) return Status::NotFound("no compaction");
    CompactionJob job(ctx, c);
    Status s = job.Run();
    if (stats != nullptr) *stats = job.stats();
    if (!s.ok()) return s;
    s = Apply(c->edit());
    if (!s.ok()) job.Cleanup();
    std::lock_guard<std::mutex> l(mu_);
    delete compaction_;  // releases the inputs and the input version
    compaction_ = nullptr;
    return s;
  }

  // Get through the current version: value, "NOT_FOUND" or "DELETED".
  std::string Get(const std::string& key, SequenceNumber seq = kMaxSequenceNumber) {
    LookupKey lk(key, seq);
    std::string value;
    ValueType type = kTypeValue;
    Status s = vset_->current()->Get(ReadOptions(), lk, &value, &type);
    if (s.IsNotFound()) return type == kTypeDeletion ? "DELETED" : "NOT_FOUND";
    EXPECT_TRUE(s.ok()) << s.ToString();
    return value;
  }

  // Every entry of the current version, through AddIterators.
  std::vector<std::pair<std::string, std::string>> Scan() {
    std::vector<Iterator*> iters;
    vset_->current()->AddIterators(ReadOptions(), &iters);
    std::unique_ptr<Iterator> it(NewMergingIterator(&icmp_, iters));
    std::vector<std::pair<std::string, std::string>> r;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      r.emplace_back(InternalKey().DebugString(), it->value().ToString());
      ParsedInternalKey p;
      EXPECT_TRUE(ParseInternalKey(it->key(), &p));
      r.back().first = p.DebugString();
    }
    EXPECT_TRUE(it->status().ok());
    return r;
  }

  std::set<std::string> SstFiles() {
    std::vector<std::string> children;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    std::set<std::string> r;
    for (const std::string& c : children) {
      if (c.ends_with(".sst")) r.insert(c);
    }
    return r;
  }

  // Sums the blob indexes of one table, read back from disk.
  std::vector<BlobRef> RefsOnDisk(const FileMetaData& f) {
    std::unique_ptr<Iterator> it(table_cache_->NewIterator(ReadOptions(), f.number, f.file_size));
    BlobAccounting acct;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ParsedInternalKey p;
      EXPECT_TRUE(ParseInternalKey(it->key(), &p));
      if (p.type == kTypeBlobIndex) {
        EXPECT_TRUE(acct.AddKept(it->value()).ok());
      }
    }
    return acct.TakeKeptRefs();
  }

  test::TempDir dir_;
  InternalKeyComparator icmp_;
  FaultyEnv env_;
  Options options_;
  std::mutex mu_;
  std::unique_ptr<TableCache> table_cache_;
  std::unique_ptr<VersionSet> vset_;
  Compaction* compaction_ = nullptr;
};

std::string K(int i) { return test::NumberedKey(i, 6); }
std::string Val(const char* prefix, int i) {
  return prefix + std::to_string(i) + std::string(80, 'x');
}

// Older file: keys 0..99 at seq 1..100. Newer: 0..49 overwritten, 50..59 deleted.
void TwoGenerations(std::vector<Entry>* older, std::vector<Entry>* newer) {
  for (int i = 0; i < 100; i++)
    older->push_back({K(i), SequenceNumber(1 + i), kTypeValue, Val("v1-", i)});
  for (int i = 0; i < 60; i++) {
    if (i < 50) {
      newer->push_back({K(i), SequenceNumber(101 + i), kTypeValue, Val("v2-", i)});
    } else {
      newer->push_back({K(i), SequenceNumber(101 + i), kTypeDeletion, ""});
    }
  }
}

}  // namespace

TEST_F(CompactionJobTest, KeepsNewestValuesAndDropsBottommostTombstones) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  EXPECT_EQ(Val("v2-", 7), Get(K(7)));
  EXPECT_EQ("DELETED", Get(K(55)));

  CompactionJobStats stats;
  ASSERT_TRUE(RunAndInstall(Context(), &stats).ok());
  EXPECT_EQ(0, vset_->NumLevelFiles(0));
  EXPECT_GT(vset_->NumLevelFiles(1), 1);  // cut at target_file_size
  for (int i = 0; i < 100; i++) {
    if (i < 50) {
      EXPECT_EQ(Val("v2-", i), Get(K(i)));
    } else if (i < 60) {
      EXPECT_EQ("NOT_FOUND", Get(K(i)));  // tombstone and value both gone
    } else {
      EXPECT_EQ(Val("v1-", i), Get(K(i)));
    }
  }
  EXPECT_EQ(160u, stats.entries_in);
  EXPECT_EQ(90u, stats.entries_out);
  EXPECT_EQ(10u, stats.tombstones_dropped);
  EXPECT_EQ(static_cast<uint64_t>(vset_->NumLevelFiles(1)), stats.num_output_files);
  uint64_t entries = 0;
  for (const FileMetaData* f : vset_->current()->files(1)) {
    EXPECT_EQ(0u, f->num_deletions);
    entries += f->num_entries;
  }
  EXPECT_EQ(90u, entries);
  EXPECT_EQ(90u, Scan().size());
  // Inputs are no longer live; outputs are.
  std::set<uint64_t> live_tables, live_blobs;
  vset_->AddLiveFiles(&live_tables, &live_blobs);
  EXPECT_EQ(static_cast<size_t>(vset_->NumLevelFiles(1)), live_tables.size());
}

TEST_F(CompactionJobTest, HonoursSnapshots) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());

  ASSERT_TRUE(RunAndInstall(Context({100})).ok());
  for (int i = 0; i < 100; i++) {
    EXPECT_EQ(Val("v1-", i), Get(K(i), 100)) << i;  // the snapshot's view
  }
  EXPECT_EQ(Val("v2-", 3), Get(K(3)));
  EXPECT_EQ("DELETED", Get(K(53)));  // tombstone kept: the snapshot needs what it hides
  EXPECT_EQ(160u, Scan().size());
}

TEST_F(CompactionJobTest, TombstonesAboveOlderDataAreKept) {
  // L0 -> L1 while L2 holds an older value of a deleted key.
  VersionEdit e;
  e.AddFile(2, BuildTable({{K(5), 1, kTypeValue, "ancient"}}));
  e.AddFile(0, BuildTable({{K(5), 10, kTypeDeletion, ""}, {K(6), 11, kTypeDeletion, ""}}));
  e.AddFile(0, BuildTable({{K(7), 12, kTypeValue, "x"}}));
  ASSERT_TRUE(Apply(&e).ok());
  ASSERT_TRUE(RunAndInstall(Context()).ok());
  EXPECT_EQ("DELETED", Get(K(5)));    // must keep hiding L2's value
  EXPECT_EQ("NOT_FOUND", Get(K(6)));  // nothing below: dropped
  EXPECT_EQ("x", Get(K(7)));
}

TEST_F(CompactionJobTest, BlobRefsAndGarbageAreExact) {
  // Blob file 500 holds keys 0..99; 501 the overwrites of 0..29. 30..39 deleted.
  std::vector<Entry> older, newer;
  uint64_t bytes500 = 0, bytes501 = 0;
  for (int i = 0; i < 100; i++) {
    older.push_back({K(i), SequenceNumber(1 + i), kTypeBlobIndex, BlobIdx(500, 1000 * i, 100 + i)});
    bytes500 += 100 + i;
  }
  for (int i = 0; i < 40; i++) {
    if (i < 30) {
      newer.push_back(
          {K(i), SequenceNumber(101 + i), kTypeBlobIndex, BlobIdx(501, 1000 * i, 7 + i)});
      bytes501 += 7 + i;
    } else {
      newer.push_back({K(i), SequenceNumber(101 + i), kTypeDeletion, ""});
    }
  }
  VersionEdit e;
  e.AddBlobFile({500, 100, bytes500, bytes500 + 64});
  e.AddBlobFile({501, 30, bytes501, bytes501 + 64});
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());

  options_.target_file_size = 512;  // blob indexes are small: still several outputs
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(Context(), c);
  ASSERT_TRUE(job.Run().ok());
  uint64_t garbage500 = 0;
  for (int i = 0; i < 40; i++) garbage500 += 100 + i;
  ASSERT_EQ(1u, c->edit()->blob_garbage().size());
  EXPECT_EQ((BlobFileGarbage{500, 40, garbage500}), c->edit()->blob_garbage().at(500));
  // Each output's refs match what is in it on disk.
  ASSERT_GT(job.outputs().size(), 1u);
  BlobRef sum500{500, 0, 0}, sum501{501, 0, 0};
  for (const CompactionOutput& o : job.outputs()) {
    EXPECT_EQ(RefsOnDisk(o.meta), o.meta.blob_refs) << o.meta.number;
    for (const BlobRef& r : o.meta.blob_refs) {
      BlobRef& s = r.blob_file_number == 500 ? sum500 : sum501;
      s.count += r.count;
      s.bytes += r.bytes;
    }
  }
  EXPECT_EQ((BlobRef{500, 60, bytes500 - garbage500}), sum500);
  EXPECT_EQ((BlobRef{501, 30, bytes501}), sum501);
  ASSERT_TRUE(Apply(c->edit()).ok());  // the invariant holds
  EXPECT_TRUE(VersionSet::CheckBlobInvariant(vset_->current()).ok());
  EXPECT_EQ(40u, vset_->current()->blob_files().at(500).garbage_count);
}

TEST_F(CompactionJobTest, FullyOverwrittenBlobFileIsDroppedOnInstall) {
  std::vector<Entry> older, newer;
  for (int i = 0; i < 20; i++) {
    older.push_back({K(i), SequenceNumber(1 + i), kTypeBlobIndex, BlobIdx(500, 100 * i, 50)});
    newer.push_back({K(i), SequenceNumber(101 + i), kTypeValue, "inline"});
  }
  VersionEdit e;
  e.AddBlobFile({500, 20, 1000, 1100});
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(Context(), c);
  ASSERT_TRUE(job.Run().ok());
  ASSERT_TRUE(Apply(c->edit()).ok());
  EXPECT_EQ(1u, c->edit()->deleted_blob_files().count(500));
  EXPECT_TRUE(vset_->current()->blob_files().empty());
}

// A handler that relocates every blob of file 500 into file 600, as GC will.
class Relocator : public CompactionEntryHandler {
 public:
  Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                bool* replaced) override {
    *replaced = false;
    if (key.type != kTypeBlobIndex) return Status::OK();
    BlobIndex bi;
    Status s = bi.DecodeFrom(value);
    if (!s.ok() || bi.file_number != 500) return s;
    bi.file_number = 600;
    bi.offset = next_offset;
    next_offset += bi.size;
    added.blob_count++;
    added.blob_bytes += bi.size;
    bi.EncodeTo(new_value);
    *replaced = true;
    return Status::OK();
  }
  uint64_t next_offset = 0;
  BlobFileAddition added{600, 0, 0, 0};
};

TEST_F(CompactionJobTest, RelocatingHandlerMovesRefsAndKillsTheOldFile) {
  vset_->MarkFileNumberUsed(600);
  std::vector<Entry> older, newer;
  for (int i = 0; i < 30; i++) {
    older.push_back({K(i), SequenceNumber(1 + i), kTypeBlobIndex, BlobIdx(500, 100 * i, 40)});
  }
  for (int i = 0; i < 10; i++) newer.push_back({K(i), SequenceNumber(101 + i), kTypeValue, "new"});
  VersionEdit e;
  e.AddBlobFile({500, 30, 1200, 1300});
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());

  Relocator relocator;
  CompactionJobContext ctx = Context();
  ctx.handler = &relocator;
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(ctx, c);
  ASSERT_TRUE(job.Run().ok());
  EXPECT_EQ(20u, job.stats().values_replaced);
  // Dropped (10) and relocated (20): all 30 blobs of 500 are garbage.
  EXPECT_EQ((BlobFileGarbage{500, 30, 1200}), c->edit()->blob_garbage().at(500));
  relocator.added.file_size = relocator.added.blob_bytes + 64;
  c->edit()->AddBlobFile(relocator.added);  // the handler's own record
  ASSERT_TRUE(Apply(c->edit()).ok());
  EXPECT_EQ(1u, c->edit()->deleted_blob_files().count(500));
  ASSERT_EQ(1u, vset_->current()->blob_files().count(600));
  LookupKey lk(K(25), kMaxSequenceNumber);
  std::string value;
  ValueType type;
  ASSERT_TRUE(vset_->current()->Get(ReadOptions(), lk, &value, &type).ok());
  EXPECT_EQ(kTypeBlobIndex, type);
  BlobIndex bi;
  ASSERT_TRUE(bi.DecodeFrom(value).ok());
  EXPECT_EQ(600u, bi.file_number);
}

TEST_F(CompactionJobTest, InjectedWriteFailureLeavesNoOutputBehind) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  const std::set<std::string> before = SstFiles();
  const std::string version_before = vset_->current()->DebugString();

  // Fail at several points: first append, mid-file, in a later output.
  for (int fail_after : {0, 3, 12}) {
    Compaction* c = Pick();
    ASSERT_NE(nullptr, c);
    env_.armed = true;
    env_.fail_after = fail_after;
    CompactionJob job(Context(), c);
    Status s = job.Run();
    env_.armed = false;
    EXPECT_TRUE(s.IsIOError()) << fail_after << ": " << s.ToString();
    EXPECT_TRUE(job.outputs().empty());
    EXPECT_EQ(before, SstFiles()) << "after failing past " << fail_after << " appends";
    EXPECT_EQ(version_before, vset_->current()->DebugString());
  }
  // The same compaction then succeeds.
  ASSERT_TRUE(RunAndInstall(Context()).ok());
  EXPECT_EQ(Val("v2-", 1), Get(K(1)));
}

TEST_F(CompactionJobTest, CleanupRemovesInstalledOutputsWhenLogAndApplyFails) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  const std::set<std::string> before = SstFiles();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(Context(), c);
  ASSERT_TRUE(job.Run().ok());
  EXPECT_GT(SstFiles().size(), before.size());
  job.Cleanup();  // as the DB does when the manifest write fails
  EXPECT_EQ(before, SstFiles());
}

TEST_F(CompactionJobTest, ShutdownAbortsAndRemovesOutputs) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  e.AddFile(0, BuildTable(older));
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  const std::set<std::string> before = SstFiles();
  std::atomic<bool> shutting_down{true};
  CompactionJobContext ctx = Context();
  ctx.shutting_down = &shutting_down;
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(ctx, c);
  EXPECT_TRUE(job.Run().IsIOError());
  EXPECT_EQ(before, SstFiles());
}

TEST_F(CompactionJobTest, CorruptInputFailsWithoutOutputs) {
  std::vector<Entry> older, newer;
  TwoGenerations(&older, &newer);
  VersionEdit e;
  FileMetaData f1 = BuildTable(older);
  e.AddFile(0, f1);
  e.AddFile(0, BuildTable(newer));
  ASSERT_TRUE(Apply(&e).ok());
  // Damage a data block of the older table.
  const std::string name = TableFileName(dir_.path(), f1.number);
  std::string data = test::ReadAll(name);
  data[100] ^= 0x1;
  test::WriteAll(name, data);
  table_cache_->Evict(f1.number);
  const std::set<std::string> before = SstFiles();
  Compaction* c = Pick();
  ASSERT_NE(nullptr, c);
  CompactionJob job(Context(), c);
  Status s = job.Run();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_EQ(before, SstFiles());
}

TEST_F(CompactionJobTest, GetSeesNewestAcrossLevels) {
  VersionEdit e;
  e.AddFile(3, BuildTable({{K(1), 1, kTypeValue, "l3"}, {K(2), 2, kTypeValue, "l3"}}));
  e.AddFile(1, BuildTable({{K(1), 5, kTypeValue, "l1"}, {K(3), 6, kTypeDeletion, ""}}));
  e.AddFile(0, BuildTable({{K(2), 9, kTypeValue, "l0"}}));
  ASSERT_TRUE(Apply(&e).ok());
  EXPECT_EQ("l1", Get(K(1)));
  EXPECT_EQ("l3", Get(K(1), 4));
  EXPECT_EQ("l0", Get(K(2)));
  EXPECT_EQ("l3", Get(K(2), 8));
  EXPECT_EQ("DELETED", Get(K(3)));
  EXPECT_EQ("NOT_FOUND", Get(K(4)));
  EXPECT_EQ(5u, Scan().size());
}

}  // namespace lode
