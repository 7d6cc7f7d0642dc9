#include "table/bloom_filter.h"

#include <algorithm>
#include <cmath>

#include "lib/util/checksum.h"

namespace lode {

namespace {
constexpr int kMaxProbes = 30;

constexpr uint32_t kBlockBits = kBloomBlockBytes * 8;

inline uint64_t BitIndex(uint64_t h, int i, uint64_t num_bits) {
  const uint64_t h1 = h & 0xffffffffu;
  const uint64_t h2 = (h >> 32) | 1;  // odd, so probes do not collapse when h2 == 0
  return (h1 + static_cast<uint64_t>(i) * h2) % num_bits;
}

// Blocked layout: the high half of the hash picks the block (a multiply
// instead of a modulo), the low half the bits inside it, stepping by an odd
// delta so that probes do not repeat before 512.
inline uint64_t BlockOf(uint64_t h, uint64_t num_blocks) { return ((h >> 32) * num_blocks) >> 32; }
inline uint32_t InBlockStep(uint64_t h) { return ((static_cast<uint32_t>(h) >> 17) | 1u); }

int ProbesFor(int bits_per_key) {
  // k = bits_per_key * ln 2 minimises the false-positive rate.
  return std::clamp(static_cast<int>(std::lround(bits_per_key * 0.69)), 1, kMaxProbes);
}
}  // namespace

BloomFilterBuilder::BloomFilterBuilder(int bits_per_key, BloomLayout layout)
    : bits_per_key_(bits_per_key < 1 ? 1 : bits_per_key), layout_(layout) {}

void BloomFilterBuilder::AddKey(const Slice& user_key) {
  if (has_last_ && Slice(last_key_) == user_key) return;
  last_key_.assign(user_key.data(), user_key.size());
  has_last_ = true;
  hashes_.push_back(Checksum64(user_key));
}

void BloomFilterBuilder::Finish(std::string* dst) {
  const int probes = ProbesFor(bits_per_key_);
  if (layout_ == BloomLayout::kBlocked) {
    // Whole blocks, rounded down (no keys: no blocks, and nothing matches).
    const uint64_t total_bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
    const uint64_t num_blocks =
        hashes_.empty() ? 0 : std::max<uint64_t>(1, total_bits / kBlockBits);
    const size_t start = dst->size();
    dst->resize(start + num_blocks * kBloomBlockBytes, '\0');
    auto* array = reinterpret_cast<unsigned char*>(dst->data() + start);
    for (uint64_t h : hashes_) {
      unsigned char* block = array + BlockOf(h, num_blocks) * kBloomBlockBytes;
      uint32_t bit = static_cast<uint32_t>(h);
      const uint32_t step = InBlockStep(h);
      for (int i = 0; i < probes; i++, bit += step) {
        const uint32_t b = bit % kBlockBits;
        block[b / 8] = static_cast<unsigned char>(block[b / 8] | (1u << (b % 8)));
      }
    }
    dst->push_back(static_cast<char>(probes));
    dst->push_back(static_cast<char>(kBlockedBloomMarker));
    return;
  }
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
  if (contents.size() >= 2 &&
      static_cast<unsigned char>(contents[contents.size() - 1]) == kBlockedBloomMarker) {
    const int probes = static_cast<unsigned char>(contents[contents.size() - 2]);
    const size_t array = contents.size() - 2;
    if (probes < 1 || probes > kMaxProbes || array % kBloomBlockBytes != 0) return;
    bits_ = Slice(contents.data(), array);
    num_blocks_ = array / kBloomBlockBytes;
    num_probes_ = probes;
    layout_ = BloomLayout::kBlocked;
    valid_ = true;
    return;
  }
  if (contents.size() < 9) return;
  const int probes = static_cast<unsigned char>(contents[contents.size() - 1]);
  if (probes < 1 || probes > kMaxProbes) return;
  bits_ = Slice(contents.data(), contents.size() - 1);
  num_probes_ = probes;
  valid_ = true;
}

bool BloomFilterReader::KeyMayMatch(const Slice& user_key) const {
  if (!valid_) return true;
  if (layout_ == BloomLayout::kBlocked) {
    if (num_blocks_ == 0) return false;  // built from no keys
    const uint64_t h = Checksum64(user_key);
    const auto* block = reinterpret_cast<const unsigned char*>(bits_.data()) +
                        BlockOf(h, num_blocks_) * kBloomBlockBytes;
    uint32_t bit = static_cast<uint32_t>(h);
    const uint32_t step = InBlockStep(h);
    for (int i = 0; i < num_probes_; i++, bit += step) {
      const uint32_t b = bit % kBlockBits;
      if ((block[b / 8] & (1u << (b % 8))) == 0) return false;
    }
    return true;
  }
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
