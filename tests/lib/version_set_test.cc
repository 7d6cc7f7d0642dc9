#include "lib/version_set.h"

#include <gtest/gtest.h>

#include <thread>

#include "lib/filename.h"
#include "lib/log_writer.h"
#include "lib/table_cache.h"
#include "lode/env.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

FileMetaData MakeFile(uint64_t number, const std::string& lo, const std::string& hi,
                      SequenceNumber seq = 100, std::vector<BlobRef> refs = {}) {
  FileMetaData f;
  f.number = number;
  f.file_size = 1 << 20;
  f.smallest = InternalKey(lo, seq, kTypeValue);
  f.largest = InternalKey(hi, seq, kTypeValue);
  f.smallest_seqno = seq;
  f.largest_seqno = seq;
  f.num_entries = 10;
  f.blob_refs = std::move(refs);
  return f;
}

// Fails file operations on names containing `pattern` while armed.
class FailingEnv : public EnvWrapper {
 public:
  explicit FailingEnv(Env* target) : EnvWrapper(target) {}
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
    if (armed && f.find(pattern) != std::string::npos) return Status::IOError(f, "injected");
    return EnvWrapper::NewWritableFile(f, r);
  }
  bool armed = false;
  std::string pattern = "MANIFEST";
};

class VersionSetTest : public ::testing::Test {
 protected:
  VersionSetTest() : icmp_(BytewiseComparator()), env_(Env::Default()) {
    options_.env = &env_;
    Open();
  }
  ~VersionSetTest() override { Close(); }

  void Open() {
    table_cache_ = std::make_unique<TableCache>(dir_.path(), options_, &icmp_, nullptr, 100);
    vset_ = std::make_unique<VersionSet>(dir_.path(), &options_, table_cache_.get(), &icmp_);
  }
  void Close() {
    vset_.reset();
    table_cache_.reset();
  }
  Status Reopen() {
    Close();
    Open();
    bool save = false;
    Status s = vset_->Recover(&save);
    if (s.ok()) {
      EXPECT_TRUE(save);
    }
    return s;
  }
  Status Apply(VersionEdit* edit) {
    std::lock_guard<std::mutex> l(mu_);
    return vset_->LogAndApply(edit, &mu_);
  }
  // Numbers used by tests are reserved before use, as the DB does.
  void Reserve(uint64_t n) { vset_->MarkFileNumberUsed(n); }

  std::string CurrentContents() { return test::ReadAll(dir_.File("CURRENT")); }

  test::TempDir dir_;
  InternalKeyComparator icmp_;
  FailingEnv env_;
  Options options_;
  std::mutex mu_;
  std::unique_ptr<TableCache> table_cache_;
  std::unique_ptr<VersionSet> vset_;
};

}  // namespace

TEST_F(VersionSetTest, RecoverWithoutCurrentIsNotFound) {
  bool save;
  EXPECT_TRUE(vset_->Recover(&save).IsNotFound());
}

TEST_F(VersionSetTest, FirstLogAndApplyCreatesManifestAndCurrent) {
  VersionEdit edit;
  ASSERT_TRUE(Apply(&edit).ok());
  uint64_t m = vset_->ManifestFileNumber();
  EXPECT_GT(m, 0u);
  EXPECT_EQ(BaseName(DescriptorFileName(dir_.path(), m)) + "\n", CurrentContents());
  EXPECT_TRUE(Reopen().ok());
}

