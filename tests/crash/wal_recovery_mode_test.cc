// WAL recovery modes over damaged logs: three crafted WALs (one WriteBatch
// per record, sequences continuing across logs) are truncated or bit-flipped
// in one or several logs, and DB::Open with each WalRecoveryMode must do
// what options.h promises, never returning a wrong value.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lib/filename.h"
#include "lib/log_writer.h"
#include "lib/write_batch_internal.h"
#include "lode/db.h"
#include "tests/util/test_util.h"

namespace lode::test {
namespace {

namespace fs = std::filesystem;

constexpr int kLogs = 3;
constexpr int kPerLog = 12;

std::string WalValue(int g) {
  Random rnd(900 + g);
  // Every fourth value is large, so each log spans more than one block.
  return NumberedKey(g) + ":" + RandomBytes(&rnd, g % 4 == 0 ? 9000 : 50 + rnd.Uniform(300));
}

struct Rec {
  int log;              // index into logs
  uint64_t begin, end;  // byte range in its log
};

class WalRecoveryModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options o;
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(o, dir_.path(), &db).ok());
    db.reset();
    uint64_t first = 0;
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      uint64_t n;
      FileType t;
      if (ParseFileName(e.path().filename().string(), &n, &t) && t == FileType::kLogFile) {
        first = std::max(first, n);
      }
    }
    ASSERT_GT(first, 0u);
    Env* env = Env::Default();
    int g = 0;
    for (int l = 0; l < kLogs; l++) {
      const std::string name = LogFileName(dir_.path(), first + l);
      names_.push_back(fs::path(name).filename().string());
      std::unique_ptr<WritableFile> f;
      ASSERT_TRUE(env->NewWritableFile(name, &f).ok());
      log::Writer w(f.get());
      uint64_t pos = 0;
      for (int i = 0; i < kPerLog; i++, g++) {
        WriteBatch b;
        b.Put(NumberedKey(g), WalValue(g));
        WriteBatchInternal::SetSequence(&b, g + 1);
        ASSERT_TRUE(w.AddRecord(WriteBatchInternal::Contents(&b)).ok());
        ASSERT_TRUE(f->Flush().ok());
        uint64_t size = 0;
        ASSERT_TRUE(env->GetFileSize(name, &size).ok());
        recs_.push_back({l, pos, size});
        pos = size;
      }
      ASSERT_TRUE(f->Close().ok());
    }
  }

  struct Damage {
    int log;
    bool truncate;
    uint64_t offset;  // flip offset or new length
  };

  // Records the damages destroy.
  std::set<int> Damaged(const std::vector<Damage>& ds) const {
    std::set<int> r;
    for (const Damage& d : ds) {
      for (int g = 0; g < static_cast<int>(recs_.size()); g++) {
        const Rec& rec = recs_[g];
        if (rec.log != d.log) continue;
        if (d.truncate ? rec.end > d.offset : (rec.begin <= d.offset && d.offset < rec.end)) {
          r.insert(g);
        }
      }
    }
    return r;
  }

  // Opens a damaged copy in mode; *visible gets the readable records.
  Status Run(const std::vector<Damage>& ds, WalRecoveryMode mode, std::set<int>* visible) {
    TempDir copy;
    fs::copy(dir_.path(), copy.path(),
             fs::copy_options::overwrite_existing | fs::copy_options::recursive);
    for (const Damage& d : ds) {
      const std::string p = copy.File(names_[d.log]);
      std::string data = ReadAll(p);
      if (d.truncate) {
        data.resize(d.offset);
      } else {
        data[d.offset] = static_cast<char>(data[d.offset] ^ 0x5a);
      }
      WriteAll(p, data);
    }
    Options o;
    o.wal_recovery_mode = mode;
    std::unique_ptr<DB> db;
    Status s = DB::Open(o, copy.path(), &db);
    if (!s.ok()) return s;
    for (int g = 0; g < static_cast<int>(recs_.size()); g++) {
      std::string v;
      Status gs = db->Get(ReadOptions(), NumberedKey(g), &v);
      if (gs.ok()) {
        EXPECT_EQ(WalValue(g), v) << "wrong value for record " << g;
        visible->insert(g);
      } else {
        EXPECT_TRUE(gs.IsNotFound()) << gs.ToString();
      }
    }
    return s;
  }

  static std::set<int> Range(int from, int to) {
    std::set<int> r;
    for (int i = from; i < to; i++) r.insert(i);
    return r;
  }

  // torn_tail: the damage is a log cut short, what a crash leaves (in any
  // log: the log before a memtable switch is synced after it).
  void CheckAllModes(const std::vector<Damage>& ds, bool torn_tail, const std::string& what) {
    const std::set<int> damaged = Damaged(ds);
    ASSERT_FALSE(damaged.empty()) << what;
    const int first = *damaged.begin();
    const std::string damaged_name = names_[ds.front().log];
    std::set<int> v;

    Status s = Run(ds, WalRecoveryMode::kAbsoluteConsistency, &v);
    EXPECT_TRUE(s.IsCorruption()) << what << " absolute: " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(".log")) << what << ": " << s.ToString();

    v.clear();
    s = Run(ds, WalRecoveryMode::kTolerateCorruptedTailRecords, &v);
    if (torn_tail) {
      EXPECT_TRUE(s.ok()) << what << " tolerate: " << s.ToString();
      EXPECT_EQ(Range(0, first), v) << what << " tolerate";
    } else {
      EXPECT_TRUE(s.IsCorruption()) << what << " tolerate: " << s.ToString();
      EXPECT_NE(std::string::npos, s.ToString().find(damaged_name)) << what << ": " << s.ToString();
    }

    v.clear();
    s = Run(ds, WalRecoveryMode::kPointInTimeRecovery, &v);
    EXPECT_TRUE(s.ok()) << what << " point-in-time: " << s.ToString();
    EXPECT_EQ(Range(0, first), v) << what << " point-in-time: not the prefix before the damage";

    v.clear();
    s = Run(ds, WalRecoveryMode::kSkipAnyCorruptedRecords, &v);
    EXPECT_TRUE(s.ok()) << what << " skip: " << s.ToString();
    for (int g = 0; g < static_cast<int>(recs_.size()); g++) {
      if (g < first) {
        EXPECT_TRUE(v.count(g)) << what << " skip lost record " << g << " before the damage";
      }
      if (damaged.count(g)) {
        EXPECT_FALSE(v.count(g)) << what << " skip: damaged record " << g;
      }
      // Records in a log without damage are intact and must all come back.
      bool log_damaged = false;
      for (const Damage& d : ds) log_damaged |= d.log == recs_[g].log;
      if (!log_damaged) {
        EXPECT_TRUE(v.count(g)) << what << " skip lost intact record " << g;
      }
    }
  }

  TempDir dir_;
  std::vector<std::string> names_;
  std::vector<Rec> recs_;
};

