// Corruption grid: a small DB with tables at L0 and L1, blob files, a
// manifest and a WAL holding unflushed writes is damaged one region of one
// file at a time (byte flips at seeded offsets, truncations), and every
// damaged copy is opened and read through the public API. Whatever happens,
// lode must never crash or return a wrong value, and the damage must be
// reported as Corruption naming the file (WAL damage: as the recovery mode
// says, a point-in-time prefix by default).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/util/coding.h"
#include "lode/db.h"
#include "table/format.h"
#include "tests/util/test_util.h"

namespace lode::test {
namespace {

namespace fs = std::filesystem;

constexpr int kKeys = 300;
constexpr int kWalFirst = 250;  // keys [kWalFirst, kKeys) are only in the WAL

Options BuildOptions() {
  Options o;
  o.write_buffer_size = 1 << 20;  // the WAL's padding must not switch the memtable
  o.target_file_size = 64 << 10;
  o.min_blob_size = 1024;
  o.blob_file_size = 64 << 10;
  o.enable_blob_gc = false;
  o.level0_compaction_trigger = 8;  // only CompactRange moves tables down
  o.block_cache_capacity = 1 << 20;
  return o;
}

std::string ValueFor(int i) {
  Random rnd(7000 + i);
  const size_t n = (i % 3 == 0) ? 1200 + rnd.Uniform(1800) : 20 + rnd.Uniform(180);
  return NumberedKey(i) + ":" + RandomBytes(&rnd, n);
}

// The source DB, built once: keys 0..249 in tables (L1 after CompactRange,
// then an L0 table) with blob values, keys 250..299 only in the WAL, their
// large values in a blob file written at write time that only the WAL names.
// Deletions of keys never written come first in the WAL, so that the WAL
// spans several blocks although it holds no large value.
class SourceDb {
 public:
  SourceDb() {
    std::unique_ptr<DB> db;
    Status s = DB::Open(BuildOptions(), dir_.path(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return;
    auto put = [&](int from, int to) {
      for (int i = from; i < to; i++) {
        s = db->Put(WriteOptions(), NumberedKey(i), ValueFor(i));
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    };
    put(0, 100);
    EXPECT_TRUE(db->Flush().ok());
    put(100, 200);
    EXPECT_TRUE(db->Flush().ok());
    EXPECT_TRUE(db->CompactRange(nullptr, nullptr).ok());
    put(200, kWalFirst);
    EXPECT_TRUE(db->Flush().ok());
    EXPECT_TRUE(db->WaitForBackgroundWork().ok());
    const std::vector<std::string> installed = Blobs();
    WriteBatch padding;
    for (int i = 0; i < 3500; i++) padding.Delete("pad" + std::to_string(i));
    EXPECT_TRUE(db->Write(WriteOptions(), &padding).ok());
    put(kWalFirst, kKeys);
    EXPECT_TRUE(db->WaitForBackgroundWork().ok());
    db.reset();
    for (const std::string& b : Blobs()) {
      if (std::find(installed.begin(), installed.end(), b) == installed.end()) {
        wal_blobs_.push_back(b);
      }
    }
  }
  const std::string& path() const { return dir_.path(); }
  // Blob files that only the WAL names (written at write time).
  const std::vector<std::string>& wal_blobs() const { return wal_blobs_; }
  bool IsWalBlob(const std::string& name) const {
    return std::find(wal_blobs_.begin(), wal_blobs_.end(), name) != wal_blobs_.end();
  }

 private:
  std::vector<std::string> Blobs() const;

  TempDir dir_;
  std::vector<std::string> wal_blobs_;
};

SourceDb* Source() {
  static SourceDb* db = new SourceDb();
  return db;
}

std::vector<std::string> FilesEndingIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> r;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.size() >= suffix.size() &&
        n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
      r.push_back(n);
    }
  }
  std::sort(r.begin(), r.end());
  return r;
}

std::vector<std::string> FilesStartingWith(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> r;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) == 0) r.push_back(n);
  }
  std::sort(r.begin(), r.end());
  return r;
}

std::vector<std::string> SourceDb::Blobs() const { return FilesEndingIn(path(), ".blob"); }

// One damage: flip the byte at offset (xor mask), or truncate to length.
struct Damage {
  std::string file;    // name in the DB directory
  std::string region;  // for messages
  bool truncate = false;
  uint64_t offset = 0;  // flip offset, or truncated length
  unsigned char mask = 0;
};

struct Region {
  std::string name;
  uint64_t begin, end;  // [begin, end)
};

