// glibc's malloc tuning, which Swift's Glibc module does not export (mallopt lives in malloc.h).
#ifndef CMEMORY_H
#define CMEMORY_H

#include <stddef.h>

/// Keeps freed memory in the process instead of returning it to the kernel after every free:
/// allocations below `mmap_threshold` bytes come from the arenas, and an arena's free top is
/// trimmed only once it exceeds `trim_threshold` bytes. Returns 0 if glibc refused either value.
int cmemory_keep_freed_memory(size_t mmap_threshold, size_t trim_threshold);

#endif
