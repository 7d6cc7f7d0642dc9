// BenchmarkRunner: runs the --benchmarks list of one lode_bench invocation,
// in order, on one engine, and reports each benchmark on stdout and as a JSON
// line in --json.
//
// Owns the engine it opens. Run is called once, from the main thread; the
// runner starts and joins its worker threads inside each benchmark.
#ifndef LODE_BENCH_BENCHMARK_RUNNER_H_
#define LODE_BENCH_BENCHMARK_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_config.h"
#include "bench/engine.h"
#include "bench/histogram.h"
#include "bench/key_format.h"
#include "bench/live_set.h"
#include "bench/value_generator.h"
#include "bench/value_size_distribution.h"
#include "lode/env.h"
#include "lode/status.h"

namespace lode::bench {

class BenchmarkRunner {
 public:
  explicit BenchmarkRunner(const BenchConfig& config);
  // Runs on the given engine instead of opening config.engine (for tests);
  // config.db must name an existing directory (it is only measured).
  BenchmarkRunner(const BenchConfig& config, std::unique_ptr<BenchEngine> engine);
  ~BenchmarkRunner();

  // Checks the config, opens the engine, runs every benchmark. Returns the
  // first error: a bad flag, an engine error, or a value that read back wrong.
  // Results of the benchmarks before the error are already reported.
  Status Run();

  // The names Run accepts in --benchmarks.
  static bool IsKnownBenchmark(const std::string& name);

 private:
  // One worker thread's state; the runner merges them after the join.
  struct ThreadState {
    int id = 0;
    std::mt19937_64 rng;
    Histogram hist;
    uint64_t ops = 0;
    uint64_t found = 0;
    uint64_t writes = 0;
    uint64_t bytes_written = 0;  // user bytes: key + value per Put, key per Delete
    uint64_t bytes_read = 0;     // user bytes returned by reads
    uint64_t begin = 0;          // this thread's share of the ops: [begin, end)
    uint64_t end = 0;
    Status status;
    std::string key;
    std::string value;
  };
  using Method = void (BenchmarkRunner::*)(ThreadState*);

  struct Result;

  Status Validate();
  Status InitLiveSetFromDb();
  Status RunBenchmark(const std::string& name, int index);
  void RunThreads(const std::string& name, int index, Method method, uint64_t total_ops,
                  bool with_writer, std::vector<std::unique_ptr<ThreadState>>* states);
  // Prints r and appends its JSON line; fails only if --json cannot be written.
  Status Report(const Result& r);
  void PrintHeader();

  // Workers.
  void FillSeq(ThreadState* t);
  void FillRandom(ThreadState* t);
  void ReadRandom(ThreadState* t);
  void ReadMissing(ThreadState* t);
  void SeekRandom(ThreadState* t);
  void DeleteRandom(ThreadState* t);
  void BackgroundWriter(ThreadState* t);

  // Helpers for the workers: one timed operation each; false stops the thread.
  bool DoPut(ThreadState* t, uint64_t k);
  bool DoGet(ThreadState* t, uint64_t k);
  bool Fail(ThreadState* t, const Status& s);
  uint64_t NowNanos() const;

  const BenchConfig config_;
  Env* const env_;
  std::string dir_;
  KeyFormat keys_;
  ValueGenerator values_;
  ValueSizeDistribution sizes_;
  std::unique_ptr<LiveSet> live_;
  std::unique_ptr<BenchEngine> engine_;
  std::unique_ptr<WritableFile> json_;     // --json, truncated at start
  std::atomic<bool> stop_{false};          // a worker failed: everyone stops
  std::atomic<bool> readers_done_{false};  // readwhilewriting: the writer stops
};

}  // namespace lode::bench

#endif  // LODE_BENCH_BENCHMARK_RUNNER_H_
