#include "lode/write_batch.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "lib/dbformat.h"
#include "lib/memtable.h"
#include "lib/util/coding.h"
#include "lib/util/comparator.h"
#include "lib/write_batch_internal.h"

namespace lode {
namespace {

// Concatenation without operator+ chains (GCC 12 -Wrestrict false positive).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string r;
  for (std::string_view p : parts) r.append(p);
  return r;
}

// Records what the public handler sees.
class Recorder final : public WriteBatch::Handler {
 public:
  void Put(const Slice& key, const Slice& value) override {
    log += Cat({"Put(", key.view(), ",", value.view(), ")"});
  }
  void Delete(const Slice& key) override { log += Cat({"Delete(", key.view(), ")"}); }
  std::string log;
};

// Applies b to a fresh memtable and prints its contents in order:
// "Put(k,v)@seq", "Delete(k)@seq", "Blob(k,i)@seq", or the error.
std::string PrintContents(const WriteBatch* b) {
  InternalKeyComparator icmp(BytewiseComparator());
  MemTable* mem = new MemTable(icmp);
  mem->Ref();
  std::string out;
  Status s = WriteBatchInternal::InsertInto(b, mem);
  std::unique_ptr<Iterator> it(mem->NewIterator());
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ParsedInternalKey k;
    EXPECT_TRUE(ParseInternalKey(it->key(), &k));
    switch (k.type) {
      case kTypeValue:
        out += Cat({"Put(", k.user_key.view(), ",", it->value().view(), ")"});
        break;
      case kTypeDeletion:
        out += Cat({"Delete(", k.user_key.view(), ")"});
        break;
      case kTypeBlobIndex:
        out += Cat({"Blob(", k.user_key.view(), ",", it->value().view(), ")"});
        break;
    }
    out += Cat({"@", std::to_string(k.sequence)});
  }
  it.reset();
  mem->Unref();
  if (!s.ok()) out += Cat({"ERROR:", s.ToString()});
  return out;
}

TEST(WriteBatchTest, EmptyBatch) {
  WriteBatch b;
  EXPECT_EQ(b.Count(), 0u);
  EXPECT_EQ(b.ApproximateSize(), WriteBatchInternal::kHeaderSize);
  EXPECT_EQ(WriteBatchInternal::Sequence(&b), 0u);
  EXPECT_EQ(PrintContents(&b), "");
  Recorder r;
  EXPECT_TRUE(b.Iterate(&r).ok());
  EXPECT_EQ(r.log, "");
}

TEST(WriteBatchTest, PutsAndDeletesGetConsecutiveSequences) {
  WriteBatch b;
  b.Put("foo", "bar");
  b.Delete("box");
  b.Put("baz", "boo");
  WriteBatchInternal::SetSequence(&b, 100);
  EXPECT_EQ(WriteBatchInternal::Sequence(&b), 100u);
  EXPECT_EQ(b.Count(), 3u);
  EXPECT_EQ(WriteBatchInternal::Count(&b), 3u);
  EXPECT_EQ(PrintContents(&b), "Put(baz,boo)@102Delete(box)@101Put(foo,bar)@100");
  Recorder r;
  EXPECT_TRUE(b.Iterate(&r).ok());
  EXPECT_EQ(r.log, "Put(foo,bar)Delete(box)Put(baz,boo)");
}

TEST(WriteBatchTest, RepresentationFollowsTheDocumentedGrammar) {
  WriteBatch b;
  WriteBatchInternal::SetSequence(&b, 0x0102030405060708ull);
  b.Put("k", "vv");
  b.Delete("d");
  std::string expected;
  PutFixed64(&expected, 0x0102030405060708ull);
  PutFixed32(&expected, 2);
  expected += std::string("\x01\x01k\x02vv", 6);
  expected += std::string(
      "\x00\x01"
      "d",
      3);
  EXPECT_EQ(WriteBatchInternal::Contents(&b).ToString(), expected);
  EXPECT_EQ(WriteBatchInternal::ByteSize(&b), expected.size());
  EXPECT_EQ(b.ApproximateSize(), expected.size());
}

