// Happens-before edges ThreadSanitizer cannot see by itself: Debian's oneTBB is not built
// with -fsanitize=thread, so a task handed to another worker looks unsynchronised. The
// parallel search marks each hand-off (release by the spawner, acquire by the task) and the
// end of every task (release, acquired after the final wait). No-ops in other builds.
#pragma once

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
namespace probecheck::checker {
inline void tsan_release(void const* key) { __tsan_release(const_cast<void*>(key)); }
inline void tsan_acquire(void const* key) { __tsan_acquire(const_cast<void*>(key)); }
}  // namespace probecheck::checker
#else
namespace probecheck::checker {
inline void tsan_release(void const*) {}
inline void tsan_acquire(void const*) {}
}  // namespace probecheck::checker
#endif
