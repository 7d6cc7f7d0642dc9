// The indexed layout of encrypted blob files (lib/encryption_format.h,
// doc/encryption.md): stream units closed at every Flush/Sync and at record
// boundaries, so a blob file can take one flush per write group (write-time
// separation) and a positioned read of one record authenticates about that
// record only; at Close an index unit and a plain trailer let a reader map
// plaintext offsets to units without reading the file. A file never closed
// (a crash while it was written) is mapped by walking its unit headers, and
// a unit cut short by the end of the file ends it there, as a torn tail.
//
// Used by EncryptedEnv only; header is the file's first kFileHeaderChecked +
// 8 bytes (the units' associated data and the unit checks use them).
#ifndef LODE_LIB_ENCRYPTED_INDEXED_FILE_H_
#define LODE_LIB_ENCRYPTED_INDEXED_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lode/env.h"

namespace lode {

// A writer over base, which already holds the file header.
std::unique_ptr<WritableFile> NewIndexedWritableFile(std::unique_ptr<WritableFile> base,
                                                     std::string header, std::string key,
                                                     uint32_t unit_size);

// Maps the units of fname (raw_size bytes on disk; header read and checked)
// and returns a reader. Corruption for
// a damaged index, trailer or unit header, naming the file and the offset.
Status OpenIndexedFile(std::unique_ptr<RandomAccessFile> base, const std::string& fname,
                       uint64_t raw_size, std::string header, std::string key, uint32_t key_id,
                       uint32_t unit_size, std::unique_ptr<RandomAccessFile>* result);

// The plaintext size without the key: from the trailer if it is valid, else
// by walking the unit headers.
Status IndexedPlainSize(RandomAccessFile* base, const std::string& fname, uint64_t raw_size,
                        const std::string& header, uint32_t unit_size, uint64_t* plain_size);

}  // namespace lode

#endif  // LODE_LIB_ENCRYPTED_INDEXED_FILE_H_
