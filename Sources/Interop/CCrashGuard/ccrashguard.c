#define _GNU_SOURCE
#include "ccrashguard.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Initial-exec: reading these in a signal handler must not allocate (no lazy TLS).
#define THREAD_LOCAL __thread __attribute__((tls_model("initial-exec")))

static THREAD_LOCAL const char *current_name;
static THREAD_LOCAL const char *current_record;
static THREAD_LOCAL const char *current_entry;
static THREAD_LOCAL size_t current_entry_length;
static THREAD_LOCAL int alternate_stack_ready;

static const int fatal_signals[] = {SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV};
enum { fatal_signal_count = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction previous_actions[fatal_signal_count];
static pthread_once_t installed = PTHREAD_ONCE_INIT;

// Big enough for the handler (a few hundred bytes of frames) and for the Swift backtracer it hands over to.
enum { alternate_stack_size = 64 * 1024 };

// Only async-signal-safe calls from here on: write, open, fsync, close, sigaction, raise.
static void write_all(int descriptor, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(descriptor, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return;
        }
        bytes += written;
        length -= (size_t)written;
    }
}

static void on_fatal_signal(int number, siginfo_t *info, void *context) {
    (void)info;
    (void)context;
    int saved_errno = errno;
    const char *name = current_name;
    if (name != NULL) {
        static const char prefix[] = "\ndcmveil: crashed while processing ";
        write_all(STDERR_FILENO, prefix, sizeof prefix - 1);
        write_all(STDERR_FILENO, name, strlen(name));
        write_all(STDERR_FILENO, "\n", 1);
        if (current_record != NULL) {
            int descriptor = open(current_record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (descriptor >= 0) {
                // One write: an O_APPEND write of a few hundred bytes is not interleaved with another.
                (void)write(descriptor, current_entry, current_entry_length);
                (void)fsync(descriptor);
                (void)close(descriptor);
            }
        }
    }
    for (int index = 0; index < fatal_signal_count; index++) {
        if (fatal_signals[index] == number) sigaction(number, &previous_actions[index], NULL);
    }
    errno = saved_errno;
    // Blocked while we run, so it arrives when we return, at the faulting instruction, for the
    // previous handler (or the default action) with the thread's state as it was.
    raise(number);
}

static void install_once(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int index = 0; index < fatal_signal_count; index++) {
        sigaction(fatal_signals[index], &action, &previous_actions[index]);
    }
}

void ccrashguard_install(void) {
    pthread_once(&installed, install_once);
}

static void prepare_alternate_stack(void) {
    alternate_stack_ready = 1;
    stack_t existing;
    if (sigaltstack(NULL, &existing) == 0 && !(existing.ss_flags & SS_DISABLE)) return;  // the runtime gave it one
    // Kept for the thread's life: a worker thread of the pool lives as long as the process.
    void *memory = malloc(alternate_stack_size);
    if (memory == NULL) return;
    stack_t stack = {.ss_sp = memory, .ss_flags = 0, .ss_size = alternate_stack_size};
    if (sigaltstack(&stack, NULL) != 0) free(memory);
}

void ccrashguard_enter(const char *name, const char *record, const char *entry, size_t entry_length) {
    if (!alternate_stack_ready) prepare_alternate_stack();
    current_record = record;
    current_entry = entry;
    current_entry_length = entry_length;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);  // the handler reads the others only once a name is set
    current_name = name;
}

void ccrashguard_leave(void) {
    current_name = NULL;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    current_record = NULL;
    current_entry = NULL;
    current_entry_length = 0;
}
