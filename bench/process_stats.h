// ProcessStats: what this process has cost the machine so far: bytes it
// caused to be written to the storage device (/proc/self/io), bytes it passed
// to write(2), and CPU seconds of all its threads (getrusage). A benchmark
// takes one sample before and one after and reports the difference.
// Also DirBytes: the bytes of the files in a directory.
#ifndef LODE_BENCH_PROCESS_STATS_H_
#define LODE_BENCH_PROCESS_STATS_H_

#include <cstdint>
#include <string>

#include "lode/env.h"
#include "lode/status.h"

namespace lode::bench {

struct ProcessStats {
  bool has_io = false;                 // /proc/self/io was readable
  uint64_t write_bytes = 0;            // dirtied toward the device
  uint64_t cancelled_write_bytes = 0;  // dirtied, then truncated/deleted before writeback
  uint64_t read_bytes = 0;             // fetched from the device
  uint64_t wchar = 0;                  // passed to write(2) and friends
  double cpu_user_seconds = 0;
  double cpu_system_seconds = 0;

  // Takes a sample now. Missing /proc/self/io leaves has_io false (the I/O
  // fields 0) and is not an error.
  static ProcessStats Sample(Env* env);
};

// Sum of the sizes of the regular files directly in dir (a DB keeps no
// subdirectories). Files that vanish while it runs are skipped.
Status DirBytes(Env* env, const std::string& dir, uint64_t* bytes);

}  // namespace lode::bench

#endif  // LODE_BENCH_PROCESS_STATS_H_
