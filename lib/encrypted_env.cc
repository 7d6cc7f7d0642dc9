#include "lib/encrypted_env.h"

#include <algorithm>
#include <cstring>

#include "lib/aes_gcm.h"
#include "lib/encrypted_indexed_file.h"
#include "lib/encrypted_units.h"
#include "lib/filename.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// Reads from a sequential file until n bytes or end of file.
Status ReadFully(SequentialFile* file, size_t n, std::string* out) {
  out->resize(n);
  size_t filled = 0;
  while (filled < n) {
    Slice got;
    Status s = file->Read(n - filled, &got, out->data() + filled);
    if (!s.ok()) return s;
    if (got.empty()) break;
    if (got.data() != out->data() + filled) memmove(out->data() + filled, got.data(), got.size());
    filled += got.size();
  }
  out->resize(filled);
  return Status::OK();
}

// Page geometry of a paged file of raw_size bytes.
struct PageGeometry {
  uint64_t num_pages = 0;
  uint32_t last_len = 0;
  uint64_t plain_size = 0;
};

Status ComputeGeometry(const std::string& fname, uint64_t raw_size, uint32_t page_size,
                       PageGeometry* g) {
  const uint64_t body = raw_size - kFileHeaderSize;
  const uint64_t stride = page_size + kPageOverhead;
  const uint64_t full = body / stride, rem = body % stride;
  if (rem == 0) {
    if (full == 0) return Status::Corruption(fname, "encrypted file has no page (truncated)");
    g->num_pages = full;
    g->last_len = page_size;
  } else if (rem < kPageOverhead) {
    return Status::Corruption(fname,
                              "truncated page at offset " + Num(kFileHeaderSize + full * stride));
  } else {
    g->num_pages = full + 1;
    g->last_len = static_cast<uint32_t>(rem - kPageOverhead);
  }
  g->plain_size = (g->num_pages - 1) * page_size + g->last_len;
  return Status::OK();
}

// ---- paged layout (tables, blob files) --------------------------------------

class PagedWritableFile final : public WritableFile {
 public:
  PagedWritableFile(std::unique_ptr<WritableFile> base, std::string header, std::string key,
                    uint32_t page_size)
      : base_(std::move(base)),
        header_(std::move(header)),
        key_(std::move(key)),
        page_size_(page_size) {}

  Status Append(const Slice& data) override {
    if (sealed_) {
      return Status::NotSupported("encrypted table/blob file", "append after Sync sealed it");
    }
    buf_.append(data.data(), data.size());
    // Keep at least one byte back: the last page is sealed as final at
    // Sync/Close, so a full page is written only once more data follows.
    size_t done = 0;
    Status s;
    while (s.ok() && buf_.size() - done > page_size_) {
      s = EmitPage(buf_.data() + done, page_size_, /*final_page=*/false);
      done += page_size_;
    }
    buf_.erase(0, done);
    return s;
  }
  Status Flush() override { return base_->Flush(); }
  // The sealed pages only: the last one waits for Sync or Close.
  Status StartWriteback() override { return base_->StartWriteback(); }
  Status Sync() override {
    Status s = Seal();
    if (s.ok()) s = base_->Sync();
    return s;
  }
  Status Close() override {
    Status s = Seal();
    Status c = base_->Close();
    return s.ok() ? c : s;
  }

 private:
  Status Seal() {
    if (sealed_) return Status::OK();
    sealed_ = true;
    Status s = EmitPage(buf_.data(), buf_.size(), /*final_page=*/true);
    buf_.clear();
    return s;
  }
  Status EmitPage(const char* data, size_t n, bool final_page) {
    out_.resize(kNonceSize + n + kTagSize);
    char* nonce = out_.data();
    Status s = gcm_.NextNonce(nonce);
    char aad[kAadSize];
    BuildUnitAad(header_, index_, index_ * page_size_, static_cast<uint32_t>(n), final_page, aad);
    if (s.ok()) {
      s = gcm_.Seal(key_, nonce, Slice(aad, kAadSize), data, n, nonce + kNonceSize,
                    nonce + kNonceSize + n);
    }
    if (s.ok()) s = base_->Append(out_);
    index_++;
    return s;
  }

  std::unique_ptr<WritableFile> base_;
  const std::string header_;
  const std::string key_;
  const uint32_t page_size_;
  AesGcm gcm_;
  std::string buf_;  // plaintext not yet in a page
  std::string out_;
  uint64_t index_ = 0;
  bool sealed_ = false;
};