TEST_F(VersionSetTest, LogAndApplyAndRecoverRoundTrip) {
  Reserve(30);
  VersionEdit e1;
  e1.SetLogNumber(3);
  e1.AddFile(0, MakeFile(10, "a", "f", 50, {{20, 2, 200}}));
  e1.AddFile(2, MakeFile(11, "b", "c", 40));
  e1.AddFile(2, MakeFile(12, "d", "e", 40, {{20, 1, 100}, {21, 4, 4000}}));
  e1.AddBlobFile({20, 5, 500, 700});
  e1.AddBlobFile({21, 4, 4000, 4100});
  e1.AddBlobGarbage(20, 2, 200);
  e1.SetCompactPointer(2, InternalKey("c", 40, kTypeValue));
  vset_->SetLastSequence(77);
  ASSERT_TRUE(Apply(&e1).ok());

  VersionEdit e2;
  e2.SetLogNumber(5);
  e2.RemoveFile(2, 11);
  e2.AddFile(3, MakeFile(13, "b", "c", 40));
  vset_->SetLastSequence(90);
  ASSERT_TRUE(Apply(&e2).ok());

  const std::string before = vset_->current()->DebugString();
  const uint64_t next_before = vset_->NextFileNumber();
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(before, vset_->current()->DebugString());
  EXPECT_EQ(5u, vset_->LogNumber());
  EXPECT_EQ(90u, vset_->LastSequence());
  EXPECT_GE(vset_->NextFileNumber(), next_before);
  EXPECT_EQ(1, vset_->NumLevelFiles(0));
  EXPECT_EQ(1, vset_->NumLevelFiles(2));
  EXPECT_EQ(1, vset_->NumLevelFiles(3));
  EXPECT_EQ(1 << 20, vset_->NumLevelBytes(3));
  const auto& blobs = vset_->current()->blob_files();
  ASSERT_EQ(2u, blobs.size());
  EXPECT_EQ(2u, blobs.at(20).garbage_count);
  EXPECT_EQ(200u, blobs.at(20).garbage_bytes);
  EXPECT_EQ(4100u, blobs.at(21).meta->file_size);
  EXPECT_TRUE(VersionSet::CheckBlobInvariant(vset_->current()).ok());

  // The recovered set goes on: a new manifest, then a second recovery.
  const uint64_t old_manifest = vset_->ManifestFileNumber();
  VersionEdit e3;
  e3.RemoveFile(0, 10);
  e3.AddBlobGarbage(20, 2, 200);  // table 10's refs die with it
  ASSERT_TRUE(Apply(&e3).ok());
  EXPECT_NE(old_manifest, vset_->ManifestFileNumber());
  const std::string after = vset_->current()->DebugString();
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(after, vset_->current()->DebugString());
}

TEST_F(VersionSetTest, FileNumbersAllocatedAfterRecoveryAreFresh) {
  Reserve(40);
  VersionEdit e;
  e.AddFile(1, MakeFile(40, "a", "b"));
  ASSERT_TRUE(Apply(&e).ok());
  ASSERT_TRUE(Reopen().ok());
  EXPECT_GT(vset_->NewFileNumber(), 40u);
  EXPECT_GT(vset_->NewFileNumber(), vset_->ManifestFileNumber());
}

TEST_F(VersionSetTest, GarbageInvariantViolationIsRejectedAndChangesNothing) {
  Reserve(10);
  VersionEdit ok;
  ok.AddBlobFile({5, 10, 1000, 1100});
  ok.AddFile(1, MakeFile(6, "a", "b", 10, {{5, 10, 1000}}));
  ASSERT_TRUE(Apply(&ok).ok());
  const std::string before = vset_->current()->DebugString();

  VersionEdit bad;  // garbage without removing the references
  bad.AddBlobGarbage(5, 3, 300);
#ifdef NDEBUG
  Status s = Apply(&bad);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("blob file #5")) << s.ToString();
  EXPECT_EQ(before, vset_->current()->DebugString());
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(before, vset_->current()->DebugString());
#else
  EXPECT_DEATH(Apply(&bad), "garbage invariant");
#endif
}

TEST_F(VersionSetTest, BlobFileWithoutReferencesMustBeAllGarbage) {
  Reserve(10);
  VersionEdit bad;  // a blob file nobody points into and no garbage
  bad.AddBlobFile({5, 10, 1000, 1100});
  bad.AddBlobFile({6, 1, 1, 1});
  bad.AddFile(1, MakeFile(7, "a", "b", 10, {{6, 1, 1}}));
#ifdef NDEBUG
  EXPECT_TRUE(Apply(&bad).IsCorruption());
#else
  EXPECT_DEATH(Apply(&bad), "garbage invariant");
#endif
}

TEST_F(VersionSetTest, TableReferencingUnknownBlobFileIsRejected) {
  Reserve(10);
  VersionEdit bad;
  bad.AddFile(1, MakeFile(7, "a", "b", 10, {{3, 1, 1}}));
#ifdef NDEBUG
  Status s = Apply(&bad);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.ToString().find("not live")) << s.ToString();
#else
  EXPECT_DEATH(Apply(&bad), "garbage invariant");
#endif
}