// The regions of a table: data blocks, filter, index, footer.
std::vector<Region> TableRegions(const std::string& contents) {
  std::vector<Region> r;
  const uint64_t size = contents.size();
  if (size < Footer::kSize) return r;
  Slice handles(contents.data() + size - Footer::kSize, Footer::kHandlesSize);
  BlockHandle meta, index;
  if (!meta.DecodeFrom(&handles) || !index.DecodeFrom(&handles)) return r;
  uint64_t first_meta = meta.offset();
  // The metaindex block is raw: entries with shared = 0, then the restarts.
  const char* p = contents.data() + meta.offset();
  const uint32_t num_restarts = DecodeFixed32(p + meta.size() - 4);
  Slice entries(p, meta.size() - 4 * (num_restarts + 1));
  while (!entries.empty()) {
    uint32_t shared, non_shared, value_size;
    if (!GetVarint32(&entries, &shared) || !GetVarint32(&entries, &non_shared) ||
        !GetVarint32(&entries, &value_size) || entries.size() < non_shared + value_size) {
      break;
    }
    const std::string name(entries.data(), non_shared);
    Slice v(entries.data() + non_shared, value_size);
    entries.remove_prefix(non_shared + value_size);
    BlockHandle h;
    if (!h.DecodeFrom(&v)) break;
    first_meta = std::min(first_meta, h.offset());
    if (name == "lode.filter.bloom" || name == "lode.filter.bloom64")
      r.push_back({"filter", h.offset(), h.offset() + h.size() + 9});
  }
  r.push_back({"data", 0, first_meta});
  r.push_back({"index", index.offset(), index.offset() + index.size() + 9});
  r.push_back({"footer", size - Footer::kSize, size});
  return r;
}

std::vector<Region> BlobRegions(uint64_t size) {
  return {{"header", 0, 32}, {"records", 32, size - 40}, {"footer", size - 40, size}};
}

struct TypeStats {
  int cases = 0;
  int reported = 0;   // Corruption from Open, Get, the iterator or VerifyDB
  int recovered = 0;  // opened and every key (or the WAL prefix) readable
};

class CorruptionGridTest : public ::testing::Test {
 protected:
  // Runs one damaged copy with and without paranoid checks.
  void RunCase(const Damage& d, TypeStats* stats) {
    for (bool paranoid : {false, true}) {
      TempDir copy;
      fs::copy(Source()->path(), copy.path(),
               fs::copy_options::overwrite_existing | fs::copy_options::recursive);
      fs::remove(copy.File("LOCK"));
      Apply(copy.File(d.file), d);
      stats->cases++;
      bool reported = false, recovered = false;
      CheckCopy(copy.path(), d, paranoid, &reported, &recovered);
      if (reported) stats->reported++;
      if (recovered) stats->recovered++;
    }
  }

  static void Apply(const std::string& path, const Damage& d) {
    std::string data = ReadAll(path);
    if (d.truncate) {
      data.resize(std::min<uint64_t>(d.offset, data.size()));
    } else if (d.offset < data.size()) {
      data[d.offset] = static_cast<char>(data[d.offset] ^ d.mask);
    }
    WriteAll(path, data);
  }

  // A Corruption status must name the damaged file. The WAL's records may
  // have reached other files only through replay, so only its own name counts.
  void CheckCorruption(const Status& s, const Damage& d, const std::string& where) {
    EXPECT_TRUE(s.IsCorruption()) << where << " " << Describe(d) << ": " << s.ToString();
    const std::string name = d.file == "CURRENT" ? "CURRENT" : d.file;
    EXPECT_NE(std::string::npos, s.ToString().find(name))
        << where << " " << Describe(d) << ": message does not name the file: " << s.ToString();
  }

  static std::string Describe(const Damage& d) {
    return d.file + " [" + d.region + "] " + (d.truncate ? "truncated to " : "flip at ") +
           std::to_string(d.offset);
  }

