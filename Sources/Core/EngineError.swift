/// Every way protecting or restoring a frame can fail. Restore never returns a frame it cannot vouch for:
/// each inconsistency it detects becomes one of these.
package enum EngineError: Error, Equatable, CustomStringConvertible {
    /// The frame cannot hold a key region of the required side plus room to embed it.
    case frameTooSmall(width: Int, height: Int, minimumSide: Int)
    /// Samples outside the range BitsStored and signedness allow.
    case samplesOutOfRange
    /// The key region is not a usable rectangle inside the frame.
    case invalidKeyRegion(Region, reason: String)
    /// No planner candidate carries the payload.
    case doesNotFit(neededBits: Int, bestCapacityBits: Int, keyRegion: Region)
    /// The side information in the marked frame is missing or inconsistent.
    case corruptSideInformation(String)
    /// The sealed payload failed authentication: altered pixels or parameters, or the wrong key.
    case payloadAuthenticationFailed
    /// The payload authenticated but its contents do not parse.
    case corruptPayload(String)
    /// The parameters name a codec the caller did not supply.
    case unknownCodec(UInt8)
    /// Everything decoded, yet the restored frame's SHA-256 differs from the original's.
    case checksumMismatch
    /// The embedding parameters are malformed or do not match the frame.
    case invalidParameters(String)

    package var description: String {
        switch self {
        case let .frameTooSmall(width, height, minimumSide):
            "frame \(width)×\(height) is too small: the key region needs a side of at least \(minimumSide) pixels plus room to embed it"
        case .samplesOutOfRange:
            "frame has samples outside the range of its bits stored and signedness"
        case let .invalidKeyRegion(region, reason):
            "key region \(region) is unusable: \(reason)"
        case let .doesNotFit(needed, best, region):
            "payload of \(needed) bits does not fit: best capacity found is \(best) bits (key region \(region))"
        case let .corruptSideInformation(detail):
            "side information is corrupt: \(detail)"
        case .payloadAuthenticationFailed:
            "payload failed authentication (pixels, parameters or key do not match)"
        case let .corruptPayload(detail):
            "payload is corrupt: \(detail)"
        case let .unknownCodec(id):
            "no codec with identifier \(id) was supplied"
        case .checksumMismatch:
            "restored frame does not match the original's SHA-256"
        case let .invalidParameters(detail):
            "invalid embedding parameters: \(detail)"
        }
    }
}

extension EngineError {
    /// The payload did not fit the frame's capacity.
    package var isDoesNotFit: Bool {
        if case .doesNotFit = self { return true }
        return false
    }
}
