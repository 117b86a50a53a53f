import Foundation

/// Appending JSON and number text to byte buffers, for writers that stream millions of values.
extension ByteAppending {
    /// A JSON string literal, escaped per RFC 8259; text with nothing to escape is copied in one go.
    public mutating func appendJSONString(_ text: String) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0) }
    }

    public mutating func appendJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        appendJSONContent(bytes: bytes)
        append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string literal, without the quotes.
    public mutating func appendJSONContent(bytes: UnsafeBufferPointer<UInt8>) {
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            append(contentsOf: bytes)
        } else {
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(UInt8(ascii: "\\")); append(byte)
                case 0x0A: append(UInt8(ascii: "\\")); append(UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "\\")); append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "\\")); append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    append(UInt8(ascii: "\\")); append(UInt8(ascii: "u")); append(UInt8(ascii: "0")); append(UInt8(ascii: "0"))
                    append(hex[Int(byte >> 4)])
                    append(hex[Int(byte & 0xF)])
                default: append(byte)
                }
            }
        }
    }

    /// A decimal with at most `digits` places, trailing zeros dropped (6.7711, not 6.771100).
    public mutating func appendFixed(_ value: Double, digits: Int) {
        let scale = decimalPowers[digits]
        let scaled = (Swift.abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { // beyond exact integers: let Swift print it
            appendUTF8(String(value))
            return
        }
        let total = UInt64(scaled), unit = UInt64(scale)
        if value < 0 && total != 0 { append(UInt8(ascii: "-")) }
        appendInteger(total / unit)
        var fraction = total % unit
        var places = digits
        while places > 0 && fraction % 10 == 0 { fraction /= 10; places -= 1 }
        guard places > 0 else { return }
        append(UInt8(ascii: "."))
        appendDigits(fraction, width: places)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits at least.
    private mutating func appendDigits(_ value: UInt64, width: Int) {
        // 20 digits hold any UInt64; written from the right into a buffer on the stack, appended in one go.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = value, i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            while 20 - i < width { i -= 1; digits[i] = UInt8(ascii: "0") }
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    public mutating func appendInteger(_ value: UInt64) {
        appendDigits(value, width: 1)
    }

    public mutating func appendInteger(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendInteger(value.magnitude)
    }

    /// A String's UTF-8 bytes as they are.
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}

private let decimalPowers: [Double] = (0...9).map { pow(10, Double($0)) }
