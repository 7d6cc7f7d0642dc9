#include "blob/blob_file_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "lib/filename.h"
#include "lib/util/compression.h"

namespace lode {

namespace {

// Leaves *buf holding exactly bytes: a suffix of *buf (the record read into
// it, header and key in front) is kept in place; bytes elsewhere (prefetched,
// or the file's own memory) are copied.
void KeepOnly(const Slice& bytes, std::string* buf) {
  if (bytes.data() >= buf->data() && bytes.data() < buf->data() + buf->size()) {
    buf->erase(0, static_cast<size_t>(bytes.data() - buf->data()));
  } else {
    buf->assign(bytes.data(), bytes.size());
  }
}

// Reads exactly n bytes at offset; a short read is Corruption (the caller
// checked the range against the file size, so the file changed under us).
Status ReadExactly(const RandomAccessFile& file, const std::string& file_name, uint64_t offset,
                   size_t n, Slice* result, char* scratch, const char* what) {
  Status s = file.Read(offset, n, result, scratch);
  if (!s.ok()) return s;
  if (result->size() != n) {
    return BlobCorruption(file_name, offset, std::string("short read of ") + what);
  }
  return Status::OK();
}

// Prefix a format-level status (no file name) with the file and offset.
Status Annotate(const Status& s, const std::string& file_name, uint64_t offset) {
  if (s.ok()) return s;
  if (s.IsCorruption()) return BlobCorruption(file_name, offset, s.message());
  if (s.IsNotSupported()) return Status::NotSupported(BaseName(file_name), s.message());
  return s;
}

// LZ4 cannot expand data more than 255x; a larger claim is damage, and
// checking it first keeps a bad index from making us allocate terabytes.
bool PlausibleLZ4Sizes(uint64_t stored, uint64_t uncompressed) {
  return uncompressed <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) &&
         uncompressed <= stored * 255 + 64;
}

}  // namespace

BlobFileReader::BlobFileReader(std::unique_ptr<RandomAccessFile> file, std::string file_name,
                               uint64_t file_number, uint64_t file_size)
    : file_(std::move(file)),
      file_name_(std::move(file_name)),
      file_number_(file_number),
      file_size_(file_size) {}

Status BlobFileReader::OpenHeader(Env* env, const std::string& file_name, uint64_t file_number,
                                  uint64_t min_size, std::unique_ptr<BlobFileReader>* reader) {
  uint64_t file_size = 0;
  Status s = env->GetFileSize(file_name, &file_size);
  if (!s.ok()) return s;
  if (file_size < min_size) {
    return BlobCorruption(file_name, file_size,
                          std::string("file too short for a blob file header") +
                              (min_size > BlobLogHeader::kSize ? " and footer" : "") + " (size " +
                              std::to_string(file_size) + ")");
  }
  std::unique_ptr<RandomAccessFile> file;
  s = env->NewRandomAccessFile(file_name, &file);
  if (!s.ok()) return s;
  std::unique_ptr<BlobFileReader> r(
      new BlobFileReader(std::move(file), file_name, file_number, file_size));
  char buf[BlobLogHeader::kSize];
  Slice in;
  s = ReadExactly(*r->file_, file_name, 0, BlobLogHeader::kSize, &in, buf, "header");
  if (s.ok()) s = Annotate(r->header_.DecodeFrom(in), file_name, 0);
  if (!s.ok()) return s;
  if (r->header_.file_number != file_number) {
    return BlobCorruption(file_name, 0,
                          "header names blob file " + std::to_string(r->header_.file_number));
  }
  if ((r->header_.flags & kBlobFlagEncrypted) != 0) {
    return Status::NotSupported(BaseName(file_name), "encrypted blob files");
  }
  r->records_end_ = file_size;
  *reader = std::move(r);
  return Status::OK();
}

Status BlobFileReader::OpenUnfinished(Env* env, const std::string& file_name, uint64_t file_number,
                                      std::unique_ptr<BlobFileReader>* reader) {
  return OpenHeader(env, file_name, file_number, BlobLogHeader::kSize, reader);
}

Status BlobFileReader::OpenGrowing(Env* env, const std::string& file_name, uint64_t file_number,
                                   std::unique_ptr<BlobFileReader>* reader) {
  std::unique_ptr<RandomAccessFile> file;
  Status s = env->NewRandomAccessFile(file_name, &file);
  if (!s.ok()) return s;
  std::unique_ptr<BlobFileReader> r(new BlobFileReader(std::move(file), file_name, file_number, 0));
  r->records_end_ = UINT64_MAX;
  *reader = std::move(r);
  return Status::OK();
}

