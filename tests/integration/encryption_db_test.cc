// A whole DB with Options::encryption: round trips through flush, compaction,
// blob GC and reopen; no plaintext on disk; every damaged or moved unit of
// every file type is Corruption naming the file; key errors at open; key
// rotation; a torn WAL tail.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "lib/encrypted_env.h"
#include "lib/encryption_format.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/random.h"
#include "lode/encryption.h"
#include "tests/integration/db_test_util.h"

namespace lode {
namespace {

std::string Key(char fill) { return std::string(kKeySize, fill); }

class EncryptionDBTest : public test::DBTest {
 protected:
  Options EncOptions(std::shared_ptr<KeyProvider> p = nullptr) {
    Options o = test::SmallOptions();
    o.encryption = p != nullptr ? p : NewStaticKeyProvider({{1, Key('k')}}, 1);
    return o;
  }
  Status TryOpen(const Options& o) {
    db_.reset();
    return DB::Open(o, dir_.path(), &db_);
  }
  std::vector<std::string> AllFiles() {
    std::vector<std::string> children, r;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    for (const auto& c : children) {
      if (c != "." && c != "..") r.push_back(c);
    }
    std::sort(r.begin(), r.end());
    return r;
  }
  // Small values inline, large ones in blob files; returns what was written.
  std::map<std::string, std::string> Fill(Random* rnd, int n, const std::string& prefix) {
    std::map<std::string, std::string> m;
    for (int i = 0; i < n; i++) {
      const std::string k = prefix + test::NumberedKey(i);
      const std::string v = test::RandomBytes(rnd, i % 4 == 0 ? 3000 : 100);
      Put(k, v);
      m[k] = v;
    }
    return m;
  }
};

TEST_F(EncryptionDBTest, RoundTripsThroughFlushCompactionGcAndReopen) {
  Open(EncOptions());
  Random rnd(301);
  auto want = Fill(&rnd, 600, "a");
  ASSERT_TRUE(db_->Flush().ok());
  auto more = Fill(&rnd, 600, "a");  // overwrites: garbage in the first blob files
  want = more;
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  BlobGcOptions gc;
  gc.age_cutoff = 1;
  gc.garbage_threshold = 0;
  ASSERT_TRUE(db_->RunBlobGc(gc).ok());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_EQ(want, Contents());
  auto tail = Fill(&rnd, 50, "b");  // stays in the WAL
  want.insert(tail.begin(), tail.end());
  Reopen();
  EXPECT_EQ(want, Contents());
  VerifyReport report;
  db_.reset();
  Status s = VerifyDB(dir_.path(), options_, &report);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(EncryptionDBTest, NoPlaintextOfKeysOrValuesOnDisk) {
  for (Compression c : {Compression::kNone, Compression::kLZ4}) {
    SCOPED_TRACE(static_cast<int>(c));
    ASSERT_TRUE(DestroyDB(dir_.path(), Options()).ok());
    Options o = EncOptions();
    o.compression = c;
    o.blob_compression = c;
    Open(o);
    std::string small, big;
    while (small.size() < 200) small += "VALUE-MARKER-";
    while (big.size() < 5000) big += "VALUE-MARKER-";
    for (int i = 0; i < 200; i++) {
      Put("KEY-MARKER-" + std::to_string(i), i % 2 ? small : big);
    }
    ASSERT_TRUE(db_->Flush().ok());
    for (int i = 0; i < 20; i++) Put("KEY-MARKER-wal" + std::to_string(i), small);
    db_.reset();
    int files = 0;
    for (const std::string& name : AllFiles()) {
      const std::string data = test::ReadAll(dir_.File(name));
      EXPECT_EQ(std::string::npos, data.find("MARKER")) << name;
      files++;
    }
    EXPECT_GE(files, 5);  // CURRENT, LOCK, MANIFEST, WAL, table, blob
    Reopen();
    EXPECT_EQ(big, Get("KEY-MARKER-0"));
    EXPECT_EQ(small, Get("KEY-MARKER-wal3"));
    db_.reset();
  }
}

TEST_F(EncryptionDBTest, OpenErrorsForMissingWrongAndUnexpectedKeys) {
  Open(EncOptions());
  Put("k", "v");
  db_.reset();

  Status s = TryOpen(test::SmallOptions());
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("is encrypted; set Options::encryption"));

  s = TryOpen(EncOptions(NewStaticKeyProvider({{1, Key('w')}}, 1)));
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("authentication failed")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("key id 1")) << s.ToString();

  s = TryOpen(EncOptions(NewStaticKeyProvider({{2, Key('k')}}, 2)));
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("key id 1")) << s.ToString();

