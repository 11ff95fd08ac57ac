/// The 8×8 block tiling of a frame around its key region: which blocks may carry side information
/// and payload, and which are scrambled. Encoder and decoder derive it from the frame geometry and
/// the key region alone, so it never travels.
struct BlockLayout {
    static let side = 8

    let width: Int
    let height: Int
    let keyRegion: Region
    /// Full blocks per row and per column; partial blocks at the right and bottom edges are never used.
    let columns: Int
    let rows: Int
    /// Full blocks not touching the key region dilated by one pixel, in raster order. The first of
    /// them carry the side information; the rest are candidates for texture.
    let usable: [Int]
    /// Full blocks not intersecting the key region, in raster order: the ones scrambled.
    let scrambled: [Int]

    init(width: Int, height: Int, keyRegion: Region) {
        self.width = width
        self.height = height
        self.keyRegion = keyRegion
        columns = width / Self.side
        rows = height / Self.side
        let ring = keyRegion.dilated(by: 1)
        var usable = [Int]()
        var scrambled = [Int]()
        for block in 0..<(columns * rows) {
            let area = Region(x: block % columns * Self.side, y: block / columns * Self.side,
                              width: Self.side, height: Self.side)
            if !area.intersects(keyRegion) { scrambled.append(block) }
            if !area.intersects(ring) { usable.append(block) }
        }
        self.usable = usable
        self.scrambled = scrambled
    }

    /// Index in the frame of the top-left pixel of `block`.
    @inline(__always)
    func origin(of block: Int) -> Int {
        (block / columns * width + block % columns) * Self.side
    }

    /// Calls `body` with the frame index of each pixel of `block`, in raster order.
    @inline(__always)
    func forEachPixel(of block: Int, _ body: (Int) -> Void) {
        let start = origin(of: block)
        for row in 0..<Self.side {
            let base = start + row * width
            for column in 0..<Self.side { body(base + column) }
        }
    }
}
