// Lowers the CPU priority of the calling thread, for background threads
// that should yield the CPU to the application's own threads.
#ifndef LODE_LIB_UTIL_THREAD_PRIORITY_H_
#define LODE_LIB_UTIL_THREAD_PRIORITY_H_

namespace lode {

// Sets the calling thread's nice value (Linux: per thread) to `nice`, 1..19.
// Returns false if the system refused; nice <= 0 does nothing and returns true.
bool SetCurrentThreadNice(int nice);

// The calling thread's nice value.
int CurrentThreadNice();

}  // namespace lode

#endif  // LODE_LIB_UTIL_THREAD_PRIORITY_H_
