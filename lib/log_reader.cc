#include "lib/log_reader.h"

#include <cstring>
#include <utility>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode::log {

Reader::Reader(SequentialFile* file, std::string file_name, Reporter* reporter, bool checksum)
    : file_(file),
      file_name_(std::move(file_name)),
      reporter_(reporter),
      checksum_(checksum),
      backing_(new char[kBlockSize]) {}

Reader::~Reader() = default;

bool Reader::FillBuffer() {
  buffer_.clear();
  if (eof_) return false;
  size_t filled = 0;
  // Keep reading until the block is full or the file ends, so that a short
  // read from the Env is never mistaken for the last block.
  while (filled < kBlockSize) {
    Slice got;
    Status s = file_->Read(kBlockSize - filled, &got, backing_.get() + filled);
    if (!s.ok()) {
      read_error_ = true;
      eof_ = true;
      if (reporter_ != nullptr) {
        ReportPendingAsCorruption();
        // A Corruption from the Env (a failed decryption) names file and offset already.
        reporter_->Corruption(
            0, s.IsCorruption() ? s
                                : Status::IOError(file_name_ + ": read failed at offset " +
                                                      std::to_string(buffer_end_offset_ + filled),
                                                  s.ToString()));
      }
      pending_.clear();
      return false;
    }
    if (got.empty()) break;
    if (got.data() != backing_.get() + filled) {
      memmove(backing_.get() + filled, got.data(), got.size());
    }
    filled += got.size();
  }
  if (filled < kBlockSize) eof_ = true;
  buffer_ = Slice(backing_.get(), filled);
  buffer_end_offset_ += filled;
  return filled > 0;
}

Reader::Read Reader::ReadFragment(Fragment* fragment, Damage* damage) {
  while (true) {
    if (buffer_.size() < kHeaderSize) {
      if (!eof_) {
        // The zero-filled trailer of a full block (or nothing): next block.
        if (!FillBuffer() && read_error_) return Read::kEof;
        continue;  // at end of file eof_ is now set and buffer_ empty
      }
      if (!buffer_.empty()) {
        // A short last block never has a trailer: these bytes are the start
        // of a header that was never completed.
        *damage = Damage{buffer_end_offset_ - buffer_.size(), buffer_.size(),
                         "fragment header cut short by end of file", false};
        buffer_.clear();
        return Read::kDamage;
      }
      return Read::kEof;
    }

    const char* header = buffer_.data();
    const uint64_t offset = buffer_end_offset_ - buffer_.size();
    const size_t length = DecodeFixed16(header + kLengthOffset);
    const uint8_t type = static_cast<uint8_t>(header[kTypeOffset]);

    if (kHeaderSize + length > buffer_.size()) {
      size_t repaired;
      if (RepairedLength(&repaired)) {
        // A damaged length: the payload checks out at another length, so
        // the data after it is real and parsing goes on there.
        *damage = Damage{offset, kHeaderSize + repaired,
                         "bad fragment length " + std::to_string(length), false};
        buffer_.remove_prefix(kHeaderSize + repaired);
        return Read::kDamage;
      }
      // Either the end of the file cut the fragment (torn write) or the
      // length field is damaged; drop the rest of the block either way.
      *damage = Damage{offset, buffer_.size(),
                       eof_ ? "fragment cut short by end of file"
                            : "bad fragment length " + std::to_string(length),
                       false};
      buffer_.clear();
      return Read::kDamage;
    }
    if (type == 0 && length == 0) {
      // Zero-filled space (preallocation, or a tail whose data never hit
      // the disk). Nothing else in this block can be trusted.
      *damage = Damage{offset, buffer_.size(), "zero-filled region", false};
      buffer_.clear();
      return Read::kDamage;
    }
    if (checksum_) {
      const uint32_t expected = DecodeFixed32(header + kChecksumOffset);
      // Type byte and payload are contiguous in the block.
      const uint32_t actual = Checksum32(header + kTypeOffset, kTypeSize + length);
      if (actual != expected) {
        size_t skip = 0;
        if (IntactFragmentAt(kHeaderSize + length)) {
          skip = kHeaderSize + length;  // the length is right: an intact fragment follows
        } else if (size_t repaired; RepairedLength(&repaired)) {
          skip = kHeaderSize + repaired;
        } else {
          skip = buffer_.size();  // the length cannot be trusted: skip the block
        }
        *damage = Damage{offset, skip, "fragment checksum mismatch", false};
        buffer_.remove_prefix(skip);
        return Read::kDamage;
      }
    }
    const uint8_t version = FragmentTypeVersion(type);
    const uint8_t kind = FragmentTypeKind(type);
    if (version != kLogFormatVersion || kind == kZeroKind || kind > kMaxFragmentKind) {
      std::string reason = version != kLogFormatVersion
                               ? "unsupported log format version " + std::to_string(version)
                               : "unknown fragment kind " + std::to_string(kind);
      if (checksum_) {
        // The checksum vouches for the fragment: it is real data of a kind
        // this reader does not know, so the damage is definite; skip it.
        *damage = Damage{offset, kHeaderSize + length, std::move(reason), true};
        buffer_.remove_prefix(kHeaderSize + length);
      } else {
        *damage = Damage{offset, buffer_.size(), std::move(reason), false};
        buffer_.clear();
      }
      return Read::kDamage;
    }

    fragment->kind = kind;
    fragment->payload = Slice(header + kHeaderSize, length);
    fragment->offset = offset;
    buffer_.remove_prefix(kHeaderSize + length);
    return Read::kFragment;
  }
}

