// EncryptedEnv on its own: page, stream and indexed (blob file) layouts
// round-trip at any read offset and size, sizes are plaintext sizes, every
// damaged or moved unit is Corruption naming the file, a torn stream or
// unclosed indexed tail reads as the prefix of whole units, blob files in the
// older paged layout still read, and the key providers.
#include "lib/encrypted_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lib/aes_gcm.h"
#include "lib/util/coding.h"
#include "lib/util/random.h"
#include "tests/util/test_util.h"

namespace lode {
namespace {

std::string Key(char fill) { return std::string(kKeySize, fill); }

class EncryptedEnvTest : public ::testing::Test {
 protected:
  EncryptedEnvTest()
      : provider_(NewStaticKeyProvider({{1, Key('a')}, {2, Key('b')}}, 1)),
        env_(Env::Default(), provider_) {
    env_.SetPageSize(512);
  }

  Status Write(const std::string& name, const std::string& data, size_t piece,
               bool flush_each = false) {
    std::unique_ptr<WritableFile> f;
    Status s = env_.NewWritableFile(dir_.File(name), &f);
    for (size_t i = 0; s.ok() && i < data.size(); i += piece) {
      s = f->Append(Slice(data.data() + i, std::min(piece, data.size() - i)));
      if (s.ok() && flush_each) s = f->Flush();
    }
    if (s.ok()) s = f->Sync();
    if (s.ok()) s = f->Close();
    return s;
  }

  // Reads the whole plaintext with positioned reads of `chunk` bytes.
  Status ReadRandom(const std::string& name, size_t chunk, std::string* out) {
    out->clear();
    std::unique_ptr<RandomAccessFile> f;
    Status s = env_.NewRandomAccessFile(dir_.File(name), &f);
    std::string scratch(chunk, '\0');
    for (uint64_t off = 0; s.ok(); off += chunk) {
      Slice got;
      s = f->Read(off, chunk, &got, scratch.data());
      if (!s.ok() || got.empty()) break;
      out->append(got.data(), got.size());
    }
    return s;
  }

  Status ReadSequential(const std::string& name, std::string* out) {
    out->clear();
    std::unique_ptr<SequentialFile> f;
    Status s = env_.NewSequentialFile(dir_.File(name), &f);
    char scratch[300];
    while (s.ok()) {
      Slice got;
      s = f->Read(sizeof(scratch), &got, scratch);
      if (!s.ok() || got.empty()) break;
      out->append(got.data(), got.size());
    }
    return s;
  }

  // Writes data to an indexed (blob) file in a seeded mix of append sizes,
  // record boundaries and flushes, then Sync and Close. *units gets the
  // plaintext length of every unit the writer should close, modelled from
  // its rules: a unit at every Flush, at a record boundary once
  // kIndexedMinUnit bytes are buffered, and split at kDefaultIndexedUnitSize
  // whenever that much is buffered. If unclosed is set it gets the raw file
  // as a crash before Close would leave it (after the last Flush).
  Status WriteIndexed(const std::string& name, const std::string& data, uint64_t seed,
                      std::vector<uint32_t>* units, std::string* unclosed = nullptr) {
    units->clear();
    size_t buffered = 0;
    auto close_units = [&] {
      while (buffered > 0) {
        const size_t len = std::min<size_t>(buffered, kDefaultIndexedUnitSize);
        units->push_back(static_cast<uint32_t>(len));
        buffered -= len;
      }
    };
    Random rnd(seed);
    std::unique_ptr<WritableFile> f;
    Status s = env_.NewWritableFile(dir_.File(name), &f);
    for (size_t i = 0; s.ok() && i < data.size();) {
      const uint64_t kind = rnd.Uniform(20);
      size_t n = kind < 10   ? 1 + rnd.Uniform(300)
                 : kind < 18 ? 1000 + rnd.Uniform(8000)
                 : kind < 19 ? 20000 + rnd.Uniform(30000)
                             : 65536 + rnd.Uniform(40000);
      n = std::min(n, data.size() - i);
      s = f->Append(Slice(data.data() + i, n));
      i += n;
      buffered += n;
      if (buffered >= kDefaultIndexedUnitSize) close_units();
      if (s.ok() && rnd.OneIn(2)) {
        s = f->MarkRecordBoundary();
        if (buffered >= kIndexedMinUnit) close_units();
      }
      if (s.ok() && rnd.OneIn(12)) {
        s = f->Flush();
        close_units();
      }
    }
    if (s.ok()) s = f->Flush();
    close_units();
    if (s.ok() && unclosed != nullptr) *unclosed = test::ReadAll(dir_.File(name));
    if (s.ok()) s = f->Sync();
    if (s.ok()) s = f->Close();
    return s;
  }

  // File offset of each unit of an indexed file, and of the end of the last.
  static std::vector<size_t> UnitOffsets(const std::vector<uint32_t>& units) {
    std::vector<size_t> at{kFileHeaderSize};
    for (uint32_t len : units) at.push_back(at.back() + kStreamUnitOverhead + len);
    return at;
  }

