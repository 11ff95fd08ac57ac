/*
 * cjpeg2000 — the small C face of OpenJPEG (libopenjp2) that VeilDICOM decodes JPEG 2000 pixel data with.
 *
 * One call decodes one frame's codestream (raw J2K, or a JP2 file) into an image this shim allocates;
 * the caller owns it and releases it with cj2k_image_free. OpenJPEG applies the inverse multi-component
 * transform (RCT/ICT) itself, so three-component images come out as RGB. Nothing here keeps state
 * between calls or throws; errors come back as a status and a message.
 */
#ifndef CJPEG2000_H
#define CJPEG2000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A decoded image: `samples` holds width × height × components values, pixel by pixel
 *  (components interleaved), each the component's value as decoded (sign-extended when signed). */
typedef struct {
    uint32_t width;
    uint32_t height;
    uint32_t components;
    uint32_t precision;  /* bits per sample of the first component */
    bool is_signed;
    bool colour_transformed; /* the codestream asked for the inverse RCT/ICT, which was applied */
    int32_t *samples;    /* owned by the image */
} cj2k_image;

/** Decodes `count` bytes of `codestream` into `image` (filled on success). Returns 0 on success, else
 *  -1 with a NUL-terminated reason in `message`. All components must share the first one's size. */
int cj2k_decode(const uint8_t *codestream, size_t count, cj2k_image *image, char message[256]);

/** Releases what cj2k_decode allocated in `image` (not `image` itself). */
void cj2k_image_free(cj2k_image *image);

#ifdef __cplusplus
}
#endif

#endif
