#include "lib/version_edit.h"

#include "lib/util/coding.h"

namespace lode {

namespace {

// Persisted tag numbers: frozen. Never renumber; retire by commenting out.
enum Tag : uint32_t {
  kComparator = 1,
  kLogNumber = 2,
  kNextFileNumber = 3,
  kLastSequence = 4,
  kCompactPointer = 5,
  kDeletedFile = 6,
  kNewFile = 7,
  kPrevLogNumber = 8,
  kFormatVersion = 9,
  // Blob records: 64..127.
  kBlobFileAddition = 64,
  kBlobFileGarbage = 65,
  kDeletedBlobFile = 66,
};

bool GetLevel(Slice* input, int* level) {
  uint32_t v;
  if (!GetVarint32(input, &v) || v >= static_cast<uint32_t>(kMaxNumLevels)) return false;
  *level = static_cast<int>(v);
  return true;
}

bool GetInternalKey(Slice* input, InternalKey* key) {
  Slice s;
  if (!GetLengthPrefixedSlice(input, &s)) return false;
  ParsedInternalKey parsed;
  if (!ParseInternalKey(s, &parsed)) return false;
  return key->DecodeFrom(s);
}

}  // namespace

void VersionEdit::Clear() { *this = VersionEdit(); }

void VersionEdit::SetComparatorName(const Slice& name) {
  has_comparator_ = true;
  comparator_ = name.ToString();
}
void VersionEdit::SetLogNumber(uint64_t num) {
  has_log_number_ = true;
  log_number_ = num;
}
void VersionEdit::SetPrevLogNumber(uint64_t num) {
  has_prev_log_number_ = true;
  prev_log_number_ = num;
}
void VersionEdit::SetNextFile(uint64_t num) {
  has_next_file_number_ = true;
  next_file_number_ = num;
}
void VersionEdit::SetLastSequence(SequenceNumber seq) {
  has_last_sequence_ = true;
  last_sequence_ = seq;
}
void VersionEdit::SetCompactPointer(int level, const InternalKey& key) {
  compact_pointers_.emplace_back(level, key);
}

void VersionEdit::AddFile(int level, const FileMetaData& f) {
  FileMetaData copy = f;
  copy.refs = 0;
  copy.being_compacted = false;
  new_files_.emplace_back(level, std::move(copy));
}

void VersionEdit::RemoveFile(int level, uint64_t file_number) {
  deleted_files_.emplace(level, file_number);
}

void VersionEdit::AddBlobFile(const BlobFileAddition& b) { blob_file_additions_.push_back(b); }

void VersionEdit::AddBlobGarbage(uint64_t blob_file_number, uint64_t count, uint64_t bytes) {
  if (count == 0 && bytes == 0) return;
  BlobFileGarbage& g = blob_garbage_[blob_file_number];
  g.number = blob_file_number;
  g.count += count;
  g.bytes += bytes;
}

void VersionEdit::DeleteBlobFile(uint64_t blob_file_number) {
  deleted_blob_files_.insert(blob_file_number);
}

void VersionEdit::EncodeTo(std::string* dst) const {
  if (has_format_version_) {
    PutVarint32(dst, kFormatVersion);
    PutVarint32(dst, format_version_);
  }
  if (has_comparator_) {
    PutVarint32(dst, kComparator);
    PutLengthPrefixedSlice(dst, comparator_);
  }
  if (has_log_number_) {
    PutVarint32(dst, kLogNumber);
    PutVarint64(dst, log_number_);
  }
  if (has_prev_log_number_) {
    PutVarint32(dst, kPrevLogNumber);
    PutVarint64(dst, prev_log_number_);
  }
  if (has_next_file_number_) {
    PutVarint32(dst, kNextFileNumber);
    PutVarint64(dst, next_file_number_);
  }
  if (has_last_sequence_) {
    PutVarint32(dst, kLastSequence);
    PutVarint64(dst, last_sequence_);
  }
  for (const auto& [level, key] : compact_pointers_) {
    PutVarint32(dst, kCompactPointer);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutLengthPrefixedSlice(dst, key.Encode());
  }
  for (const auto& [level, number] : deleted_files_) {
    PutVarint32(dst, kDeletedFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, number);
  }
  for (const auto& [level, f] : new_files_) {
    PutVarint32(dst, kNewFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, f.number);
    PutVarint64(dst, f.file_size);
    PutLengthPrefixedSlice(dst, f.smallest.Encode());
    PutLengthPrefixedSlice(dst, f.largest.Encode());
    PutVarint64(dst, f.smallest_seqno);
    PutVarint64(dst, f.largest_seqno);
    PutVarint64(dst, f.num_entries);
    PutVarint64(dst, f.num_deletions);
    PutVarint32(dst, static_cast<uint32_t>(f.blob_refs.size()));
    for (const BlobRef& r : f.blob_refs) {
      PutVarint64(dst, r.blob_file_number);
      PutVarint64(dst, r.count);
      PutVarint64(dst, r.bytes);
    }
  }
  // Blob records after the tables so a reader sees additions before garbage;
  // the decoder does not depend on the order.
  for (const BlobFileAddition& b : blob_file_additions_) {
    PutVarint32(dst, kBlobFileAddition);
    PutVarint64(dst, b.number);
    PutVarint64(dst, b.blob_count);
    PutVarint64(dst, b.blob_bytes);
    PutVarint64(dst, b.file_size);
  }
  for (const auto& [number, g] : blob_garbage_) {
    PutVarint32(dst, kBlobFileGarbage);
    PutVarint64(dst, number);
    PutVarint64(dst, g.count);
    PutVarint64(dst, g.bytes);
  }
  for (uint64_t number : deleted_blob_files_) {
    PutVarint32(dst, kDeletedBlobFile);
    PutVarint64(dst, number);
  }
}

Status VersionEdit::DecodeFrom(const Slice& src) {
  Clear();
  Slice input = src;
  const char* msg = nullptr;
  uint32_t tag = 0;

  while (msg == nullptr && !input.empty()) {
    if (!GetVarint32(&input, &tag)) {
      msg = "tag";
      break;
    }
    int level;
    uint64_t number;
    Slice str;
    InternalKey key;
    switch (tag) {
      case kFormatVersion: {
        uint32_t v;
        if (!GetVarint32(&input, &v)) {
          msg = "format version";
        } else if (v == 0 || v > kManifestFormatVersion) {
          return Status::NotSupported("manifest format version " + std::to_string(v) +
                                      " is newer than this build reads (" +
                                      std::to_string(kManifestFormatVersion) + ")");
        } else {
          SetFormatVersion(v);
        }
        break;
      }
      case kComparator:
        if (GetLengthPrefixedSlice(&input, &str)) {
          SetComparatorName(str);
        } else {
          msg = "comparator name";
        }
        break;
      case kLogNumber:
        if (GetVarint64(&input, &number)) {
          SetLogNumber(number);
        } else {
          msg = "log number";
        }
        break;
      case kPrevLogNumber:
        if (GetVarint64(&input, &number)) {
          SetPrevLogNumber(number);
        } else {
          msg = "previous log number";
        }
        break;
      case kNextFileNumber:
        if (GetVarint64(&input, &number)) {
          SetNextFile(number);
        } else {
          msg = "next file number";
        }
        break;
      case kLastSequence:
        if (GetVarint64(&input, &number) && number <= kMaxSequenceNumber) {
          SetLastSequence(number);
        } else {
          msg = "last sequence number";
        }
        break;
      case kCompactPointer:
        if (GetLevel(&input, &level) && GetInternalKey(&input, &key)) {
          SetCompactPointer(level, key);
        } else {
          msg = "compaction pointer";
        }
        break;
      case kDeletedFile:
        if (GetLevel(&input, &level) && GetVarint64(&input, &number)) {
          if (!deleted_files_.emplace(level, number).second) msg = "deleted file (duplicate)";
        } else {
          msg = "deleted file";
        }
        break;
      case kNewFile: {
        FileMetaData f;
        uint32_t n_refs;
        if (!GetLevel(&input, &level) || !GetVarint64(&input, &f.number) ||
            !GetVarint64(&input, &f.file_size) || !GetInternalKey(&input, &f.smallest) ||
            !GetInternalKey(&input, &f.largest) || !GetVarint64(&input, &f.smallest_seqno) ||
            !GetVarint64(&input, &f.largest_seqno) || !GetVarint64(&input, &f.num_entries) ||
            !GetVarint64(&input, &f.num_deletions) || !GetVarint32(&input, &n_refs)) {
          msg = "new-file entry";
          break;
        }
        // Each ref takes at least 3 bytes: bound n_refs before reserving.
        if (n_refs > input.size() / 3) {
          msg = "new-file blob ref count";
          break;
        }
        f.blob_refs.reserve(n_refs);
        for (uint32_t i = 0; i < n_refs && msg == nullptr; i++) {
          BlobRef r;
          if (!GetVarint64(&input, &r.blob_file_number) || !GetVarint64(&input, &r.count) ||
              !GetVarint64(&input, &r.bytes)) {
            msg = "new-file blob ref";
          } else if (r.count == 0 || (!f.blob_refs.empty() &&
                                      f.blob_refs.back().blob_file_number >= r.blob_file_number)) {
            msg = "new-file blob ref (empty or out of order)";
          } else {
            f.blob_refs.push_back(r);
          }
        }
        if (msg == nullptr) new_files_.emplace_back(level, std::move(f));
        break;
      }
      case kBlobFileAddition: {
        BlobFileAddition b;
        if (GetVarint64(&input, &b.number) && GetVarint64(&input, &b.blob_count) &&
            GetVarint64(&input, &b.blob_bytes) && GetVarint64(&input, &b.file_size)) {
          AddBlobFile(b);
        } else {
          msg = "blob file addition";
        }
        break;
      }
      case kBlobFileGarbage: {
        BlobFileGarbage g;
        if (GetVarint64(&input, &g.number) && GetVarint64(&input, &g.count) &&
            GetVarint64(&input, &g.bytes)) {
          if (blob_garbage_.count(g.number) != 0) {
            msg = "blob file garbage (duplicate)";
          } else {
            blob_garbage_[g.number] = g;
          }
        } else {
          msg = "blob file garbage";
        }
        break;
      }
      case kDeletedBlobFile:
        if (GetVarint64(&input, &number)) {
          if (!deleted_blob_files_.insert(number).second) msg = "deleted blob file (duplicate)";
        } else {
          msg = "deleted blob file";
        }
        break;
      default:
        return Status::Corruption("version edit: unknown tag " + std::to_string(tag) + " at byte " +
                                  std::to_string(src.size() - input.size()));
    }
  }
  if (msg != nullptr) {
    return Status::Corruption("version edit: bad " + std::string(msg) + " (tag " +
                              std::to_string(tag) + ") before byte " +
                              std::to_string(src.size() - input.size()));
  }
  return Status::OK();
}

std::string VersionEdit::DebugString() const {
  std::string r = "VersionEdit {";
  if (has_format_version_) r += "\n  FormatVersion: " + std::to_string(format_version_);
  if (has_comparator_) r += "\n  Comparator: " + comparator_;
  if (has_log_number_) r += "\n  LogNumber: " + std::to_string(log_number_);
  if (has_prev_log_number_) r += "\n  PrevLogNumber: " + std::to_string(prev_log_number_);
  if (has_next_file_number_) r += "\n  NextFile: " + std::to_string(next_file_number_);
  if (has_last_sequence_) r += "\n  LastSeq: " + std::to_string(last_sequence_);
  for (const auto& [level, key] : compact_pointers_) {
    r += "\n  CompactPointer: L" + std::to_string(level) + " " + key.DebugString();
  }
  for (const auto& [level, number] : deleted_files_) {
    r += "\n  RemoveFile: L" + std::to_string(level) + " #" + std::to_string(number);
  }
  for (const auto& [level, f] : new_files_) {
    r += "\n  AddFile: L" + std::to_string(level) + " #" + std::to_string(f.number) + " " +
         std::to_string(f.file_size) + "B [" + f.smallest.DebugString() + " .. " +
         f.largest.DebugString() + "] seq " + std::to_string(f.smallest_seqno) + ".." +
         std::to_string(f.largest_seqno) + " entries " + std::to_string(f.num_entries) +
         " deletions " + std::to_string(f.num_deletions);
    for (const BlobRef& b : f.blob_refs) {
      r += " ref(#" + std::to_string(b.blob_file_number) + " " + std::to_string(b.count) + " " +
           std::to_string(b.bytes) + "B)";
    }
  }
  for (const BlobFileAddition& b : blob_file_additions_) {
    r += "\n  AddBlobFile: #" + std::to_string(b.number) + " blobs " +
         std::to_string(b.blob_count) + " " + std::to_string(b.blob_bytes) + "B file " +
         std::to_string(b.file_size) + "B";
  }
  for (const auto& [number, g] : blob_garbage_) {
    r += "\n  BlobGarbage: #" + std::to_string(number) + " " + std::to_string(g.count) + " " +
         std::to_string(g.bytes) + "B";
  }
  for (uint64_t number : deleted_blob_files_) {
    r += "\n  DeleteBlobFile: #" + std::to_string(number);
  }
  r += "\n}\n";
  return r;
}

}  // namespace lode
