// The built-in key providers: keys given in code, and keys read from a
// private text file.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "lib/encryption_format.h"
#include "lode/encryption.h"
#include "lode/env.h"

namespace lode {

namespace {

class StaticKeyProvider final : public KeyProvider {
 public:
  StaticKeyProvider(std::map<uint32_t, std::string> keys, uint32_t active)
      : keys_(std::move(keys)), active_(active) {}
  uint32_t ActiveKeyId() const override { return active_; }
  Status GetKey(uint32_t key_id, std::string* key) const override {
    auto it = keys_.find(key_id);
    if (it == keys_.end()) return Status::NotFound("key id " + std::to_string(key_id));
    if (it->second.size() != kKeySize) {
      return Status::InvalidArgument(
          "key id " + std::to_string(key_id),
          "is " + std::to_string(it->second.size()) + " bytes; AES-256 needs 32");
    }
    *key = it->second;
    return Status::OK();
  }

 private:
  const std::map<uint32_t, std::string> keys_;  // immutable: safe to share
  const uint32_t active_;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseId(const std::string& s, uint32_t* id) {
  if (s.empty() || s.size() > 10) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return false;
  *id = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

std::shared_ptr<KeyProvider> NewStaticKeyProvider(std::map<uint32_t, std::string> keys,
                                                  uint32_t active_id) {
  return std::make_shared<StaticKeyProvider>(std::move(keys), active_id);
}

Status NewFileKeyProvider(const std::string& path, std::shared_ptr<KeyProvider>* result) {
  result->reset();
  // The Env has no notion of permissions; std::filesystem reads the mode.
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return Status::InvalidArgument(
        path, "key file cannot be read" + (ec ? ": " + ec.message() : std::string()));
  }
  const auto perms = static_cast<unsigned>(st.permissions());
  if ((perms & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", perms & 07777);
    return Status::InvalidArgument(path, std::string("key file has mode ") + mode +
                                             "; it must not be accessible by group or others "
                                             "(chmod 600)");
  }
  std::string text;
  Status s = ReadFileToString(Env::Default(), path, &text);
  if (!s.ok()) return s;

  std::map<uint32_t, std::string> keys;
  bool have_active = false;
  uint32_t active = 0;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    line_no++;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    const size_t sp = line.find_first_of(" \t");
    const std::string a = line.substr(0, sp);
    std::string b;
    if (sp != std::string::npos) {
      const size_t bstart = line.find_first_not_of(" \t", sp);
      if (bstart != std::string::npos) b = line.substr(bstart);
      while (!b.empty() && (b.back() == ' ' || b.back() == '\t')) b.pop_back();
    }
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument(path, "line " + std::to_string(line_no) + ": " + why);
    };
    uint32_t id;
    if (a == "active") {
      if (!ParseId(b, &id)) return bad("expected \"active <key id>\"");
      have_active = true;
      active = id;
      continue;
    }
    if (!ParseId(a, &id)) return bad("expected \"<key id> <64 hex chars>\"");
    if (b.size() != 2 * kKeySize) {
      return bad("key " + std::to_string(id) + " must be 64 hex chars (32 bytes), got " +
                 std::to_string(b.size()));
    }
    std::string key(kKeySize, '\0');
    for (size_t i = 0; i < kKeySize; i++) {
      const int hi = HexValue(b[2 * i]), lo = HexValue(b[2 * i + 1]);
      if (hi < 0 || lo < 0) return bad("key " + std::to_string(id) + " is not hex");
      key[i] = static_cast<char>(hi * 16 + lo);
    }
    if (!keys.emplace(id, std::move(key)).second) {
      return bad("key id " + std::to_string(id) + " appears twice");
    }
  }
  if (keys.empty()) return Status::InvalidArgument(path, "key file holds no key");
  if (!have_active) active = keys.rbegin()->first;
  if (keys.find(active) == keys.end()) {
    return Status::InvalidArgument(path, "active key id " + std::to_string(active) + " has no key");
  }
  *result = NewStaticKeyProvider(std::move(keys), active);
  return Status::OK();
}

}  // namespace lode
