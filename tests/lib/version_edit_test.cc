#include "lib/version_edit.h"

#include <gtest/gtest.h>

#include "lib/util/coding.h"
#include "lib/util/random.h"

namespace lode {

namespace {

FileMetaData MakeFile(uint64_t number, const std::string& lo, const std::string& hi,
                      std::vector<BlobRef> refs = {}) {
  FileMetaData f;
  f.number = number;
  f.file_size = 1000 + number;
  f.smallest = InternalKey(lo, 10 + number, kTypeValue);
  f.largest = InternalKey(hi, 20 + number, kTypeDeletion);
  f.smallest_seqno = 10 + number;
  f.largest_seqno = 20 + number;
  f.num_entries = 7 * number;
  f.num_deletions = number;
  f.blob_refs = std::move(refs);
  return f;
}

VersionEdit FullEdit() {
  VersionEdit e;
  e.SetFormatVersion(kManifestFormatVersion);
  e.SetComparatorName("lode.Bytewise");
  e.SetLogNumber(uint64_t{1} << 40);
  e.SetPrevLogNumber(17);
  e.SetNextFile(uint64_t{1} << 50);
  e.SetLastSequence(kMaxSequenceNumber);
  e.SetCompactPointer(3, InternalKey("pointer", 99, kTypeValue));
  e.RemoveFile(1, 40);
  e.RemoveFile(6, 41);
  e.AddFile(0, MakeFile(50, "a", "m", {{7, 3, 300}, {9, 1, 5000}}));
  e.AddFile(4, MakeFile(51, "n", "z"));
  e.AddBlobFile({7, 10, 1000, 1234});
  e.AddBlobFile({uint64_t{1} << 45, 1, 2, 3});
  e.AddBlobGarbage(7, 2, 200);
  e.AddBlobGarbage(8, 1, 100);
  e.DeleteBlobFile(3);
  return e;
}

void ExpectSameFile(const FileMetaData& a, const FileMetaData& b) {
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.file_size, b.file_size);
  EXPECT_EQ(a.smallest.Encode().ToString(), b.smallest.Encode().ToString());
  EXPECT_EQ(a.largest.Encode().ToString(), b.largest.Encode().ToString());
  EXPECT_EQ(a.smallest_seqno, b.smallest_seqno);
  EXPECT_EQ(a.largest_seqno, b.largest_seqno);
  EXPECT_EQ(a.num_entries, b.num_entries);
  EXPECT_EQ(a.num_deletions, b.num_deletions);
  EXPECT_EQ(a.blob_refs, b.blob_refs);
}

}  // namespace

TEST(VersionEditTest, RoundTripKeepsEveryField) {
  VersionEdit e = FullEdit();
  std::string encoded;
  e.EncodeTo(&encoded);
  VersionEdit d;
  ASSERT_TRUE(d.DecodeFrom(encoded).ok());

  ASSERT_TRUE(d.has_format_version());
  EXPECT_EQ(kManifestFormatVersion, d.format_version());
  ASSERT_TRUE(d.has_comparator());
  EXPECT_EQ("lode.Bytewise", d.comparator());
  ASSERT_TRUE(d.has_log_number());
  EXPECT_EQ(uint64_t{1} << 40, d.log_number());
  ASSERT_TRUE(d.has_prev_log_number());
  EXPECT_EQ(17u, d.prev_log_number());
  ASSERT_TRUE(d.has_next_file_number());
  EXPECT_EQ(uint64_t{1} << 50, d.next_file_number());
  ASSERT_TRUE(d.has_last_sequence());
  EXPECT_EQ(kMaxSequenceNumber, d.last_sequence());

  ASSERT_EQ(1u, d.compact_pointers().size());
  EXPECT_EQ(3, d.compact_pointers()[0].first);
  EXPECT_EQ("pointer", d.compact_pointers()[0].second.user_key().ToString());

  EXPECT_EQ(e.deleted_files(), d.deleted_files());
  ASSERT_EQ(2u, d.new_files().size());
  for (size_t i = 0; i < 2; i++) {
    EXPECT_EQ(e.new_files()[i].first, d.new_files()[i].first);
    ExpectSameFile(e.new_files()[i].second, d.new_files()[i].second);
  }
  EXPECT_EQ(e.blob_file_additions(), d.blob_file_additions());
  EXPECT_EQ(e.blob_garbage(), d.blob_garbage());
  EXPECT_EQ(e.deleted_blob_files(), d.deleted_blob_files());

  std::string again;
  d.EncodeTo(&again);
  EXPECT_EQ(encoded, again);
}