  // One positioned read through f into a scratch full of garbage, so that a
  // reader leaving bytes unwritten shows.
  static Status ReadAt(RandomAccessFile* f, uint64_t off, size_t n, std::string* out) {
    std::string scratch(n, '\xee');
    Slice got;
    Status s = f->Read(off, n, &got, scratch.data());
    out->assign(got.data(), got.size());
    return s;
  }

  // Every stride-th offset with sizes cycling from one byte to more than two
  // units, every unit boundary +-1 and +-5, and reads at and past the end.
  void ExpectEveryReadMatches(const std::string& name, const std::string& data,
                              const std::vector<uint32_t>& units, size_t stride) {
    std::unique_ptr<RandomAccessFile> f;
    ASSERT_TRUE(env_.NewRandomAccessFile(dir_.File(name), &f).ok());
    auto check = [&](uint64_t off, size_t n) {
      std::string got;
      Status s = ReadAt(f.get(), off, n, &got);
      ASSERT_TRUE(s.ok()) << name << " off " << off << " n " << n << ": " << s.ToString();
      const std::string want = off >= data.size() ? "" : data.substr(off, n);
      ASSERT_EQ(want.size(), got.size()) << name << " off " << off << " n " << n;
      ASSERT_TRUE(want == got) << name << " off " << off << " n " << n;
    };
    const size_t sizes[] = {1, 37, 4096, 5000, kDefaultIndexedUnitSize + 100, 150000};
    size_t k = 0;
    for (uint64_t off = 0; off < data.size(); off += stride) {
      ASSERT_NO_FATAL_FAILURE(check(off, sizes[k++ % std::size(sizes)]));
    }
    uint64_t start = 0;
    for (uint32_t len : units) {
      for (size_t n : {size_t{1}, size_t{2}, size_t{10}, size_t{len}, size_t{len} + 1}) {
        ASSERT_NO_FATAL_FAILURE(check(start, n));  // from a unit's first byte
        if (start >= 5) {
          ASSERT_NO_FATAL_FAILURE(check(start - 5, n));
          ASSERT_NO_FATAL_FAILURE(check(start - 1, n));
        }
      }
      start += len;
    }
    ASSERT_EQ(data.size(), start);
    for (uint64_t back : {0, 1, 10, 5000}) {
      if (back <= data.size()) {
        ASSERT_NO_FATAL_FAILURE(check(data.size() - back, 100));  // short at the end
      }
    }
    ASSERT_NO_FATAL_FAILURE(check(data.size() + 1000, 10));
    ASSERT_NO_FATAL_FAILURE(check(0, data.size() + 1000));
  }

  // Opens name and reads it whole: the first failure, else OK with *out.
  Status OpenAndReadAll(const std::string& name, size_t size_hint, std::string* out) {
    out->clear();
    std::unique_ptr<RandomAccessFile> f;
    Status s = env_.NewRandomAccessFile(dir_.File(name), &f);
    if (!s.ok()) return s;
    return ReadAt(f.get(), 0, size_hint + 1000, out);
  }

  uint64_t PlainSize(const std::string& name) {
    uint64_t size = ~0ull;
    Status s = env_.GetFileSize(dir_.File(name), &size);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return size;
  }

