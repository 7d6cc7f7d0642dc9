#include "lib/encrypted_indexed_file.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "lib/aes_gcm.h"
#include "lib/encrypted_units.h"
#include "lib/encryption_format.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode {

namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// File offset of unit i, given the plaintext offset where it starts.
uint64_t UnitOffset(uint64_t i, uint64_t plain_start) {
  return kFileHeaderSize + i * kStreamUnitOverhead + plain_start;
}

class IndexedWritableFile final : public WritableFile {
 public:
  IndexedWritableFile(std::unique_ptr<WritableFile> base, std::string header, std::string key,
                      uint32_t unit_size)
      : base_(std::move(base)),
        header_(std::move(header)),
        key_(std::move(key)),
        unit_size_(unit_size) {}

  Status Append(const Slice& data) override {
    if (!status_.ok()) return status_;
    buf_.append(data.data(), data.size());
    if (buf_.size() >= unit_size_) return Emit();
    return Status::OK();
  }
  Status MarkRecordBoundary() override {
    if (!status_.ok()) return status_;
    return buf_.size() >= kIndexedMinUnit ? Emit() : Status::OK();
  }
  Status Flush() override {
    Status s = Emit();
    if (s.ok()) s = status_ = base_->Flush();
    return s;
  }
  // The sealed units only: what is buffered waits for a record boundary.
  Status StartWriteback() override {
    if (!status_.ok()) return status_;
    return status_ = base_->StartWriteback();
  }
  Status Sync() override {
    Status s = Emit();
    if (s.ok()) s = status_ = base_->Sync();
    if (s.ok()) synced_ = true;
    return s;
  }
  // Writes the index and the trailer; if the file was synced (a finished
  // blob file), syncs them too, so an installed file never needs a walk.
  Status Close() override {
    Status s = Emit();
    if (s.ok()) s = WriteIndex();
    if (s.ok() && synced_) s = base_->Sync();
    Status c = base_->Close();
    return s.ok() ? c : s;
  }

 private:
  // Everything buffered becomes units of at most unit_size_ bytes.
  Status Emit() {
    if (!status_.ok() || buf_.empty()) return status_;
    out_.clear();
    uint64_t index = lens_.size();
    status_ = SealStreamUnits(&gcm_, header_, key_, unit_size_, buf_.data(), buf_.size(), &index,
                              &plain_offset_, &out_, &lens_);
    buf_.clear();
    if (status_.ok()) status_ = base_->Append(out_);
    return status_;
  }

  Status WriteIndex() {
    std::string index;
    PutFixed64(&index, lens_.size());
    for (uint32_t len : lens_) PutFixed32(&index, len);
    const uint64_t index_offset = UnitOffset(lens_.size(), plain_offset_);
    out_.clear();
    status_ = SealStreamUnit(&gcm_, header_, key_, kIndexUnitMark, plain_offset_, true,
                             index.data(), static_cast<uint32_t>(index.size()), &out_);
    if (!status_.ok()) return status_;
    char trailer[kIndexedTrailerSize];
    EncodeFixed64(trailer, plain_offset_);
    EncodeFixed64(trailer + 8, index_offset);
    EncodeFixed32(trailer + 16, IndexedTrailerCheck(header_, plain_offset_, index_offset));
    EncodeFixed32(trailer + 20, kIndexedTrailerMagic);
    out_.append(trailer, sizeof(trailer));
    return status_ = base_->Append(out_);
  }

  std::unique_ptr<WritableFile> base_;
  const std::string header_;
  const std::string key_;
  const uint32_t unit_size_;
  AesGcm gcm_;
  Status status_;  // first failure, sticky
  std::string buf_;
  std::string out_;
  std::vector<uint32_t> lens_;  // plaintext length of every unit written
  uint64_t plain_offset_ = 0;
  bool synced_ = false;
};

class IndexedRandomAccessFile final : public RandomAccessFile {
 public:
  // starts[i]: plaintext offset of unit i; starts.back(): the plain size.
  IndexedRandomAccessFile(std::unique_ptr<RandomAccessFile> base, std::string fname,
                          std::string header, std::string key, uint32_t key_id,
                          std::vector<uint64_t> starts)
      : base_(std::move(base)),
        fname_(std::move(fname)),
        header_(std::move(header)),
        key_(std::move(key)),
        key_id_(key_id),
        starts_(std::move(starts)) {}

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    *result = Slice(scratch, 0);
    const uint64_t size = starts_.back();
    if (offset >= size || n == 0) return Status::OK();
    n = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    const uint64_t first = UnitOf(offset), last = UnitOf(offset + n - 1);
    const uint64_t raw_off = UnitOffset(first, starts_[first]);
    const uint64_t raw_len = UnitOffset(last + 1, starts_[last + 1]) - raw_off;

