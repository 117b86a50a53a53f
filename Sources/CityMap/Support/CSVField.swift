/// One CSV field as every CSV the core writes it: RFC 4180 quoting, and OWASP's rule against formula injection.
///
/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run by spreadsheets as a formula
/// (`=HYPERLINK(…)`, `@SUM(…)`); such a cell gets a leading `'`, which spreadsheets read as "this is text". Plain
/// numbers (`-3`, `-6.5e-3`) are left alone: a spreadsheet reads them as numbers, never as formulas.
public enum CSVField {
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { bytes.appendCSVField(bytes: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a spreadsheet would run the cell as a formula.
    static func runsAsFormula(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(bytes)
        default: return false
        }
    }

    /// `[+-]digits[.digits][e[+-]digits]`, nothing else.
    private static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 1
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        guard digits() > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }
}

extension ByteAppending {
    /// One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break; a cell a spreadsheet would
    /// run as a formula starts with `'` (see `CSVField`).
    public mutating func appendCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        let formula = CSVField.runsAsFormula(bytes)
        guard formula || bytes.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            append(contentsOf: bytes)
            return
        }
        append(UInt8(ascii: "\""))
        if formula { append(UInt8(ascii: "'")) }
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { append(byte) }
            append(byte)
        }
        append(UInt8(ascii: "\""))
    }
}