  test::TempDir dir_;
  std::shared_ptr<KeyProvider> provider_;
  EncryptedEnv env_;
};

TEST_F(EncryptedEnvTest, PagedFilesRoundTripAtEveryReadOffsetAndSize) {
  Random rnd(301);
  for (size_t size : {0, 1, 511, 512, 513, 1024, 5000}) {
    const std::string name = std::to_string(size + 10) + ".sst";
    const std::string data = test::RandomBytes(&rnd, size);
    ASSERT_TRUE(Write(name, data, 97).ok());
    uint64_t fsize = 0;
    ASSERT_TRUE(env_.GetFileSize(dir_.File(name), &fsize).ok());
    EXPECT_EQ(size, fsize);
    for (size_t chunk : {1, 100, 512, 700, 6000}) {
      std::string back;
      ASSERT_TRUE(ReadRandom(name, chunk, &back).ok()) << size << " " << chunk;
      EXPECT_EQ(data, back) << size << " " << chunk;
    }
    std::string seq;
    ASSERT_TRUE(ReadSequential(name, &seq).ok());
    EXPECT_EQ(data, seq);
  }
}

TEST_F(EncryptedEnvTest, StreamFilesRoundTripAndReportPlaintextSize) {
  Random rnd(7);
  const std::string data = test::RandomBytes(&rnd, 200000);
  ASSERT_TRUE(Write("000003.log", data, 1000, /*flush_each=*/true).ok());
  ASSERT_TRUE(Write("MANIFEST-000004", data, 150000).ok());  // splits at the unit size
  for (const char* name : {"000003.log", "MANIFEST-000004"}) {
    std::string back;
    ASSERT_TRUE(ReadSequential(name, &back).ok());
    EXPECT_EQ(data, back);
    uint64_t fsize = 0;
    ASSERT_TRUE(env_.GetFileSize(dir_.File(name), &fsize).ok());
    EXPECT_EQ(data.size(), fsize);
  }
}

TEST_F(EncryptedEnvTest, OtherFilesStayPlain) {
  ASSERT_TRUE(Write("CURRENT", "MANIFEST-000001\n", 100).ok());
  EXPECT_EQ("MANIFEST-000001\n", test::ReadAll(dir_.File("CURRENT")));
}

TEST_F(EncryptedEnvTest, NoPlaintextOnDisk) {
  std::string data;
  for (int i = 0; i < 100; i++) data += "SECRET-MARKER-";
  ASSERT_TRUE(Write("000005.sst", data, 33).ok());
  ASSERT_TRUE(Write("000006.log", data, 33, true).ok());
  for (const char* name : {"000005.sst", "000006.log"}) {
    EXPECT_EQ(std::string::npos, test::ReadAll(dir_.File(name)).find("SECRET"));
  }
}

TEST_F(EncryptedEnvTest, TornStreamTailReadsAsEndOfFile) {
  std::string data(3000, 'x');
  ASSERT_TRUE(Write("000007.log", data, 1000, /*flush_each=*/true).ok());  // 3 units
  const std::string raw = test::ReadAll(dir_.File("000007.log"));
  const size_t unit = kStreamUnitOverhead + 1000;
  ASSERT_EQ(kFileHeaderSize + 3 * unit, raw.size());
  for (size_t cut : {raw.size() - 1, raw.size() - unit + 3, kFileHeaderSize + unit + 20}) {
    test::WriteAll(dir_.File("000007.log"), Slice(raw.data(), cut));
    std::string back;
    ASSERT_TRUE(ReadSequential("000007.log", &back).ok()) << cut;
    EXPECT_EQ(data.substr(0, ((cut - kFileHeaderSize) / unit) * 1000), back) << cut;
  }
  for (size_t cut : {size_t{0}, size_t{20}}) {  // torn before the header was whole
    test::WriteAll(dir_.File("000007.log"), Slice(raw.data(), cut));
    std::string back;
    ASSERT_TRUE(ReadSequential("000007.log", &back).ok());
    EXPECT_TRUE(back.empty());
  }
}

// Flips each byte of interest in turn: every read must fail with Corruption
// naming the file, or (never) return the original bytes' positions with other data.
TEST_F(EncryptedEnvTest, EveryFlippedByteIsCorruptionNamingTheFile) {
  Random rnd(11);
  const std::string data = test::RandomBytes(&rnd, 2000);
  ASSERT_TRUE(Write("000008.sst", data, 100).ok());
  ASSERT_TRUE(Write("000009.log", data, 500, true).ok());
  for (const char* name : {"000008.sst", "000009.log"}) {
    const std::string raw = test::ReadAll(dir_.File(name));
    const bool paged = std::string(name).ends_with(".sst");
    // Every byte of a small file: header, unit headers, nonces, bodies, tags.
    for (size_t pos = 0; pos < raw.size(); pos += (pos < 64 ? 1 : 7)) {
      std::string bad = raw;
      bad[pos] ^= 0x20;
      test::WriteAll(dir_.File(name), bad);
      std::string back;
      Status s = paged ? ReadRandom(name, 300, &back) : ReadSequential(name, &back);
      ASSERT_FALSE(s.ok()) << name << " byte " << pos << " read back " << back.size();
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      EXPECT_NE(std::string::npos, s.ToString().find(name)) << s.ToString();
    }
    test::WriteAll(dir_.File(name), raw);
  }
}

TEST_F(EncryptedEnvTest, SwappedOrTruncatedPagesFailAuthentication) {
  Random rnd(12);
  const std::string data = test::RandomBytes(&rnd, 2048);  // 4 full pages + empty final
  ASSERT_TRUE(Write("000010.sst", data, 2048).ok());
  ASSERT_TRUE(Write("000011.sst", data, 2048).ok());
  const std::string a = test::ReadAll(dir_.File("000010.sst"));
  const std::string b = test::ReadAll(dir_.File("000011.sst"));
  const size_t stride = 512 + kPageOverhead;
  auto expect_corrupt = [&](const std::string& name) {
    std::string back;
    Status s = ReadRandom(name, 4096, &back);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(name)) << s.ToString();
  };
  // Two positions in one file.
  std::string swapped = a;
  swapped.replace(kFileHeaderSize, stride, a, kFileHeaderSize + stride, stride);
  swapped.replace(kFileHeaderSize + stride, stride, a, kFileHeaderSize, stride);
  test::WriteAll(dir_.File("000010.sst"), swapped);
  expect_corrupt("000010.sst");
  // The same position of two files (same key, same plaintext).
  std::string moved = a;
  moved.replace(kFileHeaderSize, stride, b, kFileHeaderSize, stride);
  test::WriteAll(dir_.File("000010.sst"), moved);
  expect_corrupt("000010.sst");
  // A whole file under another file's name.
  test::WriteAll(dir_.File("000010.sst"), b);
  expect_corrupt("000010.sst");
  // Cut at a page boundary: the new last page was not sealed as final.
  test::WriteAll(dir_.File("000010.sst"), Slice(a.data(), kFileHeaderSize + 2 * stride));
  expect_corrupt("000010.sst");
}

TEST_F(EncryptedEnvTest, SwappedStreamUnitsFailAuthentication) {
  const std::string data(3000, 'y');  // equal units with equal plaintext
  ASSERT_TRUE(Write("000012.log", data, 1000, true).ok());
  const std::string raw = test::ReadAll(dir_.File("000012.log"));
  const size_t unit = kStreamUnitOverhead + 1000;
  std::string swapped = raw;
  swapped.replace(kFileHeaderSize, unit, raw, kFileHeaderSize + unit, unit);
  swapped.replace(kFileHeaderSize + unit, unit, raw, kFileHeaderSize, unit);
  test::WriteAll(dir_.File("000012.log"), swapped);
  std::string back;
  Status s = ReadSequential("000012.log", &back);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000012.log"));
  EXPECT_TRUE(back.empty());
}

TEST_F(EncryptedEnvTest, FilesRecordTheActiveKeyAndReadersFetchItById) {
  ASSERT_TRUE(Write("000013.sst", "old", 3).ok());
  EncryptedEnv rotated(Env::Default(), NewStaticKeyProvider({{1, Key('a')}, {2, Key('b')}}, 2));
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(rotated.NewWritableFile(dir_.File("000014.sst"), &f).ok());
  ASSERT_TRUE(f->Append("new").ok());
  ASSERT_TRUE(f->Close().ok());
  EncryptionFileHeader h;
  ASSERT_TRUE(ReadEncryptionHeader(Env::Default(), dir_.File("000013.sst"), &h).ok());
  EXPECT_EQ(1u, h.key_id);
  ASSERT_TRUE(ReadEncryptionHeader(Env::Default(), dir_.File("000014.sst"), &h).ok());
  EXPECT_EQ(2u, h.key_id);
  std::string back;
  ASSERT_TRUE(ReadRandom("000014.sst", 10, &back).ok());  // env_ knows key 2 too
  EXPECT_EQ("new", back);

  EncryptedEnv only2(Env::Default(), NewStaticKeyProvider({{2, Key('b')}}, 2));
  std::unique_ptr<RandomAccessFile> r;
  Status s = only2.NewRandomAccessFile(dir_.File("000013.sst"), &r);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("key id 1")) << s.ToString();