  ASSERT_TRUE(TryOpen(EncOptions()).ok());
  EXPECT_EQ("v", Get("k"));
  db_.reset();

  test::TempDir plain;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(test::SmallOptions(), plain.path(), &db).ok());
  db.reset();
  s = DB::Open(EncOptions(), plain.path(), &db);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("not encrypted")) << s.ToString();
}

TEST_F(EncryptionDBTest, KeyRotationKeepsOldDataAndMovesFilesToTheNewKey) {
  Open(EncOptions(NewStaticKeyProvider({{1, Key('1')}}, 1)));
  Random rnd(5);
  auto want = Fill(&rnd, 400, "a");
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();

  Open(EncOptions(NewStaticKeyProvider({{1, Key('1')}, {2, Key('2')}}, 2)));
  EXPECT_EQ(want, Contents());
  auto more = Fill(&rnd, 400, "b");
  want.insert(more.begin(), more.end());
  // Overwrite keys across the old range, so that compaction merges (rather
  // than moves) the old tables and the old blob files hold garbage for GC.
  // A file that is only moved keeps its key: rotation rewrites by merging.
  for (int i = 0; i < 400; i += 4) {
    const std::string k = "a" + test::NumberedKey(i);
    want[k] = test::RandomBytes(&rnd, 3000);
    Put(k, want[k]);
  }
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  BlobGcOptions gc;
  gc.age_cutoff = 1;
  gc.garbage_threshold = 0;
  ASSERT_TRUE(db_->RunBlobGc(gc).ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(db_->WaitForBackgroundWork().ok());
  EXPECT_EQ(want, Contents());
  db_.reset();

  // Every live file now carries key id 2 (the reopen below writes a new
  // manifest and WAL under key 2 as well).
  for (const std::string& name : AllFiles()) {
    uint64_t number;
    EncryptedFileType type;
    if (!IsEncryptedFileName(name, &number, &type)) continue;
    if (type != EncryptedFileType::kTable && type != EncryptedFileType::kBlob) continue;
    EncryptionFileHeader h;
    ASSERT_TRUE(ReadEncryptionHeader(Env::Default(), dir_.File(name), &h).ok()) << name;
    EXPECT_EQ(2u, h.key_id) << name;
  }
  Open(EncOptions(NewStaticKeyProvider({{1, Key('1')}, {2, Key('2')}}, 2)));
  db_.reset();  // this session's manifest and WAL use key 2
  Open(EncOptions(NewStaticKeyProvider({{2, Key('2')}}, 2)));
  EXPECT_EQ(want, Contents());
}

TEST_F(EncryptionDBTest, TornWalTailRecoversThePrefix) {
  Options o = EncOptions();
  o.wal_recovery_mode = WalRecoveryMode::kPointInTimeRecovery;
  Open(o);
  for (int i = 0; i < 20; i++) Put("k" + std::to_string(i), std::string(500, 'v'));
  db_.reset();
  std::vector<std::string> logs;
  for (const auto& n : AllFiles()) {
    if (n.ends_with(".log")) logs.push_back(n);
  }
  ASSERT_FALSE(logs.empty());
  const std::string wal = dir_.File(logs.back());
  const std::string raw = test::ReadAll(wal);
  test::WriteAll(wal, Slice(raw.data(), raw.size() - 100));  // mid last unit
  Open(o);
  for (int i = 0; i < 19; i++) EXPECT_EQ(std::string(500, 'v'), Get("k" + std::to_string(i)));
  EXPECT_EQ("NOT_FOUND", Get("k19"));
}

// Damages one unit of one file of a closed DB and opens it with paranoid
// checks (every table and blob file is read) and a WAL mode that refuses
// damage: the result must be Corruption naming the file, never wrong data.
class EncryptionTamperTest : public EncryptionDBTest {
 protected:
  void SetUp() override {
    Options o = EncOptions();
    o.compression = Compression::kNone;
    o.blob_compression = Compression::kNone;
    Open(o);
    Random rnd(99);
    want_ = Fill(&rnd, 400, "a");  // one table of several pages, blob files
    ASSERT_TRUE(db_->Flush().ok());
    for (int i = 0; i < 8; i++) {  // equal-sized WAL units
      const std::string k = "w" + std::to_string(i);
      Put(k, std::string(300, static_cast<char>('a' + i)));
      want_[k] = std::string(300, static_cast<char>('a' + i));
    }
    db_.reset();
    for (const auto& n : AllFiles()) pristine_[n] = test::ReadAll(dir_.File(n));
  }
  void Restore() {
    for (const auto& [n, data] : pristine_) test::WriteAll(dir_.File(n), data);
  }
  std::string FileEnding(const std::string& suffix) {
    for (const auto& [n, data] : pristine_) {
      if (n.ends_with(suffix) || n.starts_with(suffix)) return n;
    }
    ADD_FAILURE() << "no file " << suffix;
    return "";
  }
  // Offsets of the units of a pristine file (pages or stream units; for an
  // indexed blob file the data units, the index unit, then the trailer).
  std::vector<std::pair<size_t, size_t>> Units(const std::string& name) {
    const std::string& raw = pristine_[name];
    std::vector<std::pair<size_t, size_t>> r;
    EncryptionFileHeader h;
    EXPECT_TRUE(h.DecodeFrom(raw, name).ok());
    size_t pos = kFileHeaderSize;
    while (pos < raw.size()) {
      size_t len;
      if (h.layout == EncryptionLayout::kPaged) {
        len = std::min<size_t>(h.unit_size + kPageOverhead, raw.size() - pos);
      } else if (h.layout == EncryptionLayout::kIndexed &&
                 raw.size() - pos == kIndexedTrailerSize) {
        len = kIndexedTrailerSize;
      } else {
        len = kStreamUnitOverhead + DecodeFixed32(raw.data() + pos);
      }
      r.emplace_back(pos, len);
      pos += len;
    }
    return r;
  }
  // Opens the damaged DB and reads everything; the first failure.
  Status OpenAndReadAll() {
    Options o = EncOptions(provider_);
    o.paranoid_checks = true;
    o.wal_recovery_mode = WalRecoveryMode::kAbsoluteConsistency;
    Status s = TryOpen(o);
    if (!s.ok()) return s;
    ReadOptions ro;
    auto it = db_->NewIterator(ro);
    std::map<std::string, std::string> got;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      got[it->key().ToString()] = it->value().ToString();
    }
    s = it->status();
    it.reset();
    db_.reset();
    if (s.ok()) {
      EXPECT_EQ(want_, got) << "damage went unnoticed and changed data";
    }
    return s;
  }
  void ExpectCorruptionNaming(const std::string& name, const std::string& what) {
    Status s = OpenAndReadAll();
    EXPECT_TRUE(s.IsCorruption()) << what << ": " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(name)) << what << ": " << s.ToString();
    Restore();
  }

  std::map<std::string, std::string> want_;
  std::map<std::string, std::string> pristine_;
  std::shared_ptr<KeyProvider> provider_;  // nullptr: key 1 only
};

