/* libFuzzer's entry for programs with their own main (libclang_rt.fuzzer, linked by -sanitize=fuzzer):
 * the Swift fuzz targets are ordinary executables whose main hands libFuzzer the arguments and a callback,
 * which keeps SwiftPM's executable entry point as it is. */
#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