TEST(VersionEditTest, EmptyEditRoundTrips) {
  VersionEdit e;
  std::string encoded;
  e.EncodeTo(&encoded);
  EXPECT_TRUE(encoded.empty());
  VersionEdit d;
  ASSERT_TRUE(d.DecodeFrom(encoded).ok());
  EXPECT_FALSE(d.has_log_number());
  EXPECT_FALSE(d.HasFileChanges());
}

TEST(VersionEditTest, BlobGarbageAccumulatesPerFile) {
  VersionEdit e;
  e.AddBlobGarbage(5, 1, 10);
  e.AddBlobGarbage(6, 2, 20);
  e.AddBlobGarbage(5, 3, 30);
  e.AddBlobGarbage(9, 0, 0);  // nothing: no record
  ASSERT_EQ(2u, e.blob_garbage().size());
  EXPECT_EQ((BlobFileGarbage{5, 4, 40}), e.blob_garbage().at(5));
  EXPECT_EQ((BlobFileGarbage{6, 2, 20}), e.blob_garbage().at(6));
}

TEST(VersionEditTest, AddFileDropsRuntimeState) {
  FileMetaData f = MakeFile(3, "a", "b");
  f.refs = 5;
  f.being_compacted = true;
  VersionEdit e;
  e.AddFile(2, f);
  EXPECT_EQ(0, e.new_files()[0].second.refs);
  EXPECT_FALSE(e.new_files()[0].second.being_compacted);
}

TEST(VersionEditTest, ClearResetsEverything) {
  VersionEdit e = FullEdit();
  e.Clear();
  std::string encoded;
  e.EncodeTo(&encoded);
  EXPECT_TRUE(encoded.empty());
}

// Every proper prefix of a one-record edit cuts a field short.
TEST(VersionEditTest, TruncatedRecordIsRejected) {
  std::vector<VersionEdit> edits(5);
  edits[0].AddFile(2, MakeFile(77, "abc", "xyz", {{3, 4, 500}, {1000, 1, 1}}));
  edits[1].AddBlobFile({300, 4000, 500000, 600000});
  edits[2].AddBlobGarbage(300, 12, 3400);
  edits[3].SetCompactPointer(1, InternalKey("k", 5, kTypeValue));
  edits[4].SetComparatorName("some.comparator");
  for (const VersionEdit& e : edits) {
    std::string encoded;
    e.EncodeTo(&encoded);
    for (size_t n = 1; n < encoded.size(); n++) {
      VersionEdit d;
      Status s = d.DecodeFrom(Slice(encoded.data(), n));
      EXPECT_TRUE(s.IsCorruption()) << "prefix " << n << " of " << e.DebugString();
    }
  }
}

TEST(VersionEditTest, UnknownTagIsNamed) {
  std::string encoded;
  PutVarint32(&encoded, 2);  // log number
  PutVarint64(&encoded, 5);
  PutVarint32(&encoded, 42);  // never assigned
  PutVarint64(&encoded, 5);
  VersionEdit d;
  Status s = d.DecodeFrom(encoded);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.ToString().find("unknown tag 42")) << s.ToString();
}

TEST(VersionEditTest, BadFieldIsNamedWithItsTag) {
  std::string encoded;
  PutVarint32(&encoded, 7);   // new file
  PutVarint32(&encoded, 99);  // level out of range
  VersionEdit d;
  Status s = d.DecodeFrom(encoded);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(std::string::npos, s.ToString().find("new-file")) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("tag 7")) << s.ToString();
}

