// Encoding: whole files (with regenerated File Meta Information) and bare datasets, both Explicit VR
// Little Endian with explicit lengths, so the same dataset always gives the same bytes.
#include "internal.hpp"

#include <cstdlib>
#include <cstring>

static cdcm_status hand_over(const std::vector<uint8_t> &encoded, uint8_t **bytes, size_t *count,
                             cdcm_error *error) {
    *bytes = static_cast<uint8_t *>(std::malloc(encoded.empty() ? 1 : encoded.size()));
    if (!*bytes) return cdcm_fail(error, CDCM_ENCODE_FAILED, "out of memory");
    std::memcpy(*bytes, encoded.data(), encoded.size());
    *count = encoded.size();
    return CDCM_OK;
}

cdcm_status cdcm_encode_file(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error) {
    std::vector<uint8_t> encoded;
    const OFCondition status = cdcm_write_to_memory(object->file, encoded, 1 << 20, [&](DcmOutputStream &stream) {
        return object->file.write(stream, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr, EGL_recalcGL,
                                  EPD_noChange, 0, 0, 0, EWM_createNewMeta);
    });
    if (status.bad()) return cdcm_fail(error, CDCM_ENCODE_FAILED, status.text());
    return hand_over(encoded, bytes, count, error);
}

cdcm_status cdcm_encode_dataset(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error) {
    DcmDataset &dataset = *object->file.getDataset();
    std::vector<uint8_t> encoded;
    const OFCondition status = cdcm_write_to_memory(dataset, encoded, 1 << 20, [&](DcmOutputStream &stream) {
        return dataset.write(stream, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
    });
    if (status.bad()) return cdcm_fail(error, CDCM_ENCODE_FAILED, status.text());
    return hand_over(encoded, bytes, count, error);
}

void cdcm_bytes_free(uint8_t *bytes) { std::free(bytes); }

cdcm_status cdcm_encode_file_with_pixels_of(cdcm_object *object, cdcm_object *source, uint8_t **bytes,
                                            size_t *count, cdcm_error *error) {
    cdcm_initialize();
    DcmElement *pixels = nullptr;
    if (source->file.getDataset()->findAndGetElement(DCM_PixelData, pixels).bad())
        return cdcm_fail(error, CDCM_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010) to keep");
    const DcmXfer original(source->file.getDataset()->getOriginalXfer());
    const E_TransferSyntax syntax = original.isEncapsulated() ? original.getXfer() : EXS_LittleEndianExplicit;
    DcmDataset &dataset = *object->file.getDataset();
    OFCondition status = dataset.insert(new DcmPixelData(*static_cast<DcmPixelData *>(pixels)), true);
    if (status.bad()) return cdcm_fail(error, CDCM_ENCODE_FAILED, status.text());
    // The dataset now says the pixels are in `syntax`, so DCMTK writes the representation it holds.
    dataset.chooseRepresentation(syntax, nullptr);
    std::vector<uint8_t> encoded;
    status = cdcm_write_to_memory(object->file, encoded, 1 << 20, [&](DcmOutputStream &stream) {
        return object->file.write(stream, syntax, EET_ExplicitLength, nullptr, EGL_recalcGL,
                                  EPD_noChange, 0, 0, 0, EWM_createNewMeta);
    });
    if (status.bad()) return cdcm_fail(error, CDCM_ENCODE_FAILED, status.text());
    return hand_over(encoded, bytes, count, error);
}