  EncryptedEnv wrong(Env::Default(), NewStaticKeyProvider({{1, Key('z')}}, 1));
  ASSERT_TRUE(wrong.NewRandomAccessFile(dir_.File("000013.sst"), &r).ok());
  char scratch[10];
  Slice got;
  s = r->Read(0, 3, &got, scratch);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("authentication failed")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("key id 1")) << s.ToString();
}

// ---- indexed layout (blob files) --------------------------------------------

// The unit headers on disk are the units the writer's rules predict, a closed
// file ends in exactly one index unit and the trailer, and every positioned
// read returns the plaintext (short past the end).
TEST_F(EncryptedEnvTest, IndexedBlobRoundTripsAtEveryOffsetAcrossUnitBoundaries) {
  Random rnd(401);
  const std::string data = test::RandomBytes(&rnd, 300 << 10);
  std::vector<uint32_t> units;
  ASSERT_TRUE(WriteIndexed("000007.blob", data, 17, &units).ok());
  // The script exercised every way a unit closes.
  EXPECT_NE(units.end(), std::find(units.begin(), units.end(), kDefaultIndexedUnitSize));
  EXPECT_TRUE(std::any_of(units.begin(), units.end(),
                          [](uint32_t len) { return len < kIndexedMinUnit; }));  // flushes
  EXPECT_GE(units.size(), 10u);

  const std::string raw = test::ReadAll(dir_.File("000007.blob"));
  const std::vector<size_t> at = UnitOffsets(units);
  const std::string header = raw.substr(0, kFileHeaderChecked + 8);
  for (size_t i = 0; i < units.size(); i++) {
    ASSERT_EQ(units[i], DecodeFixed32(raw.data() + at[i])) << "unit " << i;
    ASSERT_EQ(StreamUnitCheck(header, i, units[i]), DecodeFixed32(raw.data() + at[i] + 4)) << i;
  }
  const size_t index_len = 8 + 4 * units.size();
  ASSERT_EQ(at.back() + kStreamUnitOverhead + index_len + kIndexedTrailerSize, raw.size());
  EXPECT_EQ(index_len, DecodeFixed32(raw.data() + at.back()));
  const char* trailer = raw.data() + raw.size() - kIndexedTrailerSize;
  EXPECT_EQ(data.size(), DecodeFixed64(trailer));
  EXPECT_EQ(at.back(), DecodeFixed64(trailer + 8));
  EXPECT_EQ(kIndexedTrailerMagic, DecodeFixed32(trailer + 20));
  EXPECT_EQ(std::string::npos, raw.find(data.substr(1000, 16)));  // no plaintext on disk

  EXPECT_EQ(data.size(), PlainSize("000007.blob"));
  ASSERT_NO_FATAL_FAILURE(ExpectEveryReadMatches("000007.blob", data, units, 997));
  std::string seq;
  ASSERT_TRUE(ReadSequential("000007.blob", &seq).ok());
  EXPECT_TRUE(data == seq);
  std::string back;
  ASSERT_TRUE(ReadRandom("000007.blob", 4096, &back).ok());
  EXPECT_TRUE(data == back);
}

