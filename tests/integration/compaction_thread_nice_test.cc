// Options::compaction_thread_nice: lode's compaction and GC threads run at
// the nice value asked for; the flush thread, a lone background thread and
// the application's threads keep the process's priority.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

// Name -> nice values of this process's threads whose name starts with
// "lode-", from /proc/self/task/*/stat: the name is between the parentheses,
// the nice value is field 19 (fields counted after the ')').
std::map<std::string, std::vector<int>> LodeThreads() {
  std::map<std::string, std::vector<int>> r;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return r;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t open = stat.find('(');
    const size_t paren = stat.rfind(')');
    if (open == std::string::npos || paren == std::string::npos) continue;
    const std::string name = stat.substr(open + 1, paren - open - 1);
    if (name.rfind("lode-", 0) != 0) continue;
    std::istringstream fields(stat.substr(paren + 1));
    std::string f;
    for (int i = 3; i <= 19 && fields >> f; i++) {
      if (i == 19) r[name].push_back(std::stoi(f));
    }
  }
  closedir(d);
  return r;
}

// The calling thread's nice value.
int CurrentThreadNice() {
  errno = 0;  // -1 is a valid answer: errno tells it from a failure
  const int n = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  return errno == 0 ? n : 0;
}

// True once no lode thread is left. pthread_join returns when the kernel
// clears the thread id, a moment before it drops the thread's
// /proc/self/task entry, and nothing signals that: look again (bounded,
// 10 s) until they are gone.
bool LodeThreadsGone() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!LodeThreads().empty()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class CompactionThreadNiceTest : public DBTest {
 protected:
  void SetUp() override {
    // Earlier tests' DBs are closed, but their threads may linger in /proc.
    ASSERT_TRUE(LodeThreadsGone()) << "another DB's background threads are still running";
    own_ = CurrentThreadNice();
    ASSERT_LT(own_, 19) << "the test itself runs at nice 19: nothing to tell apart";
  }

  // Flushes `tables` tables that all hold the same keys, lets the background
  // threads finish, and checks that a compaction merged them and the newest
  // values read back.
  void FlushTablesAndCheckTheyAreCompacted(int tables) {
    for (int f = 0; f < tables; f++) {
      for (int i = 0; i < 4; i++) Put("k" + std::to_string(i), std::string(8192, 'a' + f));
      ASSERT_TRUE(db_->Flush().ok());
    }
    ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
    EXPECT_LT(FilesAtLevel(0), tables) << "no compaction merged the flushed tables";
    for (int i = 0; i < 4; i++) {
      EXPECT_EQ(std::string(8192, 'a' + tables - 1), Get("k" + std::to_string(i)));
    }
  }

  int own_ = 0;
};

TEST_F(CompactionThreadNiceTest, CompactionThreadsRunAtTheConfiguredNiceAndTheFlushThreadDoesNot) {
  Options o = SmallOptions();
  o.max_background_jobs = 3;
  o.compaction_thread_nice = 19;
  Open(o);
  // Open returns once every background thread has its priority.
  const std::map<std::string, std::vector<int>> expected = {{"lode-compact", {19, 19}},
                                                            {"lode-flush", {own_}}};
  EXPECT_EQ(expected, LodeThreads());
  EXPECT_EQ(own_, CurrentThreadNice());  // the application's thread is left alone
  // Each kind of thread still does its work.
  FlushTablesAndCheckTheyAreCompacted(o.level0_compaction_trigger + 1);
  db_.reset();
  EXPECT_TRUE(LodeThreadsGone());  // joined at close
}

TEST_F(CompactionThreadNiceTest, ALoneBackgroundThreadAlsoFlushesAndKeepsTheProcessPriority) {
  Options o = SmallOptions();
  o.max_background_jobs = 1;
  o.compaction_thread_nice = 19;
  Open(o);
  const std::map<std::string, std::vector<int>> expected = {{"lode-bg", {own_}}};
  EXPECT_EQ(expected, LodeThreads());
  FlushTablesAndCheckTheyAreCompacted(o.level0_compaction_trigger + 1);
}

TEST_F(CompactionThreadNiceTest, ByDefaultCompactionThreadsRunAtNice19) {
  Open(SmallOptions());
  const std::map<std::string, std::vector<int>> expected = {{"lode-compact", {19}},
                                                            {"lode-flush", {own_}}};
  EXPECT_EQ(expected, LodeThreads());
}

TEST_F(CompactionThreadNiceTest, ZeroLeavesEveryThreadAtTheProcessPriority) {
  Options o = SmallOptions();
  o.compaction_thread_nice = 0;
  Open(o);
  const std::map<std::string, std::vector<int>> expected = {{"lode-compact", {own_}},
                                                            {"lode-flush", {own_}}};
  EXPECT_EQ(expected, LodeThreads());
}

}  // namespace
}  // namespace lode::test
