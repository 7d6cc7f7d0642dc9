// BenchConfig: every setting of one lode_bench run, filled from the command
// line by BenchFlags and read (never written) by the runner and the engine
// adapters. A plain value; copy it freely.
#ifndef LODE_BENCH_BENCH_CONFIG_H_
#define LODE_BENCH_BENCH_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "lode/options.h"

namespace lode::bench {

struct BenchConfig {
  // The workload.
  std::string benchmarks = "fillrandom,readrandom";
  int64_t num = 100000;                   // keys in the key space; ops per write benchmark
  int64_t reads = -1;                     // ops per read benchmark; < 0: num
  int64_t seeks = -1;                     // ops of seekrandom; < 0: reads
  int value_size = 100;                   // bytes, for value_size_dist=fixed
  std::string value_size_dist = "fixed";  // fixed | uniform:MIN:MAX | mix:SIZE@WEIGHT,...
  int key_size = 16;
  double compression_ratio = 0.5;
  int seek_nexts = 100;
  int threads = 1;
  uint64_t seed = 301;
  bool sync = false;
  bool disable_wal = false;
  std::string db;  // empty: /tmp/lode_bench-<engine>
  bool use_existing_db = false;
  std::string engine = "lode";  // lode | rocksdb | rocksdb-blob
  std::string json;             // JSON lines go here when not empty
  bool verify = true;           // check every value read against its key
  bool wait = true;             // wait for flushes/compactions after each benchmark
  bool stats = false;           // print the engine's statistics at the end
  int space_sample_ms = 1000;   // sample the DB size this often during a benchmark (0: never)
  int idle_seconds = 60;        // length of the idle benchmark
  bool gc_full = false;         // the gc benchmark removes every garbage byte it can
  bool encryption = false;      // lode: AES-256-GCM at rest with a random key

  // Engine options (lode names; the RocksDB adapter maps each to its own).
  // Defaults are lode::Options' own, set by BenchFlags.
  lode::Options options;
  bool verify_checksums = true;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_BENCH_CONFIG_H_
