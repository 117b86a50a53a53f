/// Numbers as people and capture apps write them: "51.2275", " 51,2275" (a German decimal comma), "-0.5".
/// A comma counts as the decimal mark only where no point is present, so "1,234.5" stays unread rather than
/// becoming 1.234. NaN and infinities are no numbers here.
public enum DecimalNumber {
    public static func parse(_ text: String) -> Double? {
        if let value = Double(text) { return value.isFinite ? value : nil } // the common case: plain decimal
        let trimmed = text.trimmed
        let normalized = trimmed.contains(".") ? trimmed : trimmed.replacingOccurrences(of: ",", with: ".")
        guard let value = Double(normalized), value.isFinite else { return nil }
        return value
    }
}
