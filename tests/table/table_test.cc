#include "table/table.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <thread>

#include "lib/dbformat.h"
#include "lib/util/cache.h"
#include "table/format.h"
#include "table/table_builder.h"
#include "tests/table/table_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

namespace {

std::string IKey(const std::string& user_key, SequenceNumber seq, ValueType t = kTypeValue) {
  std::string r;
  AppendInternalKey(&r, ParsedInternalKey(user_key, seq, t));
  return r;
}

struct IKeyLess {
  const InternalKeyComparator* icmp;
  bool operator()(const std::string& a, const std::string& b) const {
    return icmp->Compare(a, b) < 0;
  }
};

class TableTest : public ::testing::Test {
 protected:
  using Model = std::map<std::string, std::string, IKeyLess>;

  TableTest() : icmp_(BytewiseComparator()), model_(IKeyLess{&icmp_}) { bopts_.icmp = &icmp_; }

  // Builds a table from model_ into contents_.
  void Build() {
    test::StringSink sink;
    TableBuilder b(bopts_, &sink);
    for (const auto& [k, v] : model_) b.Add(k, v);
    ASSERT_TRUE(b.Finish().ok());
    EXPECT_EQ(model_.size(), b.NumEntries());
    EXPECT_EQ(sink.contents().size(), b.FileSize());
    contents_ = sink.contents();
    built_props_ = b.properties();
  }

  Status Open(const std::string& contents, std::unique_ptr<Table>* t, bool paranoid = false) {
    TableReaderOptions ropts;
    ropts.icmp = &icmp_;
    ropts.block_cache = cache_;
    ropts.file_name = "/db/000012.sst";
    ropts.paranoid_checks = paranoid;
    return Table::Open(ropts, std::make_unique<test::StringSource>(contents, &reads_),
                       contents.size(), t);
  }

  std::unique_ptr<Table> OpenOk() {
    std::unique_ptr<Table> t;
    Status s = Open(contents_, &t, true);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return t;
  }

  void FillSequential(int n, size_t value_size, double ratio = 1.0) {
    Random rnd(n + value_size);
    for (int i = 0; i < n; i++) {
      model_[IKey(test::NumberedKey(i), 1000 + i)] = test::RandomBytes(&rnd, value_size, ratio);
    }
  }

  // Full scans both ways must equal the model exactly.
  void CheckScans(Table* t, const ReadOptions& ro = ReadOptions()) {
    std::unique_ptr<Iterator> it(t->NewIterator(ro));
    auto m = model_.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
      ASSERT_NE(model_.end(), m);
      ASSERT_EQ(m->first, it->key().ToString());
      ASSERT_EQ(m->second, it->value().ToString());
    }
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    EXPECT_EQ(model_.end(), m);
    auto r = model_.rbegin();
    for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
      ASSERT_NE(model_.rend(), r);
      ASSERT_EQ(r->first, it->key().ToString());
      ASSERT_EQ(r->second, it->value().ToString());
    }
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    EXPECT_EQ(model_.rend(), r);
  }

  InternalKeyComparator icmp_;
  Model model_;
  TableBuilderOptions bopts_;
  std::string contents_;
  TableProperties built_props_;
  std::shared_ptr<Cache> cache_;
  std::atomic<int> reads_{0};
};

}  // namespace

TEST_F(TableTest, EmptyTableOpensAndIsEmpty) {
  Build();
  auto t = OpenOk();
  std::unique_ptr<Iterator> it(t->NewIterator(ReadOptions()));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
  bool called = false;
  EXPECT_TRUE(t->InternalGet(ReadOptions(), IKey("a", 5), [&](const Slice&, const Slice&) {
                 called = true;
               }).ok());
  EXPECT_FALSE(called);
  EXPECT_EQ(0u, t->properties().num_entries);
}