Status BlobFileReader::Open(Env* env, const std::string& file_name, uint64_t file_number,
                            std::unique_ptr<BlobFileReader>* reader) {
  std::unique_ptr<BlobFileReader> r;
  Status s = OpenHeader(env, file_name, file_number, kBlobFileMinSize, &r);
  if (!s.ok()) return s;
  char buf[BlobLogFooter::kSize];
  Slice in;
  const uint64_t footer_offset = r->file_size_ - BlobLogFooter::kSize;
  s = ReadExactly(*r->file_, file_name, footer_offset, BlobLogFooter::kSize, &in, buf, "footer");
  if (s.ok()) s = Annotate(r->footer_.DecodeFrom(in), file_name, footer_offset);
  if (!s.ok()) return s;
  // Every record costs at least a record header plus its stored bytes.
  const uint64_t record_area = footer_offset - BlobLogHeader::kSize;
  if (r->footer_.blob_bytes > record_area ||
      r->footer_.blob_count > (record_area - r->footer_.blob_bytes) / BlobLogRecordHeader::kSize ||
      (r->footer_.blob_count == 0 && record_area != 0)) {
    return BlobCorruption(file_name, footer_offset, "footer counts do not fit the file size");
  }
  r->records_end_ = footer_offset;
  *reader = std::move(r);
  return Status::OK();
}

Status BlobFileReader::RecordExtent(const Slice& user_key, const BlobIndex& index, uint64_t* begin,
                                    uint64_t* end) const {
  if (index.file_number != file_number_) {
    return Status::InvalidArgument(BaseName(file_name_),
                                   "blob index names file " + std::to_string(index.file_number));
  }
  constexpr uint64_t kRH = BlobLogRecordHeader::kSize;
  const uint64_t records_begin = BlobLogHeader::kSize;
  const uint64_t records_end = records_end_;
  // The whole record [offset - kRH - key, offset + size) must lie inside the
  // record area; written to be free of overflow for any index values.
  if (index.offset < records_begin + kRH || index.offset - records_begin - kRH < user_key.size() ||
      index.offset > records_end || index.size > records_end - index.offset) {
    return BlobCorruption(file_name_, index.offset,
                          "blob index outside the record area (" + index.DebugString() +
                              ", file size " + std::to_string(file_size_) + ")");
  }
  *begin = index.offset - kRH - user_key.size();
  *end = index.offset + index.size;
  return Status::OK();
}

Status BlobFileReader::ReadAhead(uint64_t offset, size_t n, char* scratch, Prefetched* out) const {
  const uint64_t records_begin = BlobLogHeader::kSize;
  const uint64_t records_end = records_end_;
  offset = std::max(offset, records_begin);
  if (offset >= records_end) n = 0;
  n = static_cast<size_t>(std::min<uint64_t>(n, records_end - std::min(offset, records_end)));
  *out = Prefetched();
  out->file_number = file_number_;
  out->offset = offset;
  Slice got;
  Status s = file_->Read(offset, n, &got, scratch);
  if (!s.ok()) return s;
  out->data = got;  // maybe short if the file shrank: GetBlob then reads the file
  return Status::OK();
}

Status BlobFileReader::ReadRecord(const Slice& user_key, const BlobIndex& index,
                                  bool verify_checksum, const Prefetched* prefetched,
                                  std::string* buf, Slice* stored, bool grow_only) const {
  constexpr uint64_t kRH = BlobLogRecordHeader::kSize;
  uint64_t record_offset = 0, record_end = 0;
  Status s = RecordExtent(user_key, index, &record_offset, &record_end);
  if (!s.ok()) return s;
  const uint64_t n64 = record_end - record_offset;
  if (n64 > std::numeric_limits<size_t>::max()) {
    return BlobCorruption(file_name_, record_offset, "blob too large for memory");
  }
  const auto n = static_cast<size_t>(n64);
  Slice record;
  if (prefetched != nullptr && prefetched->file_number == file_number_ &&
      record_offset >= prefetched->offset &&
      record_end - prefetched->offset <= prefetched->data.size()) {
    record = Slice(prefetched->data.data() + (record_offset - prefetched->offset), n);
  } else {
    if (!grow_only || buf->size() < n) buf->resize(n);
    s = ReadExactly(*file_, file_name_, record_offset, n, &record, buf->data(), "blob record");
    if (!s.ok()) return s;
  }

  BlobLogRecordHeader rh;
  s = Annotate(rh.DecodeFrom(record), file_name_, record_offset);
  if (!s.ok()) return s;
  if (verify_checksum && BlobLogRecordHeader::ComputeChecksum(record.data(), n) != rh.checksum) {
    return BlobCorruption(file_name_, record_offset, "blob record checksum mismatch");
  }
  if (rh.key_size != user_key.size() || rh.stored_size != index.size ||
      rh.uncompressed_size != index.uncompressed_size || rh.compression != index.compression) {
    return BlobCorruption(file_name_, record_offset,
                          "blob record does not match its index (" + index.DebugString() + ")");
  }
  if (memcmp(record.data() + kRH, user_key.data(), user_key.size()) != 0) {
    return BlobCorruption(file_name_, record_offset, "blob record key does not match the index");
  }
  *stored = Slice(record.data() + kRH + user_key.size(), static_cast<size_t>(index.size));
  return Status::OK();
}

