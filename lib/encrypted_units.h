// Unit-level steps shared by the encrypted layouts (lib/encrypted_env.cc,
// lib/encrypted_indexed_file.cc): sealing a stream unit, and for positioned
// reads, fetching the covering units with one read, then authenticating and
// decrypting each one into the caller's buffer.
#ifndef LODE_LIB_ENCRYPTED_UNITS_H_
#define LODE_LIB_ENCRYPTED_UNITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lib/aes_gcm.h"
#include "lode/env.h"

namespace lode {

// Seals data as one stream/indexed unit (length, check, nonce, ciphertext,
// tag; lib/encryption_format.h) with unit index `index` in its associated
// data, appended to *out.
Status SealStreamUnit(AesGcm* gcm, const std::string& header, const std::string& key,
                      uint64_t index, uint64_t plain_offset, bool final_unit, const char* data,
                      uint32_t len, std::string* out);

// Seals data[0, n) as consecutive units of at most unit_size bytes, numbered
// from *index and starting at plaintext offset *plain_offset (both advanced),
// appended to *out; each unit's length is appended to *lens if not null.
Status SealStreamUnits(AesGcm* gcm, const std::string& header, const std::string& key,
                       uint32_t unit_size, const char* data, size_t n, uint64_t* index,
                       uint64_t* plain_offset, std::string* out, std::vector<uint32_t>* lens);

// Reads [offset, offset + n) of base into a buffer of the calling thread
// (*buf, valid until its next call; one of its own past 8 MiB, in *local);
// *got gets the bytes. A short read is Corruption naming fname and what.
Status ReadEncryptedRange(const RandomAccessFile& base, const std::string& fname, const char* what,
                          uint64_t offset, uint64_t n, std::string* local, char** buf, Slice* got);

// One unit whose plaintext [unit_start, unit_start + len) overlaps the
// request [offset, offset + n): authenticates and decrypts it so that the
// overlap lands in scratch (which holds the request). ct is the unit's
// ciphertext, preceded by its nonce and followed by its tag, in a writable
// buffer: a unit partly wanted is decrypted there in place, then the part is
// copied; a whole one straight into scratch. False if it does not
// authenticate, with scratch's n bytes zeroed (no unauthenticated byte left).
bool OpenUnitInto(AesGcm* gcm, const std::string& key, const char* aad, char* ct, uint32_t len,
                  uint64_t unit_start, uint64_t offset, size_t n, char* scratch);

}  // namespace lode

#endif  // LODE_LIB_ENCRYPTED_UNITS_H_