TEST_F(VersionSetTest, DeadBlobFileIsDroppedInTheSameEdit) {
  Reserve(10);
  VersionEdit e1;
  e1.AddBlobFile({5, 3, 300, 400});
  e1.AddFile(1, MakeFile(6, "a", "b", 10, {{5, 2, 200}}));
  e1.AddFile(1, MakeFile(7, "c", "d", 10, {{5, 1, 100}}));
  ASSERT_TRUE(Apply(&e1).ok());

  VersionEdit e2;  // table 6 compacted away: its refs become garbage
  e2.RemoveFile(1, 6);
  e2.AddBlobGarbage(5, 2, 200);
  ASSERT_TRUE(Apply(&e2).ok());
  EXPECT_TRUE(e2.deleted_blob_files().empty());
  ASSERT_EQ(1u, vset_->current()->blob_files().count(5));

  VersionEdit e3;
  e3.RemoveFile(1, 7);
  e3.AddBlobGarbage(5, 1, 100);
  ASSERT_TRUE(Apply(&e3).ok());
  EXPECT_EQ(std::set<uint64_t>{5}, e3.deleted_blob_files());
  EXPECT_EQ(0u, vset_->current()->blob_files().count(5));

  std::set<uint64_t> tables, blobs;
  vset_->AddLiveFiles(&tables, &blobs);
  EXPECT_TRUE(blobs.empty());
  ASSERT_TRUE(Reopen().ok());
  EXPECT_TRUE(vset_->current()->blob_files().empty());
}

TEST_F(VersionSetTest, EmptyBlobFileIsDeadAtOnce) {
  Reserve(10);
  VersionEdit e;
  e.AddBlobFile({5, 0, 0, 30});
  ASSERT_TRUE(Apply(&e).ok());
  EXPECT_EQ(1u, e.deleted_blob_files().count(5));
  EXPECT_TRUE(vset_->current()->blob_files().empty());
}

TEST_F(VersionSetTest, BadEditsAreRejectedAndChangeNothing) {
  Reserve(20);
  VersionEdit base;
  base.AddFile(1, MakeFile(6, "c", "d"));
  ASSERT_TRUE(Apply(&base).ok());
  const std::string before = vset_->current()->DebugString();

  std::vector<VersionEdit> bad(6);
  bad[0].RemoveFile(1, 99);                                    // not there
  bad[1].RemoveFile(2, 6);                                     // wrong level
  bad[2].AddFile(3, MakeFile(6, "x", "y"));                    // number already live
  bad[3].AddFile(1, MakeFile(7, "b", "cc"));                   // overlaps table 6 in L1
  bad[4].AddBlobGarbage(9, 1, 1);                              // unknown blob file
  bad[5].AddFile(options_.num_levels, MakeFile(8, "a", "b"));  // no such level
  for (VersionEdit& e : bad) {
    Status s = Apply(&e);
    EXPECT_TRUE(s.IsCorruption()) << e.DebugString() << " " << s.ToString();
    EXPECT_EQ(before, vset_->current()->DebugString());
  }
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(before, vset_->current()->DebugString());
}

TEST_F(VersionSetTest, ManifestRollsOverWithAFullSnapshot) {
  vset_->SetMaxManifestFileSize(2000);
  Reserve(1000);
  VersionEdit first;
  ASSERT_TRUE(Apply(&first).ok());
  const uint64_t first_manifest = vset_->ManifestFileNumber();
  for (int i = 0; i < 200; i++) {
    VersionEdit e;
    e.AddFile(0, MakeFile(100 + i, test::NumberedKey(i), test::NumberedKey(i), 1 + i));
    if (i >= 5) e.RemoveFile(0, 100 + i - 5);  // keep L0 small
    ASSERT_TRUE(Apply(&e).ok());
  }
  const uint64_t last_manifest = vset_->ManifestFileNumber();
  EXPECT_NE(first_manifest, last_manifest);
  EXPECT_EQ(BaseName(DescriptorFileName(dir_.path(), last_manifest)) + "\n", CurrentContents());
  uint64_t size = 0;
  ASSERT_TRUE(
      Env::Default()->GetFileSize(DescriptorFileName(dir_.path(), last_manifest), &size).ok());
  EXPECT_LT(size, 4000u);  // rolled, not grown without bound
  const std::string before = vset_->current()->DebugString();
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(before, vset_->current()->DebugString());
  EXPECT_EQ(5, vset_->NumLevelFiles(0));
}

