#include "blob/blob_file_iterator.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "lib/filename.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/compression.h"

namespace lode {

BlobFileIterator::BlobFileIterator(std::unique_ptr<RandomAccessFile> file, std::string file_name,
                                   uint64_t file_number, uint64_t file_size, size_t readahead)
    : file_(std::move(file)),
      file_name_(std::move(file_name)),
      file_number_(file_number),
      file_size_(file_size),
      records_end_(file_size - BlobLogFooter::kSize),
      readahead_(std::max<size_t>(readahead, 4096)) {}

BlobFileIterator::~BlobFileIterator() = default;

Status BlobFileIterator::Open(Env* env, const std::string& file_name, uint64_t file_number,
                              std::unique_ptr<BlobFileIterator>* iter, size_t readahead) {
  uint64_t file_size = 0;
  Status s = env->GetFileSize(file_name, &file_size);
  if (!s.ok()) return s;
  if (file_size < kBlobFileMinSize) {
    return BlobCorruption(file_name, file_size, "file too short for a blob file header and footer");
  }
  std::unique_ptr<RandomAccessFile> file;
  s = env->NewRandomAccessFile(file_name, &file);
  if (!s.ok()) return s;
  std::unique_ptr<BlobFileIterator> it(
      new BlobFileIterator(std::move(file), file_name, file_number, file_size, readahead));
  const char* p = nullptr;
  s = it->Fetch(0, BlobLogHeader::kSize, &p);
  if (!s.ok()) return s;
  s = it->header_.DecodeFrom(Slice(p, BlobLogHeader::kSize));
  if (s.IsCorruption()) return BlobCorruption(file_name, 0, s.message());
  if (!s.ok()) return Status::NotSupported(BaseName(file_name), s.message());
  if (it->header_.file_number != file_number) {
    return BlobCorruption(file_name, 0,
                          "header names blob file " + std::to_string(it->header_.file_number));
  }
  if ((it->header_.flags & kBlobFlagEncrypted) != 0) {
    return Status::NotSupported(BaseName(file_name), "encrypted blob files");
  }
  s = it->Fetch(it->records_end_, BlobLogFooter::kSize, &p);
  if (!s.ok()) return s;
  s = it->footer_.DecodeFrom(Slice(p, BlobLogFooter::kSize));
  if (!s.ok()) return BlobCorruption(file_name, it->records_end_, s.message());
  *iter = std::move(it);
  return Status::OK();
}

Status BlobFileIterator::Fetch(uint64_t offset, uint64_t n, const char** data) {
  if (offset >= buf_offset_ && n <= buf_.size() && offset - buf_offset_ <= buf_.size() - n) {
    *data = buf_.data() + (offset - buf_offset_);
    return Status::OK();
  }
  if (offset > file_size_ || n > file_size_ - offset) {
    return BlobCorruption(file_name_, offset, "read past end of file");
  }
  // Read at least readahead_ bytes (capped at the file end) to batch small records.
  const uint64_t want = std::max<uint64_t>(n, std::min<uint64_t>(readahead_, file_size_ - offset));
  if (want > std::numeric_limits<size_t>::max()) {
    return BlobCorruption(file_name_, offset, "record too large for memory");
  }
  buf_.resize(static_cast<size_t>(want));
  Slice result;
  Status s = file_->Read(offset, buf_.size(), &result, buf_.data());
  if (!s.ok()) {
    buf_.clear();
    return s;
  }
  if (result.size() < n) {
    buf_.clear();
    return BlobCorruption(file_name_, offset, "short read (file changed?)");
  }
  if (result.data() != buf_.data()) memmove(buf_.data(), result.data(), result.size());
  buf_.resize(result.size());
  buf_offset_ = offset;
  *data = buf_.data();
  return Status::OK();
}

void BlobFileIterator::SetCorruption(uint64_t offset, const std::string& what) {
  valid_ = false;
  status_ = BlobCorruption(file_name_, offset, what);
}

void BlobFileIterator::SeekToFirst() {
  status_ = Status::OK();
  pos_ = BlobLogHeader::kSize;
  seen_count_ = 0;
  seen_bytes_ = 0;
  records_stream_ = std::make_unique<ChecksumStream>();
  ParseRecord();
}

void BlobFileIterator::Next() {
  if (!valid_) return;
  ParseRecord();
}

void BlobFileIterator::ParseRecord() {
  valid_ = false;
  constexpr uint64_t kRH = BlobLogRecordHeader::kSize;
  if (pos_ == records_end_) {
    // Clean end: the records must be exactly those the footer describes.
    if (seen_count_ != footer_.blob_count || seen_bytes_ != footer_.blob_bytes) {
      SetCorruption(records_end_, "footer promises " + std::to_string(footer_.blob_count) +
                                      " blobs of " + std::to_string(footer_.blob_bytes) +
                                      " bytes, records hold " + std::to_string(seen_count_) +
                                      " of " + std::to_string(seen_bytes_));
    } else if (records_stream_->Digest() != footer_.records_checksum) {
      SetCorruption(records_end_, "records checksum mismatch");
    }
    return;
  }
  if (pos_ > records_end_ || records_end_ - pos_ < kRH) {
    SetCorruption(pos_, "truncated blob record header");
    return;
  }
  const char* p = nullptr;
  Status s = Fetch(pos_, kRH, &p);
  if (!s.ok()) {
    status_ = s;
    return;
  }
  BlobLogRecordHeader rh;
  s = rh.DecodeFrom(Slice(p, kRH));
  if (!s.ok()) {
    SetCorruption(pos_, s.message());
    return;
  }
  const uint64_t room = records_end_ - pos_ - kRH;
  if (rh.key_size > room || rh.stored_size > room - rh.key_size) {
    SetCorruption(pos_, "blob record runs past the footer");
    return;
  }
  const uint64_t n = kRH + rh.key_size + rh.stored_size;
  s = Fetch(pos_, n, &p);
  if (!s.ok()) {
    status_ = s;
    return;
  }
  if (BlobLogRecordHeader::ComputeChecksum(p, static_cast<size_t>(n)) != rh.checksum) {
    SetCorruption(pos_, "blob record checksum mismatch");
    return;
  }
  char cs[8];
  EncodeFixed64(cs, rh.checksum);
  records_stream_->Update(Slice(cs, sizeof(cs)));
  record_offset_ = pos_;
  key_ = Slice(p + kRH, rh.key_size);
  stored_ = Slice(p + kRH + rh.key_size, static_cast<size_t>(rh.stored_size));
  index_.file_number = file_number_;
  index_.offset = pos_ + kRH + rh.key_size;
  index_.size = rh.stored_size;
  index_.uncompressed_size = rh.uncompressed_size;
  index_.compression = rh.compression;
  seen_count_++;
  seen_bytes_ += rh.stored_size;
  pos_ += n;
  valid_ = true;
}

Status BlobFileIterator::GetValue(std::string* value) const {
  if (index_.compression == Compression::kNone) {
    value->assign(stored_.data(), stored_.size());
    return Status::OK();
  }
  if (index_.uncompressed_size > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) ||
      index_.uncompressed_size > index_.size * 255 + 64) {
    return BlobCorruption(file_name_, record_offset_, "implausible uncompressed size");
  }
  value->resize(static_cast<size_t>(index_.uncompressed_size));
  return LZ4Uncompress(
      stored_, value->size(), value->data(),
      BaseName(file_name_) + ": blob record at offset " + std::to_string(record_offset_));
}

}  // namespace lode
