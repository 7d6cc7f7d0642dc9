// Write-time separation (Options::blob_write_time_separation): large values
// go to a blob file when written, the WAL holds only their index, the flush
// installs the files, and recovery reads the values back: exactly what was
// acknowledged, a torn tail cut as a prefix, damage reported. Every test runs
// on a plain and on an encrypted DB (indexed blob files, lib/encryption_format.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "lib/encrypted_env.h"
#include "lib/encryption_format.h"
#include "lib/util/coding.h"
#include "lode/db.h"
#include "lode/encryption.h"
#include "tests/util/db_files.h"
#include "tests/util/fault_injection_env.h"
#include "tests/util/test_util.h"

namespace lode::test {
namespace {

namespace fs = std::filesystem;

constexpr size_t kLarge = 8 << 10;

class WriteTimeSeparationTest : public ::testing::TestWithParam<bool> {
 protected:
  ~WriteTimeSeparationTest() override { db_.reset(); }

  Options BaseOptions() {
    Options o;
    o.env = &env_;
    o.min_blob_size = 1024;
    o.write_buffer_size = 1 << 20;
    o.blob_compression = Compression::kNone;  // stored bytes = value bytes
    o.enable_blob_gc = false;
    o.max_space_amplification = 0;
    if (GetParam()) o.encryption = NewStaticKeyProvider({{1, std::string(kKeySize, 'k')}}, 1);
    return o;
  }

