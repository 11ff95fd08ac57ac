// Pixel data: one frame at a time, decoded by whichever codec DCMTK has for the transfer syntax.
#include "internal.hpp"

/// Finds Pixel Data and checks that it can be decoded, so callers get "unsupported transfer syntax" rather
/// than a codec's generic complaint.
static cdcm_status pixelData(cdcm_object *object, DcmElement *&pixels, cdcm_error *error) {
    cdcm_initialize();
    DcmDataset *dataset = object->file.getDataset();
    if (dataset->findAndGetElement(DCM_PixelData, pixels).bad())
        return cdcm_fail(error, CDCM_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)");
    const DcmXfer syntax(dataset->getOriginalXfer());
    if (syntax.isEncapsulated() && !DcmCodecList::canChangeCoding(syntax.getXfer(), EXS_LittleEndianExplicit))
        return cdcm_fail(error, CDCM_UNSUPPORTED_SYNTAX, std::string("no decoder for ") + syntax.getXferName());
    return CDCM_OK;
}

cdcm_status cdcm_frame_length(cdcm_object *object, size_t *length, cdcm_error *error) {
    DcmElement *pixels = nullptr;
    if (const cdcm_status status = pixelData(object, pixels, error)) return status;
    Uint32 size = 0;
    const OFCondition status = pixels->getUncompressedFrameSize(object->file.getDataset(), size);
    if (status.bad()) return cdcm_fail(error, CDCM_BAD_PIXELS, status.text());
    *length = size;
    return CDCM_OK;
}

cdcm_status cdcm_pixel_data_extent(cdcm_object *object, size_t *bytes, size_t *fragments, cdcm_error *error) {
    cdcm_initialize();
    DcmDataset *dataset = object->file.getDataset();
    DcmElement *pixels = nullptr;
    if (dataset->findAndGetElement(DCM_PixelData, pixels).bad())
        return cdcm_fail(error, CDCM_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)");
    *bytes = 0;
    *fragments = 0;
    DcmPixelData *data = dynamic_cast<DcmPixelData *>(pixels);
    DcmPixelSequence *sequence = nullptr;
    const DcmXfer syntax(dataset->getOriginalXfer());
    if (data && syntax.isEncapsulated() &&
        data->getEncapsulatedRepresentation(syntax.getXfer(), nullptr, sequence).good() && sequence) {
        *fragments = sequence->card() > 0 ? sequence->card() - 1 : 0;
    } else {
        *bytes = pixels->getLength();
    }
    return CDCM_OK;
}

cdcm_status cdcm_decode_frame(cdcm_object *object, uint32_t index, uint8_t *buffer, size_t capacity,
                              char color_model[32], cdcm_error *error) {
    DcmElement *pixels = nullptr;
    if (const cdcm_status status = pixelData(object, pixels, error)) return status;
    Uint32 startFragment = 0;   // 0: DCMTK locates the frame's first fragment itself
    OFString model;
    const OFCondition status = pixels->getUncompressedFrame(object->file.getDataset(), index, startFragment, buffer,
                                                            Uint32(capacity), model, nullptr);
    if (status.bad()) return cdcm_fail(error, CDCM_BAD_PIXELS, status.text());
    std::snprintf(color_model, 32, "%s", model.c_str());
    return CDCM_OK;
}
