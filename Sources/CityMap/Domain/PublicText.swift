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

    /// The redacted text as bytes, or nil when nothing needs redacting: the fast path of exports, which look at
    /// every row and find something in few.
    public static func redacted(_ bytes: UnsafeBufferPointer<UInt8>, names: [String]) -> [UInt8]? {
        if names.isEmpty {
            var digits = 0, at = false
            for b in bytes {
                if b == UInt8(ascii: "@") { at = true; break }
                if b >= 0x30 && b <= 0x39 { digits += 1 }
            }
            if !at && digits < 7 { return nil }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let result = redact(text, names: names)
        return result == text ? nil : Array(result.utf8)
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

