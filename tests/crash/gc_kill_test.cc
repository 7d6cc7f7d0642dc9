// A child runs a GC-heavy workload (synced overwrites of values around the
// blob threshold, RunBlobGc every few dozen writes) and is killed with
// SIGKILL; the parent reopens the same DB again and again and checks that no
// acknowledged write is lost, VerifyDB passes and no orphan file is left.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include "lib/filename.h"
#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

Options GcHeavyOptions() {
  Options o = SmallOptions();
  o.min_blob_size = 2048;
  o.write_buffer_size = 128 << 10;
  o.blob_file_size = 256 << 10;
  o.blob_gc_age_cutoff = 0.5;
  o.blob_gc_garbage_threshold = 0.2;
  o.blob_gc_force_threshold = 0.3;
  return o;
}

// "key|version|" then filler; the size straddles the blob threshold.
std::string MakeValue(uint32_t key, uint32_t version) {
  std::string v = std::to_string(key) + "|" + std::to_string(version) + "|";
  const size_t size = 1500 + (key * 7919 + version * 104729) % 3000;
  v.resize(size, static_cast<char>('a' + version % 26));
  return v;
}

struct Ack {
  uint32_t key;
  uint32_t version;
};

[[noreturn]] void RunChild(const std::string& path, int fd, uint64_t seed, uint32_t first_version) {
  std::unique_ptr<DB> db;
  if (!DB::Open(GcHeavyOptions(), path, &db).ok()) _exit(2);
  Random rnd(seed);
  WriteOptions wo;
  wo.sync = true;
  for (uint32_t version = first_version;; version++) {
    const uint32_t key = static_cast<uint32_t>(rnd.Uniform(150));
    if (!db->Put(wo, NumberedKey(key), MakeValue(key, version)).ok()) _exit(3);
    Ack a{key, version};
    if (write(fd, &a, sizeof(a)) != sizeof(a)) _exit(4);
    if (version % 40 == 0 && !db->RunBlobGc(BlobGcOptions()).ok()) _exit(5);
  }
}

TEST_F(DBTest, SigkillDuringGcHeavyWorkloadLosesNothingAndLeavesNoOrphan) {
  std::map<uint32_t, uint32_t> acked;  // key -> last acknowledged version
  uint32_t next_version = 1;
  uint64_t blob_files_seen = 0;
  for (int cycle = 0; cycle < 6; cycle++) {
    int fds[2];
    ASSERT_EQ(0, pipe(fds));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RunChild(dir_.path(), fds[1], 500 + cycle, next_version);
    }
    close(fds[1]);
    const uint32_t kill_after = 150 + static_cast<uint32_t>(cycle * 97 % 200);
    Ack a{};
    for (uint32_t n = 0; n < kill_after; n++) {
      ASSERT_EQ(static_cast<ssize_t>(sizeof(a)), read(fds[0], &a, sizeof(a))) << "child died";
      acked[a.key] = a.version;
      next_version = a.version + 1;
    }
    kill(pid, SIGKILL);
    while (read(fds[0], &a, sizeof(a)) == static_cast<ssize_t>(sizeof(a))) {
      acked[a.key] = a.version;
      next_version = a.version + 1;
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);
    next_version += 1;  // the write in flight at the kill may have landed

    Open(GcHeavyOptions());
    for (const auto& [key, version] : acked) {
      std::string v = Get(NumberedKey(key));
      unsigned k = 0, ver = 0;
      ASSERT_EQ(2, sscanf(v.c_str(), "%u|%u|", &k, &ver))
          << "key " << key << ": " << v.substr(0, 80);
      ASSERT_EQ(key, k);
      // The acknowledged version, or the one in flight when the child died.
      ASSERT_GE(ver, version) << "acknowledged write of key " << key << " lost";
      ASSERT_EQ(MakeValue(k, ver), v);
    }
    GcReport r;
    ASSERT_TRUE(db_->GetGcReport(&r).ok());
    std::set<uint64_t> live_blobs;
    for (const auto& f : r.files) live_blobs.insert(f.number);
    int tables = 0;
    for (int level = 0; level < options_.num_levels; level++) tables += FilesAtLevel(level);
    std::vector<std::string> children;
    ASSERT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    int tables_on_disk = 0;
    for (const auto& c : children) {
      uint64_t number;
      FileType type;
      if (!ParseFileName(c, &number, &type)) continue;
      if (type == FileType::kBlobFile) {
        EXPECT_TRUE(live_blobs.count(number) > 0) << "orphan " << c;
      }
      if (type == FileType::kTableFile) tables_on_disk++;
      EXPECT_NE(FileType::kTempFile, type) << "leftover " << c;
    }
    EXPECT_EQ(tables, tables_on_disk) << "orphan tables after cycle " << cycle;
    db_.reset();
    VerifyReport vr;
    Status s = VerifyDB(dir_.path(), GcHeavyOptions(), &vr);
    ASSERT_TRUE(s.ok()) << "cycle " << cycle << ": " << s.ToString();
    blob_files_seen += vr.blob_files_checked;
  }
  EXPECT_GT(acked.size(), 100u);
  EXPECT_GT(blob_files_seen, 0u);
}

}  // namespace
}  // namespace lode::test