Status BlobFileReader::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                               std::string* value) const {
  return GetBlob(ro, user_key, index, value, nullptr);
}

Status BlobFileReader::GetBlob(const ReadOptions& ro, const Slice& user_key, const BlobIndex& index,
                               std::string* value, const Prefetched* prefetched) const {
  if (index.compression == Compression::kNone) {
    // Read straight into *value, then drop the header and key in front.
    Slice stored;
    Status s = ReadRecord(user_key, index, ro.verify_checksums, prefetched, value, &stored);
    if (!s.ok()) {
      value->clear();  // it holds unverified file bytes
      return s;
    }
    KeepOnly(stored, value);
    return Status::OK();
  }
  Status s = CheckIndex(user_key, index);  // before allocating for the value
  if (!s.ok()) return s;
  value->resize(static_cast<size_t>(index.uncompressed_size));
  s = GetBlobInto(ro, user_key, index, value->data(), prefetched);
  if (!s.ok()) value->clear();
  return s;
}

Status BlobFileReader::CheckIndex(const Slice& user_key, const BlobIndex& index) const {
  if (index.compression != Compression::kNone &&
      (index.compression != Compression::kLZ4 ||
       !PlausibleLZ4Sizes(index.size, index.uncompressed_size))) {
    return BlobCorruption(file_name_, index.offset,
                          "implausible compressed blob (" + index.DebugString() + ")");
  }
  if (index.compression == Compression::kNone && index.size != index.uncompressed_size) {
    return BlobCorruption(file_name_, index.offset,
                          "blob record does not match its index (" + index.DebugString() + ")");
  }
  uint64_t begin = 0, end = 0;
  return RecordExtent(user_key, index, &begin, &end);
}

namespace {
// The record bytes of the calling thread's last GetBlobInto: kept so that a
// read needs no allocation (and touches no fresh page) once warm.
std::string* ThreadScratch() {
  thread_local std::string scratch;
  if (scratch.capacity() > (8u << 20)) std::string().swap(scratch);  // after a huge blob
  return &scratch;
}
}  // namespace

Status BlobFileReader::GetBlobInto(const ReadOptions& ro, const Slice& user_key,
                                   const BlobIndex& index, char* out,
                                   const Prefetched* prefetched) const {
  Slice stored;
  Status s = ReadRecord(user_key, index, ro.verify_checksums, prefetched, ThreadScratch(), &stored,
                        /*grow_only=*/true);
  if (!s.ok()) return s;
  if (index.compression == Compression::kNone) {
    if (stored.size() > 0) memcpy(out, stored.data(), stored.size());
    return Status::OK();
  }
  static const std::string kNoContext;  // the message is built below, only on failure
  s = LZ4Uncompress(stored, static_cast<size_t>(index.uncompressed_size), out, kNoContext);
  if (!s.ok()) {
    return BlobCorruption(file_name_, index.offset,
                          "LZ4 data is malformed (" + index.DebugString() + ")");
  }
  return Status::OK();
}

Status BlobFileReader::ReadStored(const Slice& user_key, const BlobIndex& index,
                                  std::string* stored) const {
  Slice bytes;
  Status s = ReadRecord(user_key, index, /*verify_checksum=*/true, nullptr, stored, &bytes);
  if (!s.ok()) {
    stored->clear();
    return s;
  }
  KeepOnly(bytes, stored);
  return Status::OK();
}

}  // namespace lode
