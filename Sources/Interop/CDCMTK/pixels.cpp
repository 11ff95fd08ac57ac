// Pixel data: one frame at a time, decoded by whichever codec DCMTK has for the transfer syntax.
#include "internal.hpp"

#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcpixseq.h>

#include <cstdlib>
#include <cstring>

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

/// The syntax a copy of `object`'s pixel data is written in: its own when encapsulated, else Explicit VR
/// Little Endian (native values are the same in every native syntax).
static E_TransferSyntax pixelSyntax(cdcm_object *object) {
    const DcmXfer syntax(object->file.getDataset()->getOriginalXfer());
    return syntax.isEncapsulated() ? syntax.getXfer() : EXS_LittleEndianExplicit;
}

cdcm_status cdcm_pixel_element(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error) {
    cdcm_initialize();
    DcmElement *pixels = nullptr;
    if (object->file.getDataset()->findAndGetElement(DCM_PixelData, pixels).bad())
        return cdcm_fail(error, CDCM_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)");
    const E_TransferSyntax syntax = pixelSyntax(object);
    std::vector<uint8_t> encoded;
    const OFCondition status = cdcm_write_to_memory(*pixels, encoded, 1 << 20, [&](DcmOutputStream &stream) {
        return pixels->write(stream, syntax, EET_ExplicitLength, nullptr);
    });
    if (status.bad()) return cdcm_fail(error, CDCM_BAD_PIXELS, status.text());
    *bytes = static_cast<uint8_t *>(std::malloc(encoded.empty() ? 1 : encoded.size()));
    if (!*bytes) return cdcm_fail(error, CDCM_BAD_PIXELS, "out of memory");
    std::memcpy(*bytes, encoded.data(), encoded.size());
    *count = encoded.size();
    return CDCM_OK;
}

cdcm_status cdcm_frame_fragments(cdcm_object *object, uint32_t index, uint8_t **bytes, size_t *count,
                                 cdcm_error *error) {
    cdcm_initialize();
    DcmDataset *dataset = object->file.getDataset();
    DcmElement *element = nullptr;
    if (dataset->findAndGetElement(DCM_PixelData, element).bad())
        return cdcm_fail(error, CDCM_NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)");
    const DcmXfer syntax(dataset->getOriginalXfer());
    DcmPixelSequence *sequence = nullptr;
    if (!syntax.isEncapsulated() ||
        static_cast<DcmPixelData *>(element)->getEncapsulatedRepresentation(syntax.getXfer(), nullptr, sequence).bad() ||
        !sequence)
        return cdcm_fail(error, CDCM_BAD_PIXELS, "the pixel data is not encapsulated");
    Sint32 frames = 1;
    dataset->findAndGetSint32(DCM_NumberOfFrames, frames);
    if (frames < 1) frames = 1;
    const unsigned long items = sequence->card();   // item 0 is the basic offset table
    if (items < 2 || index >= Uint32(frames)) return cdcm_fail(error, CDCM_BAD_PIXELS, "no fragment for the frame");
    unsigned long first = 1, last = items - 1;      // one frame: every fragment
    if (frames > 1) {
        if (items - 1 == static_cast<unsigned long>(frames)) {
            first = last = index + 1;               // one fragment per frame
        } else {
            Uint32 start = 0;
            OFCondition found = DcmCodec::determineStartFragment(index, frames, sequence, start);
            if (found.bad()) return cdcm_fail(error, CDCM_BAD_PIXELS, "cannot find the frame's fragments");
            Uint32 next = 0;
            first = start;
            last = (index + 1 < Uint32(frames) &&
                    DcmCodec::determineStartFragment(index + 1, frames, sequence, next).good())
                       ? next - 1
                       : items - 1;
        }
    }
    std::vector<uint8_t> joined;
    for (unsigned long item = first; item <= last; ++item) {
        DcmPixelItem *fragment = nullptr;
        if (sequence->getItem(fragment, item).bad() || !fragment)
            return cdcm_fail(error, CDCM_BAD_PIXELS, "missing fragment");
        Uint8 *data = nullptr;
        if (fragment->getLength() > 0 && fragment->getUint8Array(data).good() && data)
            joined.insert(joined.end(), data, data + fragment->getLength());
    }
    *bytes = static_cast<uint8_t *>(std::malloc(joined.empty() ? 1 : joined.size()));
    if (!*bytes) return cdcm_fail(error, CDCM_BAD_PIXELS, "out of memory");
    std::memcpy(*bytes, joined.data(), joined.size());
    *count = joined.size();
    return CDCM_OK;
}