class PagedRandomAccessFile final : public RandomAccessFile {
 public:
  PagedRandomAccessFile(std::unique_ptr<RandomAccessFile> base, std::string fname,
                        std::string header, std::string key, uint32_t key_id, uint32_t page_size,
                        PageGeometry g)
      : base_(std::move(base)),
        fname_(std::move(fname)),
        header_(std::move(header)),
        key_(std::move(key)),
        key_id_(key_id),
        page_size_(page_size),
        g_(g) {}

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    *result = Slice(scratch, 0);
    if (offset >= g_.plain_size || n == 0) return Status::OK();
    n = static_cast<size_t>(std::min<uint64_t>(n, g_.plain_size - offset));
    const uint64_t stride = page_size_ + kPageOverhead;
    const uint64_t first = offset / page_size_, last = (offset + n - 1) / page_size_;
    const uint64_t raw_off = kFileHeaderSize + first * stride;
    const uint64_t raw_len = (last - first) * stride + PageLen(last) + kPageOverhead;

    std::string local;
    char* raw;
    Slice got;
    Status s = ReadEncryptedRange(*base_, fname_, "pages", raw_off, raw_len, &local, &raw, &got);
    if (!s.ok()) return s;
    AesGcm* gcm = AesGcm::ThreadLocal();
    for (uint64_t p = first; p <= last; p++) {
      const uint32_t len = PageLen(p);
      char aad[kAadSize];
      BuildUnitAad(header_, p, p * page_size_, len, p + 1 == g_.num_pages, aad);
      char* ct = raw + (p - first) * stride + kNonceSize;
      if (!OpenUnitInto(gcm, key_, aad, ct, len, p * page_size_, offset, n, scratch)) {
        return UnitAuthFailure(fname_, "page", p, raw_off + (p - first) * stride, key_id_);
      }
    }
    *result = Slice(scratch, n);
    return Status::OK();
  }

  void Prefetch(uint64_t offset, size_t n) const override {
    const uint64_t stride = page_size_ + kPageOverhead;
    const uint64_t first = offset / page_size_;
    const uint64_t pages = (offset + n) / page_size_ - first + 1;
    base_->Prefetch(kFileHeaderSize + first * stride, pages * stride);
  }

 private:
  uint32_t PageLen(uint64_t p) const { return p + 1 == g_.num_pages ? g_.last_len : page_size_; }

  const std::unique_ptr<RandomAccessFile> base_;
  const std::string fname_;
  const std::string header_;
  const std::string key_;
  const uint32_t key_id_;
  const uint32_t page_size_;
  const PageGeometry g_;
};

// A table or blob file read front to back (nothing in lode does this today;
// for completeness of the Env).
class RandomAccessSequentialFile final : public SequentialFile {
 public:
  explicit RandomAccessSequentialFile(std::unique_ptr<RandomAccessFile> file)
      : file_(std::move(file)) {}
  Status Read(size_t n, Slice* result, char* scratch) override {
    Status s = file_->Read(offset_, n, result, scratch);
    if (s.ok()) offset_ += result->size();
    return s;
  }
  Status Skip(uint64_t n) override {
    offset_ += n;  // past the end, reads return nothing
    return Status::OK();
  }

 private:
  std::unique_ptr<RandomAccessFile> file_;
  uint64_t offset_ = 0;
};

// A blob file cut inside its header: no plaintext.
class EmptyRandomAccessFile final : public RandomAccessFile {
 public:
  Status Read(uint64_t, size_t, Slice* result, char* scratch) const override {
    *result = Slice(scratch, 0);
    return Status::OK();
  }
};

// ---- stream layout (WAL, manifest) ------------------------------------------

class StreamWritableFile final : public WritableFile {
 public:
  StreamWritableFile(std::unique_ptr<WritableFile> base, std::string header, std::string key,
                     uint32_t unit_size)
      : base_(std::move(base)),
        header_(std::move(header)),
        key_(std::move(key)),
        unit_size_(unit_size) {}

  Status Append(const Slice& data) override {
    buf_.append(data.data(), data.size());
    return Status::OK();
  }
  Status Flush() override {
    Status s = EmitUnits();
    if (s.ok()) s = base_->Flush();
    return s;
  }
  Status Sync() override {
    Status s = EmitUnits();
    if (s.ok()) s = base_->Sync();
    return s;
  }
  Status Close() override {
    Status s = EmitUnits();
    Status c = base_->Close();
    return s.ok() ? c : s;
  }

