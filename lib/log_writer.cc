#include "lib/log_writer.h"

#include <cassert>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode::log {

Writer::Writer(WritableFile* dest) : dest_(dest), block_offset_(0) {}

Writer::Writer(WritableFile* dest, uint64_t dest_length)
    : dest_(dest), block_offset_(dest_length % kBlockSize) {}

Status Writer::AddRecord(const Slice& record) {
  const char* p = record.data();
  size_t left = record.size();
  bool first = true;
  // Loop at least once so that an empty record still gets a FULL fragment.
  do {
    const size_t block_left = kBlockSize - block_offset_;
    if (block_left < kHeaderSize) {
      // Too small for a header: zero-fill the trailer and start a new block.
      if (block_left > 0) {
        static constexpr char kZeros[kHeaderSize] = {};
        Status s = dest_->Append(Slice(kZeros, block_left));
        if (!s.ok()) return s;
      }
      block_offset_ = 0;
    }
    const size_t avail = kBlockSize - block_offset_ - kHeaderSize;
    const size_t n = left < avail ? left : avail;
    const bool last = (n == left);
    FragmentKind kind;
    if (first && last) {
      kind = kFullKind;
    } else if (first) {
      kind = kFirstKind;
    } else if (last) {
      kind = kLastKind;
    } else {
      kind = kMiddleKind;
    }
    Status s = EmitFragment(kind, p, n);
    if (!s.ok()) return s;
    p += n;
    left -= n;
    first = false;
  } while (left > 0);
  return Status::OK();
}

Status Writer::EmitFragment(FragmentKind kind, const char* data, size_t n) {
  assert(n <= kMaxFragmentPayload);
  assert(block_offset_ + kHeaderSize + n <= kBlockSize);
  char header[kHeaderSize];
  const uint8_t type = EncodeFragmentType(kind);
  header[kTypeOffset] = static_cast<char>(type);
  EncodeFixed16(header + kLengthOffset, static_cast<uint16_t>(n));
  // The checksum covers the type byte and the payload, which are not
  // contiguous here: stream them.
  ChecksumStream cs;
  cs.Update(Slice(header + kTypeOffset, kTypeSize));
  cs.Update(Slice(data, n));
  EncodeFixed32(header + kChecksumOffset, static_cast<uint32_t>(cs.Digest()));

  Status s = dest_->Append(Slice(header, kHeaderSize));
  if (s.ok() && n > 0) s = dest_->Append(Slice(data, n));
  block_offset_ += kHeaderSize + n;
  return s;
}

}  // namespace lode::log
