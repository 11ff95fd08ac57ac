#include "ctesseract.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <memory>

// Tesseract's LSTM opens an OpenMP parallel region for every time step. Each one wakes and joins
// worker threads, which costs far more than the work (a 640×480 ultrasound: 1.5 s wall, half of it
// in the kernel, against 0.2 s on one thread), and dcmveil already runs one file per core. The
// usual cure, OMP_THREAD_LIMIT=1, is read when libgomp loads, before main; limiting active levels
// to 0 has the same effect at run time (every region runs on the calling thread alone). That limit
// is a per-thread setting in libgomp 11 and later, so it is set on every call. Looked up, not
// linked: a Tesseract built without OpenMP has no libgomp.
static void run_openmp_on_one_thread() {
    using SetLevels = void (*)(int);
    static const auto set = reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    if (set) set(0);
}

struct ctess_engine {
    tesseract::TessBaseAPI api;
};

extern "C" ctess_engine *ctess_create(const char *datapath, const char *language, char *error, size_t error_capacity) {
    auto engine = std::make_unique<ctess_engine>();
    // Tesseract prints its warnings (resolution guesses, empty pages) on stderr unless told otherwise.
    engine->api.SetVariable("debug_file", "/dev/null");
    if (engine->api.Init(datapath, language, tesseract::OEM_LSTM_ONLY) != 0) {
        if (error && error_capacity) {
            std::snprintf(error, error_capacity, "Tesseract cannot load language \"%s\" from %s", language,
                          datapath ? datapath : "its default tessdata folder");
        }
        return nullptr;
    }
    engine->api.SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
    return engine.release();
}

extern "C" void ctess_destroy(ctess_engine *engine) {
    if (!engine) return;
    engine->api.End();
    delete engine;
}

extern "C" int ctess_words(ctess_engine *engine, const uint8_t *gray, int32_t width, int32_t height, int32_t stride,
                           ctess_word *words, size_t capacity, size_t *found) {
    *found = 0;
    if (!engine || !gray || width <= 0 || height <= 0 || stride < width) return -1;
    try {
        run_openmp_on_one_thread();
        engine->api.SetImage(gray, width, height, 1, stride);
        engine->api.SetSourceResolution(70);
        if (engine->api.Recognize(nullptr) != 0) {
            engine->api.Clear();
            return -1;
        }
        std::unique_ptr<tesseract::ResultIterator> iterator(engine->api.GetIterator());
        size_t count = 0;
        if (iterator) {
            const auto level = tesseract::RIL_WORD;
            do {
                int x1, y1, x2, y2;
                if (!iterator->BoundingBox(level, &x1, &y1, &x2, &y2)) continue;
                std::unique_ptr<char[]> text(iterator->GetUTF8Text(level));
                int32_t alphanumerics = 0, characters = 0;
                for (const char *c = text.get(); c && *c; ++c) {
                    if ((static_cast<unsigned char>(*c) & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
                    ++characters;
                    if ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')) ++alphanumerics;
                }
                if (count < capacity) {
                    words[count] = ctess_word{x1, y1, x2 - x1, y2 - y1, iterator->Confidence(level), alphanumerics, characters};
                }
                ++count;
            } while (iterator->Next(level));
        }
        *found = count;
        engine->api.Clear();
        return 0;
    } catch (...) {
        engine->api.Clear();
        return -1;
    }
}
