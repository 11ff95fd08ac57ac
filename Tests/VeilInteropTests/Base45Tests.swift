import Testing
import VeilQR

@Suite struct Base45Tests {
    @Test("RFC 9285 examples", arguments: [
        ("AB", "BB8"), ("Hello!!", "%69 VD92EX0"), ("base-45", "UJCLQE7W581"), ("ietf!", "QED8WEX0"), ("", ""),
    ])
    func rfcExamples(plain: String, encoded: String) throws {
        #expect(Base45.encode(Array(plain.utf8)) == encoded)
        #expect(try Base45.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: [0, 1, 2, 3, 255, 256])
    func roundTrip(length: Int) throws {
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255) }
        let text = Base45.encode(bytes)
        #expect(text.count == length / 2 * 3 + length % 2 * 2)
        #expect(try Base45.decode(text) == bytes)
    }

    @Test func extremesRoundTrip() throws {
        for bytes: [UInt8] in [[0xFF, 0xFF], [0xFF], [0, 0], [0]] {
            #expect(try Base45.decode(Base45.encode(bytes)) == bytes)
        }
    }

    @Test func invalidInputIsRejected() {
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 0)) { try Base45.decode("GGW") }
        #expect(throws: Base45.DecodingError.invalidLength(4)) { try Base45.decode("BB8B") }
        #expect(throws: Base45.DecodingError.invalidCharacter("a", offset: 1)) { try Base45.decode("BaB") }
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 3)) { try Base45.decode("BB8::") }
    }
}