TEST_F(TableTest, RoundTripSmallValuesWithAndWithoutCompression) {
  for (Compression c : {Compression::kNone, Compression::kLZ4}) {
    model_.clear();
    bopts_.compression = c;
    FillSequential(20000, 100, 0.3);
    Build();
    auto t = OpenOk();
    CheckScans(t.get());
    EXPECT_EQ(c, t->properties().compression);
    if (c == Compression::kLZ4) {
      // Compressible values: the data must really have been compressed.
      EXPECT_LT(t->properties().data_bytes, t->properties().raw_value_bytes / 2);
    } else {
      EXPECT_GT(t->properties().data_bytes, t->properties().raw_value_bytes);
    }
  }
}

TEST_F(TableTest, RoundTrip64KiBValuesWithAndWithoutCompression) {
  for (Compression c : {Compression::kNone, Compression::kLZ4}) {
    model_.clear();
    bopts_.compression = c;
    FillSequential(100, 64 << 10, c == Compression::kLZ4 ? 0.1 : 1.0);
    Build();
    auto t = OpenOk();
    EXPECT_EQ(100u, t->properties().num_data_blocks);  // one value per block
    CheckScans(t.get());
  }
}

TEST_F(TableTest, IncompressibleDataIsStoredRaw) {
  bopts_.compression = Compression::kLZ4;
  FillSequential(2000, 100, 1.0);  // random bytes do not compress
  Build();
  auto t = OpenOk();
  EXPECT_GT(t->properties().data_bytes, t->properties().raw_value_bytes);
  CheckScans(t.get());
}

TEST_F(TableTest, HundredThousandKeys) {
  FillSequential(100000, 10, 0.5);
  Build();
  auto t = OpenOk();
  EXPECT_EQ(100000u, t->properties().num_entries);
  std::unique_ptr<Iterator> it(t->NewIterator(ReadOptions()));
  size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
  EXPECT_EQ(100000u, n);
  Random rnd(5);
  for (int i = 0; i < 2000; i++) {
    const uint64_t k = rnd.Uniform(100000);
    const std::string target = IKey(test::NumberedKey(k), kMaxSequenceNumber, kValueTypeForSeek);
    it->Seek(target);
    ASSERT_TRUE(it->Valid());
    auto m = model_.lower_bound(target);
    ASSERT_EQ(m->first, it->key().ToString());
    ASSERT_EQ(m->second, it->value().ToString());
  }
}

TEST_F(TableTest, SeekNextPrevAcrossBlockBoundariesMatchesModel) {
  bopts_.block_size = 256;  // many small blocks
  bopts_.block_restart_interval = 3;
  Random rnd(11);
  for (int i = 0; i < 3000; i++) {
    const std::string uk = test::NumberedKey(rnd.Uniform(2000), 5);
    model_[IKey(uk, rnd.Uniform(100) + 1, rnd.OneIn(5) ? kTypeDeletion : kTypeValue)] =
        test::RandomBytes(&rnd, rnd.Uniform(60), 1.0);
  }
  Build();
  auto t = OpenOk();
  EXPECT_GT(t->properties().num_data_blocks, 50u);
  std::unique_ptr<Iterator> it(t->NewIterator(ReadOptions()));
  auto m = model_.end();
  for (int step = 0; step < 20000; step++) {
    switch (rnd.Uniform(6)) {
      case 0: {
        const std::string target =
            IKey(test::NumberedKey(rnd.Uniform(2100), 5), rnd.Uniform(110), kValueTypeForSeek);
        it->Seek(target);
        m = model_.lower_bound(target);
        break;
      }
      case 1:
        it->SeekToFirst();
        m = model_.begin();
        break;
      case 2:
        it->SeekToLast();
        m = std::prev(model_.end());
        break;
      case 3:
      case 4:
        if (m == model_.end()) continue;
        it->Next();
        ++m;
        break;
      case 5:
        if (m == model_.end()) continue;
        it->Prev();
        m = (m == model_.begin()) ? model_.end() : std::prev(m);
        break;
    }
    if (m == model_.end()) {
      ASSERT_FALSE(it->Valid()) << step;
    } else {
      ASSERT_TRUE(it->Valid()) << step;
      ASSERT_EQ(m->first, it->key().ToString()) << step;
      ASSERT_EQ(m->second, it->value().ToString()) << step;
    }
  }
  EXPECT_TRUE(it->status().ok());
}

