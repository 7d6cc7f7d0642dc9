// Concurrent readers and writers. Values name their key and version, so a
// reader can tell a torn or misrouted value from a stale one.
#include <atomic>
#include <thread>

#include "tests/integration/db_test_util.h"

namespace lode::test {
namespace {

std::string MakeValue(int key, int version, size_t size) {
  std::string v = std::to_string(key) + "." + std::to_string(version) + ".";
  v.resize(std::max(size, v.size()), static_cast<char>('a' + (key + version) % 26));
  return v;
}

TEST_F(DBTest, ConcurrentReadersAndWritersSeeConsistentValues) {
  Open();
  constexpr int kKeys = 200;
  constexpr int kWriters = 3;
  constexpr int kWritesPerThread = 1500;
  std::atomic<int> max_version[kKeys];
  for (auto& m : max_version) m.store(-1);
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; t++) {
    threads.emplace_back([&, t] {
      Random rnd(100 + t);
      for (int i = 0; i < kWritesPerThread; i++) {
        int key = static_cast<int>(rnd.Uniform(kKeys));
        // Versions per key grow because each writer owns key % kWriters == t.
        key = key - key % kWriters + t;
        if (key >= kKeys) key = t;
        int version = i;
        size_t size = rnd.OneIn(4) ? 1500 + rnd.Uniform(3000) : 20;
        if (!db_->Put(WriteOptions(), NumberedKey(key), MakeValue(key, version, size)).ok()) {
          errors++;
        }
        max_version[key].store(version);
      }
    });
  }
  for (int t = 0; t < 2; t++) {
    threads.emplace_back([&, t] {
      Random rnd(200 + t);
      while (!done.load()) {
        int key = static_cast<int>(rnd.Uniform(kKeys));
        int floor = max_version[key].load();
        std::string v;
        Status s = db_->Get(ReadOptions(), NumberedKey(key), &v);
        if (s.IsNotFound()) {
          if (floor >= 0) errors++;
          continue;
        }
        if (!s.ok()) {
          errors++;
          continue;
        }
        int k = -1, ver = -1;
        if (sscanf(v.c_str(), "%d.%d.", &k, &ver) != 2 || k != key || ver < floor) errors++;
        if (v != MakeValue(k, ver, v.size())) errors++;
      }
    });
  }
  threads.emplace_back([&] {
    while (!done.load()) {
      auto it = db_->NewIterator(ReadOptions());
      std::string prev;
      int n = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next(), n++) {
        std::string k = it->key().ToString();
        if (n > 0 && k <= prev) errors++;
        prev = k;
        int key = -1, ver = -1;
        std::string v = it->value().ToString();
        if (sscanf(v.c_str(), "%d.%d.", &key, &ver) != 2 || NumberedKey(key) != k) errors++;
      }
      if (!it->status().ok()) errors++;
    }
  });
  for (int t = 0; t < kWriters; t++) threads[t].join();
  done.store(true);
  for (size_t t = kWriters; t < threads.size(); t++) threads[t].join();
  EXPECT_EQ(0, errors.load());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  for (int key = 0; key < kKeys; key++) {
    if (max_version[key].load() < 0) continue;
    std::string v = Get(NumberedKey(key));
    int k = -1, ver = -1;
    ASSERT_EQ(2, sscanf(v.c_str(), "%d.%d.", &k, &ver));
    EXPECT_EQ(max_version[key].load(), ver);
  }
}

}  // namespace
}  // namespace lode::test
