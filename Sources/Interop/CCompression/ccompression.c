#include "ccompression.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

// MARK: zlib (zlib format: 2-byte header, Adler-32 trailer)

size_t ccomp_zlib_bound(size_t size) { return (size_t)compressBound((uLong)size); }

int ccomp_zlib_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int level, size_t *written) {
    uLongf length = (uLongf)capacity;
    int status = compress2(dst, &length, src, (uLong)size, level);
    if (status == Z_BUF_ERROR) return CCOMP_ERR_OUTPUT_TOO_SMALL;
    if (status != Z_OK) return CCOMP_ERR_INTERNAL;
    *written = (size_t)length;
    return CCOMP_OK;
}

int ccomp_zlib_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written) {
    uLongf length = (uLongf)capacity;
    uLong consumed = (uLong)size;
    int status = uncompress2(dst, &length, src, &consumed);
    if (status == Z_BUF_ERROR && length == capacity) return CCOMP_ERR_OUTPUT_TOO_SMALL;
    if (status != Z_OK) return CCOMP_ERR_CORRUPT;
    if (consumed != size) return CCOMP_ERR_CORRUPT;  // trailing garbage
    *written = (size_t)length;
    return CCOMP_OK;
}

// MARK: lzma (.xz container without integrity check: the payload is authenticated anyway)

size_t ccomp_lzma_bound(size_t size) { return lzma_stream_buffer_bound(size); }

int ccomp_lzma_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int preset, size_t *written) {
    size_t position = 0;
    lzma_ret status = lzma_easy_buffer_encode((uint32_t)preset, LZMA_CHECK_NONE, NULL, src, size, dst, &position, capacity);
    if (status == LZMA_BUF_ERROR) return CCOMP_ERR_OUTPUT_TOO_SMALL;
    if (status != LZMA_OK) return CCOMP_ERR_INTERNAL;
    *written = position;
    return CCOMP_OK;
}

int ccomp_lzma_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written) {
    uint64_t memoryLimit = UINT64_MAX;
    size_t inPosition = 0, outPosition = 0;
    lzma_ret status = lzma_stream_buffer_decode(&memoryLimit, 0, NULL, src, &inPosition, size, dst, &outPosition, capacity);
    if (status == LZMA_BUF_ERROR && outPosition == capacity) return CCOMP_ERR_OUTPUT_TOO_SMALL;
    if (status != LZMA_OK) return CCOMP_ERR_CORRUPT;
    *written = outPosition;
    return CCOMP_OK;
}

// MARK: zstd (frame format, content size recorded in the frame header)

size_t ccomp_zstd_bound(size_t size) { return ZSTD_compressBound(size); }

int ccomp_zstd_compress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, int level, size_t *written) {
    size_t result = ZSTD_compress(dst, capacity, src, size, level);
    if (ZSTD_isError(result)) {
        return ZSTD_getErrorCode(result) == ZSTD_error_dstSize_tooSmall ? CCOMP_ERR_OUTPUT_TOO_SMALL : CCOMP_ERR_INTERNAL;
    }
    *written = result;
    return CCOMP_OK;
}

int ccomp_zstd_decompress(const uint8_t *src, size_t size, uint8_t *dst, size_t capacity, size_t *written) {
    size_t result = ZSTD_decompress(dst, capacity, src, size);
    if (ZSTD_isError(result)) {
        return ZSTD_getErrorCode(result) == ZSTD_error_dstSize_tooSmall ? CCOMP_ERR_OUTPUT_TOO_SMALL : CCOMP_ERR_CORRUPT;
    }
    *written = result;
    return CCOMP_OK;
}