TEST_F(EncryptedEnvTest, EmptyAndTinyIndexedBlobsRoundTrip) {
  uint64_t number = 20;
  for (size_t size : {0, 1, 100, 4096, 65536, 65537}) {
    const std::string name = "0000" + std::to_string(number++) + ".blob";
    Random rnd(size + 1);
    const std::string data = test::RandomBytes(&rnd, size);
    ASSERT_TRUE(Write(name, data, 1000).ok()) << size;
    EXPECT_EQ(size, PlainSize(name));
    std::string back;
    ASSERT_TRUE(OpenAndReadAll(name, size, &back).ok()) << size;
    EXPECT_TRUE(data == back) << size;
    ASSERT_TRUE(ReadSequential(name, &back).ok()) << size;
    EXPECT_TRUE(data == back) << size;
  }
}

// Write-time separation reads records of a blob file still being written:
// what was flushed is readable (by walking the units) before Close.
TEST_F(EncryptedEnvTest, FlushedBytesOfAnOpenIndexedBlobAreReadable) {
  Random rnd(402);
  const std::string data = test::RandomBytes(&rnd, 20000);
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(env_.NewWritableFile(dir_.File("000008.blob"), &w).ok());
  for (size_t done = 0; done < data.size(); done += 5000) {
    ASSERT_TRUE(w->Append(Slice(data.data() + done, 3000)).ok());
    ASSERT_TRUE(w->MarkRecordBoundary().ok());  // under kIndexedMinUnit: stays buffered
    ASSERT_TRUE(w->Append(Slice(data.data() + done + 3000, 2000)).ok());
    ASSERT_TRUE(w->Flush().ok());
    EXPECT_EQ(done + 5000, PlainSize("000008.blob"));
    std::string back;
    ASSERT_TRUE(OpenAndReadAll("000008.blob", data.size(), &back).ok());
    EXPECT_TRUE(data.substr(0, done + 5000) == back) << done;
  }
  ASSERT_TRUE(w->Close().ok());
  std::string back;
  ASSERT_TRUE(OpenAndReadAll("000008.blob", data.size(), &back).ok());
  EXPECT_TRUE(data == back);
}

// A crash before Close leaves units without index or trailer: the reader
// walks the unit headers and returns the same bytes.
TEST_F(EncryptedEnvTest, UnclosedIndexedBlobReadsByWalkingItsUnits) {
  Random rnd(403);
  const std::string data = test::RandomBytes(&rnd, 300 << 10);
  std::vector<uint32_t> units;
  std::string unclosed;
  ASSERT_TRUE(WriteIndexed("000009.blob", data, 23, &units, &unclosed).ok());
  ASSERT_EQ(UnitOffsets(units).back(), unclosed.size());  // units only
  test::WriteAll(dir_.File("000009.blob"), unclosed);
  EXPECT_EQ(data.size(), PlainSize("000009.blob"));
  ASSERT_NO_FATAL_FAILURE(ExpectEveryReadMatches("000009.blob", data, units, 1499));
  std::string seq;
  ASSERT_TRUE(ReadSequential("000009.blob", &seq).ok());
  EXPECT_TRUE(data == seq);
}

// A crash mid-write cuts the last unit anywhere: the file reads, without an
// error, as exactly its whole units.
TEST_F(EncryptedEnvTest, TornIndexedTailReadsAsItsWholeUnits) {
  Random rnd(404);
  const std::string data = test::RandomBytes(&rnd, 150 << 10);
  std::vector<uint32_t> units;
  std::string unclosed;
  ASSERT_TRUE(WriteIndexed("000010.blob", data, 29, &units, &unclosed).ok());
  const std::vector<size_t> at = UnitOffsets(units);
  ASSERT_GE(units.size(), 4u);
  std::vector<size_t> plain_at{0};
  for (uint32_t len : units) plain_at.push_back(plain_at.back() + len);
  for (size_t u : {size_t{0}, size_t{1}, units.size() / 2, units.size() - 1}) {
    // Cuts inside unit u: in its length, its check, its nonce, its body, its
    // tag; and exactly at its start (unit u - 1 the last whole one).
    for (size_t into :
         {size_t{0}, size_t{2}, size_t{6}, size_t{8 + 5},
          kStreamUnitHeaderSize + kNonceSize + units[u] / 2, kStreamUnitOverhead + units[u] - 1}) {
      const size_t cut = at[u] + into;
      test::WriteAll(dir_.File("000010.blob"), Slice(unclosed.data(), cut));
      const std::string want = data.substr(0, plain_at[u]);
      EXPECT_EQ(want.size(), PlainSize("000010.blob")) << "cut " << cut;
      std::string back;
      Status s = OpenAndReadAll("000010.blob", data.size(), &back);
      ASSERT_TRUE(s.ok()) << "cut " << cut << ": " << s.ToString();
      EXPECT_TRUE(want == back) << "cut " << cut << " read " << back.size();
      ASSERT_TRUE(ReadSequential("000010.blob", &back).ok()) << cut;
      EXPECT_TRUE(want == back) << "cut " << cut;
    }
  }
  // Only the file header, or part of it, reached the disk: an empty file
  // (the blob layer finds no blob header in it).
  for (size_t cut : {kFileHeaderSize, kFileHeaderSize - 1, size_t{20}, size_t{1}}) {
    test::WriteAll(dir_.File("000010.blob"), Slice(unclosed.data(), cut));
    EXPECT_EQ(0u, PlainSize("000010.blob")) << "cut " << cut;
    std::string back;
    Status s = OpenAndReadAll("000010.blob", data.size(), &back);
    ASSERT_TRUE(s.ok()) << "cut " << cut << ": " << s.ToString();
    EXPECT_TRUE(back.empty()) << "cut " << cut;
  }
}

