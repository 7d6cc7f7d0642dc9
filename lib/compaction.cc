#include "lib/compaction.h"

#include <algorithm>
#include <cassert>

#include "lib/version_set.h"

namespace lode {

namespace {

uint64_t TotalBytes(const std::vector<FileMetaData*>& files) {
  uint64_t sum = 0;
  for (const FileMetaData* f : files) sum += f->file_size;
  return sum;
}

}  // namespace

Compaction::Compaction(VersionSet* vset, Version* input_version, int level, int output_level)
    : vset_(vset),
      input_version_(input_version),
      level_(level),
      output_level_(output_level < 0 ? level + 1 : output_level),
      max_output_file_size_(std::max<uint64_t>(1, vset->options()->target_file_size)),
      level_ptrs_(vset->NumLevels(), 0) {
  input_version_->Ref();
}

Compaction::~Compaction() {
  if (claimed_) {
    for (const auto& files : inputs_) {
      for (FileMetaData* f : files) f->being_compacted = false;
    }
    auto& in_flight = vset_->in_flight_;
    in_flight.erase(std::remove(in_flight.begin(), in_flight.end(), this), in_flight.end());
  }
  input_version_->Unref();
}

void Compaction::Claim() {
  assert(!claimed_);
  for (const auto& files : inputs_) {
    for (FileMetaData* f : files) {
      assert(!f->being_compacted);
      f->being_compacted = true;
    }
  }
  GetRange(&range_smallest_, &range_largest_);
  vset_->in_flight_.push_back(this);
  claimed_ = true;
}

bool Compaction::IsTrivialMove() const {
  return output_level_ != level_ && inputs_[0].size() == 1 && inputs_[1].empty() &&
         TotalBytes(grandparents_) <= 10 * max_output_file_size_;
}

void Compaction::AddTrivialMoveTo(VersionEdit* edit) const {
  assert(IsTrivialMove());
  const FileMetaData* f = inputs_[0][0];
  edit->RemoveFile(level_, f->number);
  edit->AddFile(level_ + 1, *f);
}

void Compaction::AddInputDeletions(VersionEdit* edit) const {
  for (int which = 0; which < 2; which++) {
    for (const FileMetaData* f : inputs_[which]) edit->RemoveFile(level_ + which, f->number);
  }
}

void Compaction::GetRange(InternalKey* smallest, InternalKey* largest) const {
  const InternalKeyComparator* icmp = vset_->icmp();
  smallest->Clear();
  largest->Clear();
  for (const auto& files : inputs_) {
    for (const FileMetaData* f : files) {
      if (smallest->empty() || icmp->Compare(f->smallest.Encode(), smallest->Encode()) < 0) {
        *smallest = f->smallest;
      }
      if (largest->empty() || icmp->Compare(f->largest.Encode(), largest->Encode()) > 0) {
        *largest = f->largest;
      }
    }
  }
}

uint64_t Compaction::TotalInputBytes() const {
  return TotalBytes(inputs_[0]) + TotalBytes(inputs_[1]);
}

bool Compaction::IsBottommost() const {
  InternalKey smallest, largest;
  GetRange(&smallest, &largest);
  if (smallest.empty()) return true;
  Slice lo = smallest.user_key(), hi = largest.user_key();
  for (int lvl = output_level_ + 1; lvl < input_version_->NumLevels(); lvl++) {
    if (input_version_->OverlapInLevel(lvl, &lo, &hi)) return false;
  }
  return true;
}

bool Compaction::IsBaseLevelForKey(const Slice& user_key) {
  const Comparator* ucmp = vset_->icmp()->user_comparator();
  for (int lvl = output_level_ + 1; lvl < input_version_->NumLevels(); lvl++) {
    const std::vector<FileMetaData*>& files = input_version_->files(lvl);
    size_t& i = level_ptrs_[lvl];
    while (i < files.size()) {
      const FileMetaData* f = files[i];
      if (ucmp->Compare(user_key, f->largest.user_key()) <= 0) {
        if (ucmp->Compare(user_key, f->smallest.user_key()) >= 0) return false;
        break;  // user_key falls before f: not in this level
      }
      i++;
    }
  }
  return true;
}

bool Compaction::ShouldStopBefore(const Slice& internal_key) {
  const InternalKeyComparator* icmp = vset_->icmp();
  while (grandparent_index_ < grandparents_.size() &&
         icmp->Compare(internal_key, grandparents_[grandparent_index_]->largest.Encode()) > 0) {
    if (seen_key_) overlapped_bytes_ += grandparents_[grandparent_index_]->file_size;
    grandparent_index_++;
  }
  seen_key_ = true;
  if (overlapped_bytes_ > 10 * max_output_file_size_) {
    overlapped_bytes_ = 0;
    return true;
  }
  return false;
}

}  // namespace lode
