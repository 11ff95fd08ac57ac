internal import CDCMTK

/// Public attributes by keyword, from DCMTK's data dictionary (the standard's keywords).
package enum DataDictionary {
    /// The tag and VR of `keyword` ("PatientID"); nil when DCMTK does not know it.
    package static func lookup(_ keyword: String) -> (tag: Tag, vr: VR)? {
        var group: UInt16 = 0, element: UInt16 = 0
        var vr: (CChar, CChar, CChar) = (0, 0, 0)
        let found = withUnsafeMutablePointer(to: &vr) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: 3) { cdcm_dictionary_lookup(keyword, &group, &element, $0) }
        }
        guard found else { return nil }
        let name = String(decoding: [UInt8(bitPattern: vr.0), UInt8(bitPattern: vr.1)], as: UTF8.self)
        return (Tag(group, element), VR(rawValue: name))
    }
}