// Flips bytes of a small closed file (three data units, the index unit, the
// trailer): every byte of the file header, unit headers, nonces, tags, index
// unit and trailer, and every 61st ciphertext byte. Opening or reading it
// whole must fail with Corruption naming the file, and never return data.
// Flips that read back OK are collected so one run shows them all.
TEST_F(EncryptedEnvTest, EveryFlippedByteOfAnIndexedBlobIsCorruption) {
  Random rnd(405);
  const std::string data = test::RandomBytes(&rnd, 13000);
  std::unique_ptr<WritableFile> w;
  ASSERT_TRUE(env_.NewWritableFile(dir_.File("000011.blob"), &w).ok());
  size_t done = 0;
  for (size_t len : {5000, 5000, 3000}) {
    ASSERT_TRUE(w->Append(Slice(data.data() + done, len)).ok());
    done += len;
    ASSERT_TRUE(w->MarkRecordBoundary().ok());
  }
  ASSERT_TRUE(w->Flush().ok());
  const std::string unclosed = test::ReadAll(dir_.File("000011.blob"));  // read by a walk
  ASSERT_TRUE(w->Sync().ok());
  ASSERT_TRUE(w->Close().ok());
  const std::string closed = test::ReadAll(dir_.File("000011.blob"));  // read by its index
  const std::vector<size_t> at = UnitOffsets({5000, 5000, 3000});
  ASSERT_EQ(at.back(), unclosed.size());
  ASSERT_EQ(at.back() + kStreamUnitOverhead + 8 + 12 + kIndexedTrailerSize, closed.size());
  for (const std::string& raw : {closed, unclosed}) {
    const bool is_closed = raw.size() == closed.size();
    test::WriteAll(dir_.File("000011.blob"), raw);
    std::string back;
    ASSERT_TRUE(OpenAndReadAll("000011.blob", data.size(), &back).ok());
    ASSERT_TRUE(data == back);
    auto in_ciphertext = [&](size_t pos) {
      for (size_t u = 0; u + 1 < at.size(); u++) {
        const size_t body = at[u] + kStreamUnitHeaderSize + kNonceSize;
        if (pos >= body && pos < at[u + 1] - kTagSize) return (pos - body) % 61 != 0;
      }
      return false;
    };
    std::string read_ok;  // "byte N (the original data)" for every flip that read
    size_t flips = 0;
    for (size_t pos = 0; pos < raw.size(); pos++) {
      if (in_ciphertext(pos)) continue;
      flips++;
      std::string bad = raw;
      bad[pos] ^= 0x20;
      test::WriteAll(dir_.File("000011.blob"), bad);
      Status s = OpenAndReadAll("000011.blob", data.size(), &back);
      if (s.ok()) {
        read_ok += std::string(is_closed ? " closed" : " unclosed") + " byte " +
                   std::to_string(pos) + (data == back ? " (the original data)" : " (OTHER DATA)");
        continue;
      }
      EXPECT_TRUE(s.IsCorruption()) << "byte " << pos << ": " << s.ToString();
      EXPECT_NE(std::string::npos, s.ToString().find("000011.blob")) << s.ToString();
    }
    EXPECT_GT(flips, 300u);
    EXPECT_EQ("", read_ok) << "flips that read back OK from " << raw.size() << " bytes";
  }
}

