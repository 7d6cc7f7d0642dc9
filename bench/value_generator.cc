#include "bench/value_generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lode::bench {

namespace {

constexpr uint64_t kPoolSeed = 0x6c6f64655f62656eull;  // fixed: pools never change
constexpr size_t kChunk = 100;

void PutLE(uint64_t v, size_t n, char* out) {
  for (size_t i = 0; i < n; i++) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t GetLE(const char* in, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return v;
}

}  // namespace

ValueGenerator::ValueGenerator(double compression_ratio) {
  compression_ratio = std::clamp(compression_ratio, 0.0, 1.0);
  permille_ = static_cast<int>(std::lround(compression_ratio * 1000));
  pool_ = MakePool(permille_);
}

std::string ValueGenerator::MakePool(int permille) {
  std::mt19937_64 rng(kPoolSeed + static_cast<uint64_t>(permille));
  const size_t raw = std::max<size_t>(1, (kChunk * static_cast<size_t>(permille) + 500) / 1000);
  std::string pool;
  pool.reserve(kPoolSize);
  std::string chunk(kChunk, ' ');
  while (pool.size() < kPoolSize) {
    for (size_t i = 0; i < raw; i++) chunk[i] = static_cast<char>(' ' + rng() % 95);
    for (size_t i = raw; i < kChunk; i++) chunk[i] = chunk[i % raw];
    pool.append(chunk, 0, std::min(kChunk, kPoolSize - pool.size()));
  }
  return pool;
}

const std::string& ValueGenerator::Pool(int permille) const {
  if (permille == permille_) return pool_;
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = other_pools_[permille];
  if (!slot) slot = std::make_unique<std::string>(MakePool(permille));
  return *slot;  // never erased, so the reference outlives the lock
}

void ValueGenerator::EncodeHeader(uint64_t key, uint32_t size, uint32_t offset, int permille,
                                  char* out) {
  PutLE(key, 8, out);
  PutLE(size, 4, out + 8);
  PutLE(offset | (static_cast<uint32_t>(permille) << 20), 4, out + 12);
}

void ValueGenerator::Generate(uint64_t key, size_t size, std::mt19937_64* rng,
                              std::string* value) const {
  char header[kHeaderSize];
  value->resize(size);
  if (size < kHeaderSize) {
    EncodeHeader(key, static_cast<uint32_t>(size), 0, 0, header);
    std::memcpy(value->data(), header, size);
    return;
  }
  const auto offset = static_cast<uint32_t>((*rng)() % kPoolSize);
  EncodeHeader(key, static_cast<uint32_t>(size), offset, permille_, header);
  std::memcpy(value->data(), header, kHeaderSize);
  char* dst = value->data() + kHeaderSize;
  size_t left = size - kHeaderSize;
  size_t pos = offset;
  while (left > 0) {
    const size_t n = std::min(left, kPoolSize - pos);
    std::memcpy(dst, pool_.data() + pos, n);
    dst += n;
    left -= n;
    pos = 0;
  }
}

bool ValueGenerator::Verify(uint64_t key, const Slice& value) const {
  char header[kHeaderSize];
  const size_t size = value.size();
  if (size < kHeaderSize) {
    EncodeHeader(key, static_cast<uint32_t>(size), 0, 0, header);
    return std::memcmp(value.data(), header, size) == 0;
  }
  if (size > UINT32_MAX) return false;
  const uint64_t word = GetLE(value.data() + 12, 4);
  const auto offset = static_cast<uint32_t>(word & 0xfffff);
  const int permille = static_cast<int>((word >> 20) & 0x3ff);
  if (word >> 30 != 0 || permille > 1000) return false;
  EncodeHeader(key, static_cast<uint32_t>(size), offset, permille, header);
  if (std::memcmp(value.data(), header, kHeaderSize) != 0) return false;
  const std::string& pool = Pool(permille);
  const char* src = value.data() + kHeaderSize;
  size_t left = size - kHeaderSize;
  size_t pos = offset;
  while (left > 0) {
    const size_t n = std::min(left, kPoolSize - pos);
    if (std::memcmp(src, pool.data() + pos, n) != 0) return false;
    src += n;
    left -= n;
    pos = 0;
  }
  return true;
}

}  // namespace lode::bench
