// lode_stress: crash test with real processes and GC active all the time.
//
// Each cycle forks a child that opens the DB and runs a seeded random
// workload (puts of sizes around min_blob_size, deletes, batches, flushes,
// compactions, RunBlobGc) with small blob files and low GC thresholds. The
// child records every operation in an expected-state file shared through
// mmap: before a write it marks the new state of each key as pending, after
// the write is acknowledged it commits it (as RocksDB's db_stress does), so a
// write in flight at the kill may read back as either the old or the new
// state. The parent SIGKILLs the child at a random moment, reopens the DB,
// checks every key against the expected state, checks that the open left no
// file the manifest does not reference, and runs VerifyDB (checksums and the
// blob garbage invariant).
//
//   lode_stress [--db DIR] [--cycles N] [--duration SECONDS] [--seed S]
//               [--keys K] [--max-kill-ms MS]
//
// Stops after N cycles or when the duration is up, whichever comes first.
// Exit status 0 only if every cycle verified clean.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "lib/util/random.h"
#include "lode/db.h"
#include "tests/util/db_files.h"
#include "tests/util/fault_injection_env.h"
#include "tests/util/test_util.h"
#include "tests/util/torture_options.h"

namespace lode::test {
namespace {

// Per key in the expected-state file. A state is version * 2 + deleted;
// 0 means never written. Written by the child, read by the parent after the
// child is dead.
struct KeyState {
  uint64_t committed;
  uint64_t pending;  // 0: no write in flight
};

struct Header {
  uint64_t next_version;
  uint64_t acked_ops;
  uint64_t gc_runs;
};

struct Config {
  std::string db;
  uint64_t cycles = 10;
  uint64_t duration_s = 0;
  uint64_t seed = 1;
  uint32_t keys = 400;
  uint32_t max_kill_ms = 400;
};

// GC more eager than the shared defaults: GC runs in every cycle.
Options StressOptions() {
  Options o = GcHeavyOptions(nullptr);
  o.blob_gc_age_cutoff = 0.6;
  o.blob_gc_garbage_threshold = 0.15;
  o.blob_gc_force_threshold = 0.3;
  return o;
}

std::string Key(uint32_t k) { return NumberedKey(k, 8); }

// Deterministic from (key, version); sizes straddle min_blob_size.
std::string ValueFor(uint32_t key, uint64_t version) {
  std::string v = std::to_string(key) + "|" + std::to_string(version) + "|";
  const uint64_t h = (key * 0x9E3779B97F4A7C15ull) ^ (version * 0xC2B2AE3D27D4EB4Full);
  const size_t size = (h >> 7) % 3 == 0 ? 10 + (h >> 11) % 300 : 700 + (h >> 11) % 1400;
  v.resize(std::max(v.size(), size), static_cast<char>('a' + version % 26));
  return v;
}

[[noreturn]] void RunChild(const Config& cfg, Header* hdr, KeyState* ks, uint64_t seed) {
  // A SIGKILL loses no data the kernel has (only a power loss does), so the
  // child skips the real fsyncs: many more operations per cycle.
  static FaultInjectionEnv env;
  env.SetSkipRealSync(true);
  Options o = StressOptions();
  o.env = &env;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, cfg.db, &db);
  if (!s.ok()) {
    std::fprintf(stderr, "child: open: %s\n", s.ToString().c_str());
    _exit(2);
  }
  Random rnd(seed);
  for (;;) {
    const uint32_t choice = static_cast<uint32_t>(rnd.Uniform(1000));
    if (choice < 900) {
      const int n = choice < 750 ? 1 : 2 + static_cast<int>(rnd.Uniform(4));
      WriteBatch batch;
      std::vector<uint32_t> touched;
      for (int j = 0; j < n; j++) {
        const uint32_t k = static_cast<uint32_t>(rnd.Uniform(cfg.keys));
        bool dup = false;
        for (uint32_t t : touched) dup |= t == k;
        if (dup) continue;
        touched.push_back(k);
        const uint64_t version = hdr->next_version++;
        const bool del = rnd.OneIn(8);
        // Mark before the write: the kill may land any time from here on.
        ks[k].pending = version * 2 + (del ? 1 : 0);
        if (del) {
          batch.Delete(Key(k));
        } else {
          batch.Put(Key(k), ValueFor(k, version));
        }
      }
      WriteOptions wo;
      wo.sync = rnd.OneIn(20);
      s = db->Write(wo, &batch);
      if (!s.ok()) {
        std::fprintf(stderr, "child: write: %s\n", s.ToString().c_str());
        _exit(3);
      }
      for (uint32_t k : touched) {
        ks[k].committed = ks[k].pending;
        ks[k].pending = 0;
      }
      hdr->acked_ops++;
    } else if (choice < 930) {
      BlobGcOptions g;
      g.age_cutoff = 1.0;
      g.garbage_threshold = 0.1;
      s = db->RunBlobGc(g);
      hdr->gc_runs++;
    } else if (choice < 945) {
      s = db->Flush();
    } else if (choice < 948) {
      s = db->CompactRange(nullptr, nullptr);
    } else {
      const uint32_t k = static_cast<uint32_t>(rnd.Uniform(cfg.keys));
      std::string v;
      s = db->Get(ReadOptions(), Key(k), &v);
      if (s.IsNotFound()) s = Status::OK();
    }
    if (!s.ok()) {
      std::fprintf(stderr, "child: %s\n", s.ToString().c_str());
      _exit(4);
    }
  }
}

// Checks every key; settles in-flight writes to what was found. Returns the
// number of problems printed.
uint64_t VerifyKeys(DB* db, const Config& cfg, KeyState* ks, uint64_t* keys_checked) {
  uint64_t problems = 0;
  for (uint32_t k = 0; k < cfg.keys; k++) {
    std::string v;
    Status s = db->Get(ReadOptions(), Key(k), &v);
    if (!s.ok() && !s.IsNotFound()) {
      std::fprintf(stderr, "key %u: %s\n", k, s.ToString().c_str());
      problems++;
      continue;
    }
    auto matches = [&](uint64_t state) {
      if (state == 0 || (state & 1)) return s.IsNotFound();
      return s.ok() && v == ValueFor(k, state / 2);
    };
    if (matches(ks[k].committed)) {
      ks[k].pending = 0;
    } else if (ks[k].pending != 0 && matches(ks[k].pending)) {
      ks[k].committed = ks[k].pending;
      ks[k].pending = 0;
    } else {
      std::fprintf(stderr, "key %u: expected state %llu (pending %llu), found %s\n", k,
                   static_cast<unsigned long long>(ks[k].committed),
                   static_cast<unsigned long long>(ks[k].pending),
                   s.IsNotFound() ? "nothing" : v.substr(0, 24).c_str());
      problems++;
    }
    (*keys_checked)++;
  }
  return problems;
}

bool ParseArgs(int argc, char** argv, Config* cfg) {
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (a == "--db") {
      cfg->db = v;
    } else if (a == "--cycles") {
      cfg->cycles = std::strtoull(v, nullptr, 10);
    } else if (a == "--duration") {
      cfg->duration_s = std::strtoull(v, nullptr, 10);
    } else if (a == "--seed") {
      cfg->seed = std::strtoull(v, nullptr, 10);
    } else if (a == "--keys") {
      cfg->keys = static_cast<uint32_t>(std::strtoul(v, nullptr, 10));
    } else if (a == "--max-kill-ms") {
      cfg->max_kill_ms = static_cast<uint32_t>(std::strtoul(v, nullptr, 10));
    } else {
      return false;
    }
  }
  return cfg->keys > 0 && cfg->max_kill_ms > 0;
}

