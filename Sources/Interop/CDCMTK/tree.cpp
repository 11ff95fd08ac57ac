// The element tree: reading items, elements and values, and building them from Explicit VR Little Endian
// values. DCMTK does every conversion; values only ever cross as EVRLE bytes.
#include "internal.hpp"

#include <cstring>

static const E_TransferSyntax evrle = EXS_LittleEndianExplicit;

size_t cdcm_item_count(const cdcm_item *item_) { return const_cast<DcmItem *>(item(item_))->card(); }

const cdcm_element *cdcm_item_element(const cdcm_item *item_, size_t index) {
    return handle(const_cast<DcmItem *>(item(item_))->getElement(static_cast<unsigned long>(index)));
}

uint16_t cdcm_element_group(const cdcm_element *element_) { return element(element_)->getGTag(); }

uint16_t cdcm_element_number(const cdcm_element *element_) { return element(element_)->getETag(); }

void cdcm_element_vr(const cdcm_element *element_, char vr[3]) {
    std::snprintf(vr, 3, "%s", DcmVR(element(element_)->getVR()).getValidVRName());
}

bool cdcm_element_is_sequence(const cdcm_element *element_) { return element(element_)->getVR() == EVR_SQ; }

size_t cdcm_element_value_length(const cdcm_element *element_) {
    return const_cast<DcmElement *>(element(element_))->getLength(evrle, EET_ExplicitLength);
}

/// The value is taken from DCMTK's own EVRLE encoding of the element, minus the tag/VR/length header:
/// that gives padding and byte order exactly as a written file has them, for every VR.
cdcm_status cdcm_element_copy_value(const cdcm_element *element_, uint8_t *buffer, size_t capacity,
                                    cdcm_error *error) {
    DcmElement *element = const_cast<DcmElement *>(::element(element_));
    std::vector<uint8_t> encoded;
    const OFCondition status = cdcm_write_to_memory(*element, encoded, capacity + 12, [&](DcmOutputStream &stream) {
        return element->write(stream, evrle, EET_ExplicitLength, nullptr);
    });
    if (status.bad()) return cdcm_fail(error, CDCM_CORRUPT, std::string("cannot encode value: ") + status.text());
    const size_t length = element->getLength(evrle, EET_ExplicitLength);
    if (length > capacity || length > encoded.size())
        return cdcm_fail(error, CDCM_INVALID, "value buffer too small");
    std::memcpy(buffer, encoded.data() + (encoded.size() - length), length);
    return CDCM_OK;
}

size_t cdcm_sequence_count(const cdcm_element *sequence) {
    return const_cast<DcmSequenceOfItems *>(static_cast<const DcmSequenceOfItems *>(element(sequence)))->card();
}

cdcm_item *cdcm_sequence_item(const cdcm_element *sequence, size_t index) {
    auto *items = const_cast<DcmSequenceOfItems *>(static_cast<const DcmSequenceOfItems *>(element(sequence)));
    return handle(items->getItem(static_cast<unsigned long>(index)));
}

/// Builds the element's EVRLE encoding (header + value) and lets DCMTK parse it into a scratch dataset,
/// then moves the parsed element into `item`. This way DCMTK, not this shim, decides how each VR is
/// stored, exactly as when it reads a file.
cdcm_status cdcm_item_put_value(cdcm_item *item_, uint16_t group, uint16_t number, const char *vr,
                                const uint8_t *value, size_t count, cdcm_error *error) {
    cdcm_initialize();
    const DcmVR type(vr);
    if (type.getEVR() == EVR_UNKNOWN || type.getEVR() == EVR_SQ || std::strlen(vr) != 2)
        return cdcm_fail(error, CDCM_INVALID, std::string("not a value VR: ") + vr);
    const bool longLength = type.usesExtendedLengthEncoding();
    if (count > (longLength ? 0xFFFFFFFEu : 0xFFFFu))
        return cdcm_fail(error, CDCM_INVALID, std::string("value too long for VR ") + vr);

    std::vector<uint8_t> encoded{uint8_t(group), uint8_t(group >> 8), uint8_t(number), uint8_t(number >> 8),
                                 uint8_t(vr[0]), uint8_t(vr[1])};
    if (longLength) encoded.insert(encoded.end(), {0, 0});
    for (int byte = 0; byte < (longLength ? 4 : 2); ++byte) encoded.push_back(uint8_t(count >> (8 * byte)));
    encoded.insert(encoded.end(), value, value + count);

    DcmDataset scratch;
    DcmInputBufferStream stream;
    stream.setBuffer(encoded.data(), offile_off_t(encoded.size()));
    stream.setEos();
    scratch.transferInit();
    OFCondition status = scratch.read(stream, evrle, EGL_noChange, DCM_MaxReadLength);
    scratch.transferEnd();
    stream.releaseBuffer();
    DcmElement *parsed = status.good() ? scratch.remove(DcmTagKey(group, number)) : nullptr;
    if (!parsed) return cdcm_fail(error, CDCM_INVALID, std::string("DCMTK rejected the value: ") + status.text());
    status = item(item_)->insert(parsed, OFTrue);
    if (status.bad()) {
        delete parsed;
        return cdcm_fail(error, CDCM_INVALID, status.text());
    }
    return CDCM_OK;
}

cdcm_element *cdcm_item_put_sequence(cdcm_item *item_, uint16_t group, uint16_t number, cdcm_error *error) {
    auto *sequence = new DcmSequenceOfItems(DcmTag(group, number, EVR_SQ));
    const OFCondition status = item(item_)->insert(sequence, OFTrue);
    if (status.bad()) {
        delete sequence;
        cdcm_fail(error, CDCM_INVALID, status.text());
        return nullptr;
    }
    return handle(sequence);
}

cdcm_item *cdcm_sequence_append(cdcm_element *sequence) {
    auto *newItem = new DcmItem();
    static_cast<DcmSequenceOfItems *>(element(sequence))->append(newItem);
    return handle(newItem);
}

bool cdcm_dictionary_lookup(const char *keyword, uint16_t *group, uint16_t *element, char vr[3]) {
    const DcmDataDictionary &dictionary = dcmDataDict.rdlock();
    const DcmDictEntry *entry = dictionary.findEntry(keyword);
    bool found = entry != nullptr && !entry->isRepeating() && entry->getPrivateCreator() == nullptr;
    if (found) {
        *group = entry->getGroup();
        *element = entry->getElement();
        std::snprintf(vr, 3, "%s", entry->getVR().getValidVRName());
    }
    dcmDataDict.rdunlock();
    return found;
}
