/// What free text may show in public outputs (DSGVO): e-mail addresses, phone numbers and the names of the people
/// a report names (its reporter, the citizen's contact) are replaced by "[redacted]". An address is cut to its
/// street, so that no house number points at a home.
///
/// The scan runs once over the text's bytes without regular expressions: it runs on every public output.
public enum PublicText {
    public static let mark = "[redacted]"

    /// The names to redact from what a report's reporter and contact fields hold: each comma-separated part
    /// ("Erika Mustermann, erika@…") and the contact's first and last name on their own.
    public static func names(reporter: String?, firstName: String? = nil, lastName: String? = nil) -> [String] {
        var names = (reporter ?? "").split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmed }
        names += [firstName, lastName].compactMap { $0?.trimmed }
        if let firstName, let lastName { names.append("\(firstName.trimmed) \(lastName.trimmed)") }
        // Longest first, so that "Erika Mustermann" goes whole before "Erika" would split it.
        return Array(Set(names.filter { $0.count >= 3 })).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `text` with e-mail addresses, phone numbers and each of `names` (3 characters or more, any case) redacted.
    public static func redact(_ text: String, names: [String] = []) -> String {
        var bytes = Array(text.utf8)
        var changed = redactEmails(&bytes)
        changed = redactPhones(&bytes) || changed
        var result = changed ? String(decoding: bytes, as: UTF8.self) : text
        for name in names.map({ $0.trimmed }) where name.count >= 3 {
            if result.range(of: name, options: .caseInsensitive) != nil {
                result = result.replacingOccurrences(of: name, with: mark, options: .caseInsensitive)
            }
        }
        return result
    }

    /// The redacted text as bytes, or nil when nothing needs redacting (`redacted(_:prepared:)` with the names
    /// prepared for this text alone).
    public static func redacted(_ bytes: UnsafeBufferPointer<UInt8>, names: [String]) -> [UInt8]? {
        redacted(bytes, prepared: PreparedNames(names))
    }

    /// Names ready for the quick test of `redacted(_:prepared:)`: each with its anchor, a stretch of plain ASCII
    /// that any case-insensitive match of the name must contain (lower-cased), or nil when the name has none long
    /// enough to trust (then every text goes the full way).
    public struct PreparedNames: Sendable {
        public let names: [String]
        let anchors: [[UInt8]?]

        public init(_ names: [String]) {
            self.names = names
            anchors = names.map(PublicText.anchor)
        }
    }