TEST_F(WalRecoveryModeTest, TornTailOfTheLastLog) {
  const Rec& last = recs_.back();
  for (uint64_t cut :
       {last.begin + 3, last.begin + 10, (last.begin + last.end) / 2, last.end - 1}) {
    CheckAllModes({{kLogs - 1, true, cut}}, true, "last log cut at " + std::to_string(cut));
  }
}

TEST_F(WalRecoveryModeTest, TruncatedMiddleLog) {
  // A crash before the switch barrier synced the middle log: replay ends
  // there; the intact last log holds nothing synced and is not replayed.
  const Rec& r = recs_[kPerLog + kPerLog / 2];
  CheckAllModes({{1, true, (r.begin + r.end) / 2}}, true, "middle log truncated");
}

TEST_F(WalRecoveryModeTest, BitFlipInsideOneLog) {
  for (int g : {1, 3, kPerLog + 2, 2 * kPerLog + 1}) {
    const Rec& r = recs_[g];
    for (uint64_t off : {r.begin, r.begin + 6, (r.begin + r.end) / 2}) {
      CheckAllModes({{r.log, false, off}}, false,
                    "flip in record " + std::to_string(g) + " at " + std::to_string(off));
    }
  }
}

TEST_F(WalRecoveryModeTest, BitFlipsInSeveralLogs) {
  const Rec& a = recs_[2];
  const Rec& b = recs_[2 * kPerLog + 3];
  CheckAllModes({{0, false, (a.begin + a.end) / 2}, {2, false, (b.begin + b.end) / 2}}, false,
                "flips in logs 0 and 2");
}

}  // namespace
}  // namespace lode::test