 private:
  // Everything buffered becomes new units, appended after the synced ones.
  Status EmitUnits() {
    if (buf_.empty()) return Status::OK();
    out_.clear();
    Status s = SealStreamUnits(&gcm_, header_, key_, unit_size_, buf_.data(), buf_.size(), &index_,
                               &plain_offset_, &out_, /*lens=*/nullptr);
    buf_.clear();
    if (s.ok()) s = base_->Append(out_);
    return s;
  }

  std::unique_ptr<WritableFile> base_;
  const std::string header_;
  const std::string key_;
  const uint32_t unit_size_;
  AesGcm gcm_;
  std::string buf_;
  std::string out_;
  uint64_t index_ = 0;
  uint64_t plain_offset_ = 0;
};

// Decrypts unit by unit. A unit cut short by the end of the file is a torn
// tail: the reader sees the end of the file there, as after a crash.
class StreamSequentialFile final : public SequentialFile {
 public:
  StreamSequentialFile(std::unique_ptr<SequentialFile> base, std::string fname, std::string header,
                       std::string key, uint32_t key_id, uint32_t unit_size)
      : base_(std::move(base)),
        fname_(std::move(fname)),
        header_(std::move(header)),
        key_(std::move(key)),
        key_id_(key_id),
        unit_size_(unit_size) {}

  // An empty file, or one torn inside its header: nothing to read.
  StreamSequentialFile() : key_id_(0), unit_size_(0), eof_(true) {}

  Status Read(size_t n, Slice* result, char* scratch) override {
    *result = Slice(scratch, 0);
    while (pos_ == plain_.size()) {
      if (eof_) return Status::OK();
      Status s = NextUnit();
      if (!s.ok()) return s;
    }
    const size_t k = std::min(n, plain_.size() - pos_);
    memcpy(scratch, plain_.data() + pos_, k);
    pos_ += k;
    *result = Slice(scratch, k);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    std::string scratch(std::min<uint64_t>(n, 1 << 16), '\0');
    while (n > 0) {
      Slice got;
      Status s =
          Read(static_cast<size_t>(std::min<uint64_t>(n, scratch.size())), &got, scratch.data());
      if (!s.ok()) return s;
      if (got.empty()) break;
      n -= got.size();
    }
    return Status::OK();
  }

 private:
  Status NextUnit() {
    plain_.clear();
    pos_ = 0;
    Status s = ReadFully(base_.get(), kStreamUnitHeaderSize, &raw_);
    if (!s.ok()) return s;
    if (raw_.size() < kStreamUnitHeaderSize) {
      eof_ = true;  // clean end, or torn inside a unit header
      return Status::OK();
    }
    const uint32_t len = DecodeFixed32(raw_.data());
    if (DecodeFixed32(raw_.data() + 4) != StreamUnitCheck(header_, index_, len) ||
        len > unit_size_) {
      return Status::Corruption(fname_, "damaged encryption unit header (unit " + Num(index_) +
                                            ") at offset " + Num(raw_offset_));
    }
    s = ReadFully(base_.get(), kNonceSize + len + kTagSize, &raw_);
    if (!s.ok()) return s;
    if (raw_.size() < kNonceSize + len + kTagSize) {
      eof_ = true;  // torn tail: the unit was being written at a crash
      return Status::OK();
    }
    char aad[kAadSize];
    BuildUnitAad(header_, index_, plain_offset_, len, false, aad);
    plain_.resize(len);
    if (!AesGcm::ThreadLocal()->Open(key_, raw_.data(), Slice(aad, kAadSize),
                                     raw_.data() + kNonceSize, len, plain_.data(),
                                     raw_.data() + kNonceSize + len)) {
      plain_.clear();
      eof_ = true;
      return UnitAuthFailure(fname_, "unit", index_, raw_offset_, key_id_);
    }
    index_++;
    plain_offset_ += len;
    raw_offset_ += kStreamUnitOverhead + len;
    return Status::OK();
  }

  std::unique_ptr<SequentialFile> base_;
  const std::string fname_;
  const std::string header_;
  const std::string key_;
  const uint32_t key_id_;
  const uint32_t unit_size_;
  std::string raw_;
  std::string plain_;  // the current unit's plaintext
  size_t pos_ = 0;
  uint64_t index_ = 0;
  uint64_t plain_offset_ = 0;
  uint64_t raw_offset_ = kFileHeaderSize;
  bool eof_ = false;
};