TEST(WriteBatchTest, ContentsRoundTripThroughSetContents) {
  WriteBatch b;
  b.Put("a", std::string(300, 'x'));  // a two-byte varint length
  b.Delete("b");
  WriteBatchInternal::PutBlobIndex(&b, "c", "blob-index");
  WriteBatchInternal::SetSequence(&b, 7);
  WriteBatch copy;
  ASSERT_TRUE(WriteBatchInternal::SetContents(&copy, WriteBatchInternal::Contents(&b)).ok());
  EXPECT_EQ(WriteBatchInternal::Contents(&copy).ToString(),
            WriteBatchInternal::Contents(&b).ToString());
  EXPECT_EQ(PrintContents(&copy),
            "Put(a," + std::string(300, 'x') + ")@7Delete(b)@8Blob(c,blob-index)@9");
}

TEST(WriteBatchTest, AppendConcatenatesRecordsAndKeepsDestinationSequence) {
  WriteBatch b1, b2;
  WriteBatchInternal::SetSequence(&b1, 200);
  WriteBatchInternal::SetSequence(&b2, 300);
  b1.Append(b2);
  EXPECT_EQ(PrintContents(&b1), "");
  b2.Put("a", "va");
  b1.Append(b2);
  EXPECT_EQ(PrintContents(&b1), "Put(a,va)@200");
  b2.Clear();
  b2.Put("b", "vb");
  b1.Append(b2);
  EXPECT_EQ(PrintContents(&b1), "Put(a,va)@200Put(b,vb)@201");
  b2.Delete("foo");
  WriteBatchInternal::Append(&b1, &b2);
  EXPECT_EQ(PrintContents(&b1), "Put(a,va)@200Put(b,vb)@202Put(b,vb)@201Delete(foo)@203");
  EXPECT_EQ(b1.Count(), 4u);
  EXPECT_EQ(WriteBatchInternal::Sequence(&b1), 200u);
}

TEST(WriteBatchTest, ClearEmptiesTheBatch) {
  WriteBatch b;
  b.Put("a", "b");
  WriteBatchInternal::SetSequence(&b, 9);
  b.Clear();
  EXPECT_EQ(b.Count(), 0u);
  EXPECT_EQ(b.ApproximateSize(), WriteBatchInternal::kHeaderSize);
  EXPECT_EQ(WriteBatchInternal::Sequence(&b), 0u);
}

TEST(WriteBatchTest, BlobIndexReachesTheMemTableButNotThePublicHandler) {
  WriteBatch b;
  b.Put("a", "1");
  WriteBatchInternal::PutBlobIndex(&b, "big", "idx");
  WriteBatchInternal::SetSequence(&b, 1);
  EXPECT_EQ(PrintContents(&b), "Put(a,1)@1Blob(big,idx)@2");
  Recorder r;
  Status s = b.Iterate(&r);
  EXPECT_TRUE(s.IsNotSupported()) << s.ToString();
  EXPECT_EQ(r.log, "Put(a,1)");

  // The internal handler sees it.
  struct Internal final : WriteBatchInternal::Handler {
    std::string log;
    Status Put(const Slice& k, const Slice&) override {
      log += Cat({"P", k.view()});
      return Status::OK();
    }
    Status Delete(const Slice& k) override {
      log += Cat({"D", k.view()});
      return Status::OK();
    }
    Status PutBlobIndex(const Slice& k, const Slice& i) override {
      log += Cat({"B", k.view(), "=", i.view()});
      return Status::OK();
    }
  } internal;
  EXPECT_TRUE(WriteBatchInternal::Iterate(&b, &internal).ok());
  EXPECT_EQ(internal.log, "PaBbig=idx");
}

TEST(WriteBatchTest, SetContentsRejectsShortInput) {
  WriteBatch b;
  b.Put("keep", "me");
  for (size_t n = 0; n < WriteBatchInternal::kHeaderSize; n++) {
    Status s = WriteBatchInternal::SetContents(&b, Slice("0123456789ab", n));
    EXPECT_TRUE(s.IsCorruption()) << n;
  }
  EXPECT_EQ(b.Count(), 1u);  // unchanged
}

