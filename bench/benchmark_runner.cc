#include "bench/benchmark_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "bench/json_writer.h"
#include "bench/process_stats.h"
#include "bench/space_sampler.h"

namespace lode::bench {

namespace {

constexpr const char* kBenchmarks[] = {
    "fillseq",          "fillrandom",   "overwrite", "readrandom", "readmissing", "seekrandom",
    "readwhilewriting", "deleterandom", "compact",   "gc",         "idle"};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

double Mib(uint64_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

double Ratio(uint64_t num, uint64_t den) {
  return den == 0 ? NAN : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

// Everything reported about one benchmark.
struct BenchmarkRunner::Result {
  std::string name;
  int index = 0;
  uint64_t ops = 0;
  uint64_t found = 0;
  uint64_t writes = 0;
  uint64_t bytes_written = 0;
  uint64_t bytes_read = 0;
  double seconds = 0;       // the timed operations
  double wait_seconds = 0;  // waiting for background work afterwards
  Histogram hist;
  ProcessStats before, after;
  uint64_t disk_bytes = 0;
  uint64_t max_disk_bytes = 0;  // largest sample while the benchmark ran (and at its end)
  uint64_t live_bytes = 0;
  uint64_t live_keys = 0;
  bool has_gc = false;
  GcResult gc;
  Status status;
};

BenchmarkRunner::BenchmarkRunner(const BenchConfig& config)
    : config_(config),
      env_(config.options.env != nullptr ? config.options.env : Env::Default()),
      keys_(config.key_size),
      values_(config.compression_ratio) {
  dir_ = config_.db.empty() ? "/tmp/lode_bench-" + config_.engine : config_.db;
}

BenchmarkRunner::BenchmarkRunner(const BenchConfig& config, std::unique_ptr<BenchEngine> engine)
    : BenchmarkRunner(config) {
  engine_ = std::move(engine);
}

BenchmarkRunner::~BenchmarkRunner() {
  if (json_) json_->Close();
}

bool BenchmarkRunner::IsKnownBenchmark(const std::string& name) {
  for (const char* b : kBenchmarks) {
    if (name == b) return true;
  }
  return false;
}

Status BenchmarkRunner::Validate() {
  Status s = KeyFormat::Check(config_.key_size, config_.num);
  if (!s.ok()) return s;
  if (config_.value_size < 0) return Status::InvalidArgument("--value_size must be >= 0");
  s = ValueSizeDistribution::Parse(config_.value_size_dist, static_cast<size_t>(config_.value_size),
                                   &sizes_);
  if (!s.ok()) return s;
  if (sizes_.MaxSize() + static_cast<size_t>(config_.key_size) >= (uint64_t{1} << 32)) {
    return Status::InvalidArgument("values must be smaller than 4 GiB");
  }
  if (config_.threads < 1 || config_.threads > 1024) {
    return Status::InvalidArgument("--threads must be in [1, 1024]");
  }
  if (config_.seek_nexts < 0) return Status::InvalidArgument("--seek_nexts must be >= 0");
  if (config_.compression_ratio < 0 || config_.compression_ratio > 1) {
    return Status::InvalidArgument("--compression_ratio must be in [0, 1]");
  }
  std::vector<std::string> list = SplitList(config_.benchmarks);
  if (list.empty()) return Status::InvalidArgument("--benchmarks is empty");
  for (const std::string& b : list) {
    if (!IsKnownBenchmark(b)) return Status::InvalidArgument("unknown benchmark", b);
  }
  return Status::OK();
}

uint64_t BenchmarkRunner::NowNanos() const {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

Status BenchmarkRunner::Run() {
  Status s = Validate();
  if (!s.ok()) return s;
  live_ = std::make_unique<LiveSet>(static_cast<uint64_t>(config_.num));
  if (!config_.json.empty()) {
    s = env_->NewWritableFile(config_.json, &json_);
    if (!s.ok()) return s;
  }
  if (!engine_) {
    s = OpenEngine(config_, dir_, &engine_);
    if (!s.ok()) return s;
  }
  if (config_.use_existing_db) {
    s = InitLiveSetFromDb();
    if (!s.ok()) return s;
  }
  PrintHeader();
  int index = 0;
  for (const std::string& name : SplitList(config_.benchmarks)) {
    s = RunBenchmark(name, index++);
    if (!s.ok()) return s;
  }
  if (config_.stats) std::printf("\n%s\n", engine_->Stats().c_str());
  engine_.reset();  // close before reporting success: closing can fail loudly too
  return Status::OK();
}

Status BenchmarkRunner::InitLiveSetFromDb() {
  std::unique_ptr<BenchIterator> it = engine_->NewIterator();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    uint64_t k;
    if (keys_.Parse(it->key(), &k) && k < live_->num()) {
      live_->OnPut(k, static_cast<uint32_t>(it->key().size() + it->value().size()));
    }
  }
  return it->status();
}

void BenchmarkRunner::PrintHeader() {
  std::printf("lode_bench: engine %s, db %s\n", engine_->Name().c_str(), dir_.c_str());
  std::printf("Keys:       %d bytes each, %lld in the key space\n", config_.key_size,
              static_cast<long long>(config_.num));
  std::printf("Values:     %s bytes (mean %.0f), compressible to %.2f\n", sizes_.ToString().c_str(),
              sizes_.MeanSize(), config_.compression_ratio);
  std::printf("Threads:    %d, seed %llu\n", config_.threads,
              static_cast<unsigned long long>(config_.seed));
  std::string settings;
  for (const auto& [name, value] : engine_->Settings()) settings += " " + name + "=" + value;
  std::printf("Settings:  %s\n", settings.c_str());
  std::printf("------------------------------------------------\n");
  std::fflush(stdout);
}

bool BenchmarkRunner::Fail(ThreadState* t, const Status& s) {
  t->status = s;
  stop_.store(true, std::memory_order_relaxed);
  return false;
}

bool BenchmarkRunner::DoPut(ThreadState* t, uint64_t k) {
  keys_.Format(k, &t->key);
  values_.Generate(k, sizes_.Next(&t->rng), &t->rng, &t->value);
  const uint64_t start = NowNanos();
  Status s = engine_->Put(t->key, t->value);
  t->hist.Add(NowNanos() - start);
  if (!s.ok()) return Fail(t, Status::IOError("Put " + t->key, s.ToString()));
  const uint64_t bytes = t->key.size() + t->value.size();
  live_->OnPut(k, static_cast<uint32_t>(bytes));
  t->writes++;
  t->bytes_written += bytes;
  return true;
}

bool BenchmarkRunner::DoGet(ThreadState* t, uint64_t k) {
  keys_.Format(k, &t->key);
  const uint64_t start = NowNanos();
  Status s = engine_->Get(t->key, &t->value);
  t->hist.Add(NowNanos() - start);
  t->ops++;
  if (s.IsNotFound()) return true;
  if (!s.ok()) return Fail(t, Status::IOError("Get " + t->key, s.ToString()));
  if (config_.verify && !values_.Verify(k, t->value)) {
    return Fail(t, Status::Corruption("Get " + t->key + " returned wrong bytes (" +
                                      std::to_string(t->value.size()) + " bytes)"));
  }
  t->found++;
  t->bytes_read += t->key.size() + t->value.size();
  return true;
}

void BenchmarkRunner::FillSeq(ThreadState* t) {
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    if (!DoPut(t, i)) return;
    t->ops++;
  }
}

void BenchmarkRunner::FillRandom(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    if (!DoPut(t, t->rng() % num)) return;
    t->ops++;
  }
}

void BenchmarkRunner::ReadRandom(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    if (!DoGet(t, t->rng() % num)) return;
  }
}

void BenchmarkRunner::ReadMissing(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    keys_.FormatMissing(t->rng() % num, &t->key);
    const uint64_t start = NowNanos();
    Status s = engine_->Get(t->key, &t->value);
    t->hist.Add(NowNanos() - start);
    t->ops++;
    if (s.ok()) {
      Fail(t, Status::Corruption("Get " + t->key + " found a key that was never written"));
      return;
    }
    if (!s.IsNotFound()) {
      Fail(t, Status::IOError("Get " + t->key, s.ToString()));
      return;
    }
  }
}

