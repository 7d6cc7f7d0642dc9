#include "lib/encrypted_units.h"

#include <algorithm>
#include <cstring>

#include "lib/encryption_format.h"
#include "lib/util/coding.h"

namespace lode {

Status SealStreamUnit(AesGcm* gcm, const std::string& header, const std::string& key,
                      uint64_t index, uint64_t plain_offset, bool final_unit, const char* data,
                      uint32_t len, std::string* out) {
  const size_t at = out->size();
  out->resize(at + kStreamUnitOverhead + len);
  char* p = out->data() + at;
  EncodeFixed32(p, len);
  EncodeFixed32(p + 4, StreamUnitCheck(header, index, len));
  char* nonce = p + kStreamUnitHeaderSize;
  Status s = gcm->NextNonce(nonce);
  char aad[kAadSize];
  BuildUnitAad(header, index, plain_offset, len, final_unit, aad);
  if (s.ok()) {
    s = gcm->Seal(key, nonce, Slice(aad, kAadSize), data, len, nonce + kNonceSize,
                  nonce + kNonceSize + len);
  }
  return s;
}

Status SealStreamUnits(AesGcm* gcm, const std::string& header, const std::string& key,
                       uint32_t unit_size, const char* data, size_t n, uint64_t* index,
                       uint64_t* plain_offset, std::string* out, std::vector<uint32_t>* lens) {
  Status s;
  for (size_t done = 0; s.ok() && done < n;) {
    const uint32_t len = static_cast<uint32_t>(std::min<size_t>(unit_size, n - done));
    s = SealStreamUnit(gcm, header, key, *index, *plain_offset, false, data + done, len, out);
    if (lens != nullptr) lens->push_back(len);
    ++*index;
    *plain_offset += len;
    done += len;
  }
  return s;
}

Status ReadEncryptedRange(const RandomAccessFile& base, const std::string& fname, const char* what,
                          uint64_t offset, uint64_t n, std::string* local, char** buf, Slice* got) {
  thread_local std::string tl_raw;
  std::string* raw = n <= (8u << 20) ? &tl_raw : local;  // bound per-thread memory
  if (raw->size() < n) raw->resize(n);
  *buf = raw->data();
  Status s = base.Read(offset, n, got, raw->data());
  if (!s.ok()) return s;
  if (got->size() != n) {
    return Status::Corruption(fname, std::string("short read of encrypted ") + what +
                                         " at offset " + std::to_string(offset));
  }
  return Status::OK();
}

bool OpenUnitInto(AesGcm* gcm, const std::string& key, const char* aad, char* ct, uint32_t len,
                  uint64_t unit_start, uint64_t offset, size_t n, char* scratch) {
  const uint64_t from = std::max<uint64_t>(offset, unit_start);
  const uint64_t to = std::min<uint64_t>(offset + n, unit_start + len);
  const bool whole = from == unit_start && to == unit_start + len;
  char* plain = whole ? scratch + (from - offset) : ct;
  if (!gcm->Open(key, ct - kNonceSize, Slice(aad, kAadSize), ct, len, plain, ct + len)) {
    memset(scratch, 0, n);
    return false;
  }
  if (!whole) memcpy(scratch + (from - offset), plain + (from - unit_start), to - from);
  return true;
}

}  // namespace lode