Status CheckHeaderMatchesName(const std::string& fname, const EncryptionFileHeader& h,
                              uint64_t number, EncryptedFileType type) {
  if (h.file_number != number || h.file_type != type) {
    return Status::Corruption(fname, "encryption header names file " + Num(h.file_number) +
                                         " of type " + Num(static_cast<int>(h.file_type)) +
                                         " (file renamed or swapped) at offset 0");
  }
  bool ok;
  switch (type) {
    case EncryptedFileType::kWal:
    case EncryptedFileType::kManifest:
      ok = h.layout == EncryptionLayout::kStream;
      break;
    case EncryptedFileType::kBlob:  // indexed since format 1.1; paged before
      ok = h.layout == EncryptionLayout::kIndexed || h.layout == EncryptionLayout::kPaged;
      break;
    default:
      ok = h.layout == EncryptionLayout::kPaged;
  }
  if (!ok) return Status::Corruption(fname, "encryption header: wrong layout at offset 0");
  return Status::OK();
}

}  // namespace

bool IsEncryptedFileName(const std::string& fname, uint64_t* number, EncryptedFileType* type) {
  FileType ft;
  if (!ParseFileName(BaseName(fname), number, &ft)) return false;
  switch (ft) {
    case FileType::kLogFile:
      *type = EncryptedFileType::kWal;
      return true;
    case FileType::kDescriptorFile:
      *type = EncryptedFileType::kManifest;
      return true;
    case FileType::kTableFile:
      *type = EncryptedFileType::kTable;
      return true;
    case FileType::kBlobFile:
      *type = EncryptedFileType::kBlob;
      return true;
    default:
      return false;
  }
}

EncryptedEnv::EncryptedEnv(Env* base, std::shared_ptr<KeyProvider> provider)
    : EnvWrapper(base), provider_(std::move(provider)) {}

std::unique_ptr<Env> NewEncryptedEnv(Env* base, std::shared_ptr<KeyProvider> provider) {
  if (provider == nullptr) return nullptr;
  return std::make_unique<EncryptedEnv>(base, std::move(provider));
}

Status EncryptedEnv::LoadKey(uint32_t key_id, const std::string& fname, std::string* key) const {
  Status s = provider_->GetKey(key_id, key);
  if (s.IsNotFound()) {
    return Status::InvalidArgument(fname, "is encrypted with key id " + Num(key_id) +
                                              ", which the key provider does not have");
  }
  if (!s.ok()) return s;
  if (key->size() != kKeySize) {
    return Status::InvalidArgument("key id " + Num(key_id),
                                   "is " + Num(key->size()) + " bytes; AES-256 needs 32");
  }
  return Status::OK();
}

Status EncryptedEnv::ReadHeader(const std::string& fname, RandomAccessFile* raw, uint64_t raw_size,
                                EncryptionFileHeader* header, std::string* bytes) const {
  if (raw_size < kFileHeaderSize) {
    return Status::Corruption(
        fname, "encryption header: file too short (" + Num(raw_size) + " bytes) at offset 0");
  }
  char buf[kFileHeaderSize];
  Slice got;
  Status s = raw->Read(0, kFileHeaderSize, &got, buf);
  if (!s.ok()) return s;
  s = header->DecodeFrom(got, fname);
  if (s.ok() && bytes != nullptr) bytes->assign(got.data(), kFileHeaderSize);
  return s;
}

Status EncryptedEnv::NewWritableFile(const std::string& fname,
                                     std::unique_ptr<WritableFile>* result) {
  uint64_t number;
  EncryptedFileType type;
  if (!IsEncryptedFileName(fname, &number, &type)) return target()->NewWritableFile(fname, result);
  result->reset();
  EncryptionFileHeader h;
  h.key_id = provider_->ActiveKeyId();
  h.file_number = number;
  h.file_type = type;
  const bool stream = type == EncryptedFileType::kWal || type == EncryptedFileType::kManifest;
  const bool indexed = type == EncryptedFileType::kBlob;
  h.layout = stream    ? EncryptionLayout::kStream
             : indexed ? EncryptionLayout::kIndexed
                       : EncryptionLayout::kPaged;
  h.unit_size = stream ? kDefaultStreamUnitSize : indexed ? kDefaultIndexedUnitSize : page_size_;
  std::string key;
  Status s = LoadKey(h.key_id, fname, &key);
  if (!s.ok()) return s;
  std::string header;
  h.EncodeTo(&header);
  std::unique_ptr<WritableFile> base;
  s = target()->NewWritableFile(fname, &base);
  if (s.ok()) s = base->Append(header);
  if (!s.ok()) return s;
  header.resize(kFileHeaderChecked + 8);  // AAD uses [0,40); the stream check uses the checksum
  if (stream) {
    *result = std::make_unique<StreamWritableFile>(std::move(base), std::move(header),
                                                   std::move(key), h.unit_size);
  } else if (indexed) {
    *result =
        NewIndexedWritableFile(std::move(base), std::move(header), std::move(key), h.unit_size);
  } else {
    *result = std::make_unique<PagedWritableFile>(std::move(base), std::move(header),
                                                  std::move(key), h.unit_size);
  }
  return Status::OK();
}

