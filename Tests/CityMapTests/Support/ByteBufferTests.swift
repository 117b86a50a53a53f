import Foundation
import Testing
@testable import CityMap

/// `ByteBuffer` manages its memory by hand: whatever is appended, however it grows, its bytes are those an array
/// gets from the same appends, and the JSON and number writers write the same through either.
@Suite("Byte buffers written through a pointer")
struct ByteBufferTests {
    @Test func growingFromTheSmallestSizeKeepsEveryByte() {
        let buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        var generator = SplitMix(seed: 5)
        buffer.write { out in
            for round in 0..<5_000 {
                let piece = (0..<Int(generator.next() % 300)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
                piece.withUnsafeBufferPointer { out.append(contentsOf: $0) }
                expected += piece
                out.append(UInt8(round & 0xFF))
                expected.append(UInt8(round & 0xFF))
                out.append("é,\"")
                expected += Array("é,\"".utf8)
            }
        }
        #expect(buffer.count == expected.count)
        #expect(Array(buffer.bytes) == expected)

        buffer.reset(reserving: 10)
        #expect(buffer.count == 0)
        buffer.write { out in out.append("again") }
        #expect(Array(buffer.bytes) == Array("again".utf8))
        buffer.reset(reserving: expected.count * 3)
        buffer.write { out in expected.withUnsafeBufferPointer { out.append(contentsOf: $0) } }
        #expect(Array(buffer.bytes) == expected)
    }

    /// Strings to escape, CSV fields, numbers, positions and local times: everything the report export writes.
    static func writeAll(into out: inout some ByteAppending) {
        for text in ["Müll \"am\" Rhein\n\t\\", "", "=SUM(A1)", "a,b", "\u{1}"] {
            Array(text.utf8).withUnsafeBufferPointer { b in
                out.appendJSONString(bytes: b)
                out.appendCSVField(bytes: b)
            }
        }
        for value in [0, -1, 6.7711, 51.22750049, -0.0000004, 1e300] {
            out.appendFixed(value, digits: 6)
            out.appendPosition(lon: value, lat: -value, digits: 7)
        }
        for value: Int64 in [0, 7, -42, .max, .min] { out.appendInteger(value) }
        for stored in ["2026-11-27T22:59:59Z", "2026-07-01T21:30:00Z", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "bad"] {
            _ = Array(stored.utf8).withUnsafeBufferPointer { Timestamp.appendLocal(stored: $0, to: &out) }
        }
    }

    @Test func writersWriteTheSameAsIntoAnArray() {
        var array: [UInt8] = []
        Self.writeAll(into: &array)
        let buffer = ByteBuffer(capacity: 8)
        buffer.write { out in Self.writeAll(into: &out) }
        #expect(array.count > 300)
        #expect(buffer.count == array.count)
        #expect(Array(buffer.bytes) == array)
    }
}
