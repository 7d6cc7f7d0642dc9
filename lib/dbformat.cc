#include "lib/dbformat.h"

#include <cstdio>

namespace lode {

void AppendInternalKey(std::string* result, const ParsedInternalKey& key) {
  result->append(key.user_key.data(), key.user_key.size());
  PutFixed64(result, PackSequenceAndType(key.sequence, key.type));
}

bool ParseInternalKey(const Slice& internal_key, ParsedInternalKey* result) {
  if (internal_key.size() < 8) return false;
  uint64_t num = ExtractTrailer(internal_key);
  uint8_t c = num & 0xff;
  result->sequence = num >> 8;
  result->type = static_cast<ValueType>(c);
  result->user_key = ExtractUserKey(internal_key);
  return IsKnownValueType(c);
}

static std::string EscapeForDebug(const Slice& s) {
  std::string r;
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= ' ' && c <= '~') {
      r.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      snprintf(buf, sizeof(buf), "\\x%02x", c);
      r.append(buf);
    }
  }
  return r;
}

std::string ParsedInternalKey::DebugString() const {
  std::string r = "'";
  r.append(EscapeForDebug(user_key));
  r.append("' @ ");
  r.append(std::to_string(sequence));
  r.append(" : ");
  r.append(std::to_string(static_cast<int>(type)));
  return r;
}

std::string InternalKey::DebugString() const {
  ParsedInternalKey parsed;
  if (ParseInternalKey(rep_, &parsed)) return parsed.DebugString();
  return "(bad)" + EscapeForDebug(rep_);
}

int InternalKeyComparator::Compare(const Slice& a, const Slice& b) const {
  int r = user_->Compare(ExtractUserKey(a), ExtractUserKey(b));
  if (r == 0) {
    const uint64_t anum = ExtractTrailer(a);
    const uint64_t bnum = ExtractTrailer(b);
    if (anum > bnum)
      r = -1;
    else if (anum < bnum)
      r = +1;
  }
  return r;
}

void InternalKeyComparator::FindShortestSeparator(std::string* start, const Slice& limit) const {
  Slice user_start = ExtractUserKey(*start);
  Slice user_limit = ExtractUserKey(limit);
  std::string tmp(user_start.data(), user_start.size());
  user_->FindShortestSeparator(&tmp, user_limit);
  if (tmp.size() < user_start.size() && user_->Compare(user_start, tmp) < 0) {
    // A shorter user key that is physically larger: give it the earliest
    // possible trailer so it sorts before every entry of that user key.
    PutFixed64(&tmp, PackSequenceAndType(kMaxSequenceNumber, kValueTypeForSeek));
    start->swap(tmp);
  }
}

void InternalKeyComparator::FindShortSuccessor(std::string* key) const {
  Slice user_key = ExtractUserKey(*key);
  std::string tmp(user_key.data(), user_key.size());
  user_->FindShortSuccessor(&tmp);
  if (tmp.size() < user_key.size() && user_->Compare(user_key, tmp) < 0) {
    PutFixed64(&tmp, PackSequenceAndType(kMaxSequenceNumber, kValueTypeForSeek));
    key->swap(tmp);
  }
}

LookupKey::LookupKey(const Slice& user_key, SequenceNumber s) {
  const size_t ikey_len = user_key.size() + 8;
  PutVarint32(&rep_, static_cast<uint32_t>(ikey_len));
  kstart_ = rep_.size();
  rep_.append(user_key.data(), user_key.size());
  PutFixed64(&rep_, PackSequenceAndType(s, kValueTypeForSeek));
}

}  // namespace lode
