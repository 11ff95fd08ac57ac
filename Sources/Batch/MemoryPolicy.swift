internal import CMemory

/// Process-wide malloc tuning for batch runs (and the benchmarks that stand for them). The command
/// line sets it at startup.
///
/// Each worker frees and reallocates a few megabytes per image. With glibc's defaults the freed top of
/// a thread's arena goes back to the kernel after every image (and frames above the mmap threshold are
/// mapped and unmapped), so the next image page-faults its buffers in again: a quarter of protect's
/// CPU time was kernel time before this. Keeping freed memory costs a few MB of resident memory per
/// worker, which stays flat with tree size.
package enum MemoryPolicy {
    package static func keepFreedMemory() {
        _ = cmemory_keep_freed_memory(32 << 20, 256 << 20)
    }
}
