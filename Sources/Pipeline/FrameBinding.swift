import VeilCore

/// The associated data that ties a frame's sealed payload to where it lives: the frame's
/// geometry and index, the key region, and the QR's plain text. Moving a payload to another
/// frame, or editing the readable lines of the QR, makes restoration fail instead of lying.
enum FrameBinding {
    static func associatedData(frame: Frame, index: Int, keyRegion: Region, basicText: String) -> [UInt8] {
        var out = Array("dcmveil frame v1".utf8)
        for value in [frame.width, frame.height, index, frame.format.bitsStored, frame.format.isSigned ? 1 : 0,
                      keyRegion.x, keyRegion.y, keyRegion.width, keyRegion.height] {
            out.appendUInt32(UInt32(truncatingIfNeeded: value))
        }
        out += Array(basicText.utf8)
        return out
    }
}
