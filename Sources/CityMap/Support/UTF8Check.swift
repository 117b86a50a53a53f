/// Where text stops being text: the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
/// no surrogates, nothing above U+10FFFF), or a NUL. Readers refuse such input by its line, instead of storing
/// replacement characters or NULs silently. One pass, no allocation.
enum UTF8Check {
    enum Flaw: Equatable {
        case invalid(at: Int)
        case nul(at: Int)
        /// A character cut at the end of the bytes given: complete it with what follows.
        case incomplete(from: Int)
    }

    static func firstFlaw(_ bytes: UnsafeBufferPointer<UInt8>) -> Flaw? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return .nul(at: i) }
                i += 1
                continue
            }
            let length: Int, low: UInt8, high: UInt8
            switch b {
            case 0xC2...0xDF: length = 2; low = 0x80; high = 0xBF
            case 0xE0: length = 3; low = 0xA0; high = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; low = 0x80; high = 0xBF
            case 0xED: length = 3; low = 0x80; high = 0x9F
            case 0xF0: length = 4; low = 0x90; high = 0xBF
            case 0xF1...0xF3: length = 4; low = 0x80; high = 0xBF
            case 0xF4: length = 4; low = 0x80; high = 0x8F
            default: return .invalid(at: i)
            }
            for k in 1..<length {
                guard i + k < n else { return .incomplete(from: i) }
                let c = bytes[i + k]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
                guard c >= lo && c <= hi else { return .invalid(at: i) }
            }
            i += length
        }
        return nil
    }

    /// Line (1-based) of a byte offset, counting line feeds before it, from a line number already reached.
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, startingAt line: Int = 1) -> Int {
        var count = line
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { count += 1 }
        return count
    }
}
