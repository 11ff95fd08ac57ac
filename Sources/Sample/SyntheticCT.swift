import Foundation

/// A plausible axial chest CT slice in Hounsfield units: body outline with a fat layer, lungs with
/// vessels, heart and aorta with contrast, spine, ribs and the table, plus scanner noise, inside a
/// circular field of view padded outside with `paddingValue` as many scanners do.
///
/// Stored value = HU − `rescaleIntercept` (slope 1), signed, 12 bits stored.
struct SyntheticCT {
    static let size = 512
    static let rescaleIntercept = -1024
    static let paddingValue: Int16 = -2000
    static let storedRange: ClosedRange<Int> = -2048...2047

    /// Position of the slice along the body, 0 (lung apex) … 1 (diaphragm).
    let level: Double
    /// Per-patient anatomy, so patients differ.
    let anatomy: Anatomy

    struct Anatomy {
        var bodyWidth: Double     // semi-axes in pixels
        var bodyDepth: Double
        var fatThickness: Double
        var noiseSigma: Double    // HU

        static func random(using rng: inout SeededRandom) -> Anatomy {
            Anatomy(bodyWidth: 200 + 30 * rng.unit(), bodyDepth: 135 + 25 * rng.unit(),
                    fatThickness: 8 + 14 * rng.unit(), noiseSigma: 10 + 8 * rng.unit())
        }
    }

    /// Stored values, row-major, `size`×`size`.
    func render(using rng: inout SeededRandom) -> [Int16] {
        let n = Self.size
        let c = Double(n) / 2
        var pixels = [Int16](repeating: Self.paddingValue, count: n * n)
        let a = anatomy
        // Lungs grow from the apex and shrink towards the diaphragm; the heart appears lower down.
        let lungScale = sin(Double.pi * (0.15 + 0.8 * level))
        let heartScale = max(0, (level - 0.35) / 0.65)
        let ribPhase = level * 40

        for y in 0..<n {
            for x in 0..<n {
                let dx = Double(x) - c, dy = Double(y) - c
                guard dx * dx + dy * dy < (c - 4) * (c - 4) else { continue }   // field of view
                var hu = -1000.0                                                  // air
                let tableTop = c + a.bodyDepth + 12
                if Double(y) > tableTop && Double(y) < tableTop + 14 && abs(dx) < c * 0.8 {
                    hu = 250                                                      // table
                }
                let body = ellipse(dx, dy - 10, a.bodyWidth, a.bodyDepth)
                if body < 1 {
                    let inner = ellipse(dx, dy - 10, a.bodyWidth - a.fatThickness, a.bodyDepth - a.fatThickness)
                    hu = inner < 1 ? 45 : -95                                     // muscle / fat
                    // Ribs: small bony ellipses along the inner wall.
                    let angle = atan2(dy - 10, dx)
                    let ribDistance = abs(inner - 0.93)
                    if ribDistance < 0.05 && sin(angle * 9 + ribPhase) > 0.55 { hu = 650 }
                    // Lungs with vessels.
                    for side in [-1.0, 1.0] {
                        let l = ellipse(dx - side * a.bodyWidth * 0.45, dy - 5,
                                        a.bodyWidth * 0.33 * lungScale, a.bodyDepth * 0.62 * lungScale)
                        if l < 1 {
                            hu = -860 + 60 * l
                            let vessel = sin(Double(x) * 0.21 + Double(y) * 0.05) * sin(Double(y) * 0.17 - Double(x) * 0.04)
                            if vessel > 0.93 { hu = 40 }
                        }
                    }
                    // Heart and aorta with contrast.
                    if heartScale > 0, ellipse(dx + 25, dy + 5, 75 * heartScale, 60 * heartScale) < 1 { hu = 60 }
                    if ellipse(dx - 18, dy + a.bodyDepth * 0.35, 16, 16) < 1 { hu = 280 }
                    // Spine: cortical shell, cancellous core, canal.
                    let spine = ellipse(dx, dy - a.bodyDepth * 0.62, 24, 20)
                    if spine < 1 { hu = spine > 0.6 ? 1150 : 320 }
                    if ellipse(dx, dy - a.bodyDepth * 0.62 - 26, 8, 7) < 1 { hu = 20 }
                }
                let noisy = hu + a.noiseSigma * rng.gaussian()
                let stored = Int(noisy.rounded()) - Self.rescaleIntercept
                pixels[y * n + x] = Int16(min(max(stored, Self.storedRange.lowerBound), Self.storedRange.upperBound))
            }
        }
        return pixels
    }

    /// < 1 inside the ellipse with semi-axes (rx, ry), 1 on it, > 1 outside.
    private func ellipse(_ dx: Double, _ dy: Double, _ rx: Double, _ ry: Double) -> Double {
        guard rx > 0, ry > 0 else { return .infinity }
        return (dx * dx) / (rx * rx) + (dy * dy) / (ry * ry)
    }
}
