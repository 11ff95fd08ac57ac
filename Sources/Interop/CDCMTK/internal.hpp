// Shared by the cdcmtk translation units: the object behind the opaque handle, the handle casts, and
// the helpers that turn DCMTK's OFCondition into a cdcm_error.
#ifndef CDCMTK_INTERNAL_HPP
#define CDCMTK_INTERNAL_HPP

#include "cdcmtk.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

struct cdcm_object {
    DcmFileFormat file;
};

inline DcmItem *item(cdcm_item *item) { return reinterpret_cast<DcmItem *>(item); }
inline const DcmItem *item(const cdcm_item *item) { return reinterpret_cast<const DcmItem *>(item); }
inline cdcm_item *handle(DcmItem *item) { return reinterpret_cast<cdcm_item *>(item); }
inline DcmElement *element(cdcm_element *element) { return reinterpret_cast<DcmElement *>(element); }
inline const DcmElement *element(const cdcm_element *element) {
    return reinterpret_cast<const DcmElement *>(element);
}
inline cdcm_element *handle(DcmElement *element) { return reinterpret_cast<cdcm_element *>(element); }

/// Registers DCMTK's decoders and silences its logger, once per process. Every entry point that parses,
/// decodes or asks about codecs calls it first, so callers need no setup step.
void cdcm_initialize();

/// Refuses (CDCM_CORRUPT) bytes whose sequences nest deeper than DCMTK's recursive parser can safely go;
/// `bareDataset`: Explicit VR Little Endian without preamble or meta header. See depth.cpp.
cdcm_status cdcm_check_nesting(const uint8_t *bytes, size_t count, bool bareDataset, cdcm_error *error);

/// Why bytes that DCMTK would not parse are bad: CDCM_TRUNCATED when a well-formed run of elements ends
/// inside one, CDCM_CORRUPT naming the first element out of place, or `otherwise` with DCMTK's own reason.
cdcm_status cdcm_explain_parse_failure(const uint8_t *bytes, size_t count, bool bareDataset, const char *dcmtkReason,
                                       cdcm_status otherwise, cdcm_error *error);

/// Records a failure in `error` (when given) and returns its status.
cdcm_status cdcm_fail(cdcm_error *error, cdcm_status status, const std::string &message);

/// Writes `object` to memory through `write` (one of DCMTK's write overloads), which DCMTK calls
/// repeatedly while the buffer fills. `expected` sizes the buffer: the chunk is left uninitialised,
/// since zero-filling a fixed megabyte for every small element used to dominate reading a header.
template <typename Write>
OFCondition cdcm_write_to_memory(DcmObject &object, std::vector<uint8_t> &out, size_t expected, Write write) {
    const size_t size = std::min<size_t>(std::max<size_t>(expected, 256), 1 << 20);
    std::unique_ptr<uint8_t[]> chunk(new uint8_t[size]);
    DcmOutputBufferStream stream(chunk.get(), size);
    out.reserve(expected);
    object.transferInit();
    OFCondition status;
    void *written = nullptr;
    offile_off_t length = 0;
    while ((status = write(stream)) == EC_StreamNotifyClient) {
        stream.flushBuffer(written, length);
        out.insert(out.end(), static_cast<uint8_t *>(written), static_cast<uint8_t *>(written) + length);
    }
    object.transferEnd();
    stream.flush();
    stream.flushBuffer(written, length);
    out.insert(out.end(), static_cast<uint8_t *>(written), static_cast<uint8_t *>(written) + length);
    return status;
}

#endif