int Main(int argc, char** argv) {
  Config cfg;
  if (!ParseArgs(argc, argv, &cfg)) {
    std::fprintf(stderr,
                 "usage: lode_stress [--db DIR] [--cycles N] [--duration SECONDS] [--seed S]"
                 " [--keys K] [--max-kill-ms MS]\n");
    return 2;
  }
  std::unique_ptr<TempDir> tmp;
  if (cfg.db.empty()) {
    tmp = std::make_unique<TempDir>();
    cfg.db = tmp->path() + "/db";
  }
  Env* env = Env::Default();
  (void)DestroyDB(cfg.db, StressOptions());
  if (!env->CreateDir(cfg.db).ok()) {
    std::fprintf(stderr, "cannot create %s\n", cfg.db.c_str());
    return 2;
  }
  // The expected state lives next to the DB, outside its directory.
  const std::string state_path = cfg.db + ".expected";
  const size_t state_size = sizeof(Header) + sizeof(KeyState) * cfg.keys;
  int fd = open(state_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ftruncate(fd, static_cast<off_t>(state_size)) != 0) {
    std::fprintf(stderr, "cannot create %s\n", state_path.c_str());
    return 2;
  }
  void* mem = mmap(nullptr, state_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mem == MAP_FAILED) return 2;
  std::memset(mem, 0, state_size);
  auto* hdr = static_cast<Header*>(mem);
  auto* ks = reinterpret_cast<KeyState*>(static_cast<char*>(mem) + sizeof(Header));
  hdr->next_version = 1;

  Random rnd(cfg.seed);
  const auto start = std::chrono::steady_clock::now();
  uint64_t cycles = 0, keys_checked = 0, lost = 0, orphans = 0, verify_failures = 0;
  uint64_t blob_files = 0, child_failures = 0;
  for (; cycles < cfg.cycles; cycles++) {
    if (cfg.duration_s > 0 &&
        std::chrono::steady_clock::now() - start >= std::chrono::seconds(cfg.duration_s)) {
      break;
    }
    const uint64_t child_seed = rnd.Next64();
    const uint32_t kill_ms = 1 + static_cast<uint32_t>(rnd.Uniform(cfg.max_kill_ms));
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) RunChild(cfg, hdr, ks, child_seed);
    // The kill lands at a random moment of the workload: this is the point
    // of the test, not a synchronisation.
    struct timespec ts = {static_cast<time_t>(kill_ms / 1000),
                          static_cast<long>(kill_ms % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status)) {
      std::fprintf(stderr, "cycle %llu: child exited with %d\n",
                   static_cast<unsigned long long>(cycles), WEXITSTATUS(status));
      child_failures++;
      break;
    }

    std::unique_ptr<DB> db;
    Status s = DB::Open(QuietOptions(StressOptions()), cfg.db, &db);
    if (!s.ok()) {
      std::fprintf(stderr, "cycle %llu: reopen: %s\n", static_cast<unsigned long long>(cycles),
                   s.ToString().c_str());
      verify_failures++;
      break;
    }
    lost += VerifyKeys(db.get(), cfg, ks, &keys_checked);
    db.reset();
    std::vector<std::string> unreferenced;
    s = FindUnreferencedFiles(env, cfg.db, &unreferenced);
    if (!s.ok()) {
      std::fprintf(stderr, "cycle %llu: listing: %s\n", static_cast<unsigned long long>(cycles),
                   s.ToString().c_str());
      verify_failures++;
    }
    for (const auto& f : unreferenced) {
      std::fprintf(stderr, "cycle %llu: unreferenced file %s\n",
                   static_cast<unsigned long long>(cycles), f.c_str());
    }
    orphans += unreferenced.size();
    VerifyReport report;
    s = VerifyDB(cfg.db, QuietOptions(StressOptions()), &report);
    if (!s.ok()) {
      std::fprintf(stderr, "cycle %llu: VerifyDB: %s\n", static_cast<unsigned long long>(cycles),
                   s.ToString().c_str());
      verify_failures++;
    }
    blob_files += report.blob_files_checked;
    if (lost + orphans + verify_failures > 0) {
      cycles++;
      break;
    }
    if ((cycles + 1) % 100 == 0) {
      std::fprintf(stderr, "lode_stress: %llu cycles, %llu acked ops, all verified\n",
                   static_cast<unsigned long long>(cycles + 1),
                   static_cast<unsigned long long>(hdr->acked_ops));
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "lode_stress: seed %llu, %llu cycles in %.1f s, %llu acked ops, %llu RunBlobGc calls, "
      "%llu keys verified, %llu blob files verified; lost or wrong keys %llu, unreferenced "
      "files %llu, VerifyDB/open failures %llu, child failures %llu\n",
      static_cast<unsigned long long>(cfg.seed), static_cast<unsigned long long>(cycles), secs,
      static_cast<unsigned long long>(hdr->acked_ops),
      static_cast<unsigned long long>(hdr->gc_runs), static_cast<unsigned long long>(keys_checked),
      static_cast<unsigned long long>(blob_files), static_cast<unsigned long long>(lost),
      static_cast<unsigned long long>(orphans), static_cast<unsigned long long>(verify_failures),
      static_cast<unsigned long long>(child_failures));
  munmap(mem, state_size);
  close(fd);
  unlink(state_path.c_str());
  const bool ok = lost + orphans + verify_failures + child_failures == 0;
  if (ok && tmp != nullptr) (void)DestroyDB(cfg.db, StressOptions());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace lode::test

int main(int argc, char** argv) { return lode::test::Main(argc, argv); }
