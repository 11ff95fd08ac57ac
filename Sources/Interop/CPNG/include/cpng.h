// CPNG: PNG encoding and decoding in memory over libpng.
//
// libpng reports errors by longjmp, which Swift cannot survive, so every libpng call stays on this
// side; Swift sees plain buffers and an error message.
#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>
#include <stdint.h>

/// Largest width or height either direction accepts: bounds the memory a hostile file can demand.
#define CPNG_MAX_SIDE 16384

/// Bytes owned by C; release with cpng_free.
typedef struct {
    uint8_t *bytes;
    size_t count;
} cpng_buffer;

/// A decoded image: interleaved samples, 1 byte each at bit depth 8, 2 (host order) at 16.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;   // 8 or 16
    int channels;    // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    cpng_buffer samples;
} cpng_image;

/// Encodes `samples` (row-major, interleaved; 16-bit samples in host order) as a PNG.
/// Returns 0 and fills `png`, or -1 and writes a reason into `message`.
int cpng_encode(const void *samples, uint32_t width, uint32_t height, int bit_depth, int channels,
                cpng_buffer *png, char *message, size_t message_size);

/// Decodes a PNG of any colour type and depth: palette and low-depth gray are expanded to 8 bits,
/// transparency chunks to an alpha channel. Returns 0 and fills `image`, or -1 and writes a reason.
int cpng_decode(const uint8_t *png, size_t count, cpng_image *image, char *message, size_t message_size);

void cpng_free(cpng_buffer *buffer);

#endif