bool Reader::IntactFragmentAt(size_t pos) const {
  if (!checksum_ || pos > buffer_.size() || buffer_.size() - pos < kHeaderSize) return false;
  const char* header = buffer_.data() + pos;
  const size_t length = DecodeFixed16(header + kLengthOffset);
  const uint8_t type = static_cast<uint8_t>(header[kTypeOffset]);
  const uint8_t kind = FragmentTypeKind(type);
  if (kHeaderSize + length > buffer_.size() - pos) return false;
  if (FragmentTypeVersion(type) != kLogFormatVersion || kind == kZeroKind ||
      kind > kMaxFragmentKind) {
    return false;
  }
  return Checksum32(header + kTypeOffset, kTypeSize + length) ==
         DecodeFixed32(header + kChecksumOffset);
}

bool Reader::RepairedLength(size_t* length) const {
  if (!checksum_) return false;
  const char* header = buffer_.data();
  const uint16_t stored = DecodeFixed16(header + kLengthOffset);
  const uint32_t expected = DecodeFixed32(header + kChecksumOffset);
  // One flipped bit is the common damage; 16 checksums are cheap next to
  // dropping a block of records that may have been synced.
  for (int bit = 0; bit < 16; bit++) {
    const size_t candidate = stored ^ (1u << bit);
    if (kHeaderSize + candidate > buffer_.size()) continue;
    if (Checksum32(header + kTypeOffset, kTypeSize + candidate) == expected) {
      *length = candidate;
      return true;
    }
  }
  return false;
}

void Reader::AddDamage(Damage damage) {
  if (damage.bytes == 0 && !damage.definite) return;
  pending_.push_back(std::move(damage));
}

void Reader::ReportPendingAsCorruption() {
  if (reporter_ != nullptr) {
    for (const Damage& d : pending_) {
      reporter_->Corruption(
          d.bytes, Status::Corruption(file_name_ + ": " + d.reason + " at offset " +
                                      std::to_string(d.offset) + " (" + std::to_string(d.bytes) +
                                      " bytes dropped)"));
    }
  }
  pending_.clear();
}

void Reader::ReportPendingAsTornTail() {
  if (pending_.empty()) return;
  size_t total = 0;
  for (const Damage& d : pending_) total += d.bytes;
  if (reporter_ != nullptr) {
    const Damage& first = pending_.front();
    reporter_->TornTail(
        total,
        Status::Corruption(file_name_ + ": torn tail at offset " + std::to_string(first.offset) +
                           ": " + first.reason + " (" + std::to_string(total) + " bytes dropped)"));
  }
  pending_.clear();
}

bool Reader::ReadRecord(Slice* record, std::string* scratch) {
  scratch->clear();
  record->clear();
  bool in_record = false;      // scratch holds the start of a fragmented record
  uint64_t record_offset = 0;  // offset of that record's first fragment

  // Drops a partial record: its bytes are lost with the damage that follows.
  auto drop_partial = [&](const char* why) {
    if (!in_record) return;
    AddDamage(Damage{record_offset, scratch->size(), why, false});
    scratch->clear();
    in_record = false;
  };

  while (true) {
    Fragment f;
    Damage damage;
    switch (ReadFragment(&f, &damage)) {
      case Read::kEof:
        if (read_error_) {
          pending_.clear();
          scratch->clear();
          return false;
        }
        drop_partial("record cut short by end of file");
        ReportPendingAsTornTail();
        return false;

      case Read::kDamage: {
        drop_partial("partial record lost to damage");
        const bool definite = damage.definite;
        AddDamage(std::move(damage));
        if (definite) ReportPendingAsCorruption();
        break;
      }

      case Read::kFragment:
        switch (f.kind) {
          case kFullKind:
            drop_partial("record missing its last fragment");
            ReportPendingAsCorruption();
            last_record_offset_ = f.offset;
            *record = f.payload;
            return true;
          case kFirstKind:
            drop_partial("record missing its last fragment");
            scratch->assign(f.payload.data(), f.payload.size());
            in_record = true;
            record_offset = f.offset;
            break;
          case kMiddleKind:
          case kLastKind:
            if (!in_record) {
              // The rest of a record whose start was lost: part of the
              // damage before it, if any.
              const size_t bytes = kHeaderSize + f.payload.size();
              if (!pending_.empty()) {
                pending_.back().bytes += bytes;
              } else {
                AddDamage(Damage{f.offset, bytes, "fragment without a record start", false});
              }
              break;
            }
            scratch->append(f.payload.data(), f.payload.size());
            if (f.kind == kLastKind) {
              ReportPendingAsCorruption();
              last_record_offset_ = record_offset;
              *record = Slice(*scratch);
              return true;
            }
            break;
          default:
            break;  // ReadFragment returns only known kinds
        }
        break;
    }
  }
}

}  // namespace lode::log
