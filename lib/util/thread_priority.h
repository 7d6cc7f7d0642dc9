// Lowers the CPU priority of the calling thread, for background threads
// that should yield the CPU to the application's own threads.
#ifndef LODE_LIB_UTIL_THREAD_PRIORITY_H_
#define LODE_LIB_UTIL_THREAD_PRIORITY_H_

namespace lode {

// Sets the calling thread's nice value (Linux: per thread) to `nice`, 1..19;
// nice <= 0 does nothing. Best effort: a refusal leaves the thread as it was.
void SetCurrentThreadNice(int nice);

}  // namespace lode

#endif  // LODE_LIB_UTIL_THREAD_PRIORITY_H_