    /// The redacted text as bytes, or nil when nothing needs redacting; the same answer as `redact`, found quickly
    /// for the many rows of an export that hold no address, no phone number and none of the names.
    public static func redacted(_ bytes: UnsafeBufferPointer<UInt8>, prepared: PreparedNames) -> [UInt8]? {
        var mayHoldContact = false, digits = 0, plain = true
        for b in bytes {
            if b == UInt8(ascii: "@") { mayHoldContact = true; break }
            if b >= 0x30 && b <= 0x39 { digits += 1 }
            if b >= 0x80 { plain = false }
        }
        if !mayHoldContact && digits < 7 {
            guard !prepared.names.isEmpty else { return nil }
            if prepared.anchors.allSatisfy({ $0 != nil }) {
                let folded = plain ? bytes.map(asciiLower) : skeleton(bytes)
                if !prepared.anchors.contains(where: { contains(folded, $0!) }) { return nil }
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let result = redact(text, names: prepared.names)
        return result == text ? nil : Array(result.utf8)
    }

    /// The longest run of ASCII in `name`, lower-cased; a run followed by a non-ASCII character loses its last
    /// character, which may be the base of a decomposed letter ("Jose" + U+0301 matches "José"). Nil below three
    /// characters.
    static func anchor(_ name: String) -> [UInt8]? {
        let bytes = Array(name.utf8)
        var best: ArraySlice<UInt8> = [], start = 0
        while start < bytes.count {
            guard bytes[start] < 0x80 else { start += 1; continue }
            var end = start
            while end < bytes.count && bytes[end] < 0x80 { end += 1 }
            let run = bytes[start..<(end < bytes.count ? end - 1 : end)]
            if run.count > best.count { best = run }
            start = end
        }
        return best.count >= 3 ? best.map(asciiLower) : nil
    }

    private static func asciiLower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The text as a case-insensitive match sees its ASCII: ASCII lower-cased; the characters whose case folding
    /// yields ASCII written as that ASCII (ß and ẞ "ss", ſ "s", the Kelvin sign "k", İ "i", the ligatures ﬀ…ﬆ,
    /// ŉ, ǰ and ẖ…ẚ their letters, and the two characters canonically equal to ASCII, U+037E and U+1FEF);
    /// every other character a gap (0xFF) that no anchor holds. A name Foundation
    /// finds in the text (`.caseInsensitive`, canonical equivalence) has its anchor in this skeleton.
    static func skeleton(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var i = 0
        let n = bytes.count
        func at(_ k: Int) -> UInt8 { k < n ? bytes[k] : 0 }
        while i < n {
            let b = bytes[i]
            if b < 0x80 { out.append(asciiLower(b)); i += 1; continue }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            let b1 = at(i + 1), b2 = at(i + 2)
            var folded: String? = nil
            switch (b, b1) {
            case (0xC3, 0x9F): folded = "ss"            // ß
            case (0xC5, 0xBF): folded = "s"             // ſ
            case (0xC4, 0xB0): folded = "i"             // İ
            case (0xC5, 0x89): folded = "\u{FF}n"       // ŉ → ʼn
            case (0xC7, 0xB0): folded = "j"             // ǰ
            case (0xCD, 0xBE): folded = ";"             // Greek question mark, canonically ";"
            case (0xE1, 0xBF) where b2 == 0xAF: folded = "`" // Greek varia, canonically "`"
            case (0xE1, 0xBA):
                switch b2 {
                case 0x9E: folded = "ss"                // ẞ
                case 0x96: folded = "h"
                case 0x97: folded = "t"
                case 0x98: folded = "w"
                case 0x99: folded = "y"
                case 0x9A: folded = "a"
                default: break
                }
            case (0xE2, 0x84) where b2 == 0xAA: folded = "k" // Kelvin sign
            case (0xEF, 0xAC):
                let ligatures = ["ff", "fi", "fl", "ffi", "ffl", "st", "st"]
                if b2 >= 0x80 && b2 <= 0x86 { folded = ligatures[Int(b2 - 0x80)] }
            default: break
            }
            if let folded {
                for u in folded.unicodeScalars { out.append(u.value < 0x80 ? UInt8(u.value) : 0xFF) }
            } else {
                out.append(0xFF)
            }
            i += length
        }
        return out
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// "Burgplatz 1, 40213 Düsseldorf" → "Burgplatz": the first part, without a trailing house number
    /// ("12", "12a", "12-14", "12 b").
    public static func street(_ address: String) -> String {
        var words = (address.split(separator: ",", maxSplits: 1).first ?? "").split(separator: " ").map(String.init)
        while words.count > 1, let last = words.last {
            let isNumber = last.first?.isNumber == true || last == "-" || last == "–"
            let isSuffix = last.count == 1 && last.first?.isLetter == true && words[words.count - 2].first?.isNumber == true
            guard isNumber || isSuffix else { break }
            words.removeLast()
        }
        return words.joined(separator: " ")
    }

    private static func isLocal(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
    }

    private static func isDomain(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D || b >= 0x80
    }

    /// local@domain.tld → [redacted]
    private static func redactEmails(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "@") else { i += 1; continue }
            var start = i
            while start > 0 && isLocal(bytes[start - 1]) { start -= 1 }
            var end = i + 1
            while end < bytes.count && isDomain(bytes[end]) { end += 1 }
            while end > i + 1 && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 } // a sentence's full stop
            let domain = bytes[(i + 1)..<end]
            if start < i, domain.contains(UInt8(ascii: ".")), domain.first != UInt8(ascii: ".") {
                bytes.replaceSubrange(start..<end, with: Array(mark.utf8))
                i = start + mark.utf8.count
                changed = true
            } else {
                i += 1
            }
        }
        return changed
    }

    /// A run of digits, spaces, `+ / - ( )` with at least 7 digits, such as "+49 211 1234567", "0211/89-12345"
    /// or "(0211) 123 456 7". ISO dates (2026-11-27) are left alone.
    private static func redactPhones(_ bytes: inout [UInt8]) -> Bool {
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func isPart(_ b: UInt8) -> Bool { isDigit(b) || b == 0x20 || b == 0x2B || b == 0x2F || b == 0x2D || b == 0x28 || b == 0x29 }
        var changed = false
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "(") else { i += 1; continue }
            // A number glued to letters or a decimal point is part of a word or a value, not a phone number.
            if i > 0 && (isDomain(bytes[i - 1]) && !isPart(bytes[i - 1])) { i += 1; continue }
            var end = i, digits = 0
            while end < bytes.count && isPart(bytes[end]) {
                if isDigit(bytes[end]) { digits += 1 }
                end += 1
            }
            while end > i && !isDigit(bytes[end - 1]) && bytes[end - 1] != UInt8(ascii: ")") { end -= 1 }
            let run = bytes[i..<end]
            let isDate = run.count == 10 && run[run.startIndex + 4] == 0x2D && run[run.startIndex + 7] == 0x2D
            let glued = end < bytes.count && (bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: ":"))
                && end + 1 < bytes.count && isDigit(bytes[end + 1])
            if digits >= 7 && !isDate && !glued {
                bytes.replaceSubrange(i..<end, with: Array(mark.utf8))
                i += mark.utf8.count
                changed = true
            } else {
                i = max(end, i + 1)
            }
        }
        return changed
    }
}

/// The free-text fields of a report that staff may redact by hand (`citymap redact`).
public enum RedactableField: String, CaseIterable, Sendable {
    case description, address
}