// Units moved within the file fail authentication (the unit index is in
// their associated data) even when their unit checks are recomputed to match
// their new positions, closed (index) or not (walk).
TEST_F(EncryptedEnvTest, SwappedIndexedUnitsFailEvenWithRecomputedChecks) {
  const std::string data(15000, 'z');  // equal units with equal plaintext
  for (bool closed : {true, false}) {
    std::unique_ptr<WritableFile> w;
    ASSERT_TRUE(env_.NewWritableFile(dir_.File("000012.blob"), &w).ok());
    for (int i = 0; i < 3; i++) {
      ASSERT_TRUE(w->Append(Slice(data.data(), 5000)).ok());
      ASSERT_TRUE(w->MarkRecordBoundary().ok());
    }
    ASSERT_TRUE(w->Flush().ok());
    const std::string open_raw = test::ReadAll(dir_.File("000012.blob"));
    ASSERT_TRUE(w->Close().ok());
    const std::string raw = closed ? test::ReadAll(dir_.File("000012.blob")) : open_raw;
    const std::string header = raw.substr(0, kFileHeaderChecked + 8);
    const size_t unit = kStreamUnitOverhead + 5000;
    std::string swapped = raw;
    swapped.replace(kFileHeaderSize, unit, raw, kFileHeaderSize + unit, unit);
    swapped.replace(kFileHeaderSize + unit, unit, raw, kFileHeaderSize, unit);
    for (uint64_t i : {0, 1}) {
      EncodeFixed32(swapped.data() + kFileHeaderSize + i * unit + 4,
                    StreamUnitCheck(header, i, 5000));
    }
    test::WriteAll(dir_.File("000012.blob"), swapped);
    EXPECT_EQ(data.size(), PlainSize("000012.blob"));  // the headers are consistent
    std::string back;
    Status s = OpenAndReadAll("000012.blob", data.size(), &back);
    EXPECT_TRUE(s.IsCorruption()) << closed << " " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find("000012.blob")) << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find("authentication failed")) << s.ToString();
    // Only the moved units fail: the third still reads.
    std::unique_ptr<RandomAccessFile> f;
    ASSERT_TRUE(env_.NewRandomAccessFile(dir_.File("000012.blob"), &f).ok());
    ASSERT_TRUE(ReadAt(f.get(), 10000, 5000, &back).ok());
    EXPECT_EQ(data.substr(10000), back);
    EXPECT_TRUE(ReadAt(f.get(), 4999, 1, &back).IsCorruption());
    EXPECT_TRUE(ReadAt(f.get(), 5000, 1, &back).IsCorruption());
  }
}

// Cutting a closed file at a unit boundary removes its index and trailer:
// without them the reader cannot tell a shorter file from a crash, so it
// reads the whole units that remain. For finished blob files the blob
// layer's footer check is what catches this; cutting into the index unit or
// the trailer (a Close cut short) likewise loses nothing.
TEST_F(EncryptedEnvTest, ClosedIndexedBlobCutAtAUnitBoundaryReadsAsAPrefix) {
  Random rnd(406);
  const std::string data = test::RandomBytes(&rnd, 100 << 10);
  std::vector<uint32_t> units;
  ASSERT_TRUE(WriteIndexed("000013.blob", data, 31, &units).ok());
  const std::string raw = test::ReadAll(dir_.File("000013.blob"));
  const std::vector<size_t> at = UnitOffsets(units);
  size_t plain = 0;
  for (size_t u = 0; u <= units.size(); u++) {
    test::WriteAll(dir_.File("000013.blob"), Slice(raw.data(), at[u]));
    EXPECT_EQ(plain, PlainSize("000013.blob")) << "units " << u;
    std::string back;
    ASSERT_TRUE(OpenAndReadAll("000013.blob", data.size(), &back).ok()) << u;
    EXPECT_TRUE(data.substr(0, plain) == back) << "units " << u;
    if (u < units.size()) plain += units[u];
  }
  for (size_t cut : {at.back() + 5, at.back() + kStreamUnitOverhead + 8,
                     raw.size() - kIndexedTrailerSize, raw.size() - 1}) {
    test::WriteAll(dir_.File("000013.blob"), Slice(raw.data(), cut));
    EXPECT_EQ(data.size(), PlainSize("000013.blob")) << "cut " << cut;
    std::string back;
    Status s = OpenAndReadAll("000013.blob", data.size(), &back);
    ASSERT_TRUE(s.ok()) << "cut " << cut << ": " << s.ToString();
    EXPECT_TRUE(data == back) << "cut " << cut;
  }
}

// Bytes after the trailer (appended garbage, a second copy of the trailer,
// another file's tail) are Corruption, not a file whose trailer is ignored.
TEST_F(EncryptedEnvTest, BytesAfterTheIndexedTrailerAreCorruption) {
  Random rnd(407);
  const std::string data = test::RandomBytes(&rnd, 30000);
  std::vector<uint32_t> units;
  ASSERT_TRUE(WriteIndexed("000014.blob", data, 37, &units).ok());
  const std::string raw = test::ReadAll(dir_.File("000014.blob"));
  const std::string trailer = raw.substr(raw.size() - kIndexedTrailerSize);
  for (const std::string& extra :
       {std::string(1, '\0'), std::string(kIndexedTrailerSize, 'g'), test::RandomBytes(&rnd, 100),
        trailer, raw.substr(raw.size() - 60)}) {
    test::WriteAll(dir_.File("000014.blob"), raw + extra);
    std::string back;
    Status s = OpenAndReadAll("000014.blob", data.size(), &back);
    EXPECT_TRUE(s.IsCorruption()) << extra.size() << " " << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find("000014.blob")) << s.ToString();
    uint64_t size;
    EXPECT_FALSE(env_.GetFileSize(dir_.File("000014.blob"), &size).ok() && size != data.size())
        << extra.size() << " size " << size;
  }
}

