// Blob GC under overwrite- and delete-heavy workloads of large values, and
// with a fault injected at every I/O call of a GC run in turn.
#include <filesystem>
#include <iostream>
#include <set>

#include "lib/filename.h"
#include "tests/integration/db_test_util.h"
#include "tests/util/fault_injection_env.h"

namespace lode::test {
namespace {

class BlobGcWorkloadTest : public DBTest {
 protected:
  Options WorkloadOptions() {
    Options o = SmallOptions();
    o.blob_compression = Compression::kNone;  // stored bytes = value bytes
    o.min_blob_size = 16 << 10;
    o.write_buffer_size = 2 << 20;
    o.blob_file_size = 4 << 20;
    // RunBlobGc is what these tests drive: no scheduler running beside it.
    o.max_space_amplification = 0;
    o.blob_gc_idle_seconds = 0;
    return o;
  }
  std::string MakeValue(uint64_t key, uint64_t version, size_t size) {
    Random r(key * 1000003 + version);
    return RandomBytes(&r, size);
  }
  std::set<std::string> Files() {
    std::vector<std::string> children;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    std::set<std::string> r;
    for (const auto& c : children) {
      uint64_t n;
      FileType t;
      if (ParseFileName(c, &n, &t) && (t == FileType::kTableFile || t == FileType::kBlobFile)) {
        r.insert(c);
      }
    }
    return r;
  }

  void ExpectNoOrphans(FaultInjectionEnv::Op op, uint64_t n, const Status& why) {
    GcReport r;
    ASSERT_TRUE(db_->GetGcReport(&r).ok());
    std::set<std::string> live;
    for (const auto& f : r.files) live.insert(BaseName(BlobFileName("", f.number)));
    size_t tables = 0;
    for (int level = 0; level < options_.num_levels; level++) tables += FilesAtLevel(level);
    size_t tables_on_disk = 0;
    for (const auto& f : Files()) {
      if (f.size() > 5 && f.compare(f.size() - 5, 5, ".blob") == 0) {
        EXPECT_TRUE(live.count(f) > 0) << "op " << static_cast<int>(op) << " call " << n
                                       << ": orphan " << f << " after " << why.ToString();
      } else {
        tables_on_disk++;
      }
    }
    EXPECT_EQ(tables, tables_on_disk) << "op " << static_cast<int>(op) << " call " << n
                                      << ": orphan table after " << why.ToString();
  }

  // key -> (version, size) of the live value.
  std::map<uint64_t, std::pair<uint64_t, size_t>> model_;

  void CheckModel() {
    for (const auto& [k, vs] : model_) {
      ASSERT_EQ(MakeValue(k, vs.first, vs.second), Get(NumberedKey(k))) << k;
    }
    EXPECT_EQ(model_.size(), Contents().size());
  }
};

TEST_F(BlobGcWorkloadTest, OverwriteAndDeleteHeavyWorkloadsEndUnder125AfterGc) {
  for (const bool delete_heavy : {false, true}) {
    db_.reset();
    ASSERT_TRUE(DestroyDB(dir_.path(), Options()).ok());
    model_.clear();
    Open(WorkloadOptions());
    Random rnd(delete_heavy ? 77 : 76);
    constexpr uint64_t kKeys = 120;
    for (uint64_t op = 0; op < 600; op++) {
      const uint64_t k = rnd.Uniform(kKeys);
      if (delete_heavy && rnd.OneIn(3)) {
        Delete(NumberedKey(k));
        model_.erase(k);
        continue;
      }
      const size_t size = (16 << 10) + rnd.Uniform((256 << 10) - (16 << 10));
      Put(NumberedKey(k), MakeValue(k, op, size));
      model_[k] = {op, size};
    }
    ASSERT_TRUE(db_->RunBlobGc(BlobGcOptions()).ok());
    ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
    GcReport r;
    ASSERT_TRUE(db_->GetGcReport(&r).ok());
    // Live bytes and counts match what the test knows is live, exactly.
    uint64_t live_bytes = 0;
    for (const auto& [k, vs] : model_) live_bytes += vs.second;
    EXPECT_EQ(live_bytes, r.live_blob_bytes);
    uint64_t live_count = 0;
    for (const auto& f : r.files) live_count += f.blob_count - f.garbage_count;
    EXPECT_EQ(model_.size(), live_count);
    EXPECT_LE(r.space_amplification, 1.25) << r.ToText();
    CheckModel();
    db_.reset();
    VerifyReport vr;
    Status s = VerifyDB(dir_.path(), options_, &vr);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
}

TEST_F(BlobGcWorkloadTest, FaultAtEveryIoCallOfAGcRunLeavesNoTraceAndLosesNothing) {
  FaultInjectionEnv env;
  Options o = WorkloadOptions();
  o.env = &env;
  o.min_blob_size = 1024;
  Open(o);
  for (uint64_t k = 0; k < 24; k++) {
    Put(NumberedKey(k), MakeValue(k, 0, 3000));
    model_[k] = {0, 3000};
  }
  ASSERT_TRUE(db_->Flush().ok());
  for (uint64_t k = 0; k < 16; k++) {
    Put(NumberedKey(k), MakeValue(k, 1, 2000));
    model_[k] = {1, 2000};
  }
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  db_.reset();
  const std::string pristine = dir_.path() + "-pristine";
  std::filesystem::remove_all(pristine);
  std::filesystem::copy(dir_.path(), pristine);

  int cases = 0;
  for (FaultInjectionEnv::Op op :
       {FaultInjectionEnv::Op::kCreate, FaultInjectionEnv::Op::kWrite, FaultInjectionEnv::Op::kSync,
        FaultInjectionEnv::Op::kRead, FaultInjectionEnv::Op::kRename,
        FaultInjectionEnv::Op::kDelete}) {
    for (uint64_t n = 0;; n++) {
      // Start every case from the same state.
      db_.reset();
      std::filesystem::remove_all(dir_.path());
      std::filesystem::copy(pristine, dir_.path());
      Open(o);
      env.FailNth(op, n);
      Status s = db_->RunBlobGc(BlobGcOptions());
      const bool injected = env.Injected() > 0 && !env.Armed();
      env.ClearFaults();
      env.ResetInjected();
      if (!injected) {
        ASSERT_TRUE(s.ok()) << s.ToString();
        break;  // the run has fewer than n+1 calls of this kind: all covered
      }
      cases++;
      if (!s.ok()) {
        // After a failed GC (and a reopen, if the failure stopped the DB)
        // every table and blob file on disk belongs to the version: the job
        // took its outputs away, or its edit reached the manifest and they
        // are live. Either way nothing is orphaned and nothing is lost.
        db_.reset();
        Open(o);
        ExpectNoOrphans(op, n, s);
      }
      CheckModel();
    }
  }
  std::filesystem::remove_all(pristine);
  std::cout << "GC fault sweep: " << cases << " I/O calls failed one at a time\n";
  EXPECT_GT(cases, 20);
}

}  // namespace
}  // namespace lode::test
