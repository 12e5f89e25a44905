#pragma once
// A per-thread cache (a spare buffer, the last shape met) that stays safe while the thread is torn down:
// once its objects are destroyed (at thread exit, or when static destructors still use models), the
// cache is gone and callers do without it.
namespace lucid::detail {

template <class T> T* threadCache() noexcept {
    struct Holder {
        T value;
        bool* gone;
        ~Holder() { *gone = true; }
    };
    thread_local bool gone = false;  // trivially destructible: still readable after the thread's destructors ran
    if (gone) return nullptr;
    thread_local Holder holder{T{}, &gone};
    return &holder.value;
}

}  // namespace lucid::detail