void BenchmarkRunner::SeekRandom(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  // One iterator per thread, reused for every seek (as db_bench does).
  std::unique_ptr<BenchIterator> it = engine_->NewIterator();
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    keys_.Format(t->rng() % num, &t->key);
    const uint64_t start = NowNanos();
    it->Seek(t->key);
    if (it->Valid()) t->found++;
    for (int n = 0; it->Valid() && n <= config_.seek_nexts; n++) {
      const Slice key = it->key();
      const Slice value = it->value();
      t->bytes_read += key.size() + value.size();
      uint64_t k;
      if (config_.verify && keys_.Parse(key, &k) && !values_.Verify(k, value)) {
        Fail(t, Status::Corruption("iterator at " + key.ToString() + " returned wrong bytes (" +
                                   std::to_string(value.size()) + " bytes)"));
        return;
      }
      if (n < config_.seek_nexts)
        it->Next();
      else
        break;
    }
    t->hist.Add(NowNanos() - start);
    t->ops++;
    if (!it->status().ok()) {
      Fail(t, Status::IOError("Seek " + t->key, it->status().ToString()));
      return;
    }
  }
}

void BenchmarkRunner::DeleteRandom(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  for (uint64_t i = t->begin; i < t->end && !stop_.load(std::memory_order_relaxed); i++) {
    const uint64_t k = t->rng() % num;
    keys_.Format(k, &t->key);
    const uint64_t start = NowNanos();
    Status s = engine_->Delete(t->key);
    t->hist.Add(NowNanos() - start);
    if (!s.ok()) {
      Fail(t, Status::IOError("Delete " + t->key, s.ToString()));
      return;
    }
    live_->OnDelete(k);
    t->ops++;
    t->writes++;
    t->bytes_written += t->key.size();
  }
}