TEST_F(TableTest, InternalGetFindsNewestVisibleVersion) {
  bopts_.block_size = 512;
  for (int i = 0; i < 2000; i++) {
    const std::string uk = test::NumberedKey(i * 2);  // odd numbers are absent
    model_[IKey(uk, 300)] = "v300-" + uk;
    model_[IKey(uk, 200, kTypeBlobIndex)] = "blob200-" + uk;
    model_[IKey(uk, 100, kTypeDeletion)] = "";
  }
  Build();
  auto t = OpenOk();
  EXPECT_EQ(2000u, t->properties().num_blob_indexes);
  EXPECT_EQ(2000u, t->properties().num_deletions);
  for (int i = 0; i < 4000; i += 7) {
    const std::string uk = test::NumberedKey(i);
    for (SequenceNumber snap : {SequenceNumber{1000}, SequenceNumber{250}, SequenceNumber{150}}) {
      LookupKey lk(uk, snap);
      std::string found_key, found_value;
      int calls = 0;
      Status s =
          t->InternalGet(ReadOptions(), lk.internal_key(), [&](const Slice& k, const Slice& v) {
            calls++;
            found_key = k.ToString();
            found_value = v.ToString();
          });
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_LE(calls, 1);
      auto m = model_.lower_bound(lk.internal_key().ToString());
      if (i % 2 == 1) {
        // Absent key: either filtered out, or the next key is handed back.
        if (calls == 1) {
          ASSERT_EQ(m->first, found_key);
          ParsedInternalKey p;
          ASSERT_TRUE(ParseInternalKey(found_key, &p));
          EXPECT_NE(uk, p.user_key.ToString());
        }
        continue;
      }
      ASSERT_EQ(1, calls);
      ASSERT_EQ(m->first, found_key);
      ASSERT_EQ(m->second, found_value);
      ParsedInternalKey p;
      ASSERT_TRUE(ParseInternalKey(found_key, &p));
      EXPECT_EQ(snap == 1000 ? kTypeValue : snap == 250 ? kTypeBlobIndex : kTypeDeletion, p.type);
    }
  }
}

TEST_F(TableTest, InternalGetPastTheLastKeyOfABlockReturnsNextBlocksFirst) {
  bopts_.block_size = 1;  // one entry per block
  bopts_.bloom_bits_per_key = 0;
  model_[IKey("abc", 5)] = "1";
  model_[IKey("abz", 5)] = "2";  // separator between them is "abd"
  Build();
  auto t = OpenOk();
  std::string found;
  ASSERT_TRUE(t->InternalGet(ReadOptions(), IKey("abcd", 9), [&](const Slice& k, const Slice&) {
                 found = k.ToString();
               }).ok());
  EXPECT_EQ(IKey("abz", 5), found);
  found.clear();
  ASSERT_TRUE(t->InternalGet(ReadOptions(), IKey("b", 9), [&](const Slice& k, const Slice&) {
                 found = k.ToString();
               }).ok());
  EXPECT_EQ("", found);
}

TEST_F(TableTest, BloomFilterSkipsReadsForAbsentKeys) {
  // 10 bits: the blocked filter; -10: the plain one of older tables; 0: none.
  for (int bits : {10, -10, 0}) {
    model_.clear();
    bopts_.bloom_bits_per_key = bits < 0 ? -bits : bits;
    bopts_.legacy_plain_filter = bits < 0;
    FillSequential(5000, 50);
    Build();
    auto t = OpenOk();
    EXPECT_EQ(bits == 0, t->properties().filter_bytes == 0);
    reads_ = 0;
    int calls = 0;
    for (int i = 0; i < 1000; i++) {
      ASSERT_TRUE(t->InternalGet(ReadOptions(), IKey("absent" + std::to_string(i), 1),
                                 [&](const Slice&, const Slice&) { calls++; })
                      .ok());
    }
    if (bits != 0) {
      EXPECT_LE(reads_.load(), 30) << bits;  // ~1% false positives
    } else {
      EXPECT_GE(reads_.load(), 1000);  // every lookup reads a block
    }
    // The filter never hides a present key.
    for (int i = 0; i < 5000; i += 13) {
      int hit = 0;
      ASSERT_TRUE(t->InternalGet(ReadOptions(), IKey(test::NumberedKey(i), kMaxSequenceNumber),
                                 [&](const Slice&, const Slice&) { hit++; })
                      .ok());
      EXPECT_EQ(1, hit);
    }
  }
}

