import VeilCore

/// The associated data that ties a frame's sealed payload to where it lives: the frame's
/// geometry and index, the key region, and the QR's plain text. Moving a payload to another
/// frame, or editing the readable lines of the QR, makes restoration fail instead of lying.
enum FrameBinding {
    /// `plane`: the plane of a colour frame (nil for a single plane, whose data is as format 1 made it).
    static func associatedData(frame: Frame, index: Int, keyRegion: Region, basicText: String, plane: Int? = nil) -> [UInt8] {
        var out = Array("dcmveil frame v1".utf8)
        for value in [frame.width, frame.height, index, frame.format.bitsStored, frame.format.isSigned ? 1 : 0,
                      keyRegion.x, keyRegion.y, keyRegion.width, keyRegion.height] {
            out.appendUInt32(UInt32(truncatingIfNeeded: value))
        }
        if let plane {
            out += Array("plane".utf8)
            out.appendUInt32(UInt32(truncatingIfNeeded: plane))
        }
        out += Array(basicText.utf8)
        return out
    }
}
