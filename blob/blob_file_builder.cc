#include "blob/blob_file_builder.h"

#include <cassert>

#include "blob/blob_file_writer.h"
#include "blob/blob_index.h"
#include "lib/filename.h"

namespace lode {

BlobFileBuilder::BlobFileBuilder(const BlobFileBuilderOptions& options) : options_(options) {
  assert(options_.env != nullptr);
  assert(options_.new_file_number);
}

BlobFileBuilder::~BlobFileBuilder() {
  assert(done_);
  if (!done_) Abandon();
}

Status BlobFileBuilder::OpenFileIfNeeded() {
  if (writer_ != nullptr) return Status::OK();
  const uint64_t number = options_.new_file_number();
  const std::string fname = BlobFileName(options_.dbname, number);
  std::unique_ptr<WritableFile> file;
  Status s = options_.env->NewWritableFile(fname, &file);
  if (!s.ok()) return s;
  created_files_.push_back(number);
  writeback_at_ = 0;
  writer_ = std::make_unique<BlobFileWriter>(std::move(file), fname, number, options_.compression);
  return writer_->Open();
}

Status BlobFileBuilder::FinishCurrentFile() {
  if (writer_ == nullptr) return Status::OK();
  Status s = writer_->Finish();
  if (!s.ok()) return s;
  finished_.push_back({writer_->file_number(), writer_->BlobCount(), writer_->BlobBytes(),
                       writer_->FileSize(), writer_->RecordsChecksum()});
  writer_.reset();
  return Status::OK();
}

Status BlobFileBuilder::AfterRecord() {
  if (writer_->FileSize() >= options_.blob_file_size) return FinishCurrentFile();
  if (options_.writeback_bytes > 0 &&
      writer_->FileSize() - writeback_at_ >= options_.writeback_bytes) {
    writeback_at_ = writer_->FileSize();
    return writer_->StartWriteback();
  }
  return Status::OK();
}

Status BlobFileBuilder::Add(const Slice& user_key, const Slice& value, std::string* blob_index,
                            bool* separated) {
  *separated = false;
  if (!status_.ok()) return status_;
  assert(!done_);
  if (value.size() < options_.min_blob_size) return Status::OK();
  BlobIndex index;
  status_ = OpenFileIfNeeded();
  if (status_.ok()) status_ = writer_->AddBlob(user_key, value, &index);
  if (status_.ok()) status_ = AfterRecord();
  if (!status_.ok()) return status_;
  blob_index->clear();
  index.EncodeTo(blob_index);
  *separated = true;
  return Status::OK();
}

Status BlobFileBuilder::AddRelocated(const Slice& user_key, const Slice& stored, Compression c,
                                     uint64_t uncompressed_size, std::string* blob_index) {
  if (!status_.ok()) return status_;
  assert(!done_);
  BlobIndex index;
  status_ = OpenFileIfNeeded();
  if (status_.ok()) status_ = writer_->AddRecord(user_key, stored, c, uncompressed_size, &index);
  if (status_.ok()) status_ = AfterRecord();
  if (!status_.ok()) return status_;
  blob_index->clear();
  index.EncodeTo(blob_index);
  return Status::OK();
}

Status BlobFileBuilder::Finish(std::vector<BlobFileAdditionInfo>* added) {
  assert(!done_);
  // The last file is finished whatever its size.
  if (status_.ok()) status_ = FinishCurrentFile();
  // New directory entries must be durable before a version edit names them.
  if (status_.ok() && !created_files_.empty()) status_ = options_.env->SyncDir(options_.dbname);
  if (!status_.ok()) return status_;
  done_ = true;
  added->insert(added->end(), finished_.begin(), finished_.end());
  return Status::OK();
}

Status BlobFileBuilder::Reconfigure(uint64_t min_blob_size, uint64_t blob_file_size,
                                    Compression compression) {
  if (!status_.ok()) return status_;
  assert(!done_);
  options_.min_blob_size = min_blob_size;
  const bool roll = compression != options_.compression ||
                    (writer_ != nullptr && writer_->FileSize() >= blob_file_size);
  options_.blob_file_size = blob_file_size;
  options_.compression = compression;
  if (roll) status_ = FinishCurrentFile();
  return status_;
}

Status BlobFileBuilder::FlushFile(bool sync) {
  if (!status_.ok()) return status_;
  assert(!done_);
  if (writer_ != nullptr) status_ = writer_->Flush(sync);
  // A rolled-over file was synced by its Finish; its name may not be.
  if (status_.ok() && sync && dir_synced_files_ < created_files_.size()) {
    status_ = options_.env->SyncDir(options_.dbname);
    if (status_.ok()) dir_synced_files_ = created_files_.size();
  }
  return status_;
}

void BlobFileBuilder::Detach() {
  done_ = true;
  if (writer_ != nullptr) {
    writer_->Close();
    writer_.reset();
  }
  finished_.clear();
  if (status_.ok()) status_ = Status::InvalidArgument("blob file builder detached");
}

void BlobFileBuilder::Abandon() {
  done_ = true;
  if (writer_ != nullptr) {
    writer_->Abandon();
    writer_.reset();
  }
  for (uint64_t number : created_files_) {
    // Best effort: a file left behind is an orphan that the next open deletes.
    (void)options_.env->RemoveFile(BlobFileName(options_.dbname, number));
  }
  finished_.clear();
  if (status_.ok()) status_ = Status::InvalidArgument("blob file builder abandoned");
}

uint64_t BlobFileBuilder::BytesWritten() const {
  uint64_t total = writer_ != nullptr ? writer_->FileSize() : 0;
  for (const BlobFileAdditionInfo& f : finished_) total += f.file_size;
  return total;
}

}  // namespace lode