// Every truncation of a valid batch is rejected, and applies nothing.
TEST(WriteBatchTest, TruncatedContentsAreCorruption) {
  WriteBatch b;
  b.Put("key1", "value1");
  b.Delete("key2");
  WriteBatchInternal::PutBlobIndex(&b, "key3", "index3");
  b.Put("key4", std::string(200, 'v'));
  const std::string full = WriteBatchInternal::Contents(&b).ToString();
  for (size_t n = WriteBatchInternal::kHeaderSize; n < full.size(); n++) {
    WriteBatch t;
    ASSERT_TRUE(WriteBatchInternal::SetContents(&t, Slice(full.data(), n)).ok());
    EXPECT_TRUE(WriteBatchInternal::Validate(&t).IsCorruption()) << n;
    const std::string printed = PrintContents(&t);
    EXPECT_EQ(printed.rfind("ERROR:Corruption", 0), 0u) << n << ": " << printed;
    Recorder r;
    EXPECT_TRUE(t.Iterate(&r).IsCorruption() || t.Iterate(&r).IsNotSupported()) << n;
  }
}

TEST(WriteBatchTest, BadTagIsCorruptionNamingTheOffset) {
  WriteBatch b;
  b.Put("a", "b");
  std::string rep = WriteBatchInternal::Contents(&b).ToString();
  rep += '\x07';  // not a ValueType
  rep += "\x01z";
  WriteBatchInternal::SetCount(&b, 2);
  EncodeFixed32(&rep[8], 2);
  ASSERT_TRUE(WriteBatchInternal::SetContents(&b, rep).ok());
  Status s = WriteBatchInternal::Validate(&b);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.ToString().find("unknown record tag 7"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("at offset 17"), std::string::npos) << s.ToString();
  EXPECT_EQ(PrintContents(&b).rfind("ERROR:Corruption", 0), 0u);
}

TEST(WriteBatchTest, CountMismatchIsCorruption) {
  WriteBatch b;
  b.Put("a", "b");
  b.Put("c", "d");
  WriteBatchInternal::SetCount(&b, 3);
  EXPECT_TRUE(WriteBatchInternal::Validate(&b).IsCorruption());
  EXPECT_EQ(PrintContents(&b).rfind("ERROR:Corruption", 0), 0u);
  WriteBatchInternal::SetCount(&b, 1);
  EXPECT_TRUE(WriteBatchInternal::Validate(&b).IsCorruption());
  Recorder r;
  EXPECT_TRUE(b.Iterate(&r).IsCorruption());
}

TEST(WriteBatchTest, HugeLengthPrefixIsCorruptionNotACrash) {
  WriteBatch b;
  std::string rep(WriteBatchInternal::kHeaderSize, '\0');
  EncodeFixed32(&rep[8], 1);
  rep += '\x01';
  PutVarint32(&rep, 0xffffffffu);  // key length far past the end
  rep += "abc";
  ASSERT_TRUE(WriteBatchInternal::SetContents(&b, rep).ok());
  EXPECT_TRUE(WriteBatchInternal::Validate(&b).IsCorruption());
  rep.resize(WriteBatchInternal::kHeaderSize + 1);
  rep += "\xff\xff\xff\xff\xff\xff";  // an overlong varint
  ASSERT_TRUE(WriteBatchInternal::SetContents(&b, rep).ok());
  EXPECT_TRUE(WriteBatchInternal::Validate(&b).IsCorruption());
}

TEST(WriteBatchTest, SequenceOverflowIsRejected) {
  WriteBatch b;
  b.Put("a", "1");
  b.Put("b", "2");
  WriteBatchInternal::SetSequence(&b, kMaxSequenceNumber);
  EXPECT_EQ(PrintContents(&b).rfind("ERROR:Corruption", 0), 0u);
  WriteBatchInternal::SetSequence(&b, kMaxSequenceNumber - 1);
  EXPECT_EQ(PrintContents(&b), "Put(a,1)@" + std::to_string(kMaxSequenceNumber - 1) + "Put(b,2)@" +
                                   std::to_string(kMaxSequenceNumber));
}

}  // namespace
}  // namespace lode