TEST_F(EncryptionTamperTest, PristineCopyOpens) {
  Restore();
  EXPECT_TRUE(OpenAndReadAll().ok());
}

TEST_F(EncryptionTamperTest, AFlippedByteInEveryUnitTypeOfEveryFileIsCorruption) {
  for (const std::string suffix : {".log", "MANIFEST", ".sst", ".blob"}) {
    const std::string name = FileEnding(suffix);
    auto units = Units(name);
    ASSERT_GE(units.size(), 2u) << name;
    std::vector<std::pair<std::string, size_t>> spots = {
        {"header file number", 16},
        {"header key id", 12},
        {"header checksum", 44},
        {"first unit body", units[0].first + units[0].second / 2},
        {"first unit tag", units[0].first + units[0].second - 1},
        {"first unit nonce", units[0].first + (suffix == ".sst" ? 1 : 9)},
    };
    if (suffix != ".blob") {
      spots.push_back({"last unit nonce",
                       units.back().first + (suffix == ".log" || suffix == "MANIFEST" ? 9 : 1)});
      spots.push_back({"last unit tag", units.back().first + units.back().second - 1});
    }
    if (suffix == ".log" || suffix == "MANIFEST" || suffix == ".blob") {
      spots.push_back({"middle unit length", units[units.size() / 2].first});
    }
    if (suffix == ".blob") {  // indexed layout: the last two "units" are the index and trailer
      ASSERT_GE(units.size(), 4u) << name;
      const auto index = units[units.size() - 2], trailer = units.back();
      ASSERT_EQ(kIndexedTrailerSize, trailer.second);
      spots.push_back({"last data unit tag", index.first - 1});
      spots.push_back({"index unit length", index.first});
      spots.push_back({"index unit body", index.first + index.second / 2});
      spots.push_back({"trailer plain size", trailer.first});
      spots.push_back({"trailer index offset", trailer.first + 8});
      spots.push_back({"trailer check", trailer.first + 16});
      spots.push_back({"trailer magic", trailer.first + 20});
    }
    for (const auto& [what, pos] : spots) {
      std::string bad = pristine_[name];
      ASSERT_LT(pos, bad.size()) << name << " " << what;
      bad[pos] ^= 0x01;
      test::WriteAll(dir_.File(name), bad);
      ExpectCorruptionNaming(name, name + " " + what);
    }
  }
}

