// lode_bench: a db_bench-style driver for lode, and for RocksDB side by side.
// See bench/README.md for the flags, the benchmarks and how numbers are made.
#include <cstdio>

#include "bench/bench_config.h"
#include "bench/bench_flags.h"
#include "bench/benchmark_runner.h"
#include "bench/flag_set.h"

int main(int argc, char** argv) {
  using lode::bench::BenchConfig;
  BenchConfig config;
  lode::bench::FlagSet flags;
  lode::bench::RegisterBenchFlags(&flags, &config);
  bool help = false;
  lode::Status s = flags.Parse(argc, argv, &help);
  if (help) {
    std::printf("usage: lode_bench [--flag=value ...]\n\n%s", flags.Usage().c_str());
    return s.ok() ? 0 : 2;
  }
  if (!s.ok()) {
    std::fprintf(stderr, "lode_bench: %s (try --help)\n", s.ToString().c_str());
    return 2;
  }
  lode::bench::BenchmarkRunner runner(config);
  s = runner.Run();
  if (!s.ok()) {
    std::fprintf(stderr, "lode_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
