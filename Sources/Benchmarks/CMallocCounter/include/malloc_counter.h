#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
/// Number of malloc/calloc/realloc/memalign calls so far in this process (every thread).
/// Linking this target into an executable interposes glibc's allocator entry points, like
/// ordo-one/benchmark's MallocInterposer, and forwards to glibc's own implementation.
long malloc_counter_allocations(void);
#endif
