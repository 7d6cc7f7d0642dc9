#include "lib/compaction_iterator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "blob/blob_index.h"
#include "lib/blob_accounting.h"

namespace lode {

namespace {

struct Entry {
  std::string user_key;
  SequenceNumber seq;
  ValueType type;
  std::string value;
};

std::string IKey(const Entry& e) {
  std::string k;
  AppendInternalKey(&k, ParsedInternalKey(e.user_key, e.seq, e.type));
  return k;
}

// An iterator over entries given in any order (sorted here).
class VectorIterator final : public Iterator {
 public:
  explicit VectorIterator(std::vector<Entry> entries) {
    InternalKeyComparator icmp(BytewiseComparator());
    for (const Entry& e : entries) kv_.emplace_back(IKey(e), e.value);
    std::sort(kv_.begin(), kv_.end(),
              [&icmp](const auto& a, const auto& b) { return icmp.Compare(a.first, b.first) < 0; });
  }
  bool Valid() const override { return i_ < kv_.size(); }
  void SeekToFirst() override { i_ = 0; }
  void SeekToLast() override { i_ = kv_.empty() ? 0 : kv_.size() - 1; }
  void Seek(const Slice&) override { i_ = 0; }
  void Next() override { i_++; }
  void Prev() override { i_ = i_ == 0 ? kv_.size() : i_ - 1; }
  Slice key() const override { return kv_[i_].first; }
  Slice value() const override { return kv_[i_].second; }
  Status status() const override { return status_; }

  std::vector<std::pair<std::string, std::string>> kv_;
  size_t i_ = 0;
  Status status_;
};

std::string Show(const ParsedInternalKey& k) {
  static const char* kTypes[] = {"D", "V", "B"};
  return k.user_key.ToString() + "@" + std::to_string(k.sequence) + kTypes[k.type];
}

// Records every entry it sees.
class RecordingHandler : public CompactionEntryHandler {
 public:
  Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                bool* replaced) override {
    kept.push_back(Show(key));
    *replaced = false;
    if (!replace_key.empty() && key.user_key == Slice(replace_key)) {
      *new_value = "new:" + value.ToString();
      *replaced = true;
    }
    if (fail_on == Show(key)) return Status::IOError("injected");
    return Status::OK();
  }
  void OnDrop(const ParsedInternalKey& key, const Slice&) override { dropped.push_back(Show(key)); }
  std::vector<std::string> kept, dropped;
  std::string replace_key, fail_on;
};

struct Case {
  const char* name;
  std::vector<Entry> input;
  std::vector<SequenceNumber> snapshots;
  bool bottommost;
  std::vector<std::string> expected;  // kept, in output order
};

constexpr ValueType V = kTypeValue;
constexpr ValueType D = kTypeDeletion;
constexpr ValueType B = kTypeBlobIndex;

}  // namespace

