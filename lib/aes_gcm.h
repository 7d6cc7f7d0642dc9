// AesGcm: AES-256-GCM sealing and opening of one unit through OpenSSL's EVP
// interface, with 12-byte nonces and 16-byte tags.
//
// An AesGcm owns two EVP cipher contexts and remembers the last key it was
// given, so that a run of units under one key skips the key schedule. One
// thread at a time; readers keep one per thread (ThreadLocal()).
#ifndef LODE_LIB_AES_GCM_H_
#define LODE_LIB_AES_GCM_H_

#include <cstddef>
#include <string>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class AesGcm {
 public:
  AesGcm();
  ~AesGcm();
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;

  // The calling thread's instance (for concurrent readers).
  static AesGcm* ThreadLocal();

  // Encrypts in[0, n) to out[0, n) (out may equal in) and writes the tag.
  // REQUIRES: key is kKeySize bytes, nonce kNonceSize, tag has kTagSize room.
  Status Seal(const Slice& key, const char* nonce, const Slice& aad, const char* in, size_t n,
              char* out, char* tag);
  // Decrypts and authenticates; false if the tag does not match (wrong key,
  // nonce, associated data or ciphertext). out may equal in.
  bool Open(const Slice& key, const char* nonce, const Slice& aad, const char* in, size_t n,
            char* out, const char* tag);

  // Fills buf with n bytes from OpenSSL's CSPRNG.
  static Status RandomBytes(char* buf, size_t n);
  // A fresh random nonce (kNonceSize bytes), served from a pool this object
  // refills from the CSPRNG: one RAND_bytes call per 128 nonces instead of
  // one per unit (each call costs a getpid and a lock).
  Status NextNonce(char* nonce);

 private:
  void* enc_;  // EVP_CIPHER_CTX*
  void* dec_;
  static constexpr size_t kPoolNonces = 128;
  char pool_[kPoolNonces * 12];
  size_t pool_used_ = kPoolNonces;  // all used: refill first
  std::string enc_key_;             // key the context was initialised with ("" = none)
  std::string dec_key_;
};

}  // namespace lode

#endif  // LODE_LIB_AES_GCM_H_