void BenchmarkRunner::BackgroundWriter(ThreadState* t) {
  const auto num = static_cast<uint64_t>(config_.num);
  while (!readers_done_.load(std::memory_order_relaxed) && !stop_.load(std::memory_order_relaxed)) {
    if (!DoPut(t, t->rng() % num)) return;
  }
}

void BenchmarkRunner::RunThreads(const std::string& name, int index, Method method,
                                 uint64_t total_ops, bool with_writer,
                                 std::vector<std::unique_ptr<ThreadState>>* states) {
  const int n = config_.threads + (with_writer ? 1 : 0);
  for (int i = 0; i < n; i++) {
    auto t = std::make_unique<ThreadState>();
    t->id = i;
    // A seed per (run seed, benchmark position, thread): reruns repeat exactly.
    std::seed_seq seq{config_.seed, static_cast<uint64_t>(index), static_cast<uint64_t>(i),
                      static_cast<uint64_t>(name.size())};
    t->rng.seed(seq);
    if (i < config_.threads) {
      const auto threads = static_cast<uint64_t>(config_.threads);
      t->begin = total_ops * static_cast<uint64_t>(i) / threads;
      t->end = total_ops * static_cast<uint64_t>(i + 1) / threads;
    }
    states->push_back(std::move(t));
  }
  stop_ = false;
  readers_done_ = false;
  std::atomic<int> readers_left{config_.threads};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; i++) {
    ThreadState* t = (*states)[static_cast<size_t>(i)].get();
    if (i < config_.threads) {
      threads.emplace_back([this, t, method, &readers_left] {
        (this->*method)(t);
        if (readers_left.fetch_sub(1) == 1) readers_done_ = true;
      });
    } else {
      threads.emplace_back([this, t] { BackgroundWriter(t); });
    }
  }
  for (std::thread& th : threads) th.join();
}