TEST(CompactionIteratorTest, MergeRulesTable) {
  const std::vector<Case> cases = {
      {"newest wins without snapshots",
       {{"a", 3, V, ""}, {"a", 2, V, ""}, {"a", 1, V, ""}},
       {},
       false,
       {"a@3V"}},
      {"a snapshot keeps what it sees",
       {{"a", 3, V, ""}, {"a", 2, V, ""}, {"a", 1, V, ""}},
       {2},
       false,
       {"a@3V", "a@2V"}},
      {"snapshot between versions",
       {{"a", 5, V, ""}, {"a", 3, V, ""}, {"a", 1, V, ""}},
       {4},
       false,
       {"a@5V", "a@3V"}},
      {"every stripe keeps its newest",
       {{"a", 3, V, ""}, {"a", 2, V, ""}, {"a", 1, V, ""}},
       {1, 2},
       false,
       {"a@3V", "a@2V", "a@1V"}},
      {"empty stripes keep nothing extra",
       {{"a", 9, V, ""}, {"a", 8, V, ""}},
       {1, 2, 3},
       false,
       {"a@9V"}},
      {"snapshot above everything", {{"a", 3, V, ""}, {"a", 2, V, ""}}, {10}, false, {"a@3V"}},
      {"tombstone kept above older data", {{"a", 3, D, ""}, {"a", 2, V, ""}}, {}, false, {"a@3D"}},
      {"tombstone dropped at the bottom",
       {{"a", 3, D, ""}, {"a", 2, V, ""}, {"b", 1, V, ""}},
       {},
       true,
       {"b@1V"}},
      {"tombstone kept for an older snapshot",
       {{"a", 3, D, ""}, {"a", 2, V, ""}},
       {2},
       true,
       {"a@3D", "a@2V"}},
      {"tombstone seen by every snapshot dropped",
       {{"a", 3, D, ""}, {"a", 2, V, ""}},
       {5},
       true,
       {}},
      {"tombstone under a newer value",
       {{"a", 4, V, ""}, {"a", 3, D, ""}, {"a", 2, V, ""}},
       {},
       true,
       {"a@4V"}},
      {"tombstone seen by a snapshot goes with what it hides",
       {{"a", 4, V, ""}, {"a", 3, D, ""}, {"a", 2, V, ""}},
       {3},
       true,
       {"a@4V"}},
      {"blob indexes follow the same rules",
       {{"a", 4, B, ""}, {"a", 3, B, ""}, {"b", 2, B, ""}},
       {},
       false,
       {"a@4B", "b@2B"}},
      {"many keys interleaved",
       {{"a", 1, V, ""},
        {"c", 7, D, ""},
        {"b", 5, V, ""},
        {"c", 2, V, ""},
        {"b", 6, D, ""},
        {"d", 3, V, ""}},
       {5},
       false,
       {"a@1V", "b@6D", "b@5V", "c@7D", "c@2V", "d@3V"}},
      {"empty input", {}, {3}, true, {}},
  };
  // "tombstone seen by a snapshot...": snapshot 3 sees the tombstone (oldest
  // stripe, bottommost), which hides a@2 from it; with nothing older below,
  // both can go and snapshot 3 still reads "absent".
  for (const Case& c : cases) {
    VectorIterator input(c.input);
    RecordingHandler handler;
    CompactionIterator iter(&input, BytewiseComparator(), c.snapshots, c.bottommost, &handler);
    std::vector<std::string> got;
    for (iter.SeekToFirst(); iter.Valid(); iter.Next()) got.push_back(Show(iter.ikey()));
    ASSERT_TRUE(iter.status().ok()) << c.name;
    EXPECT_EQ(c.expected, got) << c.name;
    EXPECT_EQ(c.expected, handler.kept) << c.name;
    // Every input entry went through the handler exactly once.
    EXPECT_EQ(c.input.size(), handler.kept.size() + handler.dropped.size()) << c.name;
    EXPECT_EQ(c.input.size(), iter.stats().entries_in) << c.name;
    EXPECT_EQ(got.size(), iter.stats().entries_out) << c.name;
  }
}

TEST(CompactionIteratorTest, BaseLevelPredicateDecidesTombstonesPerKey) {
  VectorIterator input({{"a", 3, D, ""}, {"b", 4, D, ""}, {"c", 5, D, ""}});
  std::vector<std::string> asked;
  CompactionIterator iter(&input, BytewiseComparator(), {}, /*bottommost=*/false, nullptr,
                          [&asked](const Slice& k) {
                            asked.push_back(k.ToString());
                            return k != Slice("b");
                          });
  std::vector<std::string> got;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) got.push_back(Show(iter.ikey()));
  EXPECT_EQ(std::vector<std::string>{"b@4D"}, got);
  EXPECT_EQ((std::vector<std::string>{"a", "b", "c"}), asked);
  EXPECT_EQ(2u, iter.stats().dropped_tombstones);
}

TEST(CompactionIteratorTest, HandlerMayReplaceValues) {
  VectorIterator input({{"a", 3, V, "x"}, {"b", 2, B, "y"}, {"b", 1, B, "z"}});
  RecordingHandler handler;
  handler.replace_key = "b";
  CompactionIterator iter(&input, BytewiseComparator(), {}, false, &handler);
  std::map<std::string, std::string> got;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
    got[Show(iter.ikey())] = iter.value().ToString();
  }
  EXPECT_EQ((std::map<std::string, std::string>{{"a@3V", "x"}, {"b@2B", "new:y"}}), got);
  EXPECT_EQ(std::vector<std::string>{"b@1B"}, handler.dropped);
  EXPECT_EQ(1u, iter.stats().values_replaced);
}

