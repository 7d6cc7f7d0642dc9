#include "blob/blob_file_writer.h"

#include <cassert>
#include <limits>

#include "blob/blob_log_format.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/compression.h"

namespace lode {

BlobFileWriter::BlobFileWriter(std::unique_ptr<WritableFile> file, std::string file_name,
                               uint64_t file_number, Compression compression)
    : file_(std::move(file)),
      file_name_(std::move(file_name)),
      file_number_(file_number),
      compression_(compression),
      records_stream_(std::make_unique<ChecksumStream>()) {}

BlobFileWriter::~BlobFileWriter() {
  if (!closed_) Abandon();
}

Status BlobFileWriter::Append(const Slice& data) {
  if (!status_.ok()) return status_;
  status_ = file_->Append(data);
  if (status_.ok()) offset_ += data.size();
  return status_;
}

Status BlobFileWriter::Open() {
  assert(!opened_);
  if (opened_) return Status::InvalidArgument(file_name_, "blob file writer opened twice");
  opened_ = true;
  BlobLogHeader header;
  header.compression = compression_;
  header.file_number = file_number_;
  std::string buf;
  header.EncodeTo(&buf);
  return Append(buf);
}

Status BlobFileWriter::AddBlob(const Slice& user_key, const Slice& value, BlobIndex* index) {
  if (compression_ == Compression::kLZ4) {
    compressed_.clear();
    if (LZ4CompressIfWorthIt(value, &compressed_)) {
      return AddRecord(user_key, compressed_, Compression::kLZ4, value.size(), index);
    }
  }
  return AddRecord(user_key, value, Compression::kNone, value.size(), index);
}

Status BlobFileWriter::CheckWritable() const {
  if (!status_.ok()) return status_;
  if (!opened_ || finished_ || closed_) {
    return Status::InvalidArgument(file_name_, "blob file writer is not open");
  }
  return Status::OK();
}

Status BlobFileWriter::AddRecord(const Slice& user_key, const Slice& stored, Compression c,
                                 uint64_t uncompressed_size, BlobIndex* index) {
  if (Status s = CheckWritable(); !s.ok()) return s;
  if (user_key.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument(file_name_, "key too long for a blob record");
  }
  if (c == Compression::kNone && uncompressed_size != stored.size()) {
    return Status::InvalidArgument(file_name_, "raw blob with uncompressed size != size");
  }
  BlobLogRecordHeader rh;
  rh.key_size = static_cast<uint32_t>(user_key.size());
  rh.stored_size = stored.size();
  rh.uncompressed_size = uncompressed_size;
  rh.compression = c;
  scratch_.clear();
  rh.EncodeTo(&scratch_);
  scratch_.append(user_key.data(), user_key.size());
  const uint64_t checksum = BlobLogRecordHeader::ComputeChecksum(
      Slice(scratch_.data() + BlobLogRecordHeader::kChecksumSize,
            scratch_.size() - BlobLogRecordHeader::kChecksumSize),
      stored);
  EncodeFixed64(scratch_.data(), checksum);

  const uint64_t value_offset = offset_ + scratch_.size();
  // Two appends: the value may be large, copying it behind the header buys
  // nothing since the file buffers anyway.
  Status s = Append(scratch_);
  if (s.ok()) s = Append(stored);
  if (s.ok()) s = status_ = file_->MarkRecordBoundary();
  if (!s.ok()) return s;

  char cs[8];
  EncodeFixed64(cs, checksum);
  records_stream_->Update(Slice(cs, sizeof(cs)));
  blob_count_++;
  blob_bytes_ += stored.size();

  index->file_number = file_number_;
  index->offset = value_offset;
  index->size = stored.size();
  index->uncompressed_size = uncompressed_size;
  index->compression = c;
  return Status::OK();
}

Status BlobFileWriter::Finish() {
  if (Status s = CheckWritable(); !s.ok()) return s;
  BlobLogFooter footer;
  footer.blob_count = blob_count_;
  footer.blob_bytes = blob_bytes_;
  footer.records_checksum = records_stream_->Digest();
  std::string buf;
  footer.EncodeTo(&buf);
  Status s = Append(buf);
  if (s.ok()) s = file_->Sync();
  if (s.ok()) s = file_->Close();
  closed_ = true;
  if (!s.ok()) {
    status_ = s;
    return s;
  }
  records_checksum_ = footer.records_checksum;
  finished_ = true;
  return Status::OK();
}

Status BlobFileWriter::Flush(bool sync) {
  if (Status s = CheckWritable(); !s.ok()) return s;
  status_ = sync ? file_->Sync() : file_->Flush();
  return status_;
}

Status BlobFileWriter::StartWriteback() {
  if (Status s = CheckWritable(); !s.ok()) return s;
  return status_ = file_->StartWriteback();
}

void BlobFileWriter::Close() {
  if (closed_) return;
  closed_ = true;
  Status s = file_->Close();
  if (status_.ok())
    status_ = s.ok() ? Status::InvalidArgument(file_name_, "blob file writer closed") : s;
}

void BlobFileWriter::Abandon() {
  if (closed_) return;
  closed_ = true;
  (void)file_->Close();  // the file is garbage either way
  if (status_.ok()) status_ = Status::InvalidArgument(file_name_, "blob file writer abandoned");
}

}  // namespace lode