TEST_F(EncryptionTamperTest, HeaderRelabelledWithAValidChecksumFailsAuthentication) {
  // An attacker can recompute the header checksum; the header bytes are in
  // every unit's associated data, so the units still fail to authenticate.
  const std::string name = FileEnding(".sst");
  std::string bad = pristine_[name];
  // Key id 1 -> 2, where key 2 is the same bytes: only the associated data differs.
  EncodeFixed32(bad.data() + 12, 2);
  EncodeFixed64(bad.data() + kFileHeaderChecked, Checksum64(bad.data(), kFileHeaderChecked));
  EncryptionFileHeader h;
  ASSERT_TRUE(h.DecodeFrom(bad, name).ok());
  provider_ = NewStaticKeyProvider({{1, Key('k')}, {2, Key('k')}}, 1);
  test::WriteAll(dir_.File(name), bad);
  ExpectCorruptionNaming(name, "relabelled header");
}

TEST_F(EncryptionTamperTest, UnitsSwappedWithinAndBetweenFilesAreCorruption) {
  // Two positions in one WAL (equal-sized units of the 300-byte puts).
  {
    const std::string name = FileEnding(".log");
    auto u = Units(name);
    ASSERT_GE(u.size(), 3u);
    const auto a = u[u.size() - 2], b = u[u.size() - 1];
    ASSERT_EQ(a.second, b.second);
    std::string bad = pristine_[name];
    bad.replace(a.first, a.second, pristine_[name], b.first, b.second);
    bad.replace(b.first, b.second, pristine_[name], a.first, a.second);
    test::WriteAll(dir_.File(name), bad);
    ExpectCorruptionNaming(name, "WAL units swapped");
  }
  // Two pages of one table.
  {
    const std::string name = FileEnding(".sst");
    auto u = Units(name);
    ASSERT_GE(u.size(), 3u);
    std::string bad = pristine_[name];
    bad.replace(u[0].first, u[0].second, pristine_[name], u[1].first, u[1].second);
    bad.replace(u[1].first, u[1].second, pristine_[name], u[0].first, u[0].second);
    test::WriteAll(dir_.File(name), bad);
    ExpectCorruptionNaming(name, "table pages swapped");
  }
  // Two data units of the blob file, their header checks recomputed for
  // their new places (the check is not keyed): only the associated data
  // (unit index, plaintext offset) tells them apart.
  {
    const std::string name = FileEnding(".blob");
    auto u = Units(name);
    ASSERT_GE(u.size(), 5u);  // >= 3 data units, index, trailer
    const auto a = u[1], b = u[2];
    ASSERT_EQ(a.second, b.second);
    const std::string& raw = pristine_[name];
    std::string bad = raw;
    bad.replace(a.first, a.second, raw, b.first, b.second);
    bad.replace(b.first, b.second, raw, a.first, a.second);
    const std::string header = raw.substr(0, kFileHeaderChecked + 8);
    const uint32_t len = static_cast<uint32_t>(a.second - kStreamUnitOverhead);
    EncodeFixed32(bad.data() + a.first + 4, StreamUnitCheck(header, 1, len));
    EncodeFixed32(bad.data() + b.first + 4, StreamUnitCheck(header, 2, len));
    test::WriteAll(dir_.File(name), bad);
    ExpectCorruptionNaming(name, "blob units swapped");
  }
  // The first page of the table into a new blob file at the same number: a
  // unit never authenticates under another file's header.
  {
    const std::string table = FileEnding(".sst"), blob = FileEnding(".blob");
    auto t = Units(table), b = Units(blob);
    const std::string& raw = pristine_[blob];
    const std::string header = raw.substr(0, kFileHeaderChecked + 8);
    // Rebuild the blob file as one stream unit holding the table's page bytes.
    const std::string page = pristine_[table].substr(t[0].first, t[0].second);
    const uint32_t len = static_cast<uint32_t>(page.size() - kPageOverhead);
    std::string bad = raw.substr(0, kFileHeaderSize);
    PutFixed32(&bad, len);
    PutFixed32(&bad, StreamUnitCheck(header, 0, len));
    bad += page;
    test::WriteAll(dir_.File(blob), bad);
    ExpectCorruptionNaming(blob, "table page moved into the blob file");
  }
}

}  // namespace
}  // namespace lode