Status BenchmarkRunner::RunBenchmark(const std::string& name, int index) {
  Result r;
  r.name = name;
  r.index = index;
  const uint64_t num = static_cast<uint64_t>(config_.num);
  const uint64_t reads = config_.reads < 0 ? num : static_cast<uint64_t>(config_.reads);

  Method method = nullptr;
  uint64_t ops = num;
  bool with_writer = false;
  if (name == "fillseq") {
    method = &BenchmarkRunner::FillSeq;
  } else if (name == "fillrandom" || name == "overwrite") {
    method = &BenchmarkRunner::FillRandom;
  } else if (name == "readrandom") {
    method = &BenchmarkRunner::ReadRandom;
    ops = reads;
  } else if (name == "readmissing") {
    method = &BenchmarkRunner::ReadMissing;
    ops = reads;
  } else if (name == "seekrandom") {
    method = &BenchmarkRunner::SeekRandom;
    ops = config_.seeks < 0 ? reads : static_cast<uint64_t>(config_.seeks);
  } else if (name == "readwhilewriting") {
    method = &BenchmarkRunner::ReadRandom;
    ops = reads;
    with_writer = true;
  } else if (name == "deleterandom") {
    method = &BenchmarkRunner::DeleteRandom;
  }

  r.before = ProcessStats::Sample(env_);
  const uint64_t start = NowNanos();
  // Space while the benchmark runs, not only after it: GC that lags shows
  // as a peak here.
  SpaceSampler sampler(env_, dir_, config_.space_sample_ms);
  if (method != nullptr) {
    std::vector<std::unique_ptr<ThreadState>> states;
    RunThreads(name, index, method, ops, with_writer, &states);
    for (size_t i = 0; i < states.size(); i++) {
      const ThreadState& t = *states[i];
      const bool reader = static_cast<int>(i) < config_.threads;
      if (reader) {
        r.ops += t.ops;
        r.found += t.found;
        r.hist.Merge(t.hist);
      }
      r.writes += t.writes;
      r.bytes_written += t.bytes_written;
      r.bytes_read += t.bytes_read;
      if (r.status.ok() && !t.status.ok()) r.status = t.status;
    }
  } else if (name == "compact") {
    r.status = engine_->CompactAll();
    r.ops = 1;
    r.hist.Add(NowNanos() - start);
  } else if (name == "idle") {
    // No foreground work: what the engine does by itself shows in the
    // samples and the size at the end.
    std::this_thread::sleep_for(std::chrono::seconds(config_.idle_seconds));
    r.ops = 1;
  } else {  // gc
    r.has_gc = true;
    r.status = engine_->RunGc(&r.gc);
    r.ops = 1;
    r.hist.Add(NowNanos() - start);
  }
  const uint64_t timed_end = NowNanos();
  r.seconds = static_cast<double>(timed_end - start) / 1e9;
  if (r.status.ok() && config_.wait) {
    r.status = engine_->WaitForBackgroundWork();
    r.wait_seconds = static_cast<double>(NowNanos() - timed_end) / 1e9;
  }
  r.after = ProcessStats::Sample(env_);
  Status ds = DirBytes(env_, dir_, &r.disk_bytes);
  if (r.status.ok() && !ds.ok()) r.status = ds;
  r.max_disk_bytes = std::max(sampler.Stop(), r.disk_bytes);
  r.live_bytes = live_->live_bytes();
  r.live_keys = live_->live_keys();
  Status js = Report(r);
  return r.status.ok() ? js : r.status;
}

