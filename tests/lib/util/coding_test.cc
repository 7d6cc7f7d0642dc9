#include "lib/util/coding.h"

#include <gtest/gtest.h>

#include "lib/util/checksum.h"

namespace lode {

TEST(CodingTest, FixedRoundTrip) {
  std::string s;
  for (uint32_t v = 0; v < 100000; v += 997) PutFixed32(&s, v);
  const char* p = s.data();
  for (uint32_t v = 0; v < 100000; v += 997, p += 4) EXPECT_EQ(v, DecodeFixed32(p));
  s.clear();
  for (int power = 0; power <= 63; power++) PutFixed64(&s, uint64_t{1} << power);
  p = s.data();
  for (int power = 0; power <= 63; power++, p += 8) {
    EXPECT_EQ(uint64_t{1} << power, DecodeFixed64(p));
  }
}

TEST(CodingTest, Varint64RoundTripsEdgeValues) {
  std::vector<uint64_t> values = {0,
                                  1,
                                  127,
                                  128,
                                  255,
                                  16383,
                                  16384,
                                  UINT32_MAX,
                                  uint64_t{UINT32_MAX} + 1,
                                  UINT64_MAX - 1,
                                  UINT64_MAX};
  for (int k = 0; k < 64; k++) values.push_back((uint64_t{1} << k) - 1);
  std::string s;
  for (uint64_t v : values) PutVarint64(&s, v);
  Slice in(s);
  for (uint64_t v : values) {
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got));
    EXPECT_EQ(v, got);
    EXPECT_EQ(static_cast<size_t>(VarintLength(v)), [&] {
      std::string t;
      PutVarint64(&t, v);
      return t.size();
    }());
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, Varint32RejectsOverflowAndTruncation) {
  std::string s;
  PutVarint64(&s, uint64_t{UINT32_MAX} + 1);
  Slice in(s);
  uint32_t v;
  EXPECT_FALSE(GetVarint32(&in, &v));

  std::string t;
  PutVarint32(&t, 1u << 30);
  for (size_t len = 0; len < t.size(); len++) {
    Slice part(t.data(), len);
    EXPECT_FALSE(GetVarint32(&part, &v)) << "len " << len;
  }
}

TEST(CodingTest, Varint64RejectsElevenByteEncoding) {
  std::string s(10, '\xff');
  s.push_back('\x01');
  Slice in(s);
  uint64_t v;
  EXPECT_FALSE(GetVarint64(&in, &v));
}

TEST(CodingTest, LengthPrefixedSliceRejectsShortInput) {
  std::string s;
  PutLengthPrefixedSlice(&s, "hello");
  PutLengthPrefixedSlice(&s, "");
  Slice in(s), v;
  ASSERT_TRUE(GetLengthPrefixedSlice(&in, &v));
  EXPECT_EQ("hello", v.ToString());
  ASSERT_TRUE(GetLengthPrefixedSlice(&in, &v));
  EXPECT_EQ("", v.ToString());
  EXPECT_FALSE(GetLengthPrefixedSlice(&in, &v));
  std::string bad;
  PutVarint32(&bad, 10);
  bad.append("abc");
  Slice b(bad);
  EXPECT_FALSE(GetLengthPrefixedSlice(&b, &v));
}

TEST(ChecksumTest, DetectsEveryBitFlip) {
  std::string data = "the quick brown fox jumps over the lazy dog";
  const uint64_t base = Checksum64(data);
  for (size_t i = 0; i < data.size() * 8; i++) {
    std::string d = data;
    d[i / 8] ^= static_cast<char>(1 << (i % 8));
    EXPECT_NE(base, Checksum64(d)) << "bit " << i;
  }
}

TEST(ChecksumTest, StreamMatchesOneShot) {
  std::string a = "abcdefgh", b = std::string(1000, 'x');
  EXPECT_EQ(Checksum64(a + b), Checksum64Concat(a, b));
  ChecksumStream s;
  s.Update(a);
  s.Update(b);
  EXPECT_EQ(Checksum64(a + b), s.Digest());
}

}  // namespace lode
