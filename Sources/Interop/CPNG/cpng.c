#include "cpng.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Where libpng's error handler leaves its message before jumping back.
struct failure {
    char *message;
    size_t size;
};

static void on_error(png_structp png, png_const_charp text) {
    struct failure *failure = png_get_error_ptr(png);
    snprintf(failure->message, failure->size, "%s", text);
    png_longjmp(png, 1);
}

// Warnings (e.g. unknown chunks) do not make an image wrong; stay quiet instead of printing.
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static int color_type_for(int channels) {
    switch (channels) {
    case 1: return PNG_COLOR_TYPE_GRAY;
    case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3: return PNG_COLOR_TYPE_RGB;
    case 4: return PNG_COLOR_TYPE_RGB_ALPHA;
    default: return -1;
    }
}

static int host_is_little_endian(void) {
    const uint16_t probe = 1;
    return *(const uint8_t *)&probe == 1;
}

static void append(png_structp png, png_bytep data, size_t length) {
    cpng_buffer *buffer = png_get_io_ptr(png);
    uint8_t *grown = realloc(buffer->bytes, buffer->count + length);
    if (grown == NULL) png_error(png, "out of memory writing PNG");
    memcpy(grown + buffer->count, data, length);
    buffer->bytes = grown;
    buffer->count += length;
}

static void flush(png_structp png) { (void)png; }

// The libpng calls of one encoding. setjmp lives here, and everything that changes after it lives
// in the caller, so no local is left indeterminate by longjmp (C11 7.13.2.1). Returns 1 on success.
static int write_png(png_structp png, png_infop info, cpng_buffer *buffer, const void *samples,
                     uint32_t width, uint32_t height, int bit_depth, int channels) {
    if (setjmp(png_jmpbuf(png))) return 0;
    png_set_write_fn(png, buffer, append, flush);
    png_set_IHDR(png, info, width, height, bit_depth, color_type_for(channels), PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bit_depth == 16 && host_is_little_endian()) png_set_swap(png);
    size_t row_bytes = (size_t)width * channels * (bit_depth / 8);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)samples + y * row_bytes);
    }
    png_write_end(png, NULL);
    return 1;
}

int cpng_encode(const void *samples, uint32_t width, uint32_t height, int bit_depth, int channels,
                cpng_buffer *out, char *message, size_t message_size) {
    struct failure failure = { message, message_size };
    if (color_type_for(channels) < 0 || (bit_depth != 8 && bit_depth != 16) || width == 0 || height == 0 ||
        width > CPNG_MAX_SIDE || height > CPNG_MAX_SIDE) {
        snprintf(message, message_size, "unsupported PNG layout: %ux%u, %d channels, %d bits",
                 width, height, channels, bit_depth);
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(message, message_size, "out of memory creating PNG writer");
        return -1;
    }
    cpng_buffer buffer = { NULL, 0 };
    int ok = write_png(png, info, &buffer, samples, width, height, bit_depth, channels);
    png_destroy_write_struct(&png, &info);
    if (!ok) {
        cpng_free(&buffer);
        return -1;
    }
    *out = buffer;
    return 0;
}

struct source {
    const uint8_t *bytes;
    size_t count;
    size_t offset;
};

static void consume(png_structp png, png_bytep data, size_t length) {
    struct source *source = png_get_io_ptr(png);
    if (length > source->count - source->offset) png_error(png, "PNG data is truncated");
    memcpy(data, source->bytes + source->offset, length);
    source->offset += length;
}

// What read_png allocates, owned by the caller so that it can be freed after a longjmp.
struct allocations {
    uint8_t *samples;
    png_bytep *rows;
};

// The libpng calls of one decoding (see write_png for why setjmp is here). Returns 1 on success.
static int read_png(png_structp png, png_infop info, struct source *source, struct allocations *memory,
                    cpng_image *image) {
    if (setjmp(png_jmpbuf(png))) return 0;
    png_set_read_fn(png, source, consume);
    png_set_user_limits(png, CPNG_MAX_SIDE, CPNG_MAX_SIDE);
    png_read_info(png, info);
    png_set_expand(png);
    if (png_get_bit_depth(png, info) == 16 && host_is_little_endian()) png_set_swap(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    uint32_t height = png_get_image_height(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    memory->samples = malloc(row_bytes * height);
    memory->rows = malloc(sizeof(png_bytep) * height);
    if (memory->samples == NULL || memory->rows == NULL) png_error(png, "out of memory reading PNG");
    for (uint32_t y = 0; y < height; y++) memory->rows[y] = memory->samples + y * row_bytes;
    png_read_image(png, memory->rows);
    png_read_end(png, NULL);

    image->width = png_get_image_width(png, info);
    image->height = height;
    image->bit_depth = png_get_bit_depth(png, info);
    image->channels = png_get_channels(png, info);
    image->samples.count = row_bytes * height;
    return 1;
}

int cpng_decode(const uint8_t *bytes, size_t count, cpng_image *image, char *message, size_t message_size) {
    struct failure failure = { message, message_size };
    if (count < 8 || png_sig_cmp(bytes, 0, 8) != 0) {
        snprintf(message, message_size, "not a PNG (no PNG signature)");
        return -1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(message, message_size, "out of memory creating PNG reader");
        return -1;
    }
    struct source source = { bytes, count, 0 };
    struct allocations memory = { NULL, NULL };
    int ok = read_png(png, info, &source, &memory, image);
    png_destroy_read_struct(&png, &info, NULL);
    free(memory.rows);
    if (!ok) {
        free(memory.samples);
        return -1;
    }
    image->samples.bytes = memory.samples;
    return 0;
}

void cpng_free(cpng_buffer *buffer) {
    free(buffer->bytes);
    buffer->bytes = NULL;
    buffer->count = 0;
}
