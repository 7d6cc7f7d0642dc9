#include "lib/memtable.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/dbformat.h"
#include "lib/util/comparator.h"

namespace lode {
namespace {

class MemTableTest : public ::testing::Test {
 protected:
  MemTableTest() : icmp_(BytewiseComparator()), mem_(new MemTable(icmp_)) { mem_->Ref(); }
  ~MemTableTest() override { mem_->Unref(); }

  // Get at snapshot seq; returns "NOT_FOUND", "DELETED", "V:<v>" or "B:<v>".
  std::string GetAt(const std::string& key, SequenceNumber seq) {
    LookupKey lk(key, seq);
    std::string value = "untouched";
    ValueType type;
    if (!mem_->Get(lk, &value, &type)) return "NOT_FOUND";
    switch (type) {
      case kTypeDeletion:
        return "DELETED";
      case kTypeValue:
        return "V:" + value;
      case kTypeBlobIndex:
        return "B:" + value;
    }
    return "BAD";
  }

  InternalKeyComparator icmp_;
  MemTable* mem_;
};

TEST_F(MemTableTest, EmptyMemTable) {
  EXPECT_EQ(GetAt("a", kMaxSequenceNumber), "NOT_FOUND");
  EXPECT_EQ(mem_->NumEntries(), 0u);
  EXPECT_EQ(mem_->NumDeletes(), 0u);
  EXPECT_EQ(mem_->FirstSequence(), 0u);
  std::unique_ptr<Iterator> it(mem_->NewIterator());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
}

TEST_F(MemTableTest, GetSeesTheNewestVersionAtOrBelowTheSnapshot) {
  mem_->Add(10, kTypeValue, "k", "v10");
  mem_->Add(20, kTypeValue, "k", "v20");
  mem_->Add(30, kTypeDeletion, "k", "");
  mem_->Add(40, kTypeBlobIndex, "k", "index40");
  mem_->Add(50, kTypeValue, "k", "v50");

  EXPECT_EQ(GetAt("k", 9), "NOT_FOUND");
  EXPECT_EQ(GetAt("k", 10), "V:v10");
  EXPECT_EQ(GetAt("k", 19), "V:v10");
  EXPECT_EQ(GetAt("k", 20), "V:v20");
  EXPECT_EQ(GetAt("k", 30), "DELETED");
  EXPECT_EQ(GetAt("k", 39), "DELETED");
  EXPECT_EQ(GetAt("k", 40), "B:index40");
  EXPECT_EQ(GetAt("k", 50), "V:v50");
  EXPECT_EQ(GetAt("k", kMaxSequenceNumber), "V:v50");
}

TEST_F(MemTableTest, GetDoesNotConfuseNeighbouringKeys) {
  mem_->Add(1, kTypeValue, "a", "va");
  mem_->Add(2, kTypeValue, "ab", "vab");
  mem_->Add(3, kTypeValue, "b", "vb");
  mem_->Add(4, kTypeValue, "", "empty-key");
  EXPECT_EQ(GetAt("a", 100), "V:va");
  EXPECT_EQ(GetAt("ab", 100), "V:vab");
  EXPECT_EQ(GetAt("b", 100), "V:vb");
  EXPECT_EQ(GetAt("", 100), "V:empty-key");
  EXPECT_EQ(GetAt("aa", 100), "NOT_FOUND");
  EXPECT_EQ(GetAt("c", 100), "NOT_FOUND");
  EXPECT_EQ(GetAt("ab", 1), "NOT_FOUND");  // added at 2
}

TEST_F(MemTableTest, DeletionLeavesValueUntouched) {
  mem_->Add(5, kTypeDeletion, "gone", "");
  LookupKey lk("gone", 10);
  std::string value = "keep";
  ValueType type = kTypeValue;
  ASSERT_TRUE(mem_->Get(lk, &value, &type));
  EXPECT_EQ(type, kTypeDeletion);
  EXPECT_EQ(value, "keep");
}

TEST_F(MemTableTest, CountersAndFirstSequence) {
  mem_->Add(7, kTypeValue, "a", "1");
  mem_->Add(8, kTypeDeletion, "b", "");
  mem_->Add(9, kTypeDeletion, "c", "");
  mem_->Add(10, kTypeBlobIndex, "d", "idx");
  EXPECT_EQ(mem_->NumEntries(), 4u);
  EXPECT_EQ(mem_->NumDeletes(), 2u);
  EXPECT_EQ(mem_->FirstSequence(), 7u);
  // Recovery may add out of order; the first sequence is the smallest.
  mem_->Add(3, kTypeValue, "e", "x");
  EXPECT_EQ(mem_->FirstSequence(), 3u);
}

TEST_F(MemTableTest, IteratorOrdersByUserKeyThenNewestFirst) {
  mem_->Add(1, kTypeValue, "b", "b1");
  mem_->Add(2, kTypeValue, "a", "a2");
  mem_->Add(3, kTypeDeletion, "b", "");
  mem_->Add(4, kTypeValue, "c", "c4");
  mem_->Add(5, kTypeBlobIndex, "a", "a5");

  struct Expected {
    std::string user_key;
    SequenceNumber seq;
    ValueType type;
    std::string value;
  };
  const std::vector<Expected> expected = {{"a", 5, kTypeBlobIndex, "a5"},
                                          {"a", 2, kTypeValue, "a2"},
                                          {"b", 3, kTypeDeletion, ""},
                                          {"b", 1, kTypeValue, "b1"},
                                          {"c", 4, kTypeValue, "c4"}};
  std::unique_ptr<Iterator> it(mem_->NewIterator());
  it->SeekToFirst();
  for (const Expected& e : expected) {
    ASSERT_TRUE(it->Valid());
    ParsedInternalKey parsed;
    ASSERT_TRUE(ParseInternalKey(it->key(), &parsed));
    EXPECT_EQ(parsed.user_key.ToString(), e.user_key);
    EXPECT_EQ(parsed.sequence, e.seq);
    EXPECT_EQ(parsed.type, e.type);
    EXPECT_EQ(it->value().ToString(), e.value);
    it->Next();
  }
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());

