// Objects: parsing files and bare datasets from memory, transfer syntax facts, process-wide setup.
#include "internal.hpp"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <cstdlib>
#include <cstring>
#include <memory>

void cdcm_initialize() {
    static const bool initialized = [] {
        // DCMTK logs parse problems to stderr; the same reasons reach callers as errors instead.
        OFLog::configure(OFLogger::OFF_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        // The registrations live as long as the process; releasing them at exit keeps leak checkers quiet
        // about the one allocation that is deliberately never freed earlier.
        std::atexit([] {
            DJDecoderRegistration::cleanup();
            DJLSDecoderRegistration::cleanup();
            DcmRLEDecoderRegistration::cleanup();
        });
        return true;
    }();
    (void)initialized;
}

cdcm_status cdcm_fail(cdcm_error *error, cdcm_status status, const std::string &message) {
    if (error) {
        error->status = status;
        std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
    }
    return status;
}

/// A file is DICOM when "DICM" follows the 128-byte preamble. Files without a preamble are accepted only
/// when they open with a File Meta (0002) or Identifying (0008) group tag, in either byte order: DCMTK
/// would otherwise happily "parse" arbitrary bytes as an implicit VR dataset.
static bool looksLikeDicom(const uint8_t *bytes, size_t count) {
    if (count >= 132 && std::memcmp(bytes + 128, "DICM", 4) == 0) return true;
    if (count < 8) return false;
    const uint16_t little = uint16_t(bytes[0] | bytes[1] << 8), big = uint16_t(bytes[0] << 8 | bytes[1]);
    return little == 0x0002 || little == 0x0008 || big == 0x0002 || big == 0x0008;
}

template <typename Read>
static cdcm_object *parse(const uint8_t *bytes, size_t count, bool bareDataset, cdcm_error *error, Read read) {
    cdcm_initialize();
    if (cdcm_check_nesting(bytes, count, bareDataset, error) != CDCM_OK) return nullptr;
    auto object = std::make_unique<cdcm_object>();
    DcmInputBufferStream stream;
    stream.setBuffer(bytes, offile_off_t(count));
    stream.setEos();
    object->file.transferInit();
    const OFCondition status = read(object->file, stream);
    const bool consumed = stream.eos();
    object->file.transferEnd();
    stream.releaseBuffer();
    // DCMTK's reasons ("Invalid stream") do not tell a file cut short from a damaged length inside it, so
    // the element structure is walked again to say which, and where. A stream that ends inside an element
    // header is taken by DCMTK as the end of the dataset, without error: the unread remainder, or a dataset
    // with no element at all, gives it away.
    if (status.bad() || !consumed || object->file.getDataset()->card() == 0) {
        const char *reason = status.bad() ? status.text() : "the data end inside an element header";
        // Without a structural explanation: DCMTK stopped early without complaint or asked for more data,
        // so the data ran out; anything else is damage DCMTK saw inside.
        const bool ranOut = status.good() || status == EC_StreamNotifyClient;
        cdcm_explain_parse_failure(bytes, count, bareDataset, reason, ranOut ? CDCM_TRUNCATED : CDCM_CORRUPT, error);
        return nullptr;
    }
    return object.release();
}

cdcm_object *cdcm_parse_file(const uint8_t *bytes, size_t count, cdcm_error *error) {
    if (!looksLikeDicom(bytes, count)) {
        cdcm_fail(error, CDCM_NOT_DICOM,
                  count == 0 ? "empty file" : "no DICM marker after the preamble and no DICOM tag at the start");
        return nullptr;
    }
    return parse(bytes, count, false, error, [](DcmFileFormat &file, DcmInputStream &stream) {
        return file.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
    });
}

cdcm_object *cdcm_parse_dataset(const uint8_t *bytes, size_t count, cdcm_error *error) {
    return parse(bytes, count, true, error, [](DcmFileFormat &file, DcmInputStream &stream) {
        return file.getDataset()->read(stream, EXS_LittleEndianExplicit, EGL_noChange, DCM_MaxReadLength);
    });
}

cdcm_object *cdcm_object_new(void) { return new cdcm_object(); }

void cdcm_object_free(cdcm_object *object) { delete object; }

cdcm_item *cdcm_object_meta(cdcm_object *object) { return handle(object->file.getMetaInfo()); }

cdcm_item *cdcm_object_dataset(cdcm_object *object) { return handle(object->file.getDataset()); }

const char *cdcm_object_transfer_syntax(const cdcm_object *object) {
    const E_TransferSyntax syntax = const_cast<cdcm_object *>(object)->file.getDataset()->getOriginalXfer();
    return syntax == EXS_Unknown ? "" : DcmXfer(syntax).getXferID();
}

const char *cdcm_syntax_name(const char *uid) {
    const DcmXfer syntax(uid);
    return syntax.getXfer() == EXS_Unknown ? nullptr : syntax.getXferName();
}

bool cdcm_syntax_is_encapsulated(const char *uid) { return DcmXfer(uid).isEncapsulated(); }

bool cdcm_syntax_is_decodable(const char *uid) {
    cdcm_initialize();
    const DcmXfer syntax(uid);
    if (syntax.getXfer() == EXS_Unknown) return false;
    return !syntax.isEncapsulated() || DcmCodecList::canChangeCoding(syntax.getXfer(), EXS_LittleEndianExplicit);
}