// A blob file as format 1.0 wrote it: the paged layout, built here from
// lib/encryption_format.h since the writer now always writes blob files in
// the indexed layout. Key id 1, pages of page bytes, the last one final.
std::string LegacyPagedBlob(uint64_t number, const std::string& key, const std::string& data,
                            uint32_t page) {
  EncryptionFileHeader h;
  h.key_id = 1;
  h.file_number = number;
  h.file_type = EncryptedFileType::kBlob;
  h.layout = EncryptionLayout::kPaged;
  h.unit_size = page;
  std::string raw;
  h.EncodeTo(&raw);
  const std::string header = raw;
  AesGcm gcm;
  std::string buf(kPageOverhead + page, '\0');
  char* unit = buf.data();
  size_t off = 0;
  uint64_t i = 0;
  do {
    const size_t n = std::min<size_t>(page, data.size() - off);
    EXPECT_TRUE(gcm.NextNonce(unit).ok());
    char aad[kAadSize];
    BuildUnitAad(header, i, off, static_cast<uint32_t>(n), off + n == data.size(), aad);
    EXPECT_TRUE(gcm.Seal(key, unit, Slice(aad, kAadSize), data.data() + off, n, unit + kNonceSize,
                         unit + kNonceSize + n)
                    .ok());
    raw.append(unit, kPageOverhead + n);
    off += n;
    i++;
  } while (off < data.size());
  return raw;
}

TEST_F(EncryptedEnvTest, PagedBlobFilesFromBeforeTheIndexedLayoutStillRead) {
  Random rnd(408);
  uint64_t number = 30;
  for (size_t size : {0, 1, 4096, 10000}) {
    const std::string name = "0000" + std::to_string(number) + ".blob";
    const std::string data = test::RandomBytes(&rnd, size);
    const std::string raw = LegacyPagedBlob(number++, Key('a'), data, 4096);
    test::WriteAll(dir_.File(name), raw);
    EncryptionFileHeader h;
    ASSERT_TRUE(ReadEncryptionHeader(Env::Default(), dir_.File(name), &h).ok());
    ASSERT_EQ(EncryptionLayout::kPaged, h.layout);
    EXPECT_EQ(size, PlainSize(name));
    for (size_t chunk : {1, 1000, 4096, 5000}) {
      if (size > 5000 && chunk == 1) continue;  // enough with the others
      std::string back;
      ASSERT_TRUE(ReadRandom(name, chunk, &back).ok()) << size << " " << chunk;
      EXPECT_TRUE(data == back) << size << " " << chunk;
    }
    std::string seq;
    ASSERT_TRUE(ReadSequential(name, &seq).ok());
    EXPECT_TRUE(data == seq);
    // Still authenticated as pages: a flipped ciphertext byte is Corruption.
    if (size > 0) {
      std::string bad = raw;
      bad[kFileHeaderSize + kNonceSize] ^= 1;
      test::WriteAll(dir_.File(name), bad);
      std::string back;
      Status s = ReadRandom(name, 4096, &back);
      EXPECT_TRUE(s.IsCorruption()) << s.ToString();
      EXPECT_NE(std::string::npos, s.ToString().find(name)) << s.ToString();
    }
  }
}

TEST(KeyProviderTest, FileKeyProviderReadsKeysAndRefusesAGroupReadableFile) {
  test::TempDir dir;
  const std::string path = dir.File("keys");
  test::WriteAll(path, "# lode keys\n1 " + std::string(64, 'a') + "\n7 " + std::string(62, '0') +
                           "ff\nactive 1\n");
  ASSERT_EQ(0, chmod(path.c_str(), 0644));
  std::shared_ptr<KeyProvider> p;
  Status s = NewFileKeyProvider(path, &p);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("0644")) << s.ToString();
  EXPECT_EQ(nullptr, p);

  ASSERT_EQ(0, chmod(path.c_str(), 0600));
  ASSERT_TRUE(NewFileKeyProvider(path, &p).ok());
  EXPECT_EQ(1u, p->ActiveKeyId());
  std::string key;
  ASSERT_TRUE(p->GetKey(7, &key).ok());
  EXPECT_EQ(std::string(31, '\0') + "\xff", key);
  ASSERT_TRUE(p->GetKey(1, &key).ok());
  EXPECT_EQ(std::string(32, '\xaa'), key);
  EXPECT_TRUE(p->GetKey(3, &key).IsNotFound());

  test::WriteAll(path, "1 abcd\n");
  ASSERT_EQ(0, chmod(path.c_str(), 0600));
  s = NewFileKeyProvider(path, &p);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(std::string::npos, s.ToString().find("line 1")) << s.ToString();
}

}  // namespace
}  // namespace lode
