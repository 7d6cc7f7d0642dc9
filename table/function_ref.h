// FunctionRef: a non-owning reference to a callable, for callbacks that are
// only called during the call they are passed to (Table::InternalGet,
// TableCache::Get). Unlike std::function it never allocates: a lambda that
// captures a few references fits no std::function small buffer, and a point
// lookup would pay a malloc and a free per table it probes.
//
// The referenced callable must outlive the FunctionRef; pass a FunctionRef
// by value, never store it. Thread-safety is the callable's.
#ifndef LODE_TABLE_FUNCTION_REF_H_
#define LODE_TABLE_FUNCTION_REF_H_

#include <memory>
#include <type_traits>
#include <utility>

namespace lode {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  // Binds to f (any callable but another FunctionRef, which copies instead).
  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> &&
                                        std::is_invocable_r_v<R, F&, Args...>>>
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor): binds like std::function does
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

}  // namespace lode

#endif  // LODE_TABLE_FUNCTION_REF_H_