    std::string local;
    char* raw;
    Slice got;
    Status s = ReadEncryptedRange(*base_, fname_, "units", raw_off, raw_len, &local, &raw, &got);
    if (!s.ok()) return s;
    AesGcm* gcm = AesGcm::ThreadLocal();
    for (uint64_t u = first; u <= last; u++) {
      const uint64_t unit_start = starts_[u];
      const uint32_t len = static_cast<uint32_t>(starts_[u + 1] - unit_start);
      const uint64_t at = UnitOffset(u, unit_start);
      char* unit = raw + (at - raw_off);
      if (DecodeFixed32(unit) != len ||
          DecodeFixed32(unit + 4) != StreamUnitCheck(header_, u, len)) {
        memset(scratch, 0, n);
        return Status::Corruption(
            fname_, "damaged encryption unit header (unit " + Num(u) + ") at offset " + Num(at));
      }
      char aad[kAadSize];
      BuildUnitAad(header_, u, unit_start, len, false, aad);
      char* ct = unit + kStreamUnitHeaderSize + kNonceSize;
      if (!OpenUnitInto(gcm, key_, aad, ct, len, unit_start, offset, n, scratch)) {
        return UnitAuthFailure(fname_, "unit", u, at, key_id_);
      }
    }
    *result = Slice(scratch, n);
    return Status::OK();
  }

  void Prefetch(uint64_t offset, size_t n) const override {
    const uint64_t size = starts_.back();
    if (offset >= size || n == 0) return;
    const uint64_t last_byte = std::min<uint64_t>(offset + n, size) - 1;
    const uint64_t first = UnitOf(offset), last = UnitOf(last_byte);
    const uint64_t raw_off = UnitOffset(first, starts_[first]);
    base_->Prefetch(raw_off, UnitOffset(last + 1, starts_[last + 1]) - raw_off);
  }

 private:
  // The unit holding plaintext offset o. REQUIRES: o < plain size.
  uint64_t UnitOf(uint64_t o) const {
    return static_cast<uint64_t>(std::upper_bound(starts_.begin(), starts_.end(), o) -
                                 starts_.begin()) -
           1;
  }

  const std::unique_ptr<RandomAccessFile> base_;
  const std::string fname_;
  const std::string header_;
  const std::string key_;
  const uint32_t key_id_;
  const std::vector<uint64_t> starts_;
};

struct Trailer {
  bool present = false;
  uint64_t plain_size = 0;
  uint64_t index_offset = 0;
};

// Reads the trailer if the file ends in one (its magic). A trailer with the
// magic but a wrong check or impossible offsets is Corruption.
Status ReadTrailer(RandomAccessFile* base, const std::string& fname, uint64_t raw_size,
                   const std::string& header, Trailer* t) {
  t->present = false;
  if (raw_size < kFileHeaderSize + kStreamUnitOverhead + 8 + kIndexedTrailerSize) {
    return Status::OK();
  }
  const uint64_t at = raw_size - kIndexedTrailerSize;
  char buf[kIndexedTrailerSize];
  Slice got;
  Status s = base->Read(at, kIndexedTrailerSize, &got, buf);
  if (!s.ok()) return s;
  if (got.size() != kIndexedTrailerSize || DecodeFixed32(got.data() + 20) != kIndexedTrailerMagic) {
    return Status::OK();
  }
  t->plain_size = DecodeFixed64(got.data());
  t->index_offset = DecodeFixed64(got.data() + 8);
  if (DecodeFixed32(got.data() + 16) !=
          IndexedTrailerCheck(header, t->plain_size, t->index_offset) ||
      t->index_offset < kFileHeaderSize + t->plain_size ||
      t->index_offset + kStreamUnitOverhead + 8 > at) {
    return Status::Corruption(fname, "damaged unit index trailer at offset " + Num(at));
  }
  t->present = true;
  return Status::OK();
}

// Maps units by their headers, for a file without a trailer. Stops at the
// end of the file, at a unit cut short by it (torn tail) and at an index
// unit cut short; a complete index unit followed by a trailer's room means
// the trailer was damaged: Corruption.
Status WalkUnits(RandomAccessFile* base, const std::string& fname, uint64_t raw_size,
                 const std::string& header, uint32_t unit_size, std::vector<uint64_t>* starts) {
  starts->assign(1, 0);
  uint64_t pos = kFileHeaderSize;
  while (pos + kStreamUnitHeaderSize <= raw_size) {
    const uint64_t i = starts->size() - 1;
    char buf[kStreamUnitHeaderSize];
    Slice got;
    Status s = base->Read(pos, kStreamUnitHeaderSize, &got, buf);
    if (!s.ok()) return s;
    if (got.size() < kStreamUnitHeaderSize) break;
    const uint32_t len = DecodeFixed32(got.data());
    const uint32_t check = DecodeFixed32(got.data() + 4);
    const uint64_t end = pos + kStreamUnitOverhead + len;
    if (check == StreamUnitCheck(header, kIndexUnitMark, len)) {
      if (end + kIndexedTrailerSize <= raw_size) {
        return Status::Corruption(fname,
                                  "unit index present but its trailer is damaged at offset " +
                                      Num(raw_size - kIndexedTrailerSize));
      }
      break;  // a close cut short
    }
    if (check != StreamUnitCheck(header, i, len) || len == 0 || len > unit_size) {
      return Status::Corruption(
          fname, "damaged encryption unit header (unit " + Num(i) + ") at offset " + Num(pos));
    }
    if (end > raw_size) break;  // torn tail
    starts->push_back(starts->back() + len);
    pos = end;
  }
  return Status::OK();
}

