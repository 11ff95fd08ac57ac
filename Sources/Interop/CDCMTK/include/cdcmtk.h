/*
 * cdcmtk — the small C face of DCMTK that VeilDICOM builds on.
 *
 * One owning handle, `cdcm_object`, holds a DCMTK file (File Meta Information + dataset). It is made by
 * parsing bytes (a file, or a bare Explicit VR Little Endian dataset) or empty, for building. Items and
 * elements are borrowed views into it, valid until the object is freed or changed.
 *
 * Element values cross this boundary exactly as Explicit VR Little Endian encodes them (padded to even
 * length, numbers little endian), whatever the source transfer syntax, so the Swift side never needs to
 * know how DCMTK stores a value. Every call that can fail returns a `cdcm_status` and, when given a
 * `cdcm_error`, fills it with DCMTK's reason. Nothing here throws across the C boundary.
 */
#ifndef CDCMTK_H
#define CDCMTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CDCM_OK = 0,
    CDCM_NOT_DICOM,            /* the bytes do not look like DICOM at all */
    CDCM_TRUNCATED,            /* the stream ended inside an element */
    CDCM_CORRUPT,              /* DICOM, but DCMTK could not parse it */
    CDCM_UNSUPPORTED_SYNTAX,   /* no registered codec decodes this transfer syntax */
    CDCM_NO_PIXEL_DATA,        /* the dataset has no Pixel Data (7FE0,0010) */
    CDCM_BAD_PIXELS,           /* pixel data present but not decodable as described */
    CDCM_INVALID,              /* a caller-supplied element or index is not acceptable */
    CDCM_ENCODE_FAILED,        /* DCMTK could not write the object */
} cdcm_status;

/** Why a call failed, in DCMTK's words plus context. */
typedef struct {
    cdcm_status status;
    char message[400];
} cdcm_error;

typedef struct cdcm_object cdcm_object;     /* owning: free with cdcm_object_free */
typedef struct cdcm_item cdcm_item;         /* borrowed: a dataset, the meta header or a sequence item */
typedef struct cdcm_element cdcm_element;   /* borrowed: one element of an item */

/* MARK: Data dictionary */

/** The tag and VR of a public attribute by its keyword ("PatientID"), from DCMTK's data dictionary;
 *  false when the keyword is unknown (or names a repeating-group attribute). */
bool cdcm_dictionary_lookup(const char *keyword, uint16_t *group, uint16_t *element, char vr[3]);

/* MARK: Objects */

/** Parses a DICOM file: with preamble and "DICM", or a bare dataset in any transfer syntax DCMTK can
 *  guess. The bytes are copied; the caller keeps ownership. NULL on failure, with `error` filled. */
cdcm_object *cdcm_parse_file(const uint8_t *bytes, size_t count, cdcm_error *error);

/** Parses a bare Explicit VR Little Endian dataset, as made by cdcm_encode_dataset. */
cdcm_object *cdcm_parse_dataset(const uint8_t *bytes, size_t count, cdcm_error *error);

/** An empty object to fill with cdcm_item_put_value and cdcm_item_put_sequence. */
cdcm_object *cdcm_object_new(void);

void cdcm_object_free(cdcm_object *object);

/** The File Meta Information group (empty for bare datasets) and the dataset. */
cdcm_item *cdcm_object_meta(cdcm_object *object);
cdcm_item *cdcm_object_dataset(cdcm_object *object);

/** UID of the transfer syntax the dataset was read in ("" for an object built in memory). */
const char *cdcm_object_transfer_syntax(const cdcm_object *object);

/* MARK: Transfer syntaxes */

/** DCMTK's name for a transfer syntax UID; NULL when DCMTK does not know it. */
const char *cdcm_syntax_name(const char *uid);
/** Whether pixel data in this syntax is encapsulated (compressed, in fragments). */
bool cdcm_syntax_is_encapsulated(const char *uid);
/** Whether DCMTK (with the codecs cdcmtk registers) can decode pixel data in this syntax. */
bool cdcm_syntax_is_decodable(const char *uid);

/* MARK: Reading the tree */

size_t cdcm_item_count(const cdcm_item *item);
/** The index-th element, in ascending tag order. */
const cdcm_element *cdcm_item_element(const cdcm_item *item, size_t index);

