// The space-ceiling scheduler and idle reclamation (issue 10): blob space
// stays bounded without any call, an idle DB returns close to its live size,
// and GC stops when nothing is worth reclaiming.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lib/util/random.h"
#include "tests/integration/db_test_util.h"
#include "tests/util/test_util.h"

namespace lode::test {
namespace {

constexpr size_t kValueSize = 8 << 10;

// An Env whose clock the test moves, so idle reclamation is driven by the
// test, not by wall time.
class ManualClockEnv : public EnvWrapper {
 public:
  ManualClockEnv() : EnvWrapper(Env::Default()) {}
  uint64_t NowMicros() override { return now_.load(); }
  void Advance(uint64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<uint64_t> now_{1'000'000'000};
};

// A disk that is slow for GC alone: blob files written by threads other
// than the test's (relocation outputs) take 20 ms to sync, while the test's
// own writes, never synced, go at full speed. It stands in for a device
// whose bandwidth the writes fill, so that GC falls behind them unless the
// writes slow down. The delay models the device; nothing waits on it to
// order events.
class SlowGcSyncEnv : public ManualClockEnv {
 public:
  explicit SlowGcSyncEnv(std::thread::id writer) : writer_(writer) {}

  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
    Status s = ManualClockEnv::NewWritableFile(f, r);
    const bool blob = f.size() > 5 && f.compare(f.size() - 5, 5, ".blob") == 0;
    if (s.ok() && blob && std::this_thread::get_id() != writer_) {
      *r = std::make_unique<SlowSyncFile>(std::move(*r));
    }
    return s;
  }

 private:
  class SlowSyncFile final : public WritableFileWrapper {
   public:
    using WritableFileWrapper::WritableFileWrapper;
    Status Sync() override {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return WritableFileWrapper::Sync();
    }
  };

  const std::thread::id writer_;
};

class GcSpaceCeilingTest : public DBTest {
 protected:
  // The DB (a base-class member) reads clock_ until it is closed, so close
  // it before this class's members go away.
  ~GcSpaceCeilingTest() override { db_.reset(); }

  Options CeilingOptions(double ceiling) {
    Options o = SmallOptions();
    o.env = &clock_;
    o.min_blob_size = 1024;
    o.blob_compression = Compression::kNone;  // stored bytes = value bytes
    o.write_buffer_size = 256 << 10;
    o.blob_file_size = 256 << 10;
    o.max_space_amplification = ceiling;
    o.blob_gc_idle_seconds = 30;
    // Only the scheduler moves blobs: no threshold-driven relocation.
    o.blob_gc_age_cutoff = 0;
    o.blob_gc_garbage_threshold = 1.0;
    return o;
  }

  std::string ValueFor(uint64_t key, uint64_t version) {
    Random r(key * 7919 + version * 104729 + 1);
    return RandomBytes(&r, kValueSize);
  }

  void Write(uint64_t key) {
    const uint64_t version = ++versions_[key];
    ASSERT_TRUE(db_->Put(WriteOptions(), NumberedKey(key), ValueFor(key, version)).ok());
  }

  // Bytes of the blob files in the directory, as a user's `du` would see them.
  uint64_t BlobBytesOnDisk() {
    std::vector<std::string> children;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    uint64_t total = 0;
    for (const std::string& name : children) {
      if (name.size() < 5 || name.compare(name.size() - 5, 5, ".blob") != 0) continue;
      uint64_t size = 0;
      // A background job may delete a file between the listing and here.
      Status s = Env::Default()->GetFileSize(dir_.path() + "/" + name, &size);
      EXPECT_TRUE(s.ok() || !Env::Default()->FileExists(dir_.path() + "/" + name)) << s.ToString();
      total += s.ok() ? size : 0;
    }
    return total;
  }

  // Live blob bytes as the user knows them: one value per key.
  uint64_t LiveBytes() const { return versions_.size() * kValueSize; }

