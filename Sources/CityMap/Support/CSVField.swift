/// RFC 4180 quoting of CSV fields, for every CSV the core writes.
public enum CSVField {
    public static func escape(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

extension Array where Element == UInt8 {
    /// One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break.
    public mutating func appendCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            append(contentsOf: bytes)
            return
        }
        append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { append(byte) }
            append(byte)
        }
        append(UInt8(ascii: "\""))
    }
}