// Reads and authenticates the index unit the trailer points at.
Status ReadIndex(RandomAccessFile* base, const std::string& fname, uint64_t raw_size,
                 const std::string& header, const std::string& key, uint32_t key_id,
                 uint32_t unit_size, const Trailer& t, std::vector<uint64_t>* starts) {
  const uint64_t at = t.index_offset;
  const uint64_t raw_len = raw_size - kIndexedTrailerSize - at;
  // Every unit before the index takes more than its overhead, which bounds
  // the index: a forged offset cannot make us load the whole file.
  const uint64_t max_units = (at - kFileHeaderSize) / (kStreamUnitOverhead + 1);
  if (raw_len > kStreamUnitOverhead + 8 + 4 * max_units) {
    return Status::Corruption(
        fname, "unit index: longer than the file's units allow at offset " + Num(at));
  }
  std::string raw(raw_len, '\0');
  Slice got;
  Status s = base->Read(at, raw_len, &got, raw.data());
  if (!s.ok()) return s;
  auto bad = [&](const std::string& why) {
    return Status::Corruption(fname, "unit index: " + why + " at offset " + Num(at));
  };
  if (got.size() != raw_len) return bad("short read");
  const uint32_t len = DecodeFixed32(got.data());
  if (len + kStreamUnitOverhead != raw_len ||
      DecodeFixed32(got.data() + 4) != StreamUnitCheck(header, kIndexUnitMark, len)) {
    return bad("damaged unit header");
  }
  const char* nonce = got.data() + kStreamUnitHeaderSize;
  char aad[kAadSize];
  BuildUnitAad(header, kIndexUnitMark, t.plain_size, len, true, aad);
  std::string plain(len, '\0');
  if (!AesGcm::ThreadLocal()->Open(key, nonce, Slice(aad, kAadSize), nonce + kNonceSize, len,
                                   plain.data(), nonce + kNonceSize + len)) {
    return UnitAuthFailure(fname, "unit index", kIndexUnitMark, at, key_id);
  }
  const uint64_t count = len >= 8 ? DecodeFixed64(plain.data()) : ~0ull;
  if (len < 8 || (len - 8) / 4 != count || (len - 8) % 4 != 0) return bad("bad unit count");
  starts->assign(1, 0);
  starts->reserve(count + 1);
  for (uint64_t i = 0; i < count; i++) {
    const uint32_t ulen = DecodeFixed32(plain.data() + 8 + 4 * i);
    if (ulen == 0 || ulen > unit_size) return bad("unit " + Num(i) + " has a bad length");
    starts->push_back(starts->back() + ulen);
  }
  if (starts->back() != t.plain_size || UnitOffset(count, t.plain_size) != at) {
    return bad("units do not add up to the file");
  }
  return Status::OK();
}

}  // namespace

std::unique_ptr<WritableFile> NewIndexedWritableFile(std::unique_ptr<WritableFile> base,
                                                     std::string header, std::string key,
                                                     uint32_t unit_size) {
  return std::make_unique<IndexedWritableFile>(std::move(base), std::move(header), std::move(key),
                                               unit_size);
}

Status OpenIndexedFile(std::unique_ptr<RandomAccessFile> base, const std::string& fname,
                       uint64_t raw_size, std::string header, std::string key, uint32_t key_id,
                       uint32_t unit_size, std::unique_ptr<RandomAccessFile>* result) {
  Trailer t;
  Status s = ReadTrailer(base.get(), fname, raw_size, header, &t);
  std::vector<uint64_t> starts;
  if (s.ok()) {
    s = t.present
            ? ReadIndex(base.get(), fname, raw_size, header, key, key_id, unit_size, t, &starts)
            : WalkUnits(base.get(), fname, raw_size, header, unit_size, &starts);
  }
  if (!s.ok()) return s;
  *result = std::make_unique<IndexedRandomAccessFile>(std::move(base), fname, std::move(header),
                                                      std::move(key), key_id, std::move(starts));
  return Status::OK();
}

Status IndexedPlainSize(RandomAccessFile* base, const std::string& fname, uint64_t raw_size,
                        const std::string& header, uint32_t unit_size, uint64_t* plain_size) {
  Trailer t;
  Status s = ReadTrailer(base, fname, raw_size, header, &t);
  if (!s.ok()) return s;
  if (t.present) {
    *plain_size = t.plain_size;
    return Status::OK();
  }
  std::vector<uint64_t> starts;
  s = WalkUnits(base, fname, raw_size, header, unit_size, &starts);
  if (s.ok()) *plain_size = starts.back();
  return s;
}

}  // namespace lode