TEST_F(VersionSetTest, FailedManifestWriteChangesNothingAndNextCallStartsANewManifest) {
  Reserve(10);
  VersionEdit e1;
  e1.AddFile(1, MakeFile(5, "a", "b"));
  ASSERT_TRUE(Apply(&e1).ok());
  const uint64_t m1 = vset_->ManifestFileNumber();
  const std::string before = vset_->current()->DebugString();

  // Rolling over: the new manifest cannot be created.
  vset_->SetMaxManifestFileSize(1);
  env_.armed = true;
  VersionEdit e2;
  e2.AddFile(1, MakeFile(6, "c", "d"));
  EXPECT_TRUE(Apply(&e2).IsIOError());
  EXPECT_EQ(before, vset_->current()->DebugString());
  EXPECT_EQ(m1, vset_->ManifestFileNumber());

  env_.armed = false;
  vset_->SetMaxManifestFileSize(VersionSet::kDefaultMaxManifestFileSize);
  VersionEdit e3;
  e3.AddFile(1, MakeFile(6, "c", "d"));
  ASSERT_TRUE(Apply(&e3).ok());
  EXPECT_NE(m1, vset_->ManifestFileNumber());
  const std::string after = vset_->current()->DebugString();
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(after, vset_->current()->DebugString());
}

TEST_F(VersionSetTest, CurrentPointingAtMissingManifestIsCorruptionNamingIt) {
  test::WriteAll(dir_.File("CURRENT"), "MANIFEST-000009\n");
  bool save;
  Status s = vset_->Recover(&save);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST-000009")) << s.ToString();
}

TEST_F(VersionSetTest, MalformedCurrentIsCorruption) {
  for (const char* contents : {"MANIFEST-000009", "", "000009.sst\n", "garbage\n"}) {
    test::WriteAll(dir_.File("CURRENT"), contents);
    bool save;
    EXPECT_TRUE(vset_->Recover(&save).IsCorruption()) << contents;
  }
}

// Damage followed by intact records is corruption, not a torn tail. (The log
// reader resynchronises at the next 32 KiB block, so the damage is put in
// the first block of a manifest several blocks long.)
TEST_F(VersionSetTest, DamagedManifestRecordIsCorruptionNamingFileAndOffset) {
  Reserve(1000);
  const std::string lo(300, 'a'), hi(300, 'z');  // big records: few fsyncs
  for (int i = 0; i < 200; i++) {
    VersionEdit e;
    e.AddFile(0, MakeFile(10 + i, lo, hi, 1 + i));
    if (i >= 4) e.RemoveFile(0, 10 + i - 4);
    ASSERT_TRUE(Apply(&e).ok());
  }
  const std::string name = BaseName(DescriptorFileName(dir_.path(), vset_->ManifestFileNumber()));
  Close();
  std::string data = test::ReadAll(dir_.File(name));
  ASSERT_GT(data.size(), 3 * 32768u);
  data[1000] ^= 0x40;  // inside a record of the first block
  test::WriteAll(dir_.File(name), data);
  Open();
  bool save;
  Status s = vset_->Recover(&save);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(name)) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("offset")) << s.ToString();
}

TEST_F(VersionSetTest, TornManifestTailIsIgnored) {
  Reserve(100);
  VersionEdit e1;
  e1.AddFile(0, MakeFile(10, "a", "z", 5));
  ASSERT_TRUE(Apply(&e1).ok());
  const std::string before = vset_->current()->DebugString();
  VersionEdit e2;
  e2.AddFile(0, MakeFile(11, "a", "z", 6));
  ASSERT_TRUE(Apply(&e2).ok());
  const std::string name = BaseName(DescriptorFileName(dir_.path(), vset_->ManifestFileNumber()));
  Close();
  std::string data = test::ReadAll(dir_.File(name));
  data.resize(data.size() - 3);  // the last edit was never acknowledged
  test::WriteAll(dir_.File(name), data);
  Open();
  bool save;
  ASSERT_TRUE(vset_->Recover(&save).ok());
  EXPECT_EQ(before, vset_->current()->DebugString());
}

// Writes a manifest by hand, for states LogAndApply refuses to produce.
class HandWrittenManifestTest : public VersionSetTest {
 protected:
  Status RecoverFrom(const std::vector<VersionEdit>& edits) {
    std::unique_ptr<WritableFile> file;
    EXPECT_TRUE(Env::Default()->NewWritableFile(dir_.File("MANIFEST-000003"), &file).ok());
    log::Writer writer(file.get());
    for (const VersionEdit& e : edits) {
      std::string rec;
      e.EncodeTo(&rec);
      EXPECT_TRUE(writer.AddRecord(rec).ok());
    }
    EXPECT_TRUE(file->Close().ok());
    EXPECT_TRUE(SetCurrentFile(Env::Default(), dir_.path(), 3).ok());
    bool save;
    return vset_->Recover(&save);
  }
  static VersionEdit Header(uint64_t next_file = 100) {
    VersionEdit e;
    e.SetComparatorName(BytewiseComparator()->Name());
    e.SetLogNumber(1);
    e.SetNextFile(next_file);
    e.SetLastSequence(50);
    return e;
  }
};

