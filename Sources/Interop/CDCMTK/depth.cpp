// Nesting depth, measured before DCMTK parses. DCMTK's parser recurses once per sequence level and has no
// limit of its own: a few thousand nested sequences overflow the stack and kill the process. This scan
// follows the element structure iteratively enough (its own recursion stops at the limit) to find the
// deepest nesting DCMTK could descend into, and the parse is refused beyond `cdcm_max_nesting_depth`.
//
// It is deliberately generous about what counts as a sequence, so that it never sees less nesting than
// DCMTK will: any value with undefined length (except encapsulated Pixel Data) and any defined-length value
// that starts with an Item tag is scanned as a sequence, whatever its VR (private and UN sequences, and
// implicit-VR sequences that only the data dictionary knows, are all covered without the dictionary).
// Anything that does not parse is left for DCMTK to report.
#include "internal.hpp"

#include <zlib.h>

#include <cstring>

namespace {

constexpr uint32_t undefinedLength = 0xFFFFFFFF;
constexpr uint16_t itemGroup = 0xFFFE, item = 0xE000, itemEnd = 0xE00D, sequenceEnd = 0xE0DD;

struct Syntax {
    bool explicitVR;
    bool bigEndian;
};
constexpr Syntax implicitLittle{false, false};

/// Explicit VRs whose length field has 2 bytes. Every other VR, unknown ones included, has 2 reserved bytes
/// and a 4-byte length, as DCMTK reads them (an unknown VR is taken as UN, PS3.5 6.2).
bool hasShortLength(const uint8_t *vr) {
    static const char *const shortVRs[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
                                           "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
    for (const char *name : shortVRs)
        if (vr[0] == name[0] && vr[1] == name[1]) return true;
    return false;
}

/// The first place where the structure stops making sense, for explaining a failed parse.
struct Anomaly {
    bool found = false;
    bool atEndOfData = false;  // the element runs past the end of the data, not of an enclosing item
    size_t offset = 0;
    std::string what;
};

class DepthScan {
  public:
    DepthScan(const uint8_t *bytes, size_t count, int limit) : bytes(bytes), count(count), limit(limit) {}

    Anomaly anomaly;

    /// The deepest sequence nesting found in the dataset at [start, count), at most limit + 1.
    int scan(size_t start, Syntax syntax) {
        deepest = 0;
        anomaly = Anomaly{};
        dataset(start, count, 0, syntax, false);
        return deepest;
    }

  private:
    const uint8_t *bytes;
    size_t count;
    int limit;
    int deepest = 0;

    uint16_t u16(size_t at, Syntax syntax) const {
        return syntax.bigEndian ? uint16_t(bytes[at] << 8 | bytes[at + 1]) : uint16_t(bytes[at] | bytes[at + 1] << 8);
    }
    uint32_t u32(size_t at, Syntax syntax) const {
        return syntax.bigEndian ? uint32_t(u16(at, syntax)) << 16 | u16(at + 2, syntax)
                                : uint32_t(u16(at + 2, syntax)) << 16 | u16(at, syntax);
    }
    /// Records the first anomaly outside speculative scans (values only guessed to be sequences).
    void note(size_t at, bool atEndOfData, const std::string &what) {
        if (anomaly.found || speculative > 0) return;
        anomaly = Anomaly{true, atEndOfData, at, what};
    }
    int speculative = 0;

    static std::string tagName(uint16_t group, uint16_t number) {
        char name[16];
        std::snprintf(name, sizeof name, "(%04X,%04X)", group, number);
        return name;
    }

    bool startsWithItem(size_t at, size_t end, Syntax syntax) const {
        return at + 8 <= end && u16(at, syntax) == itemGroup && u16(at + 2, syntax) == item;
    }

    /// Elements from `at` to `end` (or to an Item Delimitation when `delimited`); returns where it stopped.
    size_t dataset(size_t at, size_t end, int depth, Syntax syntax, bool delimited) {
        uint32_t previous = 0;
        while (at + 8 <= end && deepest <= limit) {
            const size_t start = at;
            const uint16_t group = u16(at, syntax), number = u16(at + 2, syntax);
            if (group == itemGroup) return number == itemEnd && delimited ? at + 8 : end;
            const uint32_t tag = uint32_t(group) << 16 | number;
            if (tag <= previous) note(start, false, "tag " + tagName(group, number) + " out of order (a damaged length before it?)");
            previous = tag;
            // The File Meta group is always Explicit VR Little Endian.
            const Syntax local = group == 0x0002 ? Syntax{true, false} : syntax;
            bool isUN = false, isSQ = false;
            uint32_t length;
            if (local.explicitVR) {
                const uint8_t *vr = bytes + at + 4;
                isSQ = vr[0] == 'S' && vr[1] == 'Q';
                if (!(vr[0] >= 'A' && vr[0] <= 'Z' && vr[1] >= 'A' && vr[1] <= 'Z'))
                    note(start, false, "element " + tagName(group, number) + " has no valid VR");
                if (!hasShortLength(vr)) {
                    isUN = !isSQ && !(vr[0] == 'O' || (vr[0] == 'U' && (vr[1] == 'T' || vr[1] == 'C' || vr[1] == 'R' || vr[1] == 'V')) ||
                                      (vr[0] == 'S' && vr[1] == 'V'));
                    if (at + 12 > end) {
                        note(start, end == count, "the data end inside the header of " + tagName(group, number));
                        return end;
                    }
                    length = u32(at + 8, local);
                    at += 12;
                } else {
                    length = u16(at + 6, local);
                    at += 8;
                }
            } else {
                length = u32(at + 4, local);
                at += 8;
            }
            // A UN sequence's items are Implicit VR Little Endian (PS3.5 6.2.2).
            const Syntax inner = isUN ? implicitLittle : local;
            if (length == undefinedLength) {
                at = group == 0x7FE0 && number == 0x0010 ? fragments(at, end, local) : items(at, end, depth + 1, inner, true);
            } else {
                if (length > end - at) {
                    note(start, end == count,
                         tagName(group, number) + " declares " + std::to_string(length) + " bytes, " +
                             std::to_string(end - at) + " remain" + (end == count ? "" : " in its item"));
                    return end;
                }
                if (startsWithItem(at, at + length, inner)) {
                    speculative += isSQ ? 0 : 1;
                    items(at, at + length, depth + 1, inner, false);
                    speculative -= isSQ ? 0 : 1;
                }
                at += length;
            }
        }
        if (at < end && at + 8 > end) note(at, end == count, "the data end inside an element header");
        return end;
    }

    /// Items of a sequence at nesting `depth`; returns where the sequence ends.
    size_t items(size_t at, size_t end, int depth, Syntax syntax, bool delimited) {
        if (depth > deepest) deepest = depth;
        if (depth > limit) return end;
        while (at + 8 <= end && deepest <= limit) {
            const size_t start = at;
            const uint16_t group = u16(at, syntax), number = u16(at + 2, syntax);
            const uint32_t length = u32(at + 4, syntax);
            at += 8;
            if (group != itemGroup || (number != item && number != sequenceEnd)) {
                note(start, false, "a sequence holds " + tagName(group, number) + " where an item belongs");
                return end;
            }
            if (number == sequenceEnd) return delimited ? at : end;
            if (length == undefinedLength) {
                at = dataset(at, end, depth, syntax, true);
            } else {
                if (length > end - at) {
                    note(start, end == count,
                         "an item declares " + std::to_string(length) + " bytes, " + std::to_string(end - at) + " remain");
                    return end;
                }
                dataset(at, at + length, depth, syntax, false);
                at += length;
            }
        }
        if (delimited && end == count) note(at, true, "a sequence ends without its delimitation item");
        return end;
    }

    /// Encapsulated pixel data: fragments up to the Sequence Delimitation, skipped by their lengths.
    size_t fragments(size_t at, size_t end, Syntax syntax) {
        while (at + 8 <= end) {
            const size_t start = at;
            const uint16_t number = u16(at + 2, syntax);
            const uint32_t length = u32(at + 4, syntax);
            at += 8;
            if (number == sequenceEnd) return at;
            if (length > end - at) {
                note(start, end == count,
                     "a Pixel Data fragment declares " + std::to_string(length) + " bytes, " +
                         std::to_string(end - at) + " remain");
                return end;
            }
            at += length;
        }
        note(at, end == count, "the encapsulated Pixel Data end without their delimitation item");
        return end;
    }
};

/// The transfer syntax UID in the File Meta group starting at `at`, and where the dataset starts.
std::string metaTransferSyntax(const uint8_t *bytes, size_t count, size_t &at) {
    std::string uid;
    while (at + 8 <= count && (bytes[at] | bytes[at + 1] << 8) == 0x0002) {
        const uint16_t number = uint16_t(bytes[at + 2] | bytes[at + 3] << 8);
        const bool longLength = !hasShortLength(bytes + at + 4);
        size_t length;
        if (longLength) {
            if (at + 12 > count) break;
            length = uint32_t(bytes[at + 8] | bytes[at + 9] << 8 | bytes[at + 10] << 16 | uint32_t(bytes[at + 11]) << 24);
            at += 12;
        } else {
            length = uint16_t(bytes[at + 6] | bytes[at + 7] << 8);
            at += 8;
        }
        if (length > count - at) break;
        if (number == 0x0010) {
            uid.assign(reinterpret_cast<const char *>(bytes + at), length);
            while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.pop_back();
        }
        at += length;
    }
    return uid;
}

/// Inflates a Deflated Explicit VR Little Endian dataset (raw deflate), up to `cap` bytes.
bool inflateDataset(const uint8_t *bytes, size_t count, size_t cap, std::vector<uint8_t> &out) {
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return false;
    stream.next_in = const_cast<Bytef *>(bytes);
    stream.avail_in = uInt(std::min<size_t>(count, UINT32_MAX));
    int status = Z_OK;
    while (status == Z_OK && out.size() < cap) {
        const size_t before = out.size();
        out.resize(std::min(cap, before + (1 << 20)));
        stream.next_out = out.data() + before;
        stream.avail_out = uInt(out.size() - before);
        status = inflate(&stream, Z_NO_FLUSH);
        out.resize(out.size() - stream.avail_out);
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END || status == Z_OK || status == Z_BUF_ERROR || status == Z_DATA_ERROR;
}

/// Where the dataset's bytes start and in which syntax, inflating deflated data into `inflated`.
/// False (with `error` filled) when deflated data cannot be inflated within the cap.
bool locateDataset(const uint8_t *&bytes, size_t &count, bool bareDataset, size_t &start, Syntax &declared,
                   std::vector<uint8_t> &inflated, cdcm_error *error) {
    start = 0;
    declared = Syntax{true, false};
    if (bareDataset) return true;
    if (count >= 132 && std::memcmp(bytes + 128, "DICM", 4) == 0) {
        start = 132;
        const std::string uid = metaTransferSyntax(bytes, count, start);
        if (uid == "1.2.840.10008.1.2") declared = implicitLittle;
        if (uid == "1.2.840.10008.1.2.2") declared = Syntax{true, true};
        if (uid == "1.2.840.10008.1.2.1.99") {
            // 1 GiB of header is far beyond any real one; a deflate bomb is refused rather than scanned.
            const size_t cap = size_t(1) << 30;
            if (!inflateDataset(bytes + start, count - start, cap, inflated) || inflated.size() >= cap) {
                cdcm_fail(error, CDCM_CORRUPT, "the deflated dataset does not inflate to less than 1 GiB");
                return false;
            }
            bytes = inflated.data();
            count = inflated.size();
            start = 0;
        }
    } else if (count >= 2 && bytes[0] == 0 && bytes[1] != 0) {
        declared.bigEndian = true;  // a bare dataset that opens with a big-endian group number
    }
    return true;
}

} // namespace

const int cdcm_max_nesting_depth = 64;

/// Refuses data that nests sequences deeper than `cdcm_max_nesting_depth` (CDCM_CORRUPT), under every reading
/// DCMTK might choose: the declared transfer syntax, and the other VR encoding in case DCMTK detects one.
cdcm_status cdcm_check_nesting(const uint8_t *bytes, size_t count, bool bareDataset, cdcm_error *error) {
    size_t start;
    Syntax declared;
    std::vector<uint8_t> inflated;
    if (!locateDataset(bytes, count, bareDataset, start, declared, inflated, error)) return CDCM_CORRUPT;
    DepthScan scan(bytes, count, cdcm_max_nesting_depth);
    int depth = scan.scan(start, declared);
    if (!bareDataset) depth = std::max(depth, scan.scan(start, Syntax{!declared.explicitVR, declared.bigEndian}));
    if (depth > cdcm_max_nesting_depth)
        return cdcm_fail(error, CDCM_CORRUPT,
                         "sequences nested more than " + std::to_string(cdcm_max_nesting_depth) + " levels deep");
    return CDCM_OK;
}

cdcm_status cdcm_explain_parse_failure(const uint8_t *bytes, size_t count, bool bareDataset, const char *dcmtkReason,
                                       cdcm_status otherwise, cdcm_error *error) {
    size_t start;
    Syntax declared;
    std::vector<uint8_t> inflated;
    if (!locateDataset(bytes, count, bareDataset, start, declared, inflated, error)) return CDCM_CORRUPT;
    DepthScan scan(bytes, count, cdcm_max_nesting_depth);
    scan.scan(start, declared);
    const Anomaly &anomaly = scan.anomaly;
    if (!anomaly.found) return cdcm_fail(error, otherwise, dcmtkReason);
    const std::string where = (inflated.empty() ? "at byte " : "at inflated byte ") + std::to_string(anomaly.offset);
    return cdcm_fail(error, anomaly.atEndOfData ? CDCM_TRUNCATED : CDCM_CORRUPT, anomaly.what + ", " + where);
}
