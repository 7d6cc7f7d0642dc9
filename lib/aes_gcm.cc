#include "lib/aes_gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstring>

#include "lib/encryption_format.h"

namespace lode {

namespace {

// Fetched once: an explicit fetch avoids a provider lookup on every init.
const EVP_CIPHER* Cipher() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return c != nullptr ? static_cast<const EVP_CIPHER*>(c) : EVP_aes_256_gcm();
  }();
  return cipher;
}

EVP_CIPHER_CTX* Ctx(void* p) { return static_cast<EVP_CIPHER_CTX*>(p); }

const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* U(char* p) { return reinterpret_cast<unsigned char*>(p); }

}  // namespace

AesGcm::AesGcm() : enc_(EVP_CIPHER_CTX_new()), dec_(EVP_CIPHER_CTX_new()) {}

AesGcm::~AesGcm() {
  EVP_CIPHER_CTX_free(Ctx(enc_));
  EVP_CIPHER_CTX_free(Ctx(dec_));
}

AesGcm* AesGcm::ThreadLocal() {
  thread_local AesGcm instance;
  return &instance;
}

Status AesGcm::Seal(const Slice& key, const char* nonce, const Slice& aad, const char* in, size_t n,
                    char* out, char* tag) {
  EVP_CIPHER_CTX* ctx = Ctx(enc_);
  if (ctx == nullptr || key.size() != kKeySize || n > INT_MAX) {
    return Status::IOError("AES-256-GCM", "bad cipher context, key or unit size");
  }
  int ok;
  if (enc_key_.size() == key.size() && Slice(enc_key_) == key) {
    ok = EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, U(nonce));
  } else {
    ok = EVP_EncryptInit_ex(ctx, Cipher(), nullptr, U(key.data()), U(nonce));
    enc_key_.assign(key.data(), ok == 1 ? key.size() : 0);
  }
  int len = 0;
  if (ok == 1 && aad.size() > 0) {
    ok = EVP_EncryptUpdate(ctx, nullptr, &len, U(aad.data()), static_cast<int>(aad.size()));
  }
  if (ok == 1 && n > 0) ok = EVP_EncryptUpdate(ctx, U(out), &len, U(in), static_cast<int>(n));
  if (ok == 1) ok = EVP_EncryptFinal_ex(ctx, U(out) + n, &len);
  if (ok == 1) ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, tag);
  if (ok != 1) {
    enc_key_.clear();
    return Status::IOError("AES-256-GCM", "encryption failed in OpenSSL");
  }
  return Status::OK();
}

bool AesGcm::Open(const Slice& key, const char* nonce, const Slice& aad, const char* in, size_t n,
                  char* out, const char* tag) {
  EVP_CIPHER_CTX* ctx = Ctx(dec_);
  if (ctx == nullptr || key.size() != kKeySize || n > INT_MAX) return false;
  int ok;
  if (dec_key_.size() == key.size() && Slice(dec_key_) == key) {
    ok = EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, U(nonce));
  } else {
    ok = EVP_DecryptInit_ex(ctx, Cipher(), nullptr, U(key.data()), U(nonce));
    dec_key_.assign(key.data(), ok == 1 ? key.size() : 0);
  }
  int len = 0;
  if (ok == 1 && aad.size() > 0) {
    ok = EVP_DecryptUpdate(ctx, nullptr, &len, U(aad.data()), static_cast<int>(aad.size()));
  }
  if (ok == 1 && n > 0) ok = EVP_DecryptUpdate(ctx, U(out), &len, U(in), static_cast<int>(n));
  if (ok == 1) {
    ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, const_cast<char*>(tag));
  }
  if (ok == 1) ok = EVP_DecryptFinal_ex(ctx, U(out) + n, &len);
  if (ok != 1) {
    dec_key_.clear();  // start the next unit from a clean context
    return false;
  }
  return true;
}

Status AesGcm::NextNonce(char* nonce) {
  static_assert(kNonceSize == 12);
  if (pool_used_ == kPoolNonces) {
    Status s = RandomBytes(pool_, sizeof(pool_));
    if (!s.ok()) return s;
    pool_used_ = 0;
  }
  memcpy(nonce, pool_ + pool_used_ * kNonceSize, kNonceSize);
  OPENSSL_cleanse(pool_ + pool_used_ * kNonceSize, kNonceSize);  // never handed out twice
  pool_used_++;
  return Status::OK();
}

Status AesGcm::RandomBytes(char* buf, size_t n) {
  if (n > INT_MAX || RAND_bytes(U(buf), static_cast<int>(n)) != 1) {
    return Status::IOError("RAND_bytes", "the OpenSSL random generator failed");
  }
  return Status::OK();
}

}  // namespace lode
