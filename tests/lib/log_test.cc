#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "lib/log_format.h"
#include "lib/log_reader.h"
#include "lib/log_writer.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/random.h"
#include "tests/util/test_util.h"

namespace lode::log {
namespace {

// A WritableFile that appends to a string.
class StringDest final : public WritableFile {
 public:
  Status Append(const Slice& data) override {
    if (fail_appends) return Status::IOError("injected append failure");
    contents.append(data.data(), data.size());
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }

  std::string contents;
  bool fail_appends = false;
};

// A SequentialFile over a string; can hand out short reads and fail at an
// offset to check the reader does not depend on the Env's read sizes.
class StringSource final : public SequentialFile {
 public:
  explicit StringSource(Slice contents) : contents_(contents) {}
  Status Read(size_t n, Slice* result, char* scratch) override {
    if (fail_at_ != UINT64_MAX && pos_ >= fail_at_) {
      return Status::IOError("injected read failure");
    }
    n = std::min(n, max_read_);
    n = std::min(n, contents_.size() - pos_);
    memcpy(scratch, contents_.data() + pos_, n);
    pos_ += n;
    *result = Slice(scratch, n);
    return Status::OK();
  }
  Status Skip(uint64_t n) override {
    pos_ = std::min<uint64_t>(contents_.size(), pos_ + n);
    return Status::OK();
  }
  size_t max_read_ = SIZE_MAX;
  uint64_t fail_at_ = UINT64_MAX;

 private:
  Slice contents_;
  size_t pos_ = 0;
};

class RecordingReporter final : public Reader::Reporter {
 public:
  void Corruption(size_t bytes, const Status& status) override {
    corruption_bytes += bytes;
    corruptions.push_back(status);
  }
  void TornTail(size_t bytes, const Status& status) override {
    torn_bytes += bytes;
    torn.push_back(status);
  }
  std::vector<Status> corruptions;
  std::vector<Status> torn;
  size_t corruption_bytes = 0;
  size_t torn_bytes = 0;
};

// Where a record written when the file held `size` bytes starts: a new
// block if the current one has no room for a header.
uint64_t RecordStart(uint64_t size) {
  const uint64_t left = kBlockSize - size % kBlockSize;
  return left < kHeaderSize ? size + left : size;
}

// A record of n bytes whose contents depend on its index, so a record
// returned in the wrong place or with a wrong piece fails the comparison.
std::string MakeRecord(uint64_t index, size_t n) {
  std::string s(n, '\0');
  Random rnd(index + 1);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) EncodeFixed64(&s[i], rnd.Next64());
  for (; i < n; i++) s[i] = static_cast<char>(rnd.Next());
  return s;
}

class LogTest : public ::testing::Test {
 protected:
  // Compares without printing megabytes of record bytes.
  static void ExpectSameRecords(const std::vector<std::string>& got,
                                const std::vector<std::string>& expected) {
    EXPECT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < std::min(got.size(), expected.size()); i++) {
      if (got[i] != expected[i]) {
        ADD_FAILURE() << "record " << i << " differs (" << got[i].size() << " vs "
                      << expected[i].size() << " bytes)";
        return;
      }
    }
  }
  void Write(const std::string& record) {
    starts_.push_back(RecordStart(dest_.contents.size()));
    ASSERT_TRUE(writer_.AddRecord(record).ok());
    ends_.push_back(dest_.contents.size());
    written_.push_back(record);
  }
  // Reads every record of `contents` (default: what was written).
  std::vector<std::string> ReadAllRecords(bool checksum = true, size_t max_read = SIZE_MAX) {
    return ReadRecordsOf(dest_.contents, checksum, max_read);
  }
  std::vector<std::string> ReadRecordsOf(const std::string& contents, bool checksum = true,
                                         size_t max_read = SIZE_MAX) {
    StringSource source(contents);
    source.max_read_ = max_read;
    reporter_ = RecordingReporter();
    Reader reader(&source, "000007.log", &reporter_, checksum);
    std::vector<std::string> out;
    offsets_.clear();
    Slice record;
    std::string scratch;
    while (reader.ReadRecord(&record, &scratch)) {
      out.push_back(record.ToString());
      offsets_.push_back(reader.LastRecordOffset());
    }
    return out;
  }

