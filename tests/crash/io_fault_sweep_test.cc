// I/O fault sweep: for a flush, a compaction, a relocating compaction
// (RunBlobGc) and an open (WAL replay, recovery flush, new manifest, CURRENT
// replacement, obsolete-file deletion), count the I/O calls the job makes on
// a clean run, then run it again once per call with exactly that call
// failing. Whatever the job returns, after a fault-free reopen every
// acknowledged write reads back, nothing else does, the open leaves no file
// the manifest does not reference, and VerifyDB passes.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lode/db.h"
#include "tests/util/db_files.h"
#include "tests/util/fault_injection_env.h"
#include "tests/util/test_util.h"
#include "tests/util/torture_options.h"

namespace lode::test {
namespace {

using Model = std::map<std::string, std::string>;

// No compaction starts by itself: the only job is the one under test.
Options SweepOptions(Env* env) {
  Options o;
  o.env = env;
  o.write_buffer_size = 1 << 20;
  o.block_size = 16 << 10;
  o.level0_compaction_trigger = 1000;
  o.level0_slowdown_writes_trigger = 1000;
  o.level0_stop_writes_trigger = 1000;
  o.max_bytes_for_level_base = uint64_t{1} << 40;
  o.min_blob_size = 512;
  o.blob_file_size = 48 << 10;
  o.enable_blob_gc = false;
  o.block_cache_capacity = 0;
  return o;
}

std::string Value(Random* rnd, int round) {
  std::string v = "r" + std::to_string(round) + ":";
  v.resize(rnd->OneIn(2) ? 600 + rnd->Uniform(900) : 10 + rnd->Uniform(200),
           static_cast<char>('a' + rnd->Uniform(26)));
  return v;
}

void PutAll(DB* db, Random* rnd, int round, int first, int count, int step, Model* m) {
  for (int i = first; i < first + count * step; i += step) {
    const std::string k = NumberedKey(static_cast<uint64_t>(i), 5);
    const std::string v = Value(rnd, round);
    ASSERT_TRUE(db->Put(WriteOptions(), k, v).ok());
    (*m)[k] = v;
  }
}

// A closed DB with three overlapping L0 tables, blob files holding garbage,
// deletions, and unflushed writes in the WAL.
void BuildTemplate(const std::string& path, Model* m) {
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(SweepOptions(Env::Default()), path, &db).ok());
  Random rnd(42);
  PutAll(db.get(), &rnd, 0, 0, 120, 1, m);
  ASSERT_TRUE(db->Flush().ok());
  PutAll(db.get(), &rnd, 1, 0, 60, 2, m);
  ASSERT_TRUE(db->Flush().ok());
  PutAll(db.get(), &rnd, 2, 1, 40, 3, m);
  for (int i = 0; i < 120; i += 7) {
    const std::string k = NumberedKey(static_cast<uint64_t>(i), 5);
    ASSERT_TRUE(db->Delete(WriteOptions(), k).ok());
    m->erase(k);
  }
  ASSERT_TRUE(db->Flush().ok());
  PutAll(db.get(), &rnd, 3, 200, 30, 1, m);  // stays in the WAL
}

void CopyDir(const std::string& from, const std::string& to) {
  Env* env = Env::Default();
  std::vector<std::string> children;
  ASSERT_TRUE(env->GetChildren(from, &children).ok());
  for (const auto& c : children) {
    if (c == "." || c == "..") continue;
    std::string data;
    ASSERT_TRUE(ReadFileToString(env, from + "/" + c, &data).ok()) << c;
    ASSERT_TRUE(WriteStringToFile(env, data, to + "/" + c, false).ok()) << c;
  }
}

// Reopens path fault-free and checks the contents, the files and VerifyDB.
void CheckRecovered(const std::string& path, const Model& model, const std::string& what) {
  SCOPED_TRACE(what);
  std::unique_ptr<DB> db;
  Status s = DB::Open(SweepOptions(Env::Default()), path, &db);
  ASSERT_TRUE(s.ok()) << "reopen: " << s.ToString();
  Model got = ScanAll(db.get(), &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(model.size(), got.size());
  for (const auto& [k, v] : model) {
    std::string value;
    s = db->Get(ReadOptions(), k, &value);
    ASSERT_TRUE(s.ok()) << k << ": " << s.ToString();
    ASSERT_EQ(v, value) << k;
    ASSERT_EQ(v, got[k]) << k;
  }
  db.reset();
  std::vector<std::string> orphans;
  ASSERT_TRUE(FindUnreferencedFiles(Env::Default(), path, &orphans).ok());
  ASSERT_TRUE(orphans.empty()) << "left behind: " << orphans.front();
  VerifyReport report;
  s = VerifyDB(path, SweepOptions(Env::Default()), &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

struct SweepResult {
  uint64_t calls = 0;       // I/O calls of the job on a clean run
  uint64_t injected = 0;    // runs in which the armed fault fired
  uint64_t job_failed = 0;  // runs in which the job reported an error
};

// prepare: acknowledged writes before the job (added to the model).
// job: the job; with open_is_job, the job is DB::Open itself.
SweepResult Sweep(const std::function<void(DB*, Model*)>& prepare,
                  const std::function<Status(DB*)>& job, bool open_is_job) {
  SweepResult r;
  TempDir root;
  const std::string tmpl = root.path() + "/template";
  Model base;
  EXPECT_TRUE(Env::Default()->CreateDir(tmpl).ok());
  BuildTemplate(tmpl, &base);
  if (::testing::Test::HasFatalFailure()) return r;

  // n == UINT64_MAX: the clean run that counts the calls.
  auto run = [&](uint64_t n, const std::string& path, Model* model) -> Status {
    FaultInjectionEnv env;
    env.SetSkipRealSync(true);
    std::unique_ptr<DB> db;
    if (open_is_job) {
      env.ResetCounts();
      if (n != UINT64_MAX) env.FailNth(FaultInjectionEnv::Op::kAny, n);
      Status s = DB::Open(SweepOptions(&env), path, &db);
      if (n == UINT64_MAX) r.calls = env.TotalCount();
      if (env.Injected() > 0) r.injected++;
      env.ClearFaults();
      return s;
    }
    Status s = DB::Open(SweepOptions(&env), path, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return s;
    prepare(db.get(), model);
    env.ResetCounts();
    if (n != UINT64_MAX) env.FailNth(FaultInjectionEnv::Op::kAny, n);
    s = job(db.get());
    if (n == UINT64_MAX) r.calls = env.TotalCount();
    if (env.Injected() > 0) r.injected++;
    env.ClearFaults();
    return s;
  };

  {
    const std::string path = root.path() + "/clean";
    EXPECT_TRUE(Env::Default()->CreateDir(path).ok());
    CopyDir(tmpl, path);
    Model model = base;
    Status s = run(UINT64_MAX, path, &model);
    EXPECT_TRUE(s.ok()) << s.ToString();
    CheckRecovered(path, model, "clean run");
  }
  for (uint64_t n = 0; n < r.calls && !::testing::Test::HasFatalFailure(); n++) {
    const std::string path = root.path() + "/run" + std::to_string(n);
    EXPECT_TRUE(Env::Default()->CreateDir(path).ok());
    CopyDir(tmpl, path);
    Model model = base;
    Status s = run(n, path, &model);
    if (!s.ok()) r.job_failed++;
    CheckRecovered(path, model, "fault at I/O call " + std::to_string(n) + ": " + s.ToString());
    (void)DestroyDB(path, SweepOptions(Env::Default()));
  }
  std::printf("I/O calls swept %llu, faults fired %llu, job reported failure %llu\n",
              static_cast<unsigned long long>(r.calls), static_cast<unsigned long long>(r.injected),
              static_cast<unsigned long long>(r.job_failed));
  return r;
}

TEST(IoFaultSweepTest, FlushEitherInstallsOrKeepsThePreviousVersion) {
  SweepResult r = Sweep(
      [](DB* db, Model* m) {
        Random rnd(7);
        PutAll(db, &rnd, 9, 300, 80, 1, m);
      },
      [](DB* db) { return db->Flush(); }, false);
  EXPECT_GT(r.calls, 10u);
  EXPECT_EQ(r.calls, r.injected);
  EXPECT_GT(r.job_failed, 0u);
}

TEST(IoFaultSweepTest, CompactionEitherInstallsOrKeepsThePreviousVersion) {
  SweepResult r =
      Sweep([](DB*, Model*) {}, [](DB* db) { return db->CompactRange(nullptr, nullptr); }, false);
  EXPECT_GT(r.calls, 10u);
  EXPECT_EQ(r.calls, r.injected);
  EXPECT_GT(r.job_failed, 0u);
}

TEST(IoFaultSweepTest, RelocatingCompactionEitherInstallsOrKeepsThePreviousVersion) {
  SweepResult r = Sweep([](DB* db, Model*) { ASSERT_TRUE(db->Flush().ok()); },
                        [](DB* db) {
                          BlobGcOptions g;
                          g.age_cutoff = 1.0;
                          g.garbage_threshold = 0.0;
                          return db->RunBlobGc(g);
                        },
                        false);
  EXPECT_GT(r.calls, 10u);
  EXPECT_EQ(r.calls, r.injected);
  EXPECT_GT(r.job_failed, 0u);
}

// Open replays the WAL into a table, writes a new manifest, replaces CURRENT
// and deletes the old files: a fault anywhere fails the open or is survived.
TEST(IoFaultSweepTest, OpenWithAFaultFailsOrRecoversAndAFaultFreeOpenRecoversAll) {
  SweepResult r = Sweep([](DB*, Model*) {}, [](DB*) { return Status::OK(); }, true);
  EXPECT_GT(r.calls, 10u);
  EXPECT_EQ(r.calls, r.injected);
  EXPECT_GT(r.job_failed, 0u);
}

// Regression: a failed WAL read was reported like damage, so
// kPointInTimeRecovery kept the prefix, wrote a new manifest, deleted the
// log and lost the acknowledged writes after the failed read for good.
TEST(IoFaultSweepTest, WalReadErrorFailsTheOpenInEveryRecoveryMode) {
  for (WalRecoveryMode mode : kAllWalRecoveryModes) {
    TempDir dir;
    Model model;
    BuildTemplate(dir.path(), &model);
    FaultInjectionEnv env;
    Options o = SweepOptions(&env);
    o.wal_recovery_mode = mode;
    env.FailNth(FaultInjectionEnv::Op::kRead, 0, ".log");
    std::unique_ptr<DB> db;
    Status s = DB::Open(o, dir.path(), &db);
    EXPECT_TRUE(s.IsIOError()) << static_cast<int>(mode) << ": " << s.ToString();
    EXPECT_EQ(1u, env.Injected());
    db.reset();
    CheckRecovered(dir.path(), model, "after the failed open");
  }
}

}  // namespace
}  // namespace lode::test
