#include "lib/encryption_format.h"

#include <cstring>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode {

void EncryptionFileHeader::EncodeTo(std::string* dst) const {
  char buf[kFileHeaderSize] = {};
  EncodeFixed64(buf, kEncryptionMagic);
  EncodeFixed32(buf + 8, version);
  EncodeFixed32(buf + 12, key_id);
  EncodeFixed64(buf + 16, file_number);
  buf[24] = static_cast<char>(file_type);
  buf[25] = static_cast<char>(layout);
  EncodeFixed32(buf + 28, unit_size);
  EncodeFixed64(buf + kFileHeaderChecked, Checksum64(buf, kFileHeaderChecked));
  dst->append(buf, kFileHeaderSize);
}

Status EncryptionFileHeader::DecodeFrom(const Slice& input, const std::string& fname) {
  auto bad = [&fname](const std::string& why) {
    return Status::Corruption(fname, "encryption header: " + why + " at offset 0");
  };
  if (input.size() < kFileHeaderSize) return bad("file too short for the header");
  const char* p = input.data();
  if (DecodeFixed64(p) != kEncryptionMagic) return bad("bad magic (not an encrypted lode file)");
  if (DecodeFixed64(p + kFileHeaderChecked) != Checksum64(p, kFileHeaderChecked)) {
    return bad("checksum mismatch");
  }
  version = DecodeFixed32(p + 8);
  if (version != kEncryptionFormatVersion) {
    return bad("unsupported format version " + std::to_string(version));
  }
  key_id = DecodeFixed32(p + 12);
  file_number = DecodeFixed64(p + 16);
  const uint8_t type = static_cast<uint8_t>(p[24]);
  const uint8_t lay = static_cast<uint8_t>(p[25]);
  unit_size = DecodeFixed32(p + 28);
  if (type < 1 || type > 4) return bad("unknown file type " + std::to_string(type));
  if (lay > 2) return bad("unknown layout " + std::to_string(lay));
  if (p[26] != 0 || p[27] != 0 || DecodeFixed64(p + 32) != 0) return bad("reserved bytes not zero");
  if (unit_size < kMinUnitSize || unit_size > kMaxUnitSize) {
    return bad("unit size " + std::to_string(unit_size) + " out of range");
  }
  file_type = static_cast<EncryptedFileType>(type);
  layout = static_cast<EncryptionLayout>(lay);
  return Status::OK();
}

bool HasEncryptionMagic(const Slice& data) {
  return data.size() >= 8 && DecodeFixed64(data.data()) == kEncryptionMagic;
}

void BuildUnitAad(const std::string& header, uint64_t index, uint64_t plain_offset, uint32_t length,
                  bool final_unit, char* aad) {
  memcpy(aad, header.data(), kFileHeaderChecked);
  EncodeFixed64(aad + kFileHeaderChecked, index);
  EncodeFixed64(aad + kFileHeaderChecked + 8, plain_offset);
  EncodeFixed32(aad + kFileHeaderChecked + 16, length);
  EncodeFixed64(aad + kFileHeaderChecked + 20, final_unit ? 1 : 0);
}

namespace {

// Checksum32 of the header's checksum followed by n bytes of fields.
uint32_t CheckOverHeader(const std::string& header, const char* fields, size_t n) {
  char buf[8 + 16];
  memcpy(buf, header.data() + kFileHeaderChecked, 8);
  memcpy(buf + 8, fields, n);
  return Checksum32(buf, 8 + n);
}

}  // namespace

uint32_t StreamUnitCheck(const std::string& header, uint64_t index, uint32_t length) {
  char fields[12];
  EncodeFixed64(fields, index);
  EncodeFixed32(fields + 8, length);
  return CheckOverHeader(header, fields, sizeof(fields));
}

uint32_t IndexedTrailerCheck(const std::string& header, uint64_t plain_size,
                             uint64_t index_offset) {
  char fields[16];
  EncodeFixed64(fields, plain_size);
  EncodeFixed64(fields + 8, index_offset);
  return CheckOverHeader(header, fields, sizeof(fields));
}

Status UnitAuthFailure(const std::string& fname, const char* what, uint64_t index, uint64_t offset,
                       uint32_t key_id) {
  return Status::Corruption(fname, std::string("authentication failed for ") + what + " " +
                                       std::to_string(index) + " at offset " +
                                       std::to_string(offset) + " (key id " +
                                       std::to_string(key_id) + "): wrong key or damaged data");
}

}  // namespace lode
