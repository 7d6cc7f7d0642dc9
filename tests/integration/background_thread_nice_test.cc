// Options::background_thread_nice: lode's background threads run at the
// nice value asked for, and the application's threads keep theirs.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

// Nice values of every thread of this process, from /proc/self/task/*/stat
// (field 19; the fields are counted after the command name's ')').
std::vector<int> ThreadNiceValues() {
  std::vector<int> r;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return r;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 1));
    std::string f;
    for (int i = 3; i <= 19 && fields >> f; i++) {
      if (i == 19) r.push_back(std::stoi(f));
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

int CountNice(int nice) {
  int n = 0;
  for (int v : ThreadNiceValues()) n += v == nice ? 1 : 0;
  return n;
}

// CountNice after threads were joined. pthread_join returns when the kernel
// clears the thread id, a moment before it drops the thread's
// /proc/self/task entry, and nothing signals that: look again (bounded, 10 s)
// until the count is `expected`, and return the last count seen.
int NiceCountOnceReaped(int nice, int expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int n = CountNice(nice);
  while (n != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
    n = CountNice(nice);
  }
  return n;
}

TEST_F(DBTest, BackgroundThreadsRunAtTheConfiguredNice) {
  const int own = CurrentThreadNice();
  ASSERT_LT(own, 19) << "the test itself runs at nice 19: nothing to tell apart";
  const int before = CountNice(19);
  Options o = SmallOptions();
  o.max_background_jobs = 3;
  o.background_thread_nice = 19;
  Open(o);
  // Open returns once every background thread has its priority.
  EXPECT_EQ(before + 3, CountNice(19));
  EXPECT_EQ(own, CurrentThreadNice());  // the application's thread is left alone
  // And they still do their work.
  Put("k", std::string(8192, 'v'));
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(std::string(8192, 'v'), Get("k"));
  db_.reset();
  EXPECT_EQ(before, NiceCountOnceReaped(19, before));  // joined at close
}

TEST_F(DBTest, BackgroundThreadsKeepTheProcessPriorityByDefault) {
  const int before = CountNice(19);
  Open(SmallOptions());
  EXPECT_EQ(before, CountNice(19));
}

}  // namespace
}  // namespace lode::test