Status EncryptedEnv::NewRandomAccessFile(const std::string& fname,
                                         std::unique_ptr<RandomAccessFile>* result) {
  uint64_t number;
  EncryptedFileType type;
  if (!IsEncryptedFileName(fname, &number, &type)) {
    return target()->NewRandomAccessFile(fname, result);
  }
  result->reset();
  if (type == EncryptedFileType::kWal || type == EncryptedFileType::kManifest) {
    return Status::NotSupported(fname, "encrypted WAL/manifest files are read sequentially only");
  }
  uint64_t raw_size = 0;
  Status s = target()->GetFileSize(fname, &raw_size);
  std::unique_ptr<RandomAccessFile> base;
  if (s.ok()) s = target()->NewRandomAccessFile(fname, &base);
  if (!s.ok()) return s;
  if (type == EncryptedFileType::kBlob && raw_size < kFileHeaderSize) {
    // A crash before the header reached the disk: no unit, so nothing any
    // WAL could have been acknowledged for. The blob layer judges the empty
    // file (a finished one has no header or footer: Corruption).
    *result = std::make_unique<EmptyRandomAccessFile>();
    return Status::OK();
  }
  EncryptionFileHeader h;
  std::string header;  // the bytes on disk: they are the units' associated data
  s = ReadHeader(fname, base.get(), raw_size, &h, &header);
  if (s.ok()) s = CheckHeaderMatchesName(fname, h, number, type);
  std::string key;
  if (s.ok()) s = LoadKey(h.key_id, fname, &key);
  if (!s.ok()) return s;
  if (h.layout == EncryptionLayout::kIndexed) {
    header.resize(kFileHeaderChecked + 8);
    return OpenIndexedFile(std::move(base), fname, raw_size, std::move(header), std::move(key),
                           h.key_id, h.unit_size, result);
  }
  PageGeometry g;
  s = ComputeGeometry(fname, raw_size, h.unit_size, &g);
  if (!s.ok()) return s;
  *result = std::make_unique<PagedRandomAccessFile>(std::move(base), fname, std::move(header),
                                                    std::move(key), h.key_id, h.unit_size, g);
  return Status::OK();
}

Status EncryptedEnv::NewSequentialFile(const std::string& fname,
                                       std::unique_ptr<SequentialFile>* result) {
  uint64_t number;
  EncryptedFileType type;
  if (!IsEncryptedFileName(fname, &number, &type)) {
    return target()->NewSequentialFile(fname, result);
  }
  result->reset();
  if (type == EncryptedFileType::kTable || type == EncryptedFileType::kBlob) {
    std::unique_ptr<RandomAccessFile> file;
    Status s = NewRandomAccessFile(fname, &file);
    if (!s.ok()) return s;
    *result = std::make_unique<RandomAccessSequentialFile>(std::move(file));
    return Status::OK();
  }
  std::unique_ptr<SequentialFile> base;
  Status s = target()->NewSequentialFile(fname, &base);
  if (!s.ok()) return s;
  std::string raw;
  s = ReadFully(base.get(), kFileHeaderSize, &raw);
  if (!s.ok()) return s;
  if (raw.size() < kFileHeaderSize) {
    // Created, then a crash before the whole header reached the disk: no
    // unit was ever written, so nothing was acknowledged from this file.
    *result = std::make_unique<StreamSequentialFile>();
    return Status::OK();
  }
  EncryptionFileHeader h;
  s = h.DecodeFrom(raw, fname);
  if (s.ok()) s = CheckHeaderMatchesName(fname, h, number, type);
  std::string key;
  if (s.ok()) s = LoadKey(h.key_id, fname, &key);
  if (!s.ok()) return s;
  raw.resize(kFileHeaderChecked + 8);
  *result = std::make_unique<StreamSequentialFile>(std::move(base), fname, std::move(raw),
                                                   std::move(key), h.key_id, h.unit_size);
  return Status::OK();
}