  void CheckCopy(const std::string& path, const Damage& d, bool paranoid, bool* reported,
                 bool* recovered) {
    // A blob file written at write time is part of the WAL: cut short (what a
    // crash leaves), it loses a suffix of the WAL's writes, like the WAL.
    const bool wal = (d.file.size() > 4 && d.file.compare(d.file.size() - 4, 4, ".log") == 0) ||
                     Source()->IsWalBlob(d.file);
    const std::string what = Describe(d) + (paranoid ? " (paranoid)" : "");
    // VerifyDB reads the live files as they are, before any replay.
    Options vo;
    VerifyReport report;
    Status vs = VerifyDB(path, vo, &report);
    if (!vs.ok()) {
      *reported = true;
      if (!wal) CheckCorruption(vs, d, "VerifyDB");
    }

    Options o;
    o.paranoid_checks = paranoid;
    std::unique_ptr<DB> db;
    Status s = DB::Open(o, path, &db);
    if (!s.ok()) {
      *reported = true;
      CheckCorruption(s, d, "Open" + std::string(paranoid ? " (paranoid)" : ""));
      return;
    }
    // Every Get that succeeds returns exactly what was written.
    int missing = 0, wal_visible = 0;
    bool wal_hole = false;
    for (int i = 0; i < kKeys; i++) {
      std::string v;
      s = db->Get(ReadOptions(), NumberedKey(i), &v);
      if (s.ok()) {
        EXPECT_EQ(ValueFor(i), v) << what << ": wrong value for key " << i;
        if (i >= kWalFirst) {
          if (wal_visible != i - kWalFirst) wal_hole = true;
          wal_visible++;
        }
      } else if (s.IsNotFound()) {
        missing++;
        if (!wal || i < kWalFirst) {
          ADD_FAILURE() << what << ": key " << i << " lost without a report";
        }
      } else {
        *reported = true;
        CheckCorruption(s, d, "Get " + std::to_string(i));
      }
    }
    if (wal) {
      EXPECT_FALSE(wal_hole) << what << ": WAL recovery is not a prefix of the writes";
    }
    // Every iterator entry is a key/value that was written, in order.
    auto it = db->NewIterator(ReadOptions());
    std::string prev;
    int seen = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string k = it->key().ToString();
      EXPECT_TRUE(prev.empty() || prev < k) << what << ": iterator out of order at " << k;
      prev = k;
      bool known = false;
      for (int i = 0; i < kKeys && !known; i++) {
        if (NumberedKey(i) == k) {
          known = true;
          const std::string v = it->value().ToString();
          // iterator.h: a value that cannot be read is empty and status() says why.
          if (v.empty() && !it->status().ok()) break;
          EXPECT_EQ(ValueFor(i), v) << what << ": iterator value of " << k;
        }
      }
      EXPECT_TRUE(known) << what << ": iterator yields unknown key " << k;
      seen++;
    }
    if (!it->status().ok()) {
      *reported = true;
      CheckCorruption(it->status(), d, "iterator");
    }
    it.reset();
    db.reset();
    if (!*reported) {
      if (wal) {
        *recovered = true;  // a prefix of the WAL, checked above
      } else {
        EXPECT_EQ(0, missing) << what;
        EXPECT_EQ(kKeys, seen) << what << ": scan lost entries without a report";
        if (missing == 0 && seen == kKeys) *recovered = true;
        ADD_FAILURE() << what << ": damage not reported";
      }
    }
  }

  void FlipsAndTruncations(const std::string& file, const std::vector<Region>& regions,
                           int flips_per_region, const std::vector<uint64_t>& lengths,
                           uint64_t seed, TypeStats* stats) {
    Random rnd(seed);
    for (const Region& r : regions) {
      if (r.end <= r.begin) continue;
      for (int k = 0; k < flips_per_region; k++) {
        Damage d;
        d.file = file;
        d.region = r.name;
        // Spread: stratified over the region, seeded within each stratum.
        const uint64_t span = r.end - r.begin;
        const uint64_t lo = r.begin + span * k / flips_per_region;
        const uint64_t hi = r.begin + span * (k + 1) / flips_per_region;
        d.offset = lo + (hi > lo ? rnd.Uniform(static_cast<uint32_t>(hi - lo)) : 0);
        d.mask = static_cast<unsigned char>(1 + rnd.Uniform(255));
        RunCase(d, stats);
      }
    }
    for (uint64_t len : lengths) {
      Damage d;
      d.file = file;
      d.region = "truncate";
      d.truncate = true;
      d.offset = len;
      RunCase(d, stats);
    }
  }

  static void Print(const std::string& type, const TypeStats& s) {
    std::cout << "[corruption grid] " << type << ": cases=" << s.cases << " reported=" << s.reported
              << " recovered=" << s.recovered << std::endl;
  }

  static uint64_t Size(const std::string& name) {
    return fs::file_size(Source()->path() + "/" + name);
  }
};

TEST_F(CorruptionGridTest, SourceDbHasEveryFileType) {
  const std::string p = Source()->path();
  EXPECT_GE(FilesEndingIn(p, ".sst").size(), 2u);
  EXPECT_GE(FilesEndingIn(p, ".blob").size(), 1u);
  EXPECT_EQ(1u, FilesStartingWith(p, "MANIFEST-").size());
  ASSERT_EQ(1u, FilesEndingIn(p, ".log").size());
  EXPECT_GT(Size(FilesEndingIn(p, ".log")[0]), 32768u);  // more than one WAL block
  EXPECT_EQ(1u, Source()->wal_blobs().size());
}

