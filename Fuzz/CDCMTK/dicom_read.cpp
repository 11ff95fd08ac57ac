// libFuzzer target on the C++ shim's DICOM read path: parse as a file and as a bare dataset, walk the whole
// element tree copying every value, and decode the first frame when its size is reasonable.
#include "cdcmtk.h"

#include <vector>

static void walk(cdcm_item *item, int depth) {
    const size_t count = cdcm_item_count(item);
    for (size_t index = 0; index < count; index++) {
        const cdcm_element *element = cdcm_item_element(item, index);
        char vr[3];
        cdcm_element_vr(element, vr);
        if (cdcm_element_is_sequence(element)) {
            const size_t items = cdcm_sequence_count(element);
            for (size_t child = 0; child < items; child++)
                walk(cdcm_sequence_item(const_cast<cdcm_element *>(element), child), depth + 1);
            continue;
        }
        const size_t length = cdcm_element_value_length(element);
        if (length > (64u << 20)) continue;
        std::vector<uint8_t> value(length);
        cdcm_element_copy_value(element, value.data(), value.size(), nullptr);
    }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cdcm_error error;
    if (cdcm_object *object = cdcm_parse_file(data, size, &error)) {
        walk(cdcm_object_meta(object), 0);
        walk(cdcm_object_dataset(object), 0);
        size_t length = 0, bytes = 0, fragments = 0;
        cdcm_pixel_data_extent(object, &bytes, &fragments, &error);
        if (cdcm_frame_length(object, &length, &error) == CDCM_OK && length > 0 && length <= (16u << 20)) {
            std::vector<uint8_t> frame(length);
            char model[32];
            cdcm_decode_frame(object, 0, frame.data(), frame.size(), model, &error);
        }
        cdcm_object_free(object);
    }
    if (cdcm_object *object = cdcm_parse_dataset(data, size, &error)) {
        walk(cdcm_object_dataset(object), 0);
        cdcm_object_free(object);
    }
    return 0;
}