TEST_F(HandWrittenManifestTest, ValidManifestRecovers) {
  VersionEdit e = Header();
  e.AddBlobFile({8, 1, 10, 20});
  e.AddFile(1, MakeFile(9, "a", "b", 5, {{8, 1, 10}}));
  ASSERT_TRUE(RecoverFrom({e}).ok());
  EXPECT_EQ(1, vset_->NumLevelFiles(1));
  EXPECT_EQ(3u, vset_->ManifestFileNumber());
}

TEST_F(HandWrittenManifestTest, BlobRefToUnknownBlobFileIsCorruption) {
  VersionEdit e = Header();
  e.AddFile(1, MakeFile(9, "a", "b", 5, {{8, 1, 10}}));
  Status s = RecoverFrom({e});
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST-000003")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("blob file #8")) << s.ToString();
}

TEST_F(HandWrittenManifestTest, GarbageMismatchIsCorruption) {
  VersionEdit e = Header();
  e.AddBlobFile({8, 2, 20, 40});
  e.AddFile(1, MakeFile(9, "a", "b", 5, {{8, 1, 10}}));
  EXPECT_TRUE(RecoverFrom({e}).IsCorruption());
}

TEST_F(HandWrittenManifestTest, FileNumberNotBelowNextFileIsCorruption) {
  VersionEdit e = Header(/*next_file=*/9);
  e.AddFile(1, MakeFile(9, "a", "b"));
  Status s = RecoverFrom({e});
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("offset")) << s.ToString();
}

TEST_F(HandWrittenManifestTest, MissingMetaEntriesAreCorruption) {
  VersionEdit e;
  e.SetComparatorName(BytewiseComparator()->Name());
  e.SetLogNumber(1);
  Status s = RecoverFrom({e});
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.ToString().find("next-file")) << s.ToString();
}

TEST_F(HandWrittenManifestTest, ComparatorMismatchIsInvalidArgument) {
  VersionEdit e = Header();
  e.SetComparatorName("other.Comparator");
  EXPECT_TRUE(RecoverFrom({e}).IsInvalidArgument());
}

TEST_F(HandWrittenManifestTest, UndecodableEditNamesRecordAndOffset) {
  VersionEdit e = Header();
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(Env::Default()->NewWritableFile(dir_.File("MANIFEST-000003"), &file).ok());
  log::Writer writer(file.get());
  std::string rec;
  e.EncodeTo(&rec);
  ASSERT_TRUE(writer.AddRecord(rec).ok());
  ASSERT_TRUE(writer.AddRecord("\x2a\x01").ok());  // tag 42
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(SetCurrentFile(Env::Default(), dir_.path(), 3).ok());
  bool save;
  Status s = vset_->Recover(&save);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST-000003: record 1 at offset"))
      << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("tag 42")) << s.ToString();
}

TEST_F(VersionSetTest, OlderVersionsKeepTheirFilesLive) {
  Reserve(20);
  VersionEdit e1;
  e1.AddFile(1, MakeFile(5, "a", "b"));
  ASSERT_TRUE(Apply(&e1).ok());
  Version* old = vset_->current();
  {
    std::lock_guard<std::mutex> l(mu_);
    old->Ref();
  }
  VersionEdit e2;
  e2.RemoveFile(1, 5);
  e2.AddFile(2, MakeFile(6, "a", "b"));
  ASSERT_TRUE(Apply(&e2).ok());

  std::set<uint64_t> tables, blobs;
  vset_->AddLiveFiles(&tables, &blobs);
  EXPECT_EQ((std::set<uint64_t>{5, 6}), tables);
  EXPECT_EQ(1, old->NumFiles(1));  // the old version is unchanged
  {
    std::lock_guard<std::mutex> l(mu_);
    old->Unref();
  }
  tables.clear();
  vset_->AddLiveFiles(&tables, &blobs);
  EXPECT_EQ((std::set<uint64_t>{6}), tables);
}

