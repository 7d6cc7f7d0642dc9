// lode_micro_bench: Google Benchmark micro benches on lode's public API.
//
// Put and Get of small (100 B, inline) and large (16 KiB, blob-sized) values
// in a DB whose data fits in one memtable, so they measure the write path
// (WAL + memtable) and the memtable read path, not compaction or the disk.
// Each benchmark opens a fresh DB in a directory under $TMPDIR (or /tmp) and
// destroys it afterwards.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "lode/db.h"
#include "lode/env.h"

namespace {

constexpr int kKeys = 1024;  // distinct keys, cycled through

std::string Key(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llu", static_cast<unsigned long long>(i));
  return buf;
}

// A fresh DB that is destroyed (with its directory) at scope exit.
class ScratchDb {
 public:
  ScratchDb(size_t value_size, bool disable_wal) {
    lode::Env* env = lode::Env::Default();
    const char* tmp = std::getenv("TMPDIR");
    dir_ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/lode_micro_bench-" +
           std::to_string(::getpid()) + "-" + std::to_string(env->NowMicros());
    // Everything of a run fits in the memtable: no flush while timing.
    options_.write_buffer_size = 256 << 20;
    lode::Status s = lode::DB::Open(options_, dir_, &db_);
    if (!s.ok()) {
      std::fprintf(stderr, "lode_micro_bench: open %s: %s\n", dir_.c_str(), s.ToString().c_str());
      std::abort();
    }
    write_options_.disable_wal = disable_wal;
    std::mt19937_64 rng(value_size);
    value_.resize(value_size);
    for (char& c : value_) c = static_cast<char>(' ' + rng() % 95);
  }
  ~ScratchDb() {
    db_.reset();
    lode::DestroyDB(dir_, options_);
    lode::Env::Default()->RemoveDir(dir_);
  }
  lode::DB* db() { return db_.get(); }
  const lode::WriteOptions& write_options() const { return write_options_; }
  const std::string& value() const { return value_; }

 private:
  std::string dir_;
  lode::Options options_;
  lode::WriteOptions write_options_;
  std::unique_ptr<lode::DB> db_;
  std::string value_;
};

// Args: value size, WAL on (1) or off (0).
void BM_Put(benchmark::State& state) {
  ScratchDb scratch(static_cast<size_t>(state.range(0)), state.range(1) == 0);
  uint64_t i = 0;
  for (auto _ : state) {
    lode::Status s = scratch.db()->Put(scratch.write_options(), Key(i++ % kKeys), scratch.value());
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Put)->ArgsProduct({{100}, {1, 0}})->ArgNames({"value", "wal"});
// 8000 x 16 KiB = 125 MiB: stays inside the memtable.
BENCHMARK(BM_Put)->ArgsProduct({{16384}, {1, 0}})->ArgNames({"value", "wal"})->Iterations(8000);

// Arg: value size. Reads keys that are all in the memtable.
void BM_Get(benchmark::State& state) {
  ScratchDb scratch(static_cast<size_t>(state.range(0)), /*disable_wal=*/true);
  for (int i = 0; i < kKeys; i++) {
    lode::Status s = scratch.db()->Put(scratch.write_options(), Key(i), scratch.value());
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
  }
  std::mt19937_64 rng(42);
  std::string value;
  for (auto _ : state) {
    lode::Status s = scratch.db()->Get(lode::ReadOptions(), Key(rng() % kKeys), &value);
    if (!s.ok() || value.size() != scratch.value().size()) {
      state.SkipWithError(s.ok() ? "wrong value size" : s.ToString().c_str());
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Get)->Arg(100)->Arg(16384)->ArgName("value");

}  // namespace

BENCHMARK_MAIN();