TEST_F(TableTest, SecondReadIsServedFromBlockCache) {
  cache_ = NewLRUCache(8 << 20);
  FillSequential(3000, 100);
  Build();
  auto t = OpenOk();
  auto get = [&](int i) {
    int hit = 0;
    ASSERT_TRUE(t->InternalGet(ReadOptions(), IKey(test::NumberedKey(i), kMaxSequenceNumber),
                               [&](const Slice&, const Slice&) { hit++; })
                    .ok());
    ASSERT_EQ(1, hit);
  };
  reads_ = 0;
  get(1234);
  EXPECT_EQ(1, reads_.load());
  get(1234);
  EXPECT_EQ(1, reads_.load());  // cached
  EXPECT_GT(cache_->TotalCharge(), 0u);
  // A full scan after one scan reads nothing more.
  std::unique_ptr<Iterator> it(t->NewIterator(ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
  }
  const int after_first_scan = reads_.load();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
  }
  EXPECT_EQ(after_first_scan, reads_.load());
}

TEST_F(TableTest, FillCacheFalseDoesNotPopulateCache) {
  cache_ = NewLRUCache(8 << 20);
  FillSequential(3000, 100);
  Build();
  auto t = OpenOk();
  ReadOptions ro;
  ro.fill_cache = false;
  reads_ = 0;
  for (int round = 0; round < 2; round++) {
    ASSERT_TRUE(t->InternalGet(ro, IKey(test::NumberedKey(7), kMaxSequenceNumber),
                               [](const Slice&, const Slice&) {})
                    .ok());
  }
  EXPECT_EQ(2, reads_.load());
  EXPECT_EQ(0u, cache_->TotalCharge());
}

TEST_F(TableTest, CacheIsSharedSafelyBetweenTablesWithSameOffsets) {
  cache_ = NewLRUCache(8 << 20);
  FillSequential(500, 20);
  Build();
  const std::string first = contents_;
  for (auto& [k, v] : model_) v = "other";
  Build();
  std::unique_ptr<Table> a, b;
  ASSERT_TRUE(Open(first, &a).ok());
  ASSERT_TRUE(Open(contents_, &b).ok());
  std::string va, vb;
  const std::string k = IKey(test::NumberedKey(3), kMaxSequenceNumber);
  ASSERT_TRUE(a->InternalGet(ReadOptions(), k, [&](const Slice&, const Slice& v) {
                 va = v.ToString();
               }).ok());
  ASSERT_TRUE(b->InternalGet(ReadOptions(), k, [&](const Slice&, const Slice& v) {
                 vb = v.ToString();
               }).ok());
  EXPECT_NE(va, vb);
  EXPECT_EQ("other", vb);
}

