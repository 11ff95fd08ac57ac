extension QRCode {
    /// Draws the code into a `side`×`side` block of samples (row-major), ready to paste into a frame.
    ///
    /// Each module becomes a square of the largest whole number of pixels for which the code plus a
    /// `quietZoneModules`-wide margin fits; the code is centred and everything else is `light`, so the
    /// quiet zone (a reader's cue where the code ends) is at least the margin asked for. Whole-pixel
    /// modules keep edges sharp in any viewer's rendering.
    ///
    /// Throws `QRError.blockTooSmall` if even `minimumModulePixels` per module does not fit.
    package func render(
        side: Int, dark: Int32, light: Int32, minimumModulePixels: Int = 2, quietZoneModules: Int = 2
    ) throws -> [Int32] {
        precondition(minimumModulePixels >= 1 && quietZoneModules >= 0, "module size ≥ 1 and quiet zone ≥ 0")
        let span = size + 2 * quietZoneModules
        let modulePixels = side / span
        guard modulePixels >= minimumModulePixels else {
            throw QRError.blockTooSmall(side: side, sideNeeded: span * minimumModulePixels)
        }
        let offset = (side - size * modulePixels) / 2
        var block = [Int32](repeating: light, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for row in 0..<modulePixels {
                    let start = (offset + y * modulePixels + row) * side + offset + x * modulePixels
                    block.replaceSubrange(start..<(start + modulePixels), with: repeatElement(dark, count: modulePixels))
                }
            }
        }
        return block
    }
}
