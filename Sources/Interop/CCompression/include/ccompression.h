// Thin C layer over zlib, liblzma and libzstd for VeilCompression.
// One-shot buffer calls only; every function returns 0 on success and a negative code on failure,
// writing the produced length to *written. Nothing here allocates memory the caller must free.
#ifndef CCOMPRESSION_H
#define CCOMPRESSION_H

#include <stddef.h>
#include <stdint.h>

enum {
    CCOMP_OK = 0,
    CCOMP_ERR_OUTPUT_TOO_SMALL = -1,
    CCOMP_ERR_CORRUPT = -2,
    CCOMP_ERR_INTERNAL = -3,
};

size_t ccomp_zlib_bound(size_t size);
int ccomp_zlib_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int level, size_t *written);
int ccomp_zlib_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written);

size_t ccomp_lzma_bound(size_t size);
int ccomp_lzma_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int preset, size_t *written);
int ccomp_lzma_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written);

size_t ccomp_zstd_bound(size_t size);
int ccomp_zstd_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int level, size_t *written);
int ccomp_zstd_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written);

#endif
