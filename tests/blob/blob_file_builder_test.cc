#include "blob/blob_file_builder.h"

#include <gtest/gtest.h>

#include "blob/blob_file_iterator.h"
#include "blob/blob_file_reader.h"
#include "blob/blob_index.h"
#include "lib/filename.h"
#include "tests/blob/blob_test_util.h"
#include "tests/util/test_util.h"

namespace lode {

class BlobFileBuilderTest : public ::testing::Test {
 protected:
  BlobFileBuilderOptions Options(Env* env) {
    BlobFileBuilderOptions o;
    o.env = env;
    o.dbname = dir_.path();
    o.min_blob_size = 1000;
    o.blob_file_size = 1 << 20;
    o.compression = Compression::kLZ4;
    o.new_file_number = [this] { return next_number_++; };
    return o;
  }
  std::string Read(const std::string& key, const std::string& encoded) {
    BlobIndex index;
    EXPECT_TRUE(index.DecodeFrom(encoded).ok());
    std::unique_ptr<BlobFileReader> r;
    Status s = BlobFileReader::Open(Env::Default(), BlobFileName(dir_.path(), index.file_number),
                                    index.file_number, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return "";
    std::string v;
    s = r->GetBlob(ReadOptions(), key, index, &v);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return v;
  }
  std::vector<std::string> BlobFiles() {
    std::vector<std::string> children, blobs;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    for (const auto& c : children) {
      if (c.size() > 5 && c.substr(c.size() - 5) == ".blob") blobs.push_back(c);
    }
    return blobs;
  }

  test::TempDir dir_;
  uint64_t next_number_ = 10;
};

TEST_F(BlobFileBuilderTest, SmallValuesStayInlineAndCreateNoFile) {
  BlobFileBuilder b(Options(Env::Default()));
  std::string idx;
  bool separated = true;
  ASSERT_TRUE(b.Add("k", std::string(999, 'x'), &idx, &separated).ok());
  EXPECT_FALSE(separated);
  EXPECT_TRUE(idx.empty());
  std::vector<BlobFileAdditionInfo> added;
  ASSERT_TRUE(b.Finish(&added).ok());
  EXPECT_TRUE(added.empty());
  EXPECT_TRUE(b.created_files().empty());
  EXPECT_TRUE(BlobFiles().empty());
}

TEST_F(BlobFileBuilderTest, ValuesAtThresholdAreSeparatedAndReadBack) {
  BlobFileBuilder b(Options(Env::Default()));
  std::string idx;
  bool separated = false;
  const std::string value(1000, 'q');
  ASSERT_TRUE(b.Add("key", value, &idx, &separated).ok());
  EXPECT_TRUE(separated);
  std::vector<BlobFileAdditionInfo> added;
  ASSERT_TRUE(b.Finish(&added).ok());
  ASSERT_EQ(1u, added.size());
  EXPECT_EQ(10u, added[0].file_number);
  EXPECT_EQ(1u, added[0].blob_count);
  EXPECT_EQ(value, Read("key", idx));
}

TEST_F(BlobFileBuilderTest, RollsOverAtBlobFileSize) {
  auto o = Options(Env::Default());
  o.blob_file_size = 50000;
  o.compression = Compression::kNone;
  BlobFileBuilder b(o);
  Random rnd(1);
  std::vector<std::pair<std::string, std::string>> kvs;
  std::vector<std::string> indexes;
  for (int i = 0; i < 60; i++) {
    kvs.emplace_back(test::NumberedKey(i), test::RandomBytes(&rnd, 4000 + rnd.Uniform(4000)));
    std::string idx;
    bool separated = false;
    ASSERT_TRUE(b.Add(kvs.back().first, kvs.back().second, &idx, &separated).ok());
    ASSERT_TRUE(separated);
    indexes.push_back(idx);
  }
  std::vector<BlobFileAdditionInfo> added;
  ASSERT_TRUE(b.Finish(&added).ok());
  ASSERT_GE(added.size(), 4u);
  ASSERT_EQ(b.created_files().size(), added.size());
  uint64_t count = 0;
  for (size_t f = 0; f < added.size(); f++) {
    EXPECT_EQ(b.created_files()[f], added[f].file_number);
    // Every file but the last reached the target; none exceeds it by more than one record.
    if (f + 1 < added.size()) {
      EXPECT_GE(added[f].file_size, o.blob_file_size);
    }
    EXPECT_LT(added[f].file_size, o.blob_file_size + 8100);
    std::unique_ptr<BlobFileReader> r;
    ASSERT_TRUE(BlobFileReader::Open(Env::Default(),
                                     BlobFileName(dir_.path(), added[f].file_number),
                                     added[f].file_number, &r)
                    .ok());
    EXPECT_EQ(added[f].blob_count, r->blob_count());
    EXPECT_EQ(added[f].blob_bytes, r->blob_bytes());
    EXPECT_EQ(added[f].file_size, r->file_size());
    EXPECT_EQ(added[f].records_checksum, r->footer().records_checksum);
    count += added[f].blob_count;
    // blob_bytes is the sum of the index sizes that point into the file.
    uint64_t index_bytes = 0;
    for (const auto& e : indexes) {
      BlobIndex i;
      ASSERT_TRUE(i.DecodeFrom(e).ok());
      if (i.file_number == added[f].file_number) index_bytes += i.size;
    }
    EXPECT_EQ(added[f].blob_bytes, index_bytes);
  }
  EXPECT_EQ(kvs.size(), count);
  for (size_t i = 0; i < kvs.size(); i++) EXPECT_EQ(kvs[i].second, Read(kvs[i].first, indexes[i]));
}

TEST_F(BlobFileBuilderTest, StartsWritebackEveryWritebackBytesAndOnlyWhenAsked) {
  // 40 values of ~5 KB, stored uncompressed, in files of at most 100 KB.
  auto write = [&](uint64_t writeback_bytes, test::CountingEnv* env) {
    auto o = Options(env);
    o.compression = Compression::kNone;
    o.blob_file_size = 100000;
    o.writeback_bytes = writeback_bytes;
    BlobFileBuilder b(o);
    Random rnd(7);
    std::vector<std::pair<std::string, std::string>> kvs;
    std::vector<std::string> indexes;
    for (int i = 0; i < 40; i++) {
      kvs.emplace_back(test::NumberedKey(i), test::RandomBytes(&rnd, 5000));
      std::string idx;
      bool separated = false;
      ASSERT_TRUE(b.Add(kvs.back().first, kvs.back().second, &idx, &separated).ok());
      indexes.push_back(idx);
    }
    std::vector<BlobFileAdditionInfo> added;
    ASSERT_TRUE(b.Finish(&added).ok());
    ASSERT_EQ(2u, added.size());
    // The hint changes nothing a reader sees.
    for (size_t i = 0; i < kvs.size(); i++) {
      EXPECT_EQ(kvs[i].second, Read(kvs[i].first, indexes[i]));
    }
  };
  test::CountingEnv never(Env::Default());
  write(0, &never);
  EXPECT_EQ(0, never.writebacks.load());
  // Two files of 20 records of ~5 KB: a call once 16 KiB more are written,
  // so after records 4, 8, 12 and 16 of each file, counted from each
  // file's start, and none on the 20th, which fills the file and finishes
  // it (its sync does the rest).
  test::CountingEnv every16k(Env::Default());
  write(16 << 10, &every16k);
  EXPECT_EQ(8, every16k.writebacks.load());
}

TEST_F(BlobFileBuilderTest, AFailedWritebackIsTheBuildersError) {
  class FailingWriteback final : public EnvWrapper {
   public:
    FailingWriteback() : EnvWrapper(Env::Default()) {}
    Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
      std::unique_ptr<WritableFile> base;
      Status s = target()->NewWritableFile(f, &base);
      if (s.ok()) *r = std::make_unique<File>(std::move(base));
      return s;
    }

   private:
    class File final : public WritableFileWrapper {
     public:
      using WritableFileWrapper::WritableFileWrapper;
      Status StartWriteback() override { return Status::IOError("injected: writeback failed"); }
    };
  } env;
  auto o = Options(&env);
  o.compression = Compression::kNone;
  o.writeback_bytes = 1;
  BlobFileBuilder b(o);
  std::string idx;
  bool separated = false;
  Status s = b.Add("k1", std::string(2000, 'v'), &idx, &separated);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("writeback")) << s.ToString();
  // Sticky, and Abandon still removes the file.
  EXPECT_TRUE(b.Add("k2", std::string(2000, 'v'), &idx, &separated).IsIOError());
  b.Abandon();
  EXPECT_TRUE(BlobFiles().empty());
}

