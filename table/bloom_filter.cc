#include "table/bloom_filter.h"

#include <algorithm>
#include <cmath>

#include "lib/util/checksum.h"

namespace lode {

namespace {
constexpr int kMaxProbes = 30;

inline uint64_t BitIndex(uint64_t h, int i, uint64_t num_bits) {
  const uint64_t h1 = h & 0xffffffffu;
  const uint64_t h2 = (h >> 32) | 1;  // odd, so probes do not collapse when h2 == 0
  return (h1 + static_cast<uint64_t>(i) * h2) % num_bits;
}
}  // namespace

BloomFilterBuilder::BloomFilterBuilder(int bits_per_key)
    : bits_per_key_(bits_per_key < 1 ? 1 : bits_per_key) {}

void BloomFilterBuilder::AddKey(const Slice& user_key) {
  if (has_last_ && Slice(last_key_) == user_key) return;
  last_key_.assign(user_key.data(), user_key.size());
  has_last_ = true;
  hashes_.push_back(Checksum64(user_key));
}

void BloomFilterBuilder::Finish(std::string* dst) {
  // k = bits_per_key * ln 2 minimises the false-positive rate.
  int probes = static_cast<int>(std::lround(bits_per_key_ * 0.69));
  probes = std::clamp(probes, 1, kMaxProbes);
  uint64_t num_bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
  num_bits = std::max<uint64_t>(num_bits, 64);  // tiny filters are all false positives
  const uint64_t num_bytes = (num_bits + 7) / 8;
  num_bits = num_bytes * 8;
  const size_t start = dst->size();
  dst->resize(start + num_bytes, '\0');
  char* array = dst->data() + start;
  for (uint64_t h : hashes_) {
    for (int i = 0; i < probes; i++) {
      const uint64_t b = BitIndex(h, i, num_bits);
      array[b / 8] = static_cast<char>(array[b / 8] | (1 << (b % 8)));
    }
  }
  dst->push_back(static_cast<char>(probes));
}

BloomFilterReader::BloomFilterReader(const Slice& contents) {
  if (contents.size() < 9) return;
  const int probes = static_cast<unsigned char>(contents[contents.size() - 1]);
  if (probes < 1 || probes > kMaxProbes) return;
  bits_ = Slice(contents.data(), contents.size() - 1);
  num_probes_ = probes;
  valid_ = true;
}

bool BloomFilterReader::KeyMayMatch(const Slice& user_key) const {
  if (!valid_) return true;
  const uint64_t num_bits = static_cast<uint64_t>(bits_.size()) * 8;
  const uint64_t h = Checksum64(user_key);
  const char* array = bits_.data();
  for (int i = 0; i < num_probes_; i++) {
    const uint64_t b = BitIndex(h, i, num_bits);
    if ((array[b / 8] & (1 << (b % 8))) == 0) return false;
  }
  return true;
}

}  // namespace lode
