// BenchmarkRunner end to end on an in-memory engine, including engines that
// misbehave: the driver must notice wrong bytes, found missing keys and errors.
#include "bench/benchmark_runner.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <shared_mutex>

#include "tests/util/test_util.h"

namespace lode::bench {

namespace {

// A std::map behind a lock; faults are switched on per test.
class MapEngine : public BenchEngine {
 public:
  struct Faults {
    bool corrupt_gets = false;     // flip a byte of every value Get returns
    bool find_everything = false;  // Get of an absent key returns "x"
    int fail_after_puts = -1;      // Put returns IOError after this many
  };

  MapEngine(std::map<std::string, std::string>* data, Faults faults)
      : data_(data), faults_(faults) {}

  std::string Name() const override { return "map"; }
  std::vector<std::pair<std::string, std::string>> Settings() const override {
    return {{"kind", "in-memory"}};
  }
  Status Put(const Slice& key, const Slice& value) override {
    std::unique_lock lock(mu_);
    if (faults_.fail_after_puts >= 0 && puts_ >= faults_.fail_after_puts) {
      return Status::IOError("injected");
    }
    puts_++;
    (*data_)[key.ToString()] = value.ToString();
    return Status::OK();
  }
  Status Get(const Slice& key, std::string* value) override {
    std::shared_lock lock(mu_);
    auto it = data_->find(key.ToString());
    if (it == data_->end()) {
      if (!faults_.find_everything) return Status::NotFound(key);
      *value = "x";
      return Status::OK();
    }
    *value = it->second;
    if (faults_.corrupt_gets && !value->empty()) (*value)[value->size() / 2] ^= 0x20;
    return Status::OK();
  }
  Status Delete(const Slice& key) override {
    std::unique_lock lock(mu_);
    data_->erase(key.ToString());
    return Status::OK();
  }

  // Iterates over a copy taken at creation.
  class Iter : public BenchIterator {
   public:
    explicit Iter(std::map<std::string, std::string> copy) : copy_(std::move(copy)) {
      it_ = copy_.end();
    }
    void Seek(const Slice& target) override { it_ = copy_.lower_bound(target.ToString()); }
    void SeekToFirst() override { it_ = copy_.begin(); }
    bool Valid() const override { return it_ != copy_.end(); }
    void Next() override { ++it_; }
    Slice key() const override { return it_->first; }
    Slice value() const override { return it_->second; }
    Status status() const override { return Status::OK(); }

   private:
    std::map<std::string, std::string> copy_;
    std::map<std::string, std::string>::const_iterator it_;
  };
  std::unique_ptr<BenchIterator> NewIterator() override {
    std::shared_lock lock(mu_);
    return std::make_unique<Iter>(*data_);
  }
  Status WaitForBackgroundWork() override { return Status::OK(); }
  Status CompactAll() override { return Status::OK(); }
  Status RunGc(GcResult* result) override {
    result->description = "nothing";
    result->report_json = "{\n\"files\": 0\n}";  // pretty-printed on purpose
    return Status::OK();
  }
  std::string Stats() override { return ""; }

 private:
  std::shared_mutex mu_;
  std::map<std::string, std::string>* data_;
  Faults faults_;
  int puts_ = 0;
};

BenchConfig SmallConfig(const test::TempDir& dir) {
  BenchConfig c;
  c.db = dir.path();
  c.json = dir.File("out.json");
  c.num = 300;
  c.value_size_dist = "mix:10@1,100@1,3000@1";
  c.seek_nexts = 5;
  c.threads = 2;
  return c;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

TEST(BenchmarkRunnerTest, RunsEveryBenchmarkAndWritesOneJsonLineEach) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks =
      "fillseq,fillrandom,overwrite,readrandom,readmissing,seekrandom,readwhilewriting,"
      "deleterandom,readrandom,compact,gc";
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, MapEngine::Faults{}));
  Status s = runner.Run();
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> lines = Lines(test::ReadAll(c.json));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(
      lines[0].rfind("{\"benchmark\":\"fillseq\",\"index\":0,\"engine\":\"map\",\"ok\":true", 0),
      0u)
      << lines[0];
  EXPECT_NE(lines[0].find("\"ops\":300,"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"live_keys\":300,"), std::string::npos) << lines[0];
  // readrandom after fillseq finds every key.
  EXPECT_NE(lines[3].find("\"found\":300,"), std::string::npos) << lines[3];
  // The gc report is folded onto the line.
  EXPECT_NE(lines[10].find("\"report\":{ \"files\": 0 }"), std::string::npos) << lines[10];
  for (const std::string& line : lines) {
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
  }
  // The driver's own count of live keys matches what the engine holds.
  EXPECT_NE(lines[7].find("\"live_keys\":" + std::to_string(data.size()) + ","), std::string::npos)
      << lines[7];
}

