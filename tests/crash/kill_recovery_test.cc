// A child process writes synced puts and reports each acknowledgement through
// a pipe; the parent kills it with SIGKILL mid-stream, reopens the DB and
// checks that every acknowledged write is there.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

// Runs in the child: never returns.
[[noreturn]] void WriteUntilKilled(const std::string& path, int ack_fd, uint64_t seed) {
  Options o = SmallOptions();
  std::unique_ptr<DB> db;
  if (!DB::Open(o, path, &db).ok()) _exit(2);
  Random rnd(seed);
  WriteOptions wo;
  wo.sync = true;
  for (uint32_t i = 0;; i++) {
    // Mixed sizes: inline values and values that go to blob files.
    size_t size = rnd.OneIn(3) ? 2000 + rnd.Uniform(6000) : 10 + rnd.Uniform(200);
    std::string value =
        std::to_string(i) + ":" + std::string(size, static_cast<char>('a' + i % 26));
    if (!db->Put(wo, NumberedKey(i), value).ok()) _exit(3);
    if (write(ack_fd, &i, sizeof(i)) != sizeof(i)) _exit(4);
  }
}

std::string ExpectedValue(uint32_t i, uint64_t seed) {
  Random rnd(seed);
  std::string value;
  for (uint32_t j = 0; j <= i; j++) {
    size_t size = rnd.OneIn(3) ? 2000 + rnd.Uniform(6000) : 10 + rnd.Uniform(200);
    if (j == i)
      value = std::to_string(i) + ":" + std::string(size, static_cast<char>('a' + i % 26));
  }
  return value;
}

TEST_F(DBTest, SigkillDuringSyncedWritesLosesNoAcknowledgedWrite) {
  uint32_t acked_total = 0;
  for (int cycle = 0; cycle < 3; cycle++) {
    const uint64_t seed = 1000 + cycle;
    TempDir dir;
    int fds[2];
    ASSERT_EQ(0, pipe(fds));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriteUntilKilled(dir.path(), fds[1], seed);
    }
    close(fds[1]);
    // Let the child get through a few flushes, then kill it at an arbitrary
    // point decided by the seed.
    const uint32_t kill_after = 600 + static_cast<uint32_t>(cycle) * 377;
    uint32_t last = 0, n = 0;
    while (n < kill_after) {
      ssize_t r = read(fds[0], &last, sizeof(last));
      ASSERT_EQ(static_cast<ssize_t>(sizeof(last)), r) << "child died early";
      n++;
    }
    kill(pid, SIGKILL);
    // Acks already in the pipe are acknowledged writes too.
    while (read(fds[0], &last, sizeof(last)) == static_cast<ssize_t>(sizeof(last))) n++;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));

    std::unique_ptr<DB> db;
    Status s = DB::Open(SmallOptions(), dir.path(), &db);
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (uint32_t i = 0; i < n; i++) {
      std::string v;
      s = db->Get(ReadOptions(), NumberedKey(i), &v);
      ASSERT_TRUE(s.ok()) << "acknowledged key " << i << " of " << n << ": " << s.ToString();
      ASSERT_EQ(ExpectedValue(i, seed), v) << i;
    }
    acked_total += n;
  }
  EXPECT_GT(acked_total, 1800u);
}

}  // namespace
}  // namespace lode::test
