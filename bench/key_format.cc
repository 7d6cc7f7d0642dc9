#include "bench/key_format.h"

namespace lode::bench {

Status KeyFormat::Check(int key_size, int64_t num) {
  if (key_size <= 0 || key_size > 1024) {
    return Status::InvalidArgument("--key_size must be in [1, 1024]");
  }
  if (num <= 0) return Status::InvalidArgument("--num must be positive");
  // Digits of the largest key number, plus one for the missing-key marker
  // (which replaces the last digit, so two keys must differ before it).
  int digits = 1;
  for (int64_t v = num - 1; v >= 10; v /= 10) digits++;
  if (digits + 1 > key_size) {
    return Status::InvalidArgument("--key_size too small for --num (need " +
                                   std::to_string(digits + 1) + " bytes)");
  }
  return Status::OK();
}

void KeyFormat::Format(uint64_t n, std::string* out) const {
  out->assign(key_size_, '0');
  for (size_t i = key_size_; i > 0 && n > 0; i--) {
    (*out)[i - 1] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
}

void KeyFormat::FormatMissing(uint64_t n, std::string* out) const {
  Format(n, out);
  out->back() = '.';
}

bool KeyFormat::Parse(const Slice& key, uint64_t* n) const {
  if (key.size() != key_size_) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < key.size(); i++) {
    const char c = key[i];
    if (c < '0' || c > '9') return false;
    if (v > (UINT64_MAX - 9) / 10) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *n = v;
  return true;
}

}  // namespace lode::bench
