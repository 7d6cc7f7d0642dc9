// EncryptedEnv on its own: page and stream layouts round-trip, sizes are
// plaintext sizes, every damaged or moved unit is Corruption naming the file,
// a torn stream tail reads as end of file, and the key providers.
#include "lib/encrypted_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

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