TEST_F(BlobFileBuilderTest, AddRelocatedCopiesWithoutRecompressing) {
  const std::string value = std::string(30000, 'r') + "tail";
  std::string old_idx;
  {
    BlobFileBuilder b(Options(Env::Default()));
    bool separated = false;
    ASSERT_TRUE(b.Add("key", value, &old_idx, &separated).ok());
    std::vector<BlobFileAdditionInfo> added;
    ASSERT_TRUE(b.Finish(&added).ok());
  }
  BlobIndex old_index;
  ASSERT_TRUE(old_index.DecodeFrom(old_idx).ok());
  ASSERT_EQ(Compression::kLZ4, old_index.compression);
  std::unique_ptr<BlobFileReader> old_reader;
  ASSERT_TRUE(BlobFileReader::Open(Env::Default(), BlobFileName(dir_.path(), old_index.file_number),
                                   old_index.file_number, &old_reader)
                  .ok());
  std::string stored;
  ASSERT_TRUE(old_reader->ReadStored("key", old_index, &stored).ok());

  // The target file's default is no compression: the record stays LZ4.
  auto o = Options(Env::Default());
  o.compression = Compression::kNone;
  o.min_blob_size = 1 << 30;  // relocation separates whatever the threshold
  BlobFileBuilder b(o);
  std::string new_idx;
  ASSERT_TRUE(
      b.AddRelocated("key", stored, old_index.compression, old_index.uncompressed_size, &new_idx)
          .ok());
  std::vector<BlobFileAdditionInfo> added;
  ASSERT_TRUE(b.Finish(&added).ok());
  BlobIndex new_index;
  ASSERT_TRUE(new_index.DecodeFrom(new_idx).ok());
  EXPECT_NE(old_index.file_number, new_index.file_number);
  EXPECT_EQ(Compression::kLZ4, new_index.compression);
  EXPECT_EQ(old_index.size, new_index.size);
  EXPECT_EQ(old_index.uncompressed_size, new_index.uncompressed_size);
  EXPECT_EQ(value, Read("key", new_idx));
  std::unique_ptr<BlobFileReader> new_reader;
  ASSERT_TRUE(BlobFileReader::Open(Env::Default(), BlobFileName(dir_.path(), new_index.file_number),
                                   new_index.file_number, &new_reader)
                  .ok());
  std::string restored;
  ASSERT_TRUE(new_reader->ReadStored("key", new_index, &restored).ok());
  EXPECT_EQ(stored, restored);
}