Status EncryptedEnv::GetFileSize(const std::string& fname, uint64_t* size) {
  uint64_t number;
  EncryptedFileType type;
  if (!IsEncryptedFileName(fname, &number, &type)) return target()->GetFileSize(fname, size);
  uint64_t raw_size = 0;
  Status s = target()->GetFileSize(fname, &raw_size);
  if (!s.ok()) return s;
  const bool stream = type == EncryptedFileType::kWal || type == EncryptedFileType::kManifest;
  if (raw_size == 0 ||
      ((stream || type == EncryptedFileType::kBlob) && raw_size < kFileHeaderSize)) {
    *size = 0;
    return Status::OK();
  }
  std::unique_ptr<RandomAccessFile> base;
  s = target()->NewRandomAccessFile(fname, &base);
  EncryptionFileHeader h;
  std::string header;
  if (s.ok()) s = ReadHeader(fname, base.get(), raw_size, &h, &header);
  if (s.ok()) s = CheckHeaderMatchesName(fname, h, number, type);
  if (!s.ok()) return s;
  if (h.layout == EncryptionLayout::kIndexed) {
    return IndexedPlainSize(base.get(), fname, raw_size, header, h.unit_size, size);
  }
  if (!stream) {
    PageGeometry g;
    s = ComputeGeometry(fname, raw_size, h.unit_size, &g);
    if (s.ok()) *size = g.plain_size;
    return s;
  }
  // Walk the unit headers; a torn last unit does not count.
  uint64_t pos = kFileHeaderSize, plain = 0;
  while (pos + kStreamUnitHeaderSize <= raw_size) {
    char buf[kStreamUnitHeaderSize];
    Slice got;
    s = base->Read(pos, kStreamUnitHeaderSize, &got, buf);
    if (!s.ok()) return s;
    if (got.size() < kStreamUnitHeaderSize) break;
    const uint32_t len = DecodeFixed32(got.data());
    if (pos + kStreamUnitOverhead + len > raw_size) break;
    plain += len;
    pos += kStreamUnitOverhead + len;
  }
  *size = plain;
  return Status::OK();
}

Status ReadEncryptionHeader(Env* raw_env, const std::string& fname, EncryptionFileHeader* header) {
  std::unique_ptr<SequentialFile> file;
  Status s = raw_env->NewSequentialFile(fname, &file);
  std::string raw;
  if (s.ok()) s = ReadFully(file.get(), kFileHeaderSize, &raw);
  if (s.ok()) s = header->DecodeFrom(raw, fname);
  return s;
}

Status CheckDbEncryption(Env* env, const std::string& dbname, const KeyProvider* provider) {
  Env* raw_env = env;
  if (provider != nullptr) {
    auto* enc = dynamic_cast<EncryptedEnv*>(env);
    if (enc == nullptr)
      return Status::InvalidArgument(dbname, "encryption set without an EncryptedEnv");
    raw_env = enc->target();
  }
  std::string current;
  if (!ReadFileToString(raw_env, CurrentFileName(dbname), &current).ok()) {
    return Status::OK();  // recovery reports a missing or unreadable CURRENT
  }
  while (!current.empty() && (current.back() == '\n' || current.back() == '\r')) {
    current.pop_back();
  }
  const std::string manifest = dbname + "/" + current;
  std::unique_ptr<SequentialFile> file;
  if (!raw_env->NewSequentialFile(manifest, &file).ok()) return Status::OK();
  std::string head;
  Status s = ReadFully(file.get(), 8, &head);
  if (!s.ok() || head.empty()) return Status::OK();
  const bool encrypted = HasEncryptionMagic(head);
  if (encrypted && provider == nullptr) {
    return Status::InvalidArgument(dbname, "is encrypted; set Options::encryption");
  }
  if (!encrypted && provider != nullptr) {
    return Status::InvalidArgument(dbname,
                                   "is not encrypted but Options::encryption is set "
                                   "(lode does not convert a plain DB)");
  }
  if (provider == nullptr) return Status::OK();
  // Authenticate the manifest's first unit now, so that a wrong or missing
  // key is one clear error at open.
  s = env->NewSequentialFile(manifest, &file);
  if (!s.ok()) return s;
  char c;
  Slice got;
  return file->Read(1, &got, &c);
}

}  // namespace lode