  StringDest dest_;
  Writer writer_{&dest_};
  std::vector<std::string> written_;
  std::vector<uint64_t> starts_;   // physical offset of each written record
  std::vector<uint64_t> ends_;     // file size after each written record
  std::vector<uint64_t> offsets_;  // LastRecordOffset of each record read
  RecordingReporter reporter_;
};

TEST_F(LogTest, EmptyFileHasNoRecordsAndNoDamage) {
  EXPECT_TRUE(ReadAllRecords().empty());
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, EmptyRecordRoundTrips) {
  Write("");
  Write("x");
  Write("");
  EXPECT_EQ(dest_.contents.size(), 3 * kHeaderSize + 1);
  ExpectSameRecords(ReadAllRecords(), written_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, SmallRecordsRoundTripWithOffsets) {
  for (int i = 0; i < 100; i++) Write(MakeRecord(i, i * 7));
  ExpectSameRecords(ReadAllRecords(), written_);
  EXPECT_EQ(offsets_, starts_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, FragmentHeaderCarriesFormatVersion) {
  Write("abc");
  ASSERT_GE(dest_.contents.size(), kHeaderSize);
  const uint8_t type = static_cast<uint8_t>(dest_.contents[kTypeOffset]);
  EXPECT_EQ(FragmentTypeVersion(type), kLogFormatVersion);
  EXPECT_EQ(FragmentTypeKind(type), kFullKind);
  EXPECT_EQ(DecodeFixed16(dest_.contents.data() + kLengthOffset), 3);
  EXPECT_EQ(DecodeFixed32(dest_.contents.data() + kChecksumOffset),
            Checksum32(dest_.contents.data() + kTypeOffset, 4));
}

TEST_F(LogTest, RecordFillingExactlyOneBlock) {
  Write(MakeRecord(1, kBlockSize - kHeaderSize));
  EXPECT_EQ(dest_.contents.size(), kBlockSize);
  Write(MakeRecord(2, 10));
  EXPECT_EQ(dest_.contents.size(), kBlockSize + kHeaderSize + 10);
  ExpectSameRecords(ReadAllRecords(), written_);
  EXPECT_EQ(offsets_, starts_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, EveryTrailerSizeAtBlockEnd) {
  // Leave 0..kHeaderSize+1 bytes at the end of the first block, then write
  // the next record: covers the zero-filled trailer and an empty FIRST.
  for (size_t leftover = 0; leftover <= kHeaderSize + 1; leftover++) {
    StringDest dest;
    Writer writer(&dest);
    std::vector<std::string> records = {MakeRecord(leftover, kBlockSize - kHeaderSize - leftover),
                                        MakeRecord(100 + leftover, 3000), "tail"};
    for (const auto& r : records) ASSERT_TRUE(writer.AddRecord(r).ok());
    SCOPED_TRACE("leftover " + std::to_string(leftover));
    ExpectSameRecords(ReadRecordsOf(dest.contents), records);
    EXPECT_TRUE(reporter_.corruptions.empty()) << "leftover " << leftover;
    EXPECT_TRUE(reporter_.torn.empty()) << "leftover " << leftover;
    if (leftover < kHeaderSize) {
      EXPECT_EQ(offsets_[1], kBlockSize) << "leftover " << leftover;
    } else {
      EXPECT_EQ(offsets_[1], kBlockSize - leftover) << "leftover " << leftover;
    }
  }
}

TEST_F(LogTest, RecordsSpanningManyBlocks) {
  Random rnd(301);
  for (int i = 0; i < 300; i++) {
    Write(MakeRecord(i, rnd.Skewed(17)));  // up to 128 KiB: up to 5 blocks
  }
  Write(MakeRecord(999, 10 * kBlockSize + 123));
  ExpectSameRecords(ReadAllRecords(), written_);
  EXPECT_EQ(offsets_, starts_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, ShortReadsFromTheFileChangeNothing) {
  Random rnd(7);
  for (int i = 0; i < 50; i++) Write(MakeRecord(i, rnd.Skewed(16)));
  ExpectSameRecords(ReadAllRecords(true, 999), written_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, RecordOf64MiBAndMore) {
  const size_t n = (size_t{64} << 20) + 12345;
  std::string big = MakeRecord(64, n);
  Write(big);
  Write("after");
  StringSource source(dest_.contents);
  Reader reader(&source, "000007.log", &reporter_, true);
  Slice record;
  std::string scratch;
  ASSERT_TRUE(reader.ReadRecord(&record, &scratch));
  EXPECT_EQ(record.size(), n);
  EXPECT_TRUE(record == Slice(big));
  EXPECT_EQ(reader.LastRecordOffset(), 0u);
  ASSERT_TRUE(reader.ReadRecord(&record, &scratch));
  EXPECT_EQ(record.ToString(), "after");
  EXPECT_FALSE(reader.ReadRecord(&record, &scratch));
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, WriterAppendingToExistingLog) {
  Random rnd(11);
  for (int i = 0; i < 20; i++) Write(MakeRecord(i, rnd.Skewed(15)));
  // A second writer continues the same file, as after reopening it.
  Writer second(&dest_, dest_.contents.size());
  for (int i = 20; i < 40; i++) {
    std::string r = MakeRecord(i, rnd.Skewed(15));
    starts_.push_back(RecordStart(dest_.contents.size()));
    ASSERT_TRUE(second.AddRecord(r).ok());
    written_.push_back(r);
  }
  ExpectSameRecords(ReadAllRecords(), written_);
  EXPECT_EQ(offsets_, starts_);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, AppendFailureIsReturned) {
  dest_.fail_appends = true;
  Status s = writer_.AddRecord("x");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
}

TEST_F(LogTest, RoundTripThroughPosixEnv) {
  test::TempDir dir;
  const std::string fname = dir.File("000003.log");
  Env* env = Env::Default();
  std::vector<std::string> records;
  {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(env->NewWritableFile(fname, &file).ok());
    Writer writer(file.get());
    Random rnd(5);
    for (int i = 0; i < 30; i++) {
      records.push_back(MakeRecord(i, rnd.Skewed(17)));
      ASSERT_TRUE(writer.AddRecord(records.back()).ok());
    }
    ASSERT_TRUE(file->Sync().ok());
    ASSERT_TRUE(file->Close().ok());
  }
  std::unique_ptr<SequentialFile> file;
  ASSERT_TRUE(env->NewSequentialFile(fname, &file).ok());
  Reader reader(file.get(), fname, &reporter_, true);
  std::vector<std::string> got;
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) got.push_back(record.ToString());
  EXPECT_EQ(got, records);
  EXPECT_TRUE(reporter_.corruptions.empty());
}

// --- Torn tails ---------------------------------------------------------

TEST_F(LogTest, TruncationAnywhereIsATornTailAndKeepsEarlierRecords) {
  Random rnd(17);
  for (int i = 0; i < 40; i++) Write(MakeRecord(i, rnd.Skewed(16)));
  const std::string full = dest_.contents;
  // Clean cut points: the end of a record, or the start of the next record
  // when only a block trailer lies between.
  std::vector<uint64_t> clean = {0};
  for (size_t i = 0; i < ends_.size(); i++) {
    clean.push_back(ends_[i]);
    if (i + 1 < starts_.size()) clean.push_back(starts_[i + 1]);
  }
  // Every byte around block boundaries and record ends, plus a stride.
  std::vector<uint64_t> cuts;
  for (uint64_t c = 0; c < full.size(); c += 97) cuts.push_back(c);
  for (uint64_t b = kBlockSize; b < full.size(); b += kBlockSize) {
    for (uint64_t d = b - 10; d <= b + 10 && d < full.size(); d++) cuts.push_back(d);
  }
  for (uint64_t e : ends_) {
    for (uint64_t d = e >= 9 ? e - 9 : 0; d <= e + 9 && d < full.size(); d++) cuts.push_back(d);
  }
  for (uint64_t cut : cuts) {
    std::vector<std::string> expected;
    for (size_t i = 0; i < ends_.size(); i++) {
      if (ends_[i] <= cut) expected.push_back(written_[i]);
    }
    const bool is_clean = std::find(clean.begin(), clean.end(), cut) != clean.end();
    SCOPED_TRACE("cut " + std::to_string(cut));
    ExpectSameRecords(ReadRecordsOf(full.substr(0, cut)), expected);
    EXPECT_TRUE(reporter_.corruptions.empty())
        << "cut " << cut << ": " << reporter_.corruptions[0].ToString();
    if (is_clean) {
      EXPECT_TRUE(reporter_.torn.empty()) << "cut " << cut;
    } else {
      ASSERT_EQ(reporter_.torn.size(), 1u) << "cut " << cut;
      EXPECT_TRUE(reporter_.torn[0].IsCorruption());
      EXPECT_NE(reporter_.torn[0].ToString().find("000007.log"), std::string::npos);
      EXPECT_GT(reporter_.torn_bytes, 0u) << "cut " << cut;
    }
  }
}

TEST_F(LogTest, TornTailNamesTheOffsetOfTheCutRecord) {
  Write(MakeRecord(1, 100));
  Write(MakeRecord(2, 5000));
  const std::string cut = dest_.contents.substr(0, dest_.contents.size() - 10);
  ExpectSameRecords(ReadRecordsOf(cut), {written_[0]});
  ASSERT_EQ(reporter_.torn.size(), 1u);
  EXPECT_NE(reporter_.torn[0].ToString().find("at offset " + std::to_string(starts_[1])),
            std::string::npos)
      << reporter_.torn[0].ToString();
}

TEST_F(LogTest, ZeroFilledTailIsATornTail) {
  for (int i = 0; i < 10; i++) Write(MakeRecord(i, 5000));
  for (size_t zeros :
       {size_t{1}, size_t{6}, size_t{7}, size_t{100}, kBlockSize, 3 * kBlockSize + 5}) {
    SCOPED_TRACE("zeros " + std::to_string(zeros));
    std::string contents = dest_.contents + std::string(zeros, '\0');
    ExpectSameRecords(ReadRecordsOf(contents), written_);
    EXPECT_TRUE(reporter_.corruptions.empty()) << zeros;
    EXPECT_EQ(reporter_.torn.size(), 1u) << zeros;
  }
}

TEST_F(LogTest, GarbageTailIsATornTail) {
  for (int i = 0; i < 10; i++) Write(MakeRecord(i, 5000));
  Random rnd(99);
  for (size_t n : {size_t{3}, size_t{50}, size_t{40000}, size_t{100000}}) {
    SCOPED_TRACE("garbage " + std::to_string(n));
    std::string contents = dest_.contents + test::RandomBytes(&rnd, n);
    ExpectSameRecords(ReadRecordsOf(contents), written_);
    EXPECT_TRUE(reporter_.corruptions.empty()) << n;
    EXPECT_EQ(reporter_.torn.size(), 1u) << n;
  }
}

TEST_F(LogTest, DamagedLastRecordIsATornTail) {
  for (int i = 0; i < 5; i++) Write(MakeRecord(i, 1000));
  std::string contents = dest_.contents;
  contents[contents.size() - 3] ^= 0x10;  // payload of the last record
  std::vector<std::string> expected(written_.begin(), written_.end() - 1);
  ExpectSameRecords(ReadRecordsOf(contents), expected);
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_EQ(reporter_.torn.size(), 1u);
}

TEST_F(LogTest, ZeroedPagesAtTheTailOfAMultiBlockRecordAreATornTail) {
  // A big unsynced write whose middle never reached the disk: the fragments
  // that did arrive after the hole complete no record.
  Write(MakeRecord(1, 100));
  Write(MakeRecord(2, 4 * kBlockSize));
  std::string contents = dest_.contents;
  std::fill(contents.begin() + kBlockSize, contents.begin() + 2 * kBlockSize, '\0');
  ExpectSameRecords(ReadRecordsOf(contents), {written_[0]});
  EXPECT_TRUE(reporter_.corruptions.empty());
  EXPECT_EQ(reporter_.torn.size(), 1u);
}

// --- Corruption in the middle -------------------------------------------

TEST_F(LogTest, PayloadBitFlipInTheMiddleLosesOnlyThatRecord) {
  for (int i = 0; i < 200; i++) Write(MakeRecord(i, 1000));  // ~6 blocks
  size_t victim = 0;
  while (starts_[victim] < kBlockSize) victim++;
  std::string contents = dest_.contents;
  contents[starts_[victim] + kHeaderSize + 10] ^= 0x01;

  std::vector<std::string> got = ReadRecordsOf(contents);
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_TRUE(reporter_.torn.empty());
  const std::string msg = reporter_.corruptions[0].ToString();
  EXPECT_TRUE(reporter_.corruptions[0].IsCorruption());
  EXPECT_NE(msg.find("000007.log"), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at offset " + std::to_string(starts_[victim])), std::string::npos) << msg;
  EXPECT_EQ(reporter_.corruption_bytes, kHeaderSize + 1000);
  // The length was intact (an intact fragment follows it): only the victim
  // is lost.
  std::vector<std::string> expected = written_;
  expected.erase(expected.begin() + victim);
  ExpectSameRecords(got, expected);
}

TEST_F(LogTest, GarbledHeaderInTheMiddleResyncsAtTheNextBlock) {
  for (int i = 0; i < 200; i++) Write(MakeRecord(i, 1000));  // ~6 blocks
  size_t victim = 0;
  while (starts_[victim] < kBlockSize) victim++;
  std::string contents = dest_.contents;
  for (size_t k = 0; k < kHeaderSize; k++) contents[starts_[victim] + k] = '\xff';

  std::vector<std::string> got = ReadRecordsOf(contents);
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_TRUE(reporter_.torn.empty());
  const std::string msg = reporter_.corruptions[0].ToString();
  EXPECT_NE(msg.find("at offset " + std::to_string(starts_[victim])), std::string::npos) << msg;
  // Returned: every record before the victim, then every record that starts
  // in block 2 or later; the rest of block 1 and the tail of the record
  // crossing into block 2 are dropped.
  std::vector<std::string> expected;
  for (size_t i = 0; i < written_.size(); i++) {
    if (i < victim || starts_[i] >= 2 * kBlockSize) expected.push_back(written_[i]);
  }
  ExpectSameRecords(got, expected);
  EXPECT_GE(reporter_.corruption_bytes, 2 * kBlockSize - starts_[victim]);
}

TEST_F(LogTest, BadLengthInTheMiddleIsCorruption) {
  for (int i = 0; i < 100; i++) Write(MakeRecord(i, 1000));
  std::string contents = dest_.contents;
  EncodeFixed16(&contents[starts_[5] + kLengthOffset], 0xffff);
  std::vector<std::string> got = ReadRecordsOf(contents);
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_TRUE(reporter_.torn.empty());
  EXPECT_NE(reporter_.corruptions[0].ToString().find("at offset " + std::to_string(starts_[5])),
            std::string::npos)
      << reporter_.corruptions[0].ToString();
  ASSERT_GE(got.size(), 6u);
  EXPECT_EQ(got[4], written_[4]);
  EXPECT_EQ(got.back(), written_.back());
}

TEST_F(LogTest, ChecksumMismatchInLastBlockFollowedByRecordsIsCorruption) {
  // Damage in the last block with intact records after it is not a torn
  // tail: those records may have been synced.
  for (int i = 0; i < 10; i++) Write(MakeRecord(i, 500));
  std::string contents = dest_.contents;
  contents[starts_[4] + kHeaderSize + 7] ^= 0x02;
  std::vector<std::string> expected = written_;
  expected.erase(expected.begin() + 4);
  ExpectSameRecords(ReadRecordsOf(contents), expected);
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_NE(reporter_.corruptions[0].ToString().find("at offset " + std::to_string(starts_[4])),
            std::string::npos);
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, BitFlipInLengthInLastBlockFollowedByRecordsIsCorruption) {
  for (int i = 0; i < 10; i++) Write(MakeRecord(i, 500));
  for (int bit = 0; bit < 16; bit++) {
    SCOPED_TRACE("bit " + std::to_string(bit));
    std::string contents = dest_.contents;
    uint16_t len = DecodeFixed16(&contents[starts_[4] + kLengthOffset]);
    EncodeFixed16(&contents[starts_[4] + kLengthOffset], len ^ (1u << bit));
    std::vector<std::string> expected = written_;
    expected.erase(expected.begin() + 4);
    ExpectSameRecords(ReadRecordsOf(contents), expected);
    EXPECT_EQ(reporter_.corruptions.size(), 1u) << "bit " << bit;
    EXPECT_TRUE(reporter_.torn.empty()) << "bit " << bit;
  }
}

TEST_F(LogTest, ZeroedBlockInTheMiddleIsCorruption) {
  for (int i = 0; i < 200; i++) Write(MakeRecord(i, 1000));
  std::string contents = dest_.contents;
  std::fill(contents.begin() + kBlockSize, contents.begin() + 2 * kBlockSize, '\0');
  std::vector<std::string> got = ReadRecordsOf(contents);
  EXPECT_FALSE(reporter_.corruptions.empty());
  EXPECT_TRUE(reporter_.torn.empty());
  EXPECT_EQ(got.back(), written_.back());
}

TEST_F(LogTest, DamageThenTornTailReportsBoth) {
  for (int i = 0; i < 100; i++) Write(MakeRecord(i, 1000));
  std::string contents = dest_.contents;
  contents[starts_[3] + kHeaderSize] ^= 0x40;
  contents.resize(contents.size() - 1);  // tear the last record
  std::vector<std::string> got = ReadRecordsOf(contents);
  EXPECT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_EQ(reporter_.torn.size(), 1u);
  EXPECT_EQ(got.back(), written_[written_.size() - 2]);
}

TEST_F(LogTest, UnknownFormatVersionIsCorruptionAndSkipsOnlyThatFragment) {
  Write("before");
  // A fragment from a future format, intact: version 2, FULL.
  std::string frag(kHeaderSize, '\0');
  frag += "future";
  frag[kTypeOffset] = static_cast<char>((2 << 4) | kFullKind);
  EncodeFixed16(&frag[kLengthOffset], 6);
  EncodeFixed32(&frag[kChecksumOffset], Checksum32(frag.data() + kTypeOffset, 7));
  const uint64_t frag_offset = dest_.contents.size();
  dest_.contents += frag;
  Writer continued(&dest_, dest_.contents.size());
  ASSERT_TRUE(continued.AddRecord("after").ok());

  EXPECT_EQ(ReadAllRecords(), (std::vector<std::string>{"before", "after"}));
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  const std::string msg = reporter_.corruptions[0].ToString();
  EXPECT_NE(msg.find("unsupported log format version 2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at offset " + std::to_string(frag_offset)), std::string::npos) << msg;
  EXPECT_TRUE(reporter_.torn.empty());
}

TEST_F(LogTest, WithoutChecksumsDamagedPayloadIsReturned) {
  Write("hello");
  Write("world");
  std::string contents = dest_.contents;
  contents[kHeaderSize] = 'j';
  EXPECT_EQ(ReadRecordsOf(contents, /*checksum=*/false),
            (std::vector<std::string>{"jello", "world"}));
  EXPECT_EQ(ReadRecordsOf(contents, /*checksum=*/true), (std::vector<std::string>{"world"}));
  EXPECT_EQ(reporter_.corruptions.size(), 1u);
}

TEST_F(LogTest, ReadErrorIsReportedAndEndsTheLog) {
  for (int i = 0; i < 10; i++) Write(MakeRecord(i, 10000));
  StringSource source(dest_.contents);
  source.fail_at_ = kBlockSize;
  Reader reader(&source, "000007.log", &reporter_, true);
  Slice record;
  std::string scratch;
  int n = 0;
  while (reader.ReadRecord(&record, &scratch)) n++;
  EXPECT_EQ(n, 3);  // the records wholly in block 0
  ASSERT_EQ(reporter_.corruptions.size(), 1u);
  EXPECT_TRUE(reporter_.corruptions[0].IsIOError()) << reporter_.corruptions[0].ToString();
  EXPECT_TRUE(reporter_.torn.empty());
  EXPECT_FALSE(reader.ReadRecord(&record, &scratch));
}

TEST_F(LogTest, NullReporterIsAllowed) {
  Write("a");
  std::string contents = dest_.contents + std::string(20, 'x');
  StringSource source(contents);
  Reader reader(&source, "000007.log", nullptr, true);
  Slice record;
  std::string scratch;
  ASSERT_TRUE(reader.ReadRecord(&record, &scratch));
  EXPECT_EQ(record.ToString(), "a");
  EXPECT_FALSE(reader.ReadRecord(&record, &scratch));
}

}  // namespace
}  // namespace lode::log