TEST_F(BlobFileBuilderTest, AbandonDeletesEveryCreatedFile) {
  auto o = Options(Env::Default());
  o.blob_file_size = 10000;
  BlobFileBuilder b(o);
  Random rnd(3);
  for (int i = 0; i < 10; i++) {
    std::string idx;
    bool separated = false;
    ASSERT_TRUE(b.Add(test::NumberedKey(i), test::RandomBytes(&rnd, 4000), &idx, &separated).ok());
  }
  EXPECT_GE(b.created_files().size(), 3u);  // finished ones plus one open
  EXPECT_EQ(b.created_files().size(), BlobFiles().size());
  b.Abandon();
  EXPECT_TRUE(BlobFiles().empty());
}

TEST_F(BlobFileBuilderTest, AbandonAfterFinishDeletesFinishedFiles) {
  BlobFileBuilder b(Options(Env::Default()));
  std::string idx;
  bool separated = false;
  ASSERT_TRUE(b.Add("k", std::string(5000, 'v'), &idx, &separated).ok());
  std::vector<BlobFileAdditionInfo> added;
  ASSERT_TRUE(b.Finish(&added).ok());
  EXPECT_EQ(1u, BlobFiles().size());
  b.Abandon();  // e.g. the manifest write that would name it failed
  EXPECT_TRUE(BlobFiles().empty());
}

TEST_F(BlobFileBuilderTest, WriteFailureIsStickyAndAbandonCleansUp) {
  test::CountingEnv env(Env::Default());
  BlobFileBuilder b(Options(&env));
  std::string idx;
  bool separated = false;
  ASSERT_TRUE(b.Add("k1", std::string(5000, 'a'), &idx, &separated).ok());
  env.append_budget = 100;
  Random rnd(4);
  Status s = b.Add("k2", test::RandomBytes(&rnd, 5000), &idx, &separated);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_FALSE(separated);
  env.append_budget = -1;
  EXPECT_TRUE(b.Add("k3", std::string(5000, 'c'), &idx, &separated).IsIOError());
  std::vector<BlobFileAdditionInfo> added;
  EXPECT_TRUE(b.Finish(&added).IsIOError());
  EXPECT_TRUE(added.empty());
  b.Abandon();
  EXPECT_TRUE(BlobFiles().empty());
}

}  // namespace lode