  // Backwards.
  it->SeekToLast();
  for (auto e = expected.rbegin(); e != expected.rend(); ++e) {
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ(ExtractUserKey(it->key()).ToString(), e->user_key);
    EXPECT_EQ(ExtractTrailer(it->key()) >> 8, e->seq);
    it->Prev();
  }
  EXPECT_FALSE(it->Valid());

  // Seek with an internal key: b as of sequence 2 lands on b@1.
  InternalKey target("b", 2, kValueTypeForSeek);
  it->Seek(target.Encode());
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(ExtractUserKey(it->key()).ToString(), "b");
  EXPECT_EQ(ExtractTrailer(it->key()) >> 8, 1u);
  InternalKey past("bb", kMaxSequenceNumber, kValueTypeForSeek);
  it->Seek(past.Encode());
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(ExtractUserKey(it->key()).ToString(), "c");
}

TEST_F(MemTableTest, MemoryUsageGrowsWithData) {
  const size_t before = mem_->ApproximateMemoryUsage();
  std::string value(1000, 'x');
  for (int i = 0; i < 1000; i++) mem_->Add(i + 1, kTypeValue, "key" + std::to_string(i), value);
  EXPECT_GE(mem_->ApproximateMemoryUsage(), before + 1000 * 1000);
}

TEST_F(MemTableTest, IteratorKeepsMemTableAliveThroughARef) {
  MemTable* m = new MemTable(icmp_);
  m->Ref();
  m->Add(1, kTypeValue, "x", "y");
  Iterator* it = m->NewIterator();
  m->Ref();  // the iterator's reference
  it->RegisterCleanup([m] { m->Unref(); });
  m->Unref();  // the creator lets go; the iterator still holds m
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->value().ToString(), "y");
  delete it;  // last reference: m is deleted (ASan checks)
}

}  // namespace
}  // namespace lode