TEST_F(TableTest, ConcurrentReadersShareOneTable) {
  cache_ = NewLRUCache(64 << 10);  // small: forces evictions while threads read
  bopts_.block_size = 512;
  FillSequential(4000, 40);
  Build();
  auto t = OpenOk();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; th++) {
    threads.emplace_back([&, th] {
      Random rnd(th + 1);
      for (int i = 0; i < 2000; i++) {
        const int k = static_cast<int>(rnd.Uniform(4000));
        const std::string ikey = IKey(test::NumberedKey(k), kMaxSequenceNumber);
        std::string got;
        Status s = t->InternalGet(ReadOptions(), ikey,
                                  [&](const Slice&, const Slice& v) { got = v.ToString(); });
        if (!s.ok() || got != model_.lower_bound(ikey)->second) wrong++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(0, wrong.load());
}

TEST_F(TableTest, PropertiesDescribeTheTable) {
  bopts_.compression = Compression::kNone;
  model_[IKey("a", 3, kTypeValue)] = "12345";
  model_[IKey("b", 2, kTypeDeletion)] = "";
  model_[IKey("c", 1, kTypeBlobIndex)] = "blobidx";
  Build();
  auto t = OpenOk();
  const TableProperties& p = t->properties();
  EXPECT_EQ(3u, p.num_entries);
  EXPECT_EQ(1u, p.num_deletions);
  EXPECT_EQ(1u, p.num_blob_indexes);
  EXPECT_EQ(3u * 9, p.raw_key_bytes);
  EXPECT_EQ(12u, p.raw_value_bytes);
  EXPECT_EQ(1u, p.num_data_blocks);
  EXPECT_GT(p.data_bytes, 0u);
  EXPECT_GT(p.index_bytes, 0u);
  EXPECT_GT(p.filter_bytes, 0u);
  EXPECT_EQ(built_props_.DebugString(), p.DebugString());
  EXPECT_LT(p.data_bytes + p.index_bytes + p.filter_bytes, contents_.size());
}

TEST_F(TableTest, ApproximateOffsetsGrowWithKeys) {
  bopts_.compression = Compression::kNone;
  FillSequential(1000, 1000);
  Build();
  auto t = OpenOk();
  uint64_t prev = 0;
  for (int i = 0; i < 1000; i += 50) {
    const uint64_t off = t->ApproximateOffsetOf(IKey(test::NumberedKey(i), kMaxSequenceNumber));
    EXPECT_GE(off, prev);
    EXPECT_NEAR(static_cast<double>(off), i * 1030.0, i * 1030.0 * 0.05 + 8000.0);
    prev = off;
  }
  const uint64_t end = t->ApproximateOffsetOf(IKey("zzz", 1));
  EXPECT_GE(end, t->properties().data_bytes);
  EXPECT_LT(end, t->file_size());
}

TEST_F(TableTest, BuilderReportsWriteErrors) {
  FillSequential(2000, 100);
  for (int ok_appends : {0, 3, 50}) {
    test::FailingSink sink(ok_appends);
    TableBuilder b(bopts_, &sink);
    for (const auto& [k, v] : model_) b.Add(k, v);
    Status s = b.Finish();
    EXPECT_TRUE(s.IsIOError()) << ok_appends;
    EXPECT_TRUE(b.status().IsIOError());
  }
  test::StringSink sink;
  TableBuilder b(bopts_, &sink);
  b.Add(IKey("a", 1), "x");
  b.Abandon();
}

TEST_F(TableTest, RealFileThroughEnv) {
  test::TempDir dir;
  Env* env = Env::Default();
  const std::string fname = dir.File("000005.sst");
  FillSequential(5000, 100, 0.5);
  {
    std::unique_ptr<WritableFile> f;
    ASSERT_TRUE(env->NewWritableFile(fname, &f).ok());
    TableBuilder b(bopts_, f.get());
    for (const auto& [k, v] : model_) b.Add(k, v);
    ASSERT_TRUE(b.Finish().ok());
    ASSERT_TRUE(f->Sync().ok());
    ASSERT_TRUE(f->Close().ok());
  }
  uint64_t size = 0;
  ASSERT_TRUE(env->GetFileSize(fname, &size).ok());
  std::unique_ptr<RandomAccessFile> raf;
  ASSERT_TRUE(env->NewRandomAccessFile(fname, &raf).ok());
  TableReaderOptions ropts;
  ropts.icmp = &icmp_;
  ropts.file_name = fname;
  ropts.block_cache = NewLRUCache(1 << 20);
  std::unique_ptr<Table> t;
  ASSERT_TRUE(Table::Open(ropts, std::move(raf), size, &t).ok());
  CheckScans(t.get());
}

TEST_F(TableTest, TruncatedFileIsCorruptionNamingTheFile) {
  FillSequential(500, 100);
  Build();
  for (size_t len = 0; len < contents_.size(); len += 1 + len / 3) {
    std::unique_ptr<Table> t;
    Status s = Open(contents_.substr(0, len), &t);
    ASSERT_TRUE(s.IsCorruption()) << len << " " << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find("/db/000012.sst")) << s.ToString();
    EXPECT_EQ(nullptr, t);
  }
}

// Returns the status of reading every entry of t in both directions and
// looking up every model key, checking that what is returned is right.
// An error may stop the reads; a wrong key or value fails the test.
Status ReadEverything(Table* t, const std::map<std::string, std::string, IKeyLess>& model,
                      bool verify) {
  ReadOptions ro;
  ro.verify_checksums = verify;
  std::unique_ptr<Iterator> it(t->NewIterator(ro));
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    if (!verify) continue;
    EXPECT_TRUE(m != model.end() && m->first == it->key().ToString() &&
                m->second == it->value().ToString());
  }
  if (!it->status().ok()) return it->status();
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
  }
  if (!it->status().ok()) return it->status();
  for (const auto& [k, v] : model) {
    std::string got;
    Status s = t->InternalGet(ro, k, [&](const Slice&, const Slice& val) { got = val.ToString(); });
    if (!s.ok()) return s;
    if (verify) {
      EXPECT_EQ(v, got);
    }
  }
  return Status::OK();
}