TEST(CompactionIteratorTest, HandlerErrorStopsTheWalk) {
  VectorIterator input({{"a", 3, V, ""}, {"b", 2, V, ""}, {"c", 1, V, ""}});
  RecordingHandler handler;
  handler.fail_on = "b@2V";
  CompactionIterator iter(&input, BytewiseComparator(), {}, false, &handler);
  int n = 0;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) n++;
  EXPECT_EQ(1, n);
  EXPECT_TRUE(iter.status().IsIOError());
}

TEST(CompactionIteratorTest, MalformedKeyIsCorruption) {
  VectorIterator input({{"a", 3, V, ""}});
  input.kv_.emplace_back("short", "");  // < 8 bytes: not an internal key
  CompactionIterator iter(&input, BytewiseComparator(), {}, false, nullptr);
  int n = 0;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) n++;
  EXPECT_EQ(1, n);
  EXPECT_TRUE(iter.status().IsCorruption());
}

TEST(CompactionIteratorTest, InputErrorIsReported) {
  VectorIterator input({{"a", 3, V, ""}});
  input.status_ = Status::IOError("disk");
  CompactionIterator iter(&input, BytewiseComparator(), {}, false, nullptr);
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
  }
  EXPECT_TRUE(iter.status().IsIOError());
}

namespace {

std::string Index(uint64_t file, uint64_t size) {
  BlobIndex bi;
  bi.file_number = file;
  bi.offset = 100;
  bi.size = size;
  bi.uncompressed_size = size;
  std::string s;
  bi.EncodeTo(&s);
  return s;
}

}  // namespace

TEST(BlobAccountingTest, SumsKeptAndDroppedPerBlobFile) {
  VectorIterator input({{"a", 9, B, Index(7, 100)},
                        {"a", 8, B, Index(7, 50)},  // hidden: garbage of 7
                        {"a", 7, B, Index(8, 30)},  // hidden: garbage of 8
                        {"b", 6, B, Index(8, 1000)},
                        {"c", 5, V, "inline"},
                        {"c", 4, B, Index(7, 5)},  // hidden
                        {"d", 3, D, ""},
                        {"d", 2, B, Index(9, 70)}});  // under a dropped tombstone
  BlobAccounting acct;
  CompactionIterator iter(&input, BytewiseComparator(), {}, /*bottommost=*/true, &acct);
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
  }
  ASSERT_TRUE(iter.status().ok());
  ASSERT_TRUE(acct.status().ok());
  std::vector<BlobRef> kept = acct.TakeKeptRefs();
  EXPECT_EQ((std::vector<BlobRef>{{7, 1, 100}, {8, 1, 1000}}), kept);
  EXPECT_TRUE(acct.TakeKeptRefs().empty());  // taken
  EXPECT_EQ(2u, acct.total_kept().size());
  EXPECT_EQ((BlobFileGarbage{7, 2, 55}), acct.dropped().at(7));
  EXPECT_EQ((BlobFileGarbage{8, 1, 30}), acct.dropped().at(8));
  EXPECT_EQ((BlobFileGarbage{9, 1, 70}), acct.dropped().at(9));
  VersionEdit edit;
  acct.AddGarbageTo(&edit);
  EXPECT_EQ(acct.dropped(), edit.blob_garbage());
}

TEST(BlobAccountingTest, BadBlobIndexIsCorruption) {
  BlobAccounting acct;
  ParsedInternalKey k("a", 1, kTypeBlobIndex);
  std::string nv;
  bool replaced;
  EXPECT_TRUE(acct.OnKeep(k, "junk", &nv, &replaced).IsCorruption());
  acct.OnDrop(k, "junk");
  EXPECT_TRUE(acct.status().IsCorruption());
}

}  // namespace lode
