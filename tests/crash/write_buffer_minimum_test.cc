// A write_buffer_size at its validated minimum (64 KiB) is smaller than an
// empty memtable's first arena block. Writes must still make progress: the
// write path once switched such a memtable forever, creating a new WAL on
// every turn and never applying the write.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lode/db.h"
#include "tests/util/test_util.h"

namespace lode::test {
namespace {

TEST(WriteBufferMinimumTest, WritesMakeProgressAtTheMinimumWriteBufferSize) {
  TempDir dir;
  // In a child, so a live-lock fails the test (SIGALRM) instead of hanging it.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(120);  // a guard against a live-lock, generous for a loaded machine
    Options o;
    o.write_buffer_size = 64 << 10;
    std::unique_ptr<DB> db;
    if (!DB::Open(o, dir.path(), &db).ok()) _exit(2);
    Random rnd(11);
    for (int i = 0; i < 100; i++) {
      if (!db->Put(WriteOptions(), NumberedKey(i), RandomBytes(&rnd, 100)).ok()) _exit(3);
    }
    std::string v;
    if (!db->Get(ReadOptions(), NumberedKey(99), &v).ok() || v.size() != 100) _exit(4);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(pid, waitpid(pid, &status, 0));
  ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status)
                                 << " (SIGALRM = stuck switching memtables)";
  EXPECT_EQ(0, WEXITSTATUS(status));
}

}  // namespace
}  // namespace lode::test
