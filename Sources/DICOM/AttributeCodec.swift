/// Attribute sets as bare Explicit VR Little Endian byte streams (no preamble, no meta header), the form
/// the Encrypted Attributes Sequence (PS3.15 §E) carries inside its encrypted content.
package enum AttributeCodec {
    package static func encode(_ dataSet: DataSet) throws(DicomError) -> [UInt8] {
        do {
            return try DCMTKObject(building: dataSet).encodeDataSet()
        } catch {
            throw .cannotEncode(detail: error.message)
        }
    }

    /// Parses a stream made by `encode` (or by another toolkit, e.g. GDCM).
    package static func decode(_ bytes: [UInt8]) throws(DicomError) -> DataSet {
        do {
            return try DCMTKObject(parsingDataSet: bytes).dataSetWithoutPixels().dataSet
        } catch {
            throw .corrupt(path: "encoded attributes", detail: error.message)
        }
    }
}