Status BenchmarkRunner::Report(const Result& r) {
  const double secs = r.seconds > 0 ? r.seconds : 1e-9;
  const uint64_t user_bytes =
      r.name == "readwhilewriting" ? r.bytes_read : r.bytes_written + r.bytes_read;
  const double ops_per_sec = static_cast<double>(r.ops) / secs;
  const double mb_per_sec = Mib(user_bytes) / secs;
  const double micros_per_op = r.ops == 0 ? 0 : secs * 1e6 / static_cast<double>(r.ops);
  const bool has_io = r.before.has_io && r.after.has_io;
  const uint64_t written = r.after.write_bytes - r.before.write_bytes;
  const uint64_t cancelled = r.after.cancelled_write_bytes - r.before.cancelled_write_bytes;
  // write_bytes counts pages as they are dirtied, so it includes bytes that are
  // deleted before writeback (a WAL dropped after its flush); those are
  // reported apart (device_cancelled_write_bytes), not taken off, so the
  // number does not depend on when the kernel writes back.
  const uint64_t device = written;
  const double write_amp = has_io && r.bytes_written > 0 ? Ratio(device, r.bytes_written) : NAN;
  const double space_amp = Ratio(r.disk_bytes, r.live_bytes);
  const double cpu = (r.after.cpu_user_seconds - r.before.cpu_user_seconds) +
                     (r.after.cpu_system_seconds - r.before.cpu_system_seconds);

  const bool one_shot = r.has_gc || r.name == "compact";
  if (one_shot) {
    std::printf("%-16s : %11.3f s", r.name.c_str(), r.seconds);
  } else {
    std::printf("%-16s : %11.3f micros/op %9.0f ops/sec %9.1f MB/s; %llu ops in %.3f s",
                r.name.c_str(), micros_per_op, ops_per_sec, mb_per_sec,
                static_cast<unsigned long long>(r.ops), r.seconds);
  }
  const bool is_read = r.name.rfind("read", 0) == 0 || r.name == "seekrandom";
  if (is_read && r.name != "readmissing") {
    std::printf(" (%llu of %llu found)", static_cast<unsigned long long>(r.found),
                static_cast<unsigned long long>(r.ops));
  }
  if (r.name == "readwhilewriting") {
    std::printf(", writer %llu puts", static_cast<unsigned long long>(r.writes));
  }
  std::printf("\n");
  if (!one_shot) {
    std::printf("%-16s   latency us: avg %.1f p50 %.1f p99 %.1f p99.9 %.1f max %.1f\n", "",
                r.hist.Average() / 1e3, r.hist.Percentile(0.5) / 1e3, r.hist.Percentile(0.99) / 1e3,
                r.hist.Percentile(0.999) / 1e3, static_cast<double>(r.hist.max()) / 1e3);
  }
  std::printf("%-16s   device %.1f MB written", "", Mib(device));
  if (!std::isnan(write_amp)) std::printf(" (write-amp %.2f)", write_amp);
  std::printf(", disk %.1f MB for %.1f MB live (space-amp %.2f; peak %.1f MB), cpu %.2f s",
              Mib(r.disk_bytes), Mib(r.live_bytes), space_amp, Mib(r.max_disk_bytes), cpu);
  if (r.wait_seconds > 0.0005) std::printf(", waited %.2f s for background work", r.wait_seconds);
  std::printf("\n");
  if (!has_io) std::printf("%-16s   (no /proc/self/io: device bytes unknown)\n", "");
  if (r.has_gc) {
    std::printf("%-16s   gc: %s\n", "", r.gc.description.c_str());
    if (!r.gc.report_text.empty()) std::printf("%s", r.gc.report_text.c_str());
  }
  if (!r.status.ok()) std::printf("%-16s   ERROR: %s\n", "", r.status.ToString().c_str());
  std::fflush(stdout);

  if (!json_) return Status::OK();
  JsonWriter latency;
  latency.Add("avg", r.hist.Average() / 1e3)
      .Add("p50", r.hist.Percentile(0.5) / 1e3)
      .Add("p99", r.hist.Percentile(0.99) / 1e3)
      .Add("p999", r.hist.Percentile(0.999) / 1e3)
      .Add("max", static_cast<double>(r.hist.max()) / 1e3);
  JsonWriter settings;
  for (const auto& [name, value] : engine_->Settings()) settings.Add(name, value);
  JsonWriter j;
  j.Add("benchmark", r.name)
      .Add("index", r.index)
      .Add("engine", engine_->Name())
      .Add("ok", r.status.ok())
      .Add("ops", r.ops)
      .Add("found", r.found)
      .Add("threads", config_.threads)
      .Add("seconds", r.seconds)
      .Add("wait_seconds", r.wait_seconds)
      .Add("ops_per_sec", ops_per_sec)
      .Add("micros_per_op", micros_per_op)
      .Add("mb_per_sec", mb_per_sec)
      .Add("user_bytes", user_bytes)
      .Add("user_bytes_written", r.bytes_written)
      .Add("user_bytes_read", r.bytes_read)
      .Add("writes", r.writes)
      .AddRaw("latency_us", latency.ToString());
  if (has_io) {
    j.Add("device_write_bytes", device)
        .Add("device_cancelled_write_bytes", cancelled)
        .Add("device_read_bytes", r.after.read_bytes - r.before.read_bytes)
        .Add("write_syscall_bytes", r.after.wchar - r.before.wchar)
        .Add("write_amp", write_amp);
  } else {
    j.AddNull("device_write_bytes").AddNull("write_amp");
  }
  j.Add("disk_bytes", r.disk_bytes)
      .Add("max_disk_bytes", r.max_disk_bytes)
      .Add("live_user_bytes", r.live_bytes)
      .Add("live_keys", r.live_keys)
      .Add("space_amp", space_amp)
      .Add("cpu_seconds", cpu)
      .Add("num", static_cast<int64_t>(config_.num))
      .Add("key_size", config_.key_size)
      .Add("value_size_dist", sizes_.ToString())
      .Add("compression_ratio", config_.compression_ratio)
      .Add("seed", config_.seed)
      .AddRaw("settings", settings.ToString());
  if (r.has_gc) {
    JsonWriter gc;
    // One JSON line per benchmark: a pretty-printed report is folded onto it.
    std::string report = r.gc.report_json;
    for (char& c : report) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    gc.Add("description", r.gc.description).AddRaw("report", report);
    j.AddRaw("gc", gc.ToString());
  }
  if (!r.status.ok()) j.Add("error", r.status.ToString());
  std::string line = j.ToString() + "\n";
  Status s = json_->Append(line);
  if (s.ok()) s = json_->Flush();
  if (!s.ok()) return Status::IOError("--json " + config_.json, s.ToString());
  return Status::OK();
}

}  // namespace lode::bench
