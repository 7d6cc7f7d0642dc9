// EncryptedEnv: an Env that encrypts and authenticates lode's data files.
//
// Files whose names parse as WAL, manifest, table or blob file
// (lib/filename.h) are written in the layout of lib/encryption_format.h:
// tables in fixed-size pages (a positioned read is one pread of the covering
// pages), WALs and manifests in variable-length units emitted at each
// Flush/Sync (a synced byte is never rewritten), blob files in units closed
// at each Flush/Sync and record boundary with an index at the end
// (lib/encrypted_indexed_file.h; older paged blob files still read). Every other file
// (CURRENT, LOCK, temp files) passes through plain. Readers fetch the key by
// the id in the file header; writers use the provider's ActiveKeyId().
//
// Thread-safety: as any Env. RandomAccessFile::Read is lock-free (a
// thread-local cipher context and buffer). The base Env and the provider must
// outlive this Env and every file it opened.
#ifndef LODE_LIB_ENCRYPTED_ENV_H_
#define LODE_LIB_ENCRYPTED_ENV_H_

#include <memory>
#include <string>

#include "lib/encryption_format.h"
#include "lode/encryption.h"
#include "lode/env.h"

namespace lode {

class EncryptedEnv final : public EnvWrapper {
 public:
  EncryptedEnv(Env* base, std::shared_ptr<KeyProvider> provider);

  Status NewSequentialFile(const std::string& fname,
                           std::unique_ptr<SequentialFile>* result) override;
  Status NewRandomAccessFile(const std::string& fname,
                             std::unique_ptr<RandomAccessFile>* result) override;
  Status NewWritableFile(const std::string& fname, std::unique_ptr<WritableFile>* result) override;
  // The plaintext size (what lode wrote), not the size on disk.
  Status GetFileSize(const std::string& fname, uint64_t* size) override;

  const KeyProvider* provider() const { return provider_.get(); }
  // Plaintext bytes per page of new tables and blob files (default
  // kDefaultPageSize). REQUIRES: no file being written; for tests and tuning.
  void SetPageSize(uint32_t page_size) { page_size_ = page_size; }

 private:
  Status LoadKey(uint32_t key_id, const std::string& fname, std::string* key) const;
  // Reads, checks and returns the header of an encrypted file (raw Env).
  // *bytes (if not null) gets the header as stored.
  Status ReadHeader(const std::string& fname, RandomAccessFile* raw, uint64_t raw_size,
                    EncryptionFileHeader* header, std::string* bytes) const;

  const std::shared_ptr<KeyProvider> provider_;
  uint32_t page_size_ = kDefaultPageSize;
};

// If options-style provider is set, a new EncryptedEnv over base; else nullptr.
std::unique_ptr<Env> NewEncryptedEnv(Env* base, std::shared_ptr<KeyProvider> provider);

// True if fname names a file kind EncryptedEnv encrypts; fills its number and
// encrypted type.
bool IsEncryptedFileName(const std::string& fname, uint64_t* number, EncryptedFileType* type);

// At open: the DB at dbname must be encrypted iff provider is set, and with a
// provider its manifest must authenticate under the recorded key. env is the
// DB's Env (an EncryptedEnv when provider is set). Errors: InvalidArgument
// for a mismatch or an unknown key id, Corruption for a failed authentication.
Status CheckDbEncryption(Env* env, const std::string& dbname, const KeyProvider* provider);

// Reads the encryption header of fname through a raw (not encrypting) Env.
Status ReadEncryptionHeader(Env* raw_env, const std::string& fname, EncryptionFileHeader* header);

}  // namespace lode

#endif  // LODE_LIB_ENCRYPTED_ENV_H_
