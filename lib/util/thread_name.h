// Names the calling thread, so that top, perf and /proc tell lode's threads
// apart from the application's.
#ifndef LODE_LIB_UTIL_THREAD_NAME_H_
#define LODE_LIB_UTIL_THREAD_NAME_H_

namespace lode {

// Sets the calling thread's name; Linux keeps the first 15 bytes. Best
// effort: a refusal leaves the name it had.
void SetCurrentThreadName(const char* name);

}  // namespace lode

#endif  // LODE_LIB_UTIL_THREAD_NAME_H_