TEST(BenchmarkRunnerTest, FillseqWritesEveryKeyOnceWithItsOwnValue) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillseq";
  c.threads = 3;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, MapEngine::Faults{}));
  ASSERT_TRUE(runner.Run().ok());
  ASSERT_EQ(data.size(), 300u);
  KeyFormat keys(c.key_size);
  ValueGenerator values(c.compression_ratio);
  uint64_t expected = 0;
  for (const auto& [key, value] : data) {
    uint64_t n;
    ASSERT_TRUE(keys.Parse(key, &n));
    EXPECT_EQ(n, expected++);
    EXPECT_TRUE(values.Verify(n, value));
  }
}

TEST(BenchmarkRunnerTest, WrongBytesFromGetFailTheRun) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillseq,readrandom";
  MapEngine::Faults faults;
  faults.corrupt_gets = true;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, faults));
  Status s = runner.Run();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  std::vector<std::string> lines = Lines(test::ReadAll(c.json));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("\"ok\":false"), std::string::npos);
  EXPECT_NE(lines[1].find("\"error\":"), std::string::npos);
}

TEST(BenchmarkRunnerTest, WrongBytesAreIgnoredWithoutVerify) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillseq,readrandom";
  c.verify = false;
  MapEngine::Faults faults;
  faults.corrupt_gets = true;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, faults));
  EXPECT_TRUE(runner.Run().ok());
}

TEST(BenchmarkRunnerTest, FindingAMissingKeyFailsTheRun) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillseq,readmissing";
  MapEngine::Faults faults;
  faults.find_everything = true;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, faults));
  EXPECT_TRUE(runner.Run().IsCorruption());
}

TEST(BenchmarkRunnerTest, EngineErrorStopsTheRunAndSkipsLaterBenchmarks) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillrandom,readrandom";
  MapEngine::Faults faults;
  faults.fail_after_puts = 50;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, faults));
  Status s = runner.Run();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("injected"), std::string::npos) << s.ToString();
  EXPECT_EQ(Lines(test::ReadAll(c.json)).size(), 1u);
}

TEST(BenchmarkRunnerTest, BadConfigIsRejectedBeforeAnythingRuns) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  for (auto change : std::vector<void (*)(BenchConfig*)>{
           [](BenchConfig* c) { c->benchmarks = "fillseq,nosuch"; },
           [](BenchConfig* c) { c->key_size = 2; }, [](BenchConfig* c) { c->threads = 0; },
           [](BenchConfig* c) { c->value_size_dist = "uniform:9"; },
           [](BenchConfig* c) { c->compression_ratio = 1.5; }}) {
    BenchConfig c = SmallConfig(dir);
    c.benchmarks = "fillseq";
    change(&c);
    BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, MapEngine::Faults{}));
    EXPECT_TRUE(runner.Run().IsInvalidArgument());
    EXPECT_TRUE(data.empty());
  }
}

TEST(BenchmarkRunnerTest, ExistingDbIsScannedForLiveBytes) {
  test::TempDir dir;
  std::map<std::string, std::string> data;
  BenchConfig c = SmallConfig(dir);
  c.benchmarks = "fillseq";
  c.threads = 1;
  {
    BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, MapEngine::Faults{}));
    ASSERT_TRUE(runner.Run().ok());
  }
  uint64_t live_bytes = 0;
  for (const auto& [k, v] : data) live_bytes += k.size() + v.size();
  c.benchmarks = "readrandom";
  c.use_existing_db = true;
  BenchmarkRunner runner(c, std::make_unique<MapEngine>(&data, MapEngine::Faults{}));
  ASSERT_TRUE(runner.Run().ok());
  const std::string line = test::ReadAll(c.json);
  EXPECT_NE(line.find("\"live_user_bytes\":" + std::to_string(live_bytes) + ","), std::string::npos)
      << line;
}

}  // namespace lode::bench
