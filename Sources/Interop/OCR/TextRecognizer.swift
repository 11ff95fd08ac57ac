internal import CTesseract
import Synchronization

/// A word Tesseract recognised in an image.
package struct RecognizedWord: Sendable, Equatable {
    package var x: Int
    package var y: Int
    package var width: Int
    package var height: Int
    /// Tesseract's confidence, 0…100.
    package var confidence: Double
    /// Letters and digits (ASCII) among its characters.
    package var alphanumerics: Int
    package var characters: Int
}

package enum OCRError: Error, Sendable, CustomStringConvertible {
    case unavailable(String)
    case invalidImage(String)
    case recognitionFailed

    package var description: String {
        switch self {
        case let .unavailable(detail): "text detection is unavailable: \(detail)"
        case let .invalidImage(detail): "text detection: invalid image (\(detail))"
        case .recognitionFailed: "text detection: Tesseract failed on the image"
        }
    }
}

/// Finds words in 8-bit grayscale images with Tesseract 5 (LSTM, sparse-text segmentation).
///
/// A Tesseract engine holds the loaded language model and is not thread-safe, so this keeps a pool:
/// each call takes an idle engine (or loads one, ~0.1 s) and gives it back, so concurrent callers
/// never share one and a batch loads at most one per concurrent call.
package final class TextRecognizer: Sendable {
    /// Owns one `ctess_engine` (destroyed with it).
    private final class Engine: @unchecked Sendable {
        let pointer: OpaquePointer
        init(pointer: OpaquePointer) { self.pointer = pointer }
        deinit { ctess_destroy(pointer) }
    }

    package let language: String
    package let dataPath: String?
    private let idle = Mutex<[Engine]>([])

    /// `dataPath`: the tessdata folder (nil: Tesseract's default, or `TESSDATA_PREFIX`).
    /// Loads one engine at once, so a missing language is reported here.
    package init(language: String = "eng", dataPath: String? = nil) throws(OCRError) {
        self.language = language
        self.dataPath = dataPath
        let engine = try makeEngine()
        idle.withLock { $0.append(engine) }
    }

    private func makeEngine() throws(OCRError) -> Engine {
        var message = [CChar](repeating: 0, count: 256)
        let pointer = message.withUnsafeMutableBufferPointer { buffer in
            ctess_create(dataPath, language, buffer.baseAddress, buffer.count)
        }
        guard let pointer else {
            throw .unavailable(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Engine(pointer: pointer)
    }

    /// The words in a `width`×`height` image of 8-bit samples, row by row.
    package func words(gray8 pixels: [UInt8], width: Int, height: Int) throws(OCRError) -> [RecognizedWord] {
        guard width > 0, height > 0, pixels.count == width * height, width <= Int(Int32.max) / 4, height <= Int(Int32.max) else {
            throw .invalidImage("\(pixels.count) samples for \(width)×\(height) pixels")
        }
        let engine: Engine
        if let waiting = idle.withLock({ $0.popLast() }) { engine = waiting } else { engine = try makeEngine() }
        defer { idle.withLock { $0.append(engine) } }
        var capacity = 256
        while true {
            var buffer = [ctess_word](repeating: ctess_word(), count: capacity)
            var found = 0
            let status = pixels.withUnsafeBufferPointer { image in
                buffer.withUnsafeMutableBufferPointer { words in
                    ctess_words(engine.pointer, image.baseAddress, Int32(width), Int32(height), Int32(width),
                                words.baseAddress, words.count, &found)
                }
            }
            guard status == 0 else { throw .recognitionFailed }
            if found > capacity {
                capacity = found
                continue
            }
            return buffer.prefix(found).map { word in
                RecognizedWord(x: Int(word.x), y: Int(word.y), width: Int(word.width), height: Int(word.height),
                               confidence: Double(word.confidence), alphanumerics: Int(word.alphanumerics),
                               characters: Int(word.characters))
            }
        }
    }
}
