// Names the file a worker thread was processing when the process dies of a fatal signal, so that
// the next run can record it as failed instead of dying on it again (Sources/Batch/CrashRecord.swift).
#ifndef CCRASHGUARD_H
#define CCRASHGUARD_H

#include <stddef.h>

/// Installs the handler for SIGILL (Swift traps on x86_64), SIGTRAP (on arm64), SIGABRT, SIGBUS,
/// SIGFPE and SIGSEGV. Once per process; later calls do nothing. The handler writes
/// "dcmveil: crashed while processing NAME" on stderr and appends the thread's entry to its crash
/// record (nothing if the thread is processing no file), then gives the signal to the handler that
/// was there before (the Swift runtime's backtracer, or the default action), so that the process
/// still dies of that signal.
void ccrashguard_install(void);

/// Marks the calling thread as processing `name` until `ccrashguard_leave`: on a crash, `entry`
/// (`entry_length` bytes, written in one append) goes to the file at `record` (NULL: recorded
/// nowhere). The strings are not copied and must stay valid until `ccrashguard_leave`. The first
/// call on a thread gives it an alternate signal stack, so that a stack overflow is caught too.
void ccrashguard_enter(const char *name, const char *record, const char *entry, size_t entry_length);

/// The calling thread processes no file any more.
void ccrashguard_leave(void);

#endif
