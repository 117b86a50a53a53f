extension String {
    /// Without leading and trailing spaces, tabs and line breaks. Returns the text itself, without copying,
    /// when there is nothing to trim (the common case on import paths).
    var trimmed: String {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if !isSpace(first) && !isSpace(last) { return self }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }),
              let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}

extension Substring {
    var trimmed: String { String(self).trimmed }
}