  void CheckAllValues() {
    for (const auto& [key, version] : versions_) {
      std::string got;
      ASSERT_TRUE(db_->Get(ReadOptions(), NumberedKey(key), &got).ok()) << key;
      ASSERT_EQ(ValueFor(key, version), got) << key;
    }
  }

  GcReport Report() {
    GcReport r;
    EXPECT_TRUE(db_->GetGcReport(&r).ok());
    return r;
  }

  ManualClockEnv clock_;
  std::map<uint64_t, uint64_t> versions_;  // key -> newest version written
};

TEST_F(GcSpaceCeilingTest, CeilingHoldsUnderUniformRandomOverwrites) {
  const double kCeiling = 1.3;
  Open(CeilingOptions(kCeiling));
  constexpr uint64_t kKeys = 400;  // 3.2 MiB live
  for (uint64_t k = 0; k < kKeys; k++) Write(k);
  Random rnd(301);
  // Overwrites that the memtable still holds hide garbage no engine can see
  // before a flush, so the bound allows one memtable of it; the files the
  // scheduler is writing are inside that too.
  const double tolerance_bytes =
      kCeiling * static_cast<double>(CeilingOptions(kCeiling).write_buffer_size);
  double worst = 0;
  for (int i = 0; i < 8 * static_cast<int>(kKeys); i++) {
    Write(rnd.Uniform(kKeys));
    if (i % 100 == 99) {
      ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
      const double on_disk = static_cast<double>(BlobBytesOnDisk());
      const double bound = kCeiling * static_cast<double>(LiveBytes()) + tolerance_bytes;
      worst = std::max(worst, on_disk / static_cast<double>(LiveBytes()));
      ASSERT_LE(on_disk, bound) << "after " << i + 1 << " overwrites";
    }
  }
  const GcReport r = Report();
  EXPECT_GT(r.scheduled_plans, 0u) << "the ceiling was never approached";
  EXPECT_GT(r.gc_bytes_written, 0u);
  EXPECT_LE(r.space_amplification, kCeiling);
  std::printf(
      "uniform overwrites: worst %.3fx at checkpoints, GC wrote %.1f MiB for %.1f MiB "
      "written by the user\n",
      worst, static_cast<double>(r.gc_bytes_written) / (1 << 20),
      8.0 * kKeys * kValueSize / (1 << 20));
  CheckAllValues();
  // Every relocation kept the garbage accounting exact.
  db_.reset();
  VerifyReport vr;
  Status s = VerifyDB(dir_.path(), options_, &vr);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Overwrites of 400 keys on a disk slow for GC (SlowGcSyncEnv): the bound
// the space slowdown promises, checked after every write.
TEST_F(GcSpaceCeilingTest, SlowdownKeepsSpaceUnderItsHardLimitWhenGcFallsBehind) {
  constexpr double kCeiling = 1.2;
  SlowGcSyncEnv env(std::this_thread::get_id());
  Options o = CeilingOptions(kCeiling);
  o.env = &env;
  ASSERT_TRUE(o.blob_gc_slowdown_writes) << "on by default";
  Open(o);
  constexpr uint64_t kKeys = 400;  // 3.2 MiB live
  for (uint64_t k = 0; k < kKeys; k++) Write(k);
  EXPECT_EQ(0u, Report().write_slowdowns) << "a fresh load has no garbage to wait for";
  EXPECT_EQ(0u, Report().write_stalls);
  // Past the hard limit writes stall until GC installs work, so the version
  // stays under it. On disk there may also be the memtables' write-time
  // files, one plan's copies not yet installed (at most a blob file) and
  // the sources of plans just installed, not yet deleted. Without the slowdown this run reaches 3x
  // (checked by hand).
  //
  // The bound is on the true live bytes. An overwrite's old value is counted
  // as garbage only once a compaction meets both versions; before that the
  // slowdown acts on what the flushes found their tables shadow
  // (FileMetaData::shadowed_blob_bytes). Without that estimate this run
  // passed 1.4x of the true live bytes early, before compactions caught up
  // (with the estimate off it failed 15 runs in 20, at ~270 overwrites;
  // with it, 0 in 30).
  const double hard = 1 + 2.0 * (kCeiling - 1);
  const double tolerance =
      3.0 * static_cast<double>(o.blob_file_size) + static_cast<double>(o.write_buffer_size);
  Random rnd(301);
  double worst = 0;
  for (int i = 0; i < 8 * static_cast<int>(kKeys); i++) {
    Write(rnd.Uniform(kKeys));
    const double live = static_cast<double>(LiveBytes());
    const double on_disk = static_cast<double>(BlobBytesOnDisk());
    worst = std::max(worst, on_disk / static_cast<double>(LiveBytes()));
    ASSERT_LE(on_disk, hard * live + tolerance) << "after " << i + 1 << " overwrites";
  }
  const GcReport r = Report();
  EXPECT_DOUBLE_EQ(1 + 1.5 * (kCeiling - 1), r.slowdown_start);
  EXPECT_DOUBLE_EQ(hard, r.slowdown_limit);
  EXPECT_NE(std::string::npos, r.ToText().find("slowed past")) << r.ToText();
  EXPECT_NE(std::string::npos, r.ToJson().find("\"write_slowdown_micros\"")) << r.ToJson();
  std::printf("slow GC disk: worst %.3fx, %llu slowdowns (%.2f s), %llu stalls (%.2f s)\n", worst,
              static_cast<unsigned long long>(r.write_slowdowns), r.write_slowdown_micros / 1e6,
              static_cast<unsigned long long>(r.write_stalls), r.write_stall_micros / 1e6);
  CheckAllValues();
  db_.reset();  // before env goes away
}

TEST_F(GcSpaceCeilingTest, NoCeilingLetsGarbageGrow) {
  // The control for the test above: the same workload without a ceiling
  // ends far above it, so the bound there is the scheduler's doing.
  Open(CeilingOptions(0));
  constexpr uint64_t kKeys = 400;
  for (uint64_t k = 0; k < kKeys; k++) Write(k);
  Random rnd(301);
  for (int i = 0; i < 8 * static_cast<int>(kKeys); i++) Write(rnd.Uniform(kKeys));
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_GT(static_cast<double>(BlobBytesOnDisk()), 1.6 * static_cast<double>(LiveBytes()));
  EXPECT_EQ(0u, Report().scheduled_plans);
}

TEST_F(GcSpaceCeilingTest, IdleDbReturnsCloseToItsLiveSizeWithoutACall) {
  Options o = CeilingOptions(2.0);  // a loose ceiling: garbage stays under load
  Open(o);
  constexpr uint64_t kKeys = 300;
  for (uint64_t k = 0; k < kKeys; k++) Write(k);
  Random rnd(7);
  for (int i = 0; i < 300; i++) Write(rnd.Uniform(kKeys));
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  const double before = static_cast<double>(BlobBytesOnDisk()) / static_cast<double>(LiveBytes());
  ASSERT_GT(before, 1.2) << "the workload must leave garbage for this test to mean anything";
  EXPECT_EQ(0u, Report().idle_jobs);

  // Not idle long enough yet: nothing happens.
  clock_.Advance(29'000'000);
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_EQ(0u, Report().idle_jobs);

  clock_.Advance(2'000'000);
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  const GcReport r = Report();
  const double after = static_cast<double>(BlobBytesOnDisk()) / static_cast<double>(LiveBytes());
  EXPECT_GT(r.idle_jobs, 0u);
  // Within the idle goal (1.03) plus the per-record overhead of blob files.
  EXPECT_LE(after, o.blob_gc_idle_space_amplification + 0.02) << "before " << before;
  std::printf("idle reclamation: %.3fx -> %.3fx\n", before, after);
  CheckAllValues();

  // Done means done: more idle time rewrites nothing.
  const uint64_t written = r.gc_bytes_written;
  const uint64_t jobs = r.idle_jobs;
  for (int i = 0; i < 3; i++) {
    clock_.Advance(60'000'000);
    ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  }
  EXPECT_EQ(written, Report().gc_bytes_written);
  EXPECT_EQ(jobs, Report().idle_jobs);

  // A write ends the idle spell; the next one reclaims again.
  for (int i = 0; i < 100; i++) Write(rnd.Uniform(kKeys));
  clock_.Advance(31'000'000);
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_GT(Report().idle_jobs, jobs);
  CheckAllValues();
}

TEST_F(GcSpaceCeilingTest, GcStopsWhenNothingIsWorthReclaiming) {
  Open(CeilingOptions(1.2));
  for (uint64_t k = 0; k < 300; k++) Write(k);  // no overwrite: no garbage
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  for (int i = 0; i < 3; i++) {
    clock_.Advance(60'000'000);
    ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  }
  const GcReport r = Report();
  EXPECT_EQ(0u, r.gc_bytes_written);
  EXPECT_EQ(0u, r.bytes_relocated);
  EXPECT_EQ(0u, r.scheduled_plans);
  EXPECT_EQ("none", r.next_action) << r.next_reason;
  CheckAllValues();
}

TEST_F(GcSpaceCeilingTest, SkewedOverwritesDoNotRewriteHotDataOverAndOver) {
  // The same volume of overwrites, uniform and skewed (90% of the writes to
  // the hottest 10% of the keys), under the same ceiling. A cleaner that
  // copied hot data while it is still turning into garbage would copy more
  // under skew than under uniform writes (the classic failure of greedy
  // cleaning); one that waits for hot files to die by themselves and takes
  // old, cold files copies much less.
  const double kCeiling = 1.3;
  constexpr uint64_t kKeys = 400;
  uint64_t relocated[2] = {0, 0};
  for (int skewed = 0; skewed < 2; skewed++) {
    db_.reset();
    ASSERT_TRUE(DestroyDB(dir_.path(), Options()).ok());
    // The policy alone: with write-time separation, hot values overwritten
    // within one memtable become blob garbage too, so the two workloads
    // would not hand GC the same garbage (doc/write_time_separation.md).
    Options o = CeilingOptions(kCeiling);
    o.blob_write_time_separation = false;
    Open(o);
    versions_.clear();
    for (uint64_t k = 0; k < kKeys; k++) Write(k);
    Random rnd(99);
    for (int i = 0; i < 8 * static_cast<int>(kKeys); i++) {
      if (skewed == 0) {
        Write(rnd.Uniform(kKeys));
      } else {
        const bool hot = rnd.Uniform(10) != 0;
        Write(hot ? rnd.Uniform(kKeys / 10) : kKeys / 10 + rnd.Uniform(kKeys - kKeys / 10));
      }
      // GC decides at the same points in both runs, whatever the machine's
      // speed: the comparison is of policies, not of timing.
      if (i % 32 == 31) {
        ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
      }
    }
    ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
    relocated[skewed] = Report().bytes_relocated;
    EXPECT_LE(static_cast<double>(BlobBytesOnDisk()),
              kCeiling * static_cast<double>(LiveBytes()) +
                  kCeiling * static_cast<double>(CeilingOptions(kCeiling).write_buffer_size));
    CheckAllValues();
  }
  std::printf("GC copied %.1f MiB under uniform and %.1f MiB under skewed overwrites\n",
              static_cast<double>(relocated[0]) / (1 << 20),
              static_cast<double>(relocated[1]) / (1 << 20));
  EXPECT_GT(relocated[0], 0u);
  EXPECT_LT(static_cast<double>(relocated[1]), 0.6 * static_cast<double>(relocated[0]));
}

TEST_F(GcSpaceCeilingTest, RateLimitPacesRelocationBelowTheCeiling) {
  // Idle reclamation is never urgent, so it is always paced.
  Options o = CeilingOptions(0);
  // 512 KiB/s: slower than the idle jobs copy unpaced (also under ASan), even with the
  // little garbage write-time separation leaves here (~1.3 MB to copy).
  o.blob_gc_rate_limit = 512 << 10;
  Open(o);
  constexpr uint64_t kKeys = 200;
  for (uint64_t k = 0; k < kKeys; k++) Write(k);
  Random rnd(5);
  for (int i = 0; i < 200; i++) Write(rnd.Uniform(kKeys));
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  const GcReport before = Report();
  EXPECT_EQ(0u, before.gc_paced_micros);
  clock_.Advance(31'000'000);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const GcReport r = Report();
  const double copied = static_cast<double>(r.bytes_relocated - before.bytes_relocated);
  ASSERT_GT(copied, 1 << 20) << "the test needs more than a burst of copying";
  EXPECT_GT(r.gc_paced_micros, 0u);
  // A token bucket lets through at most rate x time plus one burst (50 ms
  // of rate), so copying took at least this long, however fast the disk.
  EXPECT_GE(seconds, (copied - 0.05 * (512 << 10)) / (512 << 10)) << copied << " bytes copied";
  CheckAllValues();
}

TEST_F(GcSpaceCeilingTest, ReportShowsTheCeilingAndThePlan) {
  Open(CeilingOptions(1.5));
  for (uint64_t k = 0; k < 200; k++) Write(k);
  ASSERT_TRUE(db_->Flush().ok());
  const GcReport r = Report();
  EXPECT_DOUBLE_EQ(1.5, r.max_space_amplification);
  EXPECT_GT(r.gc_trigger, 1.0);
  EXPECT_LT(r.gc_trigger, 1.5);
  EXPECT_FALSE(r.next_reason.empty());
  const std::string text = r.ToText();
  EXPECT_NE(std::string::npos, text.find("ceiling")) << text;
  EXPECT_NE(std::string::npos, r.ToJson().find("\"scheduler\"")) << r.ToJson();
  // The space slowdown is on by default, and the report says where it acts.
  EXPECT_DOUBLE_EQ(1 + 1.5 * 0.5, r.slowdown_start);
  EXPECT_DOUBLE_EQ(1 + 2.0 * 0.5, r.slowdown_limit);
  EXPECT_NE(std::string::npos, text.find("slowed past")) << text;
  ASSERT_TRUE(db_->SetOptions({{"blob_gc_slowdown_writes", "false"}}).ok());
  EXPECT_EQ(0, Report().slowdown_start);
  EXPECT_NE(std::string::npos, Report().ToText().find("never slowed for space"));
}

TEST_F(GcSpaceCeilingTest, SetOptionsChangesTheCeilingAndRejectsNonsense) {
  Open(CeilingOptions(1.5));
  EXPECT_TRUE(db_->SetOptions({{"max_space_amplification", "0.5"}}).IsInvalidArgument());
  EXPECT_TRUE(db_->SetOptions({{"max_space_amplification", "1"}}).IsInvalidArgument());
  EXPECT_TRUE(db_->SetOptions({{"blob_gc_idle_space_amplification", "0.9"}}).IsInvalidArgument());
  ASSERT_TRUE(db_->SetOptions({{"max_space_amplification", "1.25"}}).ok());
  EXPECT_DOUBLE_EQ(1.25, Report().max_space_amplification);
  ASSERT_TRUE(db_->SetOptions({{"max_space_amplification", "0"}}).ok());
  EXPECT_DOUBLE_EQ(0, Report().max_space_amplification);
  ASSERT_TRUE(db_->SetOptions({{"blob_gc_rate_limit", "8M"}}).ok());
}

}  // namespace
}  // namespace lode::test
