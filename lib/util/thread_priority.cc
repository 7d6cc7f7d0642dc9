#include "lib/util/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace lode {

namespace {
// PRIO_PROCESS with a thread id addresses that one thread on Linux.
id_t ThreadId() { return static_cast<id_t>(syscall(SYS_gettid)); }
}  // namespace

bool SetCurrentThreadNice(int nice) {
  if (nice <= 0) return true;
  return setpriority(PRIO_PROCESS, ThreadId(), nice) == 0;
}

int CurrentThreadNice() {
  errno = 0;  // -1 is a valid answer: errno tells it from a failure
  const int n = getpriority(PRIO_PROCESS, ThreadId());
  return errno == 0 ? n : 0;
}

}  // namespace lode
