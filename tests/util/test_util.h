// Helpers shared by the test suites.
#ifndef LODE_TESTS_UTIL_TEST_UTIL_H_
#define LODE_TESTS_UTIL_TEST_UTIL_H_

#include <string>

#include "lib/util/random.h"
#include "lode/env.h"
#include "lode/slice.h"

namespace lode::test {

// A fresh, empty directory under $TMPDIR (or /tmp), unique per test and
// process, removed with its contents when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// n bytes of seeded random data; compressible to about `ratio` of its size
// when ratio < 1 (repeats a random fragment).
std::string RandomBytes(Random* rnd, size_t n, double ratio = 1.0);

// "key000123"-style keys that sort by number.
std::string NumberedKey(uint64_t i, int width = 16);

// Reads a whole file with the default env; aborts the test on failure.
std::string ReadAll(const std::string& path);
void WriteAll(const std::string& path, const Slice& data);

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_TEST_UTIL_H_
