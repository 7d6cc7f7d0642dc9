// Encryption at rest: the key provider interface an application implements to
// hand lode its AES-256 keys, and two built-in providers.
//
// Set Options::encryption to a provider and every WAL, manifest, table and
// blob file the DB writes is encrypted and authenticated (AES-256-GCM); see
// doc/encryption.md. A provider is shared by all threads of the DB and must be
// thread-safe; lode keeps it alive through the shared_ptr for the DB's life.
#ifndef LODE_INCLUDE_ENCRYPTION_H_
#define LODE_INCLUDE_ENCRYPTION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "lode/status.h"

namespace lode {

class KeyProvider {  // implemented by the application; thread-safe
 public:
  virtual ~KeyProvider() = default;
  // The key id new files are encrypted with. Every file records its key id,
  // so old files stay readable while GetKey still knows their id.
  virtual uint32_t ActiveKeyId() const = 0;
  // The 32-byte key for key_id; NotFound if the provider does not know it.
  virtual Status GetKey(uint32_t key_id, std::string* key) const = 0;
};

// Keys given in code: key_id -> 32 raw bytes. A key of any other length makes
// GetKey fail with InvalidArgument.
std::shared_ptr<KeyProvider> NewStaticKeyProvider(std::map<uint32_t, std::string> keys,
                                                  uint32_t active_id);

// Keys read from a text file, one "<id> <64 hex chars>" per line, optionally an
// "active <id>" line (default: the highest id); blank lines and lines starting
// with '#' are ignored. A file readable or writable by group or other
// (mode & 077) is refused with InvalidArgument: a key file must be private.
Status NewFileKeyProvider(const std::string& path, std::shared_ptr<KeyProvider>* result);

}  // namespace lode

#endif  // LODE_INCLUDE_ENCRYPTION_H_