TEST_F(VersionSetTest, ConcurrentLogAndApplyAreSerialized) {
  Reserve(1000);
  VersionEdit first;
  ASSERT_TRUE(Apply(&first).ok());
  auto worker = [this](int base) {
    for (int i = 0; i < 50; i++) {
      VersionEdit e;
      e.AddFile(0, MakeFile(base + i, "a", "z", base + i));
      Status s = Apply(&e);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  };
  std::thread t1(worker, 100), t2(worker, 300);
  t1.join();
  t2.join();
  EXPECT_EQ(100, vset_->NumLevelFiles(0));
  ASSERT_TRUE(Reopen().ok());
  EXPECT_EQ(100, vset_->NumLevelFiles(0));
}

TEST_F(VersionSetTest, LevelZeroIsOrderedNewestFirst) {
  Reserve(20);
  VersionEdit e;
  e.AddFile(0, MakeFile(7, "a", "z", 30));
  e.AddFile(0, MakeFile(8, "a", "z", 10));
  e.AddFile(0, MakeFile(9, "a", "z", 20));
  ASSERT_TRUE(Apply(&e).ok());
  const auto& l0 = vset_->current()->files(0);
  ASSERT_EQ(3u, l0.size());
  EXPECT_EQ(7u, l0[0]->number);
  EXPECT_EQ(9u, l0[1]->number);
  EXPECT_EQ(8u, l0[2]->number);
}

TEST_F(VersionSetTest, OverlapAndOverlappingInputs) {
  Reserve(20);
  VersionEdit e;
  e.AddFile(0, MakeFile(1, "c", "e", 50));
  e.AddFile(0, MakeFile(2, "d", "h", 60));
  e.AddFile(0, MakeFile(3, "x", "y", 70));
  e.AddFile(1, MakeFile(4, "b", "d"));
  e.AddFile(1, MakeFile(5, "f", "g"));
  e.AddFile(1, MakeFile(6, "m", "p"));
  ASSERT_TRUE(Apply(&e).ok());
  Version* v = vset_->current();
  Slice a("a"), c("c"), h("h"), i("i"), l("l"), q("q"), z("z");
  EXPECT_TRUE(v->OverlapInLevel(1, &a, &c));
  EXPECT_FALSE(v->OverlapInLevel(1, &h, &l));
  EXPECT_TRUE(v->OverlapInLevel(1, &l, &q));
  EXPECT_FALSE(v->OverlapInLevel(1, &q, &z));
  EXPECT_TRUE(v->OverlapInLevel(1, nullptr, &c));
  EXPECT_FALSE(v->OverlapInLevel(1, &q, nullptr));
  EXPECT_FALSE(v->OverlapInLevel(0, &i, &l));
  EXPECT_TRUE(v->OverlapInLevel(0, &i, &z));

  // L0: asking for [c, c] pulls in file 2 (overlaps 1), whose range then
  // covers nothing more.
  std::vector<FileMetaData*> inputs;
  InternalKey kc("c", kMaxSequenceNumber, kValueTypeForSeek), kc2("c", 0, kTypeDeletion);
  v->GetOverlappingInputs(0, &kc, &kc2, &inputs);
  std::set<uint64_t> got;
  for (auto* f : inputs) got.insert(f->number);
  EXPECT_EQ((std::set<uint64_t>{1, 2}), got);

  InternalKey kf("f", kMaxSequenceNumber, kValueTypeForSeek), kn("n", 0, kTypeDeletion);
  v->GetOverlappingInputs(1, &kf, &kn, &inputs);
  got.clear();
  for (auto* f : inputs) got.insert(f->number);
  EXPECT_EQ((std::set<uint64_t>{5, 6}), got);
  v->GetOverlappingInputs(1, nullptr, nullptr, &inputs);
  EXPECT_EQ(3u, inputs.size());
}

TEST_F(VersionSetTest, FlushOutputIsPushedDownWhenNothingOverlaps) {
  Reserve(20);
  VersionEdit e;
  e.AddFile(0, MakeFile(1, "a", "b", 50));
  e.AddFile(2, MakeFile(2, "m", "n"));
  e.AddFile(3, MakeFile(3, "x", "y"));
  ASSERT_TRUE(Apply(&e).ok());
  Version* v = vset_->current();
  EXPECT_EQ(0, v->PickLevelForMemTableOutput("a", "c"));  // overlaps L0
  EXPECT_EQ(1, v->PickLevelForMemTableOutput("l", "m"));  // overlaps L2
  EXPECT_EQ(2, v->PickLevelForMemTableOutput("c", "d"));  // nothing: at most L2
  EXPECT_EQ(2, v->PickLevelForMemTableOutput("x", "x"));  // L3 overlap is fine
}

}  // namespace lode
