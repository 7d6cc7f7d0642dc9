#include "lib/util/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lode {

namespace {
// PRIO_PROCESS with a thread id addresses that one thread on Linux.
id_t ThreadId() { return static_cast<id_t>(syscall(SYS_gettid)); }
}  // namespace

void SetCurrentThreadNice(int nice) {
  if (nice > 0) (void)setpriority(PRIO_PROCESS, ThreadId(), nice);
}

}  // namespace lode