TEST_F(CorruptionGridTest, DamagedWalRecoversAPrefixOfItsWrites) {
  TypeStats st;
  const std::string log = FilesEndingIn(Source()->path(), ".log").at(0);
  const uint64_t size = Size(log);
  FlipsAndTruncations(log, {{"records", 0, size}}, 16, {0, 5, size / 3, size / 2 + 11, size - 1},
                      101, &st);
  Print("wal", st);
  EXPECT_GT(st.cases, 0);
}

TEST_F(CorruptionGridTest, DamagedManifestIsReported) {
  TypeStats st;
  const std::string m = FilesStartingWith(Source()->path(), "MANIFEST-").at(0);
  const uint64_t size = Size(m);
  FlipsAndTruncations(m, {{"records", 0, size}}, 16, {0, 3, size / 2, size - 1}, 202, &st);
  Print("manifest", st);
  // Damage in the newest records can read like a torn write; open then finds
  // the live WAL those records retired missing and reports it.
  EXPECT_EQ(st.cases, st.reported);
}

TEST_F(CorruptionGridTest, DamagedCurrentIsReported) {
  TypeStats st;
  const uint64_t size = Size("CURRENT");
  FlipsAndTruncations("CURRENT", {{"name", 0, size}}, 8, {0, 5, size - 1}, 303, &st);
  Print("current", st);
  EXPECT_EQ(st.cases, st.reported);
}

TEST_F(CorruptionGridTest, DamagedTableIsReported) {
  TypeStats st;
  const auto tables = FilesEndingIn(Source()->path(), ".sst");
  ASSERT_FALSE(tables.empty());
  // The first table (L1 after CompactRange) and the last one (L0).
  std::vector<std::string> picked = {tables.front()};
  if (tables.size() > 1) picked.push_back(tables.back());
  uint64_t seed = 404;
  for (const std::string& t : picked) {
    const std::string contents = ReadAll(Source()->path() + "/" + t);
    const auto regions = TableRegions(contents);
    ASSERT_EQ(4u, regions.size()) << t << ": data, filter, index and footer expected";
    const uint64_t size = contents.size();
    FlipsAndTruncations(t, regions, 8, {0, size / 2, size - Footer::kSize, size - 1}, seed++, &st);
  }
  Print("table", st);
  EXPECT_EQ(st.cases, st.reported);
}

TEST_F(CorruptionGridTest, DamagedBlobFileIsReported) {
  TypeStats st;
  std::vector<std::string> blobs;
  for (const std::string& b : FilesEndingIn(Source()->path(), ".blob")) {
    if (!Source()->IsWalBlob(b)) blobs.push_back(b);
  }
  ASSERT_FALSE(blobs.empty());
  std::vector<std::string> picked = {blobs.front()};
  if (blobs.size() > 1) picked.push_back(blobs.back());
  uint64_t seed = 505;
  for (const std::string& b : picked) {
    const uint64_t size = Size(b);
    FlipsAndTruncations(b, BlobRegions(size), 8, {0, 20, size / 2, size - 40, size - 1}, seed++,
                        &st);
  }
  Print("blob", st);
  EXPECT_EQ(st.cases, st.reported);
}

TEST_F(CorruptionGridTest, DamagedWriteTimeBlobFileIsReportedAndCutOneRecoversAPrefix) {
  ASSERT_EQ(1u, Source()->wal_blobs().size());
  const std::string b = Source()->wal_blobs().front();
  const uint64_t size = Size(b);
  // No footer yet: every byte after the header is a record the WAL names,
  // so any flipped byte is damage that must be reported.
  TypeStats flips;
  FlipsAndTruncations(b, {{"header", 0, 32}, {"records", 32, size}}, 8, {}, 606, &flips);
  Print("write-time blob flips", flips);
  EXPECT_GT(flips.cases, 0);
  EXPECT_EQ(flips.cases, flips.reported);
  // Cut short, it is what a crash leaves of unsynced appends: the DB opens
  // with a prefix of the WAL's writes (CheckCopy checks the prefix).
  TypeStats cuts;
  FlipsAndTruncations(b, {}, 0, {0, 10, 32, size / 3, size / 2 + 7, size - 1}, 607, &cuts);
  Print("write-time blob truncations", cuts);
  EXPECT_EQ(0, cuts.reported);
  EXPECT_EQ(cuts.cases, cuts.recovered);
}

}  // namespace
}  // namespace lode::test