TEST(VersionEditTest, BlobRefsOutOfOrderOrEmptyAreRejected) {
  for (auto refs : std::vector<std::vector<BlobRef>>{
           {{5, 1, 1}, {5, 1, 1}}, {{6, 1, 1}, {5, 1, 1}}, {{5, 0, 0}}}) {
    VersionEdit e;
    e.AddFile(1, MakeFile(9, "a", "b", refs));
    std::string encoded;
    e.EncodeTo(&encoded);
    VersionEdit d;
    EXPECT_TRUE(d.DecodeFrom(encoded).IsCorruption());
  }
}

TEST(VersionEditTest, HugeBlobRefCountIsRejectedWithoutAllocating) {
  std::string encoded;
  VersionEdit e;
  e.AddFile(1, MakeFile(9, "a", "b"));
  e.EncodeTo(&encoded);
  encoded.pop_back();                  // n_refs = 0
  PutVarint32(&encoded, 0xffffffffu);  // claims 4G refs
  VersionEdit d;
  EXPECT_TRUE(d.DecodeFrom(encoded).IsCorruption());
}

TEST(VersionEditTest, DuplicateBlobRecordsAreRejected) {
  std::string once;
  VersionEdit e;
  e.AddBlobGarbage(4, 1, 1);
  e.EncodeTo(&once);
  VersionEdit d;
  EXPECT_TRUE(d.DecodeFrom(once + once).IsCorruption());
  std::string del;
  VersionEdit e2;
  e2.DeleteBlobFile(4);
  e2.EncodeTo(&del);
  EXPECT_TRUE(d.DecodeFrom(del + del).IsCorruption());
}

TEST(VersionEditTest, NewerFormatVersionIsNotSupported) {
  std::string encoded;
  PutVarint32(&encoded, 9);
  PutVarint32(&encoded, kManifestFormatVersion + 1);
  VersionEdit d;
  EXPECT_TRUE(d.DecodeFrom(encoded).IsNotSupported());
}

// The manifest log checksums records; the decoder itself must only never
// crash or accept out-of-range values on damaged input.
TEST(VersionEditTest, BitFlipsNeverCrashAndKeepInvariants) {
  std::string encoded;
  FullEdit().EncodeTo(&encoded);
  int rejected = 0;
  for (size_t i = 0; i < encoded.size(); i++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string damaged = encoded;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      VersionEdit d;
      Status s = d.DecodeFrom(damaged);
      if (!s.ok()) {
        rejected++;
        continue;
      }
      for (const auto& [level, f] : d.new_files()) {
        EXPECT_LT(level, kMaxNumLevels);
        for (size_t r = 1; r < f.blob_refs.size(); r++) {
          EXPECT_LT(f.blob_refs[r - 1].blob_file_number, f.blob_refs[r].blob_file_number);
        }
      }
      if (d.has_last_sequence()) {
        EXPECT_LE(d.last_sequence(), kMaxSequenceNumber);
      }
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(VersionEditTest, RandomGarbageNeverCrashes) {
  Random rnd(301);
  for (int i = 0; i < 2000; i++) {
    std::string junk;
    size_t n = rnd.Uniform(64);
    for (size_t j = 0; j < n; j++) junk.push_back(static_cast<char>(rnd.Next()));
    VersionEdit d;
    (void)d.DecodeFrom(junk);
  }
}

TEST(VersionEditTest, DebugStringMentionsBlobRecords) {
  std::string s = FullEdit().DebugString();
  EXPECT_NE(std::string::npos, s.find("AddBlobFile: #7"));
  EXPECT_NE(std::string::npos, s.find("BlobGarbage: #7 2 200B"));
  EXPECT_NE(std::string::npos, s.find("DeleteBlobFile: #3"));
  EXPECT_NE(std::string::npos, s.find("ref(#9 1 5000B)"));
}

}  // namespace lode