TEST_F(TableTest, BitFlipsAnywhereAreDetectedAndNeverCrash) {
  bopts_.block_size = 1024;
  FillSequential(200, 30, 0.5);
  Build();
  const std::string good = contents_;
  const TableProperties& p = built_props_;
  const size_t footer_start = good.size() - Footer::kSize;
  int in_data = 0, in_filter = 0, in_index = 0, in_footer = 0;
  Random rnd(99);
  int detected = 0;
  int flips = 0;
  // Every 5th byte covers data, filter, properties, metaindex, index, footer.
  for (size_t pos = 0; pos < good.size(); pos += 5) {
    if (pos < p.data_bytes)
      in_data++;
    else if (pos < p.data_bytes + p.filter_bytes)
      in_filter++;
    else if (pos >= footer_start)
      in_footer++;
    else if (pos >= footer_start - p.index_bytes)
      in_index++;
    std::string bad = good;
    bad[pos] = static_cast<char>(bad[pos] ^ (1 << rnd.Uniform(8)));
    flips++;
    std::unique_ptr<Table> t;
    Status s = Open(bad, &t, rnd.OneIn(2));
    if (s.ok()) s = ReadEverything(t.get(), model_, /*verify=*/true);
    ASSERT_FALSE(s.ok()) << "undetected flip at " << pos;
    ASSERT_TRUE(s.IsCorruption()) << pos << " " << s.ToString();
    EXPECT_NE(std::string::npos, s.message().find("/db/000012.sst")) << s.ToString();
    detected++;
    // Without checksums, damaged data may read wrong but must not crash.
    if (t != nullptr) ReadEverything(t.get(), model_, /*verify=*/false);
  }
  EXPECT_EQ(flips, detected);
  EXPECT_GT(in_data, 100);
  EXPECT_GT(in_filter, 10);
  EXPECT_GT(in_index, 5);
  EXPECT_GT(in_footer, 5);
}

TEST_F(TableTest, GarbageWithValidLookingFooterIsRejected) {
  FillSequential(100, 10);
  Build();
  Random rnd(3);
  for (int trial = 0; trial < 200; trial++) {
    // Random bytes before an intact footer: handles point into garbage.
    std::string bad = test::RandomBytes(&rnd, contents_.size() - Footer::kSize, 1.0) +
                      contents_.substr(contents_.size() - Footer::kSize);
    std::unique_ptr<Table> t;
    Status s = Open(bad, &t);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  }
}

}  // namespace lode