uint16_t cdcm_element_group(const cdcm_element *element);
uint16_t cdcm_element_number(const cdcm_element *element);
/** Two-letter VR as Explicit VR Little Endian would write it (ambiguous VRs resolved, e.g. "OW"). */
void cdcm_element_vr(const cdcm_element *element, char vr[3]);
bool cdcm_element_is_sequence(const cdcm_element *element);

/** Length of the value in Explicit VR Little Endian (even). Not for sequences. */
size_t cdcm_element_value_length(const cdcm_element *element);
/** Copies the Explicit VR Little Endian value into `buffer` (capacity from cdcm_element_value_length). */
cdcm_status cdcm_element_copy_value(const cdcm_element *element, uint8_t *buffer, size_t capacity,
                                    cdcm_error *error);

size_t cdcm_sequence_count(const cdcm_element *sequence);
cdcm_item *cdcm_sequence_item(const cdcm_element *sequence, size_t index);

/* MARK: Building */

/** Inserts (or replaces) an element whose value is given as Explicit VR Little Endian bytes.
 *  `vr` is the two-letter VR (not SQ); Pixel Data may be given here like any other element. */
cdcm_status cdcm_item_put_value(cdcm_item *item, uint16_t group, uint16_t number, const char *vr,
                                const uint8_t *value, size_t count, cdcm_error *error);

/** Inserts (or replaces) an empty sequence (VR SQ) and returns it, ready for cdcm_sequence_append. */
cdcm_element *cdcm_item_put_sequence(cdcm_item *item, uint16_t group, uint16_t number, cdcm_error *error);

/** Appends a new, empty item to `sequence` and returns it to fill. */
cdcm_item *cdcm_sequence_append(cdcm_element *sequence);

/* MARK: Pixel data */

/** Bytes of one decoded frame (little endian words), from the dataset's image attributes. */
cdcm_status cdcm_frame_length(cdcm_object *object, size_t *length, cdcm_error *error);

/** How much Pixel Data there is, to check the header's frame count against before decoding: `bytes` is the
 *  value length of native pixel data (0 when encapsulated), `fragments` the number of fragments of
 *  encapsulated pixel data, offset table excluded (0 when native). */
cdcm_status cdcm_pixel_data_extent(cdcm_object *object, size_t *bytes, size_t *fragments, cdcm_error *error);

/** Decodes frame `index` (from 0) into `buffer`. `color_model` receives the photometric interpretation of
 *  the decoded samples (a JPEG decoder may turn YBR into RGB). */
cdcm_status cdcm_decode_frame(cdcm_object *object, uint32_t index, uint8_t *buffer, size_t capacity,
                              char color_model[32], cdcm_error *error);

/** The top-level Pixel Data element as bytes (tag, VR, length, value): in the object's own transfer
 *  syntax when that is encapsulated (offset table and fragments as they came), else in Explicit VR
 *  Little Endian. Two objects holding the same pixel data give the same bytes, whatever syntax a native
 *  one was read in. On success `*bytes` must be released with cdcm_bytes_free. */
cdcm_status cdcm_pixel_element(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error);

/** The compressed bytes of frame `index` of encapsulated pixel data (its fragments joined), for a
 *  decoder outside DCMTK (JPEG 2000). On success `*bytes` must be released with cdcm_bytes_free. */
cdcm_status cdcm_frame_fragments(cdcm_object *object, uint32_t index, uint8_t **bytes, size_t *count,
                                 cdcm_error *error);

/* MARK: Encoding */

/** Encodes the dataset as a DICOM file: preamble, freshly generated File Meta Information, Explicit VR
 *  Little Endian. On success `*bytes` must be released with cdcm_bytes_free. */
cdcm_status cdcm_encode_file(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error);

/** Encodes `object` as cdcm_encode_file does, but with a copy of `source`'s top-level Pixel Data exactly as
 *  it is: in `source`'s transfer syntax when that is encapsulated (the compressed fragments untouched),
 *  else in Explicit VR Little Endian (same values). `source` is only read; neither object changes owner. */
cdcm_status cdcm_encode_file_with_pixels_of(cdcm_object *object, cdcm_object *source, uint8_t **bytes,
                                            size_t *count, cdcm_error *error);

/** Encodes the dataset alone as an Explicit VR Little Endian byte stream (no preamble, no meta). */
cdcm_status cdcm_encode_dataset(cdcm_object *object, uint8_t **bytes, size_t *count, cdcm_error *error);

void cdcm_bytes_free(uint8_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
