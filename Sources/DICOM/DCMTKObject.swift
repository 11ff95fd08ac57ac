internal import CDCMTK

/// A failure reported by the C shim, before a file name is attached to it.
struct DCMTKFailure: Error {
    let status: cdcm_status
    let message: String

    init(_ error: cdcm_error) {
        status = error.status
        message = withUnsafeBytes(of: error.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// Owns one DCMTK object (meta header + dataset) behind the C shim, and converts between its element tree
/// and the Swift value model. The only place in VeilDICOM that touches C pointers.
final class DCMTKObject {
    private let object: OpaquePointer

    /// Parses a whole file: preamble and meta header, or a bare dataset in any transfer syntax.
    init(parsingFile bytes: [UInt8]) throws(DCMTKFailure) {
        var error = cdcm_error()
        guard let object = cdcm_parse_file(bytes, bytes.count, &error) else { throw DCMTKFailure(error) }
        self.object = object
    }

    /// Parses a bare Explicit VR Little Endian dataset.
    init(parsingDataSet bytes: [UInt8]) throws(DCMTKFailure) {
        var error = cdcm_error()
        guard let object = cdcm_parse_dataset(bytes, bytes.count, &error) else { throw DCMTKFailure(error) }
        self.object = object
    }

    /// Builds a DCMTK dataset from the value model.
    init(building dataSet: DataSet) throws(DCMTKFailure) {
        object = cdcm_object_new()
        do {
            try Self.put(dataSet, into: cdcm_object_dataset(object))
        } catch {
            cdcm_object_free(object)
            throw error
        }
    }

    deinit { cdcm_object_free(object) }

    var transferSyntaxUID: String { String(cString: cdcm_object_transfer_syntax(object)) }

    var metaInformation: DataSet {
        get throws(DCMTKFailure) { try Self.dataSet(of: cdcm_object_meta(object)).dataSet }
    }

    /// The dataset without its top-level Pixel Data, and whether there was Pixel Data: pixels stay in DCMTK
    /// and are decoded a frame at a time.
    func dataSetWithoutPixels() throws(DCMTKFailure) -> (dataSet: DataSet, hasPixelData: Bool) {
        try Self.dataSet(of: cdcm_object_dataset(object), skipping: .pixelData)
    }

    /// Native pixel data's length in bytes, or encapsulated pixel data's number of fragments.
    func pixelDataExtent() throws(DCMTKFailure) -> (bytes: Int, fragments: Int) {
        var error = cdcm_error()
        var bytes = 0, fragments = 0
        guard cdcm_pixel_data_extent(object, &bytes, &fragments, &error) == CDCM_OK else { throw DCMTKFailure(error) }
        return (bytes, fragments)
    }

    /// Decodes frame `index` to native little-endian words, with the decoder's colour model.
    func decodeFrame(_ index: Int) throws(DCMTKFailure) -> (bytes: [UInt8], colorModel: String) {
        var error = cdcm_error()
        var length = 0
        guard cdcm_frame_length(object, &length, &error) == CDCM_OK else { throw DCMTKFailure(error) }
        var model = [CChar](repeating: 0, count: 32)
        var status = CDCM_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            status = cdcm_decode_frame(object, UInt32(index), buffer.baseAddress, length, &model, &error)
            count = status == CDCM_OK ? length : 0
        }
        guard status == CDCM_OK else { throw DCMTKFailure(error) }
        return (bytes, Self.string(model))
    }

    /// A complete file: preamble, regenerated meta header, Explicit VR Little Endian dataset.
    func encodeFile() throws(DCMTKFailure) -> [UInt8] {
        try Self.take { bytes, count, error in cdcm_encode_file(object, bytes, count, error) }
    }

    /// This object as a file with a copy of `source`'s Pixel Data as it is (encapsulated stays encapsulated).
    func encodeFile(withPixelsOf source: DCMTKObject) throws(DCMTKFailure) -> [UInt8] {
        try Self.take { bytes, count, error in cdcm_encode_file_with_pixels_of(object, source.object, bytes, count, error) }
    }

    /// The Pixel Data element as bytes (its own syntax when encapsulated, else Explicit VR Little Endian).
    func pixelElement() throws(DCMTKFailure) -> [UInt8] {
        try Self.take { bytes, count, error in cdcm_pixel_element(object, bytes, count, error) }
    }

    /// The compressed bytes of one frame of encapsulated pixel data.
    func frameFragments(_ index: Int) throws(DCMTKFailure) -> [UInt8] {
        try Self.take { bytes, count, error in cdcm_frame_fragments(object, UInt32(index), bytes, count, error) }
    }

    /// The dataset alone, Explicit VR Little Endian.
    func encodeDataSet() throws(DCMTKFailure) -> [UInt8] {
        try Self.take { bytes, count, error in cdcm_encode_dataset(object, bytes, count, error) }
    }

    // MARK: Tree conversion

    private static func dataSet(
        of item: OpaquePointer, skipping skipped: Tag? = nil
    ) throws(DCMTKFailure) -> (dataSet: DataSet, hasPixelData: Bool) {
        var elements = [DataElement]()
        var sawSkipped = false
        for index in 0..<cdcm_item_count(item) {
            let element = cdcm_item_element(item, index)!
            let tag = Tag(cdcm_element_group(element), cdcm_element_number(element))
            if tag == skipped {
                sawSkipped = true
                continue
            }
            var code = [CChar](repeating: 0, count: 3)
            cdcm_element_vr(element, &code)
            elements.append(DataElement(tag: tag, vr: VR(rawValue: string(code)), value: try value(of: element)))
        }
        return (DataSet(elements), sawSkipped)
    }

    private static func value(of element: OpaquePointer) throws(DCMTKFailure) -> DataElement.Value {
        if cdcm_element_is_sequence(element) {
            var items = [DataSet]()
            for index in 0..<cdcm_sequence_count(element) {
                items.append(try dataSet(of: cdcm_sequence_item(element, index)).dataSet)
            }
            return .sequence(items)
        }
        let length = cdcm_element_value_length(element)
        var error = cdcm_error()
        var status = CDCM_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            status = cdcm_element_copy_value(element, buffer.baseAddress, length, &error)
            count = status == CDCM_OK ? length : 0
        }
        guard status == CDCM_OK else { throw DCMTKFailure(error) }
        return .bytes(bytes)
    }

    private static func put(_ dataSet: DataSet, into item: OpaquePointer) throws(DCMTKFailure) {
        var error = cdcm_error()
        for element in dataSet.elements {
            let (group, number) = (element.tag.group, element.tag.element)
            switch element.value {
            case .bytes(let bytes):
                guard cdcm_item_put_value(item, group, number, element.vr.rawValue, bytes, bytes.count, &error) == CDCM_OK
                else { throw DCMTKFailure(error) }
            case .sequence(let items):
                guard let sequence = cdcm_item_put_sequence(item, group, number, &error) else { throw DCMTKFailure(error) }
                for nested in items { try put(nested, into: cdcm_sequence_append(sequence)) }
            }
        }
    }

    /// A NUL-terminated C string buffer as a Swift string.
    private static func string(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs an encoder that hands over a malloc'd buffer, and copies it into Swift.
    private static func take(
        _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<cdcm_error>) -> cdcm_status
    ) throws(DCMTKFailure) -> [UInt8] {
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        var error = cdcm_error()
        guard encode(&bytes, &count, &error) == CDCM_OK, let bytes else { throw DCMTKFailure(error) }
        defer { cdcm_bytes_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: count))
    }
}
