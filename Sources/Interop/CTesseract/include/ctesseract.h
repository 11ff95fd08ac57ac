// CTesseract: the few calls of Tesseract 5 (libtesseract, C++) that VeilOCR needs, behind a C API.
//
// Ownership: ctess_create returns an engine the caller owns and must release with ctess_destroy
// (exactly once). An engine is not thread-safe: use one per thread at a time. ctess_words writes
// into the caller's buffer and keeps no pointer to the image or the buffer after it returns.
// No Tesseract or Leptonica type appears here.
#ifndef CTESSERACT_H
#define CTESSERACT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctess_engine ctess_engine;

/// One word Tesseract recognised: its bounding box in pixels, its confidence (0…100) and how
/// many of its characters are letters or digits (ASCII).
typedef struct {
    int32_t x, y, width, height;
    float confidence;
    int32_t alphanumerics;
    int32_t characters;
} ctess_word;

/// Loads `language` (e.g. "eng") from `datapath` (NULL: Tesseract's default tessdata folder) with
/// the LSTM recognizer. NULL on failure, with a message in `error` (NUL-terminated, cut to `error_capacity`).
ctess_engine *ctess_create(const char *datapath, const char *language, char *error, size_t error_capacity);

void ctess_destroy(ctess_engine *engine);

/// Recognises sparse text (page segmentation mode 11: text anywhere, no layout assumed) in an
/// 8-bit grayscale image of `width`×`height` pixels, `stride` bytes per row. Writes up to
/// `capacity` words into `words` and the number found into `*found`. Returns 0, or −1 when
/// recognition failed.
int ctess_words(ctess_engine *engine, const uint8_t *gray, int32_t width, int32_t height, int32_t stride,
                ctess_word *words, size_t capacity, size_t *found);

#ifdef __cplusplus
}
#endif

#endif
