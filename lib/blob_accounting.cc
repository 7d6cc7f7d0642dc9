#include "lib/blob_accounting.h"

#include "blob/blob_index.h"

namespace lode {

namespace {

Status Decode(const Slice& value, BlobIndex* index) {
  Status s = index->DecodeFrom(value);
  if (!s.ok()) return Status::Corruption("blob accounting: bad blob index: " + s.message());
  return s;
}

void Add(std::map<uint64_t, BlobRef>* m, const BlobIndex& index) {
  BlobRef& r = (*m)[index.file_number];
  r.blob_file_number = index.file_number;
  r.count++;
  r.bytes += index.size;
}

}  // namespace

Status BlobAccounting::AddKept(const Slice& blob_index) {
  BlobIndex index;
  Status s = Decode(blob_index, &index);
  if (!s.ok()) return s;
  Add(&kept_, index);
  Add(&total_kept_, index);
  return s;
}

Status BlobAccounting::AddDropped(const Slice& blob_index) {
  BlobIndex index;
  Status s = Decode(blob_index, &index);
  if (!s.ok()) return s;
  BlobFileGarbage& g = dropped_[index.file_number];
  g.number = index.file_number;
  g.count++;
  g.bytes += index.size;
  return s;
}

Status BlobAccounting::OnKeep(const ParsedInternalKey& key, const Slice& value,
                              std::string* /*new_value*/, bool* replaced) {
  *replaced = false;
  if (key.type != kTypeBlobIndex) return Status::OK();
  return AddKept(value);
}

void BlobAccounting::OnDrop(const ParsedInternalKey& key, const Slice& value) {
  if (key.type != kTypeBlobIndex) return;
  Status s = AddDropped(value);
  if (!s.ok() && status_.ok()) status_ = s;
}

std::vector<BlobRef> BlobAccounting::TakeKeptRefs() {
  std::vector<BlobRef> refs;
  refs.reserve(kept_.size());
  for (const auto& [number, r] : kept_) refs.push_back(r);
  kept_.clear();
  return refs;
}

void BlobAccounting::AddGarbageTo(VersionEdit* edit) const {
  for (const auto& [number, g] : dropped_) edit->AddBlobGarbage(number, g.count, g.bytes);
}

}  // namespace lode