  void Open(const Options& o) {
    db_.reset();
    Status s = DB::Open(o, dir_.path(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::string ValueFor(int key, int version, size_t size = kLarge) {
    Random r(static_cast<uint64_t>(key) * 7919 + static_cast<uint64_t>(version) * 31 + 1);
    return RandomBytes(&r, size);
  }

  void Put(int key, int version, size_t size = kLarge, bool sync = false) {
    WriteOptions wo;
    wo.sync = sync;
    ASSERT_TRUE(db_->Put(wo, NumberedKey(key), ValueFor(key, version, size)).ok());
    model_[NumberedKey(key)] = ValueFor(key, version, size);
  }

  // Every key of model_ reads back as written, and nothing else exists.
  void CheckModel() {
    for (const auto& [k, v] : model_) {
      std::string got;
      Status s = db_->Get(ReadOptions(), k, &got);
      ASSERT_TRUE(s.ok()) << k << ": " << s.ToString();
      ASSERT_EQ(v, got) << k;
    }
    size_t n = 0;
    auto it = db_->NewIterator(ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
    ASSERT_TRUE(it->status().ok());
    EXPECT_EQ(model_.size(), n);
  }

  uint64_t TotalSize(const std::string& suffix) {
    uint64_t total = 0;
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      const std::string n = e.path().filename().string();
      if (n.size() > suffix.size() &&
          n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
        total += e.file_size();
    }
    return total;
  }

  std::vector<std::string> Unreferenced() {
    std::vector<std::string> names;
    // The manifest of an encrypted DB is read through an EncryptedEnv.
    std::unique_ptr<Env> enc = NewEncryptedEnv(Env::Default(), BaseOptions().encryption);
    Status s =
        FindUnreferencedFiles(enc != nullptr ? enc.get() : Env::Default(), dir_.path(), &names);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return names;
  }

  FaultInjectionEnv env_;
  TempDir dir_;
  std::unique_ptr<DB> db_;
  std::map<std::string, std::string> model_;
};

TEST_P(WriteTimeSeparationTest, LargeValuesReachTheDiskOnceAndTheWalHoldsOnlyTheirIndex) {
  Open(BaseOptions());
  for (int k = 0; k < 64; k++) Put(k, 1);        // 512 KiB of large values
  for (int k = 64; k < 80; k++) Put(k, 1, 100);  // small ones stay in the WAL
  // Before any flush the values are in a blob file, and the WAL is tiny.
  EXPECT_GE(TotalSize(".blob"), 64 * kLarge);
  EXPECT_LT(TotalSize(".log"), 16 * 1024u);
  CheckModel();
  ASSERT_TRUE(db_->Flush().ok());
  // The flush wrote the table, not the values again.
  EXPECT_LT(TotalSize(".blob"), 64 * kLarge + 64 * 1024);
  GcReport report;
  ASSERT_TRUE(db_->GetGcReport(&report).ok());
  ASSERT_EQ(1u, report.files.size());
  EXPECT_EQ(64u, report.files[0].blob_count);
  EXPECT_EQ(0u, report.files[0].garbage_count);
  CheckModel();
  EXPECT_TRUE(Unreferenced().empty());
}

TEST_P(WriteTimeSeparationTest, ValuesOverwrittenInTheMemTableAreGarbageFromBirth) {
  Open(BaseOptions());
  for (int version = 1; version <= 5; version++) {
    for (int k = 0; k < 10; k++) Put(k, version);
  }
  ASSERT_TRUE(db_->Delete(WriteOptions(), NumberedKey(9)).ok());
  model_.erase(NumberedKey(9));
  ASSERT_TRUE(db_->Flush().ok());
  GcReport report;
  ASSERT_TRUE(db_->GetGcReport(&report).ok());
  ASSERT_EQ(1u, report.files.size());
  EXPECT_EQ(50u, report.files[0].blob_count);
  // Four older versions of each key, and every version of the deleted one.
  EXPECT_EQ(41u, report.files[0].garbage_count);
  EXPECT_EQ(41u * kLarge, report.files[0].garbage_bytes);
  CheckModel();
  // The garbage counts agree with the tables (VerifyDB checks the invariant).
  db_.reset();
  VerifyReport verify;
  Status s = VerifyDB(dir_.path(), BaseOptions(), &verify);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(WriteTimeSeparationTest, ReopenReadsTheValuesBackAndLeavesNoOrphan) {
  Open(BaseOptions());
  for (int k = 0; k < 40; k++) Put(k, 1);
  ASSERT_TRUE(db_->Flush().ok());
  for (int k = 20; k < 60; k++) Put(k, 2);
  for (int k = 60; k < 70; k++) Put(k, 2, 200);
  Open(BaseOptions());  // closes without a flush: the WAL and its blob file
  CheckModel();
  EXPECT_TRUE(Unreferenced().empty());
  Put(1, 3);
  Open(BaseOptions());
  CheckModel();
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  CheckModel();
}

TEST_P(WriteTimeSeparationTest, SyncedWritesSurvivePowerLossAndTheRestIsAPrefix) {
  env_.SetSkipRealSync(true);
  for (uint64_t seed = 1; seed <= 12; seed++) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    db_.reset();
    ASSERT_TRUE(DestroyDB(dir_.path(), BaseOptions()).ok());
    env_.ForgetUnsynced();
    model_.clear();
    Open(BaseOptions());
    Random rnd(seed);
    std::vector<std::pair<int, size_t>> writes;  // (key, size) in order
    size_t durable = 0;
    for (int i = 0; i < 120; i++) {
      const int key = static_cast<int>(rnd.Uniform(50));
      // Inline, separated but smaller than an encrypted unit's minimum (it
      // stays buffered until the group's flush), and large.
      const size_t size = rnd.OneIn(4)   ? 100
                          : rnd.OneIn(3) ? 1500 + rnd.Uniform(2000)
                                         : kLarge + rnd.Uniform(4096);
      const bool sync = rnd.OneIn(10);
      Put(key, i, size, sync);
      writes.emplace_back(key, size);
      if (sync) durable = writes.size();
      if (rnd.OneIn(40)) {
        ASSERT_TRUE(db_->Flush().ok());
        durable = writes.size();
      }
    }
    env_.SetFilesystemActive(false);
    db_.reset();
    ASSERT_TRUE(env_.PowerLoss(rnd.OneIn(2) ? &rnd : nullptr).ok());
    env_.SetFilesystemActive(true);
    Open(BaseOptions());
    // Find the longest prefix of writes whose state matches the DB.
    std::map<std::string, std::string> state;
    std::vector<std::map<std::string, std::string>> states = {state};
    for (size_t i = 0; i < writes.size(); i++) {
      state[NumberedKey(writes[i].first)] =
          ValueFor(writes[i].first, static_cast<int>(i), writes[i].second);
      states.push_back(state);
    }
    std::map<std::string, std::string> got;
    auto it = db_->NewIterator(ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      got[it->key().ToString()] = it->value().ToString();
    }
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    it.reset();
    bool matched = false;
    for (size_t n = durable; n < states.size() && !matched; n++) matched = states[n] == got;
    EXPECT_TRUE(matched) << "the DB after power loss is no prefix of the writes that includes "
                         << durable << " durable ones (" << got.size() << " keys)";
    EXPECT_TRUE(Unreferenced().empty());
  }
}

TEST_P(WriteTimeSeparationTest, RecoveryModesJudgeATornBlobLikeATornRecord) {
  Open(BaseOptions());
  for (int k = 0; k < 10; k++) Put(k, 1);
  db_.reset();
  // Cut the write-time blob file inside its last value: the last write's
  // value never reached the disk, its WAL record did.
  std::string blob;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    if (e.path().extension() == ".blob") blob = e.path().string();
  }
  ASSERT_FALSE(blob.empty());
  const std::string saved = dir_.path() + "/../saved.blob";
  uint64_t data_end = fs::file_size(blob);
  if (GetParam()) {  // the unit index and trailer written at close come after the values
    const std::string raw = ReadAll(blob);
    data_end = DecodeFixed64(raw.data() + raw.size() - kIndexedTrailerSize + 8);
  }
  fs::resize_file(blob, data_end - 100);
  fs::copy_file(blob, saved, fs::copy_options::overwrite_existing);

  Options o = BaseOptions();
  o.wal_recovery_mode = WalRecoveryMode::kAbsoluteConsistency;
  Status s = DB::Open(o, dir_.path(), &db_);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(".blob")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(".log")) << s.ToString();

  o.wal_recovery_mode = WalRecoveryMode::kPointInTimeRecovery;
  Open(o);
  model_.erase(NumberedKey(9));
  CheckModel();
  fs::remove(saved);
}

TEST_P(WriteTimeSeparationTest, OffOrWithoutAWalTheValuesGoThroughTheFlush) {
  Options o = BaseOptions();
  o.blob_write_time_separation = false;
  Open(o);
  for (int k = 0; k < 16; k++) Put(k, 1);
  EXPECT_EQ(0u, TotalSize(".blob"));
  EXPECT_GE(TotalSize(".log"), 16 * kLarge);
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_GE(TotalSize(".blob"), 16 * kLarge);
  CheckModel();

  Open(BaseOptions());
  const uint64_t blobs = TotalSize(".blob");
  WriteOptions no_wal;
  no_wal.disable_wal = true;
  ASSERT_TRUE(db_->Put(no_wal, "nowal", ValueFor(99, 1)).ok());
  model_["nowal"] = ValueFor(99, 1);
  EXPECT_EQ(blobs, TotalSize(".blob"));  // nothing names it before the flush
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_GT(TotalSize(".blob"), blobs);
  CheckModel();
}

TEST_P(WriteTimeSeparationTest, SetOptionsAppliesToLaterWrites) {
  Open(BaseOptions());
  Put(0, 1);  // separated at 1 KiB
  ASSERT_TRUE(db_->SetOptions({{"min_blob_size", "65536"}}).ok());
  const uint64_t blobs = TotalSize(".blob");
  Put(1, 1);  // now inline: the WAL carries it
  EXPECT_EQ(blobs, TotalSize(".blob"));
  ASSERT_TRUE(db_->Flush().ok());
  GcReport report;
  ASSERT_TRUE(db_->GetGcReport(&report).ok());
  ASSERT_EQ(1u, report.files.size());
  EXPECT_EQ(1u, report.files[0].blob_count);
  CheckModel();
}

// A plain DB's memtable holds only the blob indexes of separated values; it
// must still fill, and be flushed, as if it held the values.
TEST_P(WriteTimeSeparationTest, TheMemTableFillsAtTheSamePaceWhetherItHoldsValuesOrIndexes) {
  Open(BaseOptions());                      // 1 MiB write buffer
  for (int k = 0; k < 400; k++) Put(k, 1);  // 3.2 MiB of 8 KiB values
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  std::string stats;
  ASSERT_TRUE(db_->GetProperty("lode.stats", &stats));
  const size_t at = stats.find("Flushes: ");
  ASSERT_NE(std::string::npos, at) << stats;
  EXPECT_GE(std::stoi(stats.substr(at + 9)), 2) << stats;
  CheckModel();
}

// Values still only in an unfinished write-time file (the flush is held
// before it finishes the file) read back through Get and iterators, from the
// memtable being flushed and from the new one.
TEST_P(WriteTimeSeparationTest, ReadsFindMemTableValuesWhileTheFlushRuns) {
  Open(BaseOptions());
  for (int k = 0; k < 20; k++) Put(k, 1);
  Put(20, 1, 100);
  env_.HoldNext(FaultInjectionEnv::Op::kCreate, ".sst");
  Status flushed;
  std::thread flusher([&] { flushed = db_->Flush(); });
  env_.WaitUntilHeld();
  for (int k = 10; k < 30; k++) Put(k, 2);  // half overwrite the flushing memtable's keys
  CheckModel();
  env_.Release();
  flusher.join();
  ASSERT_TRUE(flushed.ok()) << flushed.ToString();
  CheckModel();
}

// An iterator pins its memtables, and with them the write-time files their
// indexes point at: values stay readable after the flush installed the file
// and GC deleted it.
TEST_P(WriteTimeSeparationTest, AnIteratorReadsMemTableValuesAfterTheirFileIsGone) {
  Open(BaseOptions());
  for (int k = 0; k < 10; k++) Put(k, 1);
  const std::map<std::string, std::string> old_model = model_;
  std::unique_ptr<Iterator> it = db_->NewIterator(ReadOptions());
  ASSERT_TRUE(db_->Flush().ok());
  GcReport report;
  ASSERT_TRUE(db_->GetGcReport(&report).ok());
  ASSERT_EQ(1u, report.files.size());
  const uint64_t first_file = report.files[0].number;
  for (int k = 0; k < 10; k++) Put(k, 2);
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  char name[32];
  std::snprintf(name, sizeof(name), "/%06llu.blob", static_cast<unsigned long long>(first_file));
  ASSERT_FALSE(fs::exists(dir_.path() + name)) << "GC left " << name;
  std::map<std::string, std::string> seen;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    seen[it->key().ToString()] = it->value().ToString();
  }
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(old_model, seen);
  it.reset();
  CheckModel();
}

// A damaged record in a write-time file is reported when the memtable's
// index is read, naming the file, not served.
// (Plain only: an encrypted DB's memtable keeps the values.)
class PlainWriteTimeSeparationTest : public WriteTimeSeparationTest {};

TEST_P(PlainWriteTimeSeparationTest, DamageInAnUnflushedBlobFileIsReportedOnRead) {
  Open(BaseOptions());
  Put(0, 1);
  std::string blob_name;
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    if (e.path().extension() == ".blob") blob_name = e.path().string();
  }
  ASSERT_FALSE(blob_name.empty());
  std::string contents;
  ASSERT_TRUE(ReadFileToString(Env::Default(), blob_name, &contents).ok());
  const size_t at = contents.find(ValueFor(0, 1).substr(0, 64));
  ASSERT_NE(std::string::npos, at);
  {
    std::FILE* f = std::fopen(blob_name.c_str(), "r+b");
    ASSERT_NE(nullptr, f);
    std::fseek(f, static_cast<long>(at + 100), SEEK_SET);
    const char flipped = static_cast<char>(contents[at + 100] ^ 0x55);
    std::fwrite(&flipped, 1, 1, f);
    std::fclose(f);
  }
  std::string got;
  Status s = db_->Get(ReadOptions(), NumberedKey(0), &got);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find(".blob")) << s.ToString();
}

INSTANTIATE_TEST_SUITE_P(PlainAndEncrypted, WriteTimeSeparationTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Encrypted" : "Plain";
                         });

INSTANTIATE_TEST_SUITE_P(Plain, PlainWriteTimeSeparationTest, ::testing::Values(false));

}  // namespace
}  // namespace lode::test
