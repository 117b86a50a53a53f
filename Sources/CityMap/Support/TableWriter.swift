import Foundation

/// A value in printed output, typed so that JSON keeps numbers as numbers.
public enum Cell: Sendable {
    case text(String?)
    case number(Double?)
    case integer(Int64?)

    public var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .number(let d): return d.map { String($0) } ?? ""
        case .integer(let i): return i.map { String($0) } ?? ""
        }
    }

    public var json: Any {
        switch self {
        case .text(let s): return s ?? NSNull()
        case .number(let d): return d ?? NSNull()
        case .integer(let i): return i ?? NSNull()
        }
    }
}

/// Rows as an aligned text table, CSV (RFC 4180) or JSON (an array of objects).
public struct TableWriter: Sendable {
    public let columns: [String]
    public var rows: [[Cell]] = []

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Widths count characters (grapheme clusters), so umlauts align.
    public func table() -> String {
        let texts = rows.map { $0.map { Self.oneLine($0.plain) } }
        let widths = self.widths
        var out = [Self.line(columns, widths: widths), Self.line(widths.map { String(repeating: "-", count: $0) }, widths: widths)]
        out += texts.map { Self.line($0, widths: widths) }
        return out.joined(separator: "\n") + "\n"
    }

    /// Each column's width in characters over the header and the rows.
    var widths: [Int] {
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], Self.oneLine(cell.plain).count) } }
        return widths
    }

    /// One aligned line of a table (trailing spaces trimmed); a cell wider than its column pushes the rest right.
    static func line(_ cells: [String], widths: [Int]) -> String {
        var line = zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: "  ")
        // Trimmed by hand: a regular expression per line was 4 % of a whole `citymap list` (perf).
        while let last = line.last, last.isWhitespace { line.removeLast() }
        return line
    }

    /// A Markdown table (pipes escaped, lines joined), for minutes.
    public func markdown() -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: " | ") + " |"
        }
        var out = row(columns.map { $0.isEmpty ? " " : $0 }) + "\n"
        out += "|" + columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        return out + rows.map { row($0.map(\.plain)) }.joined(separator: "\n") + "\n"
    }

    public func csv() -> String {
        ([columns] + rows.map { $0.map(\.plain) }).map { $0.map(CSVField.escape).joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    public func json() -> String {
        let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns, row.map(\.json))) }
        return Self.jsonText(objects)
    }

    public static func jsonText(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "[]\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Text as a terminal line shows it: line breaks become spaces, so that one value stays on one table line, and
    /// every other control character is written as an escape (`\u{1B}`), so that text from a file or a citizen
    /// cannot clear the screen, set the window title or turn the line around (right-to-left override).
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || isControl($0) }) else { return text }
        var out = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar.value {
            case 0x0A: if previous != "\r" { out += " " }
            case 0x0D: out += " "
            case 0x09: out += "\\t"
            case _ where scalar.value < 0x20 || isControl(scalar):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// DEL, the C1 controls, and the invisible marks that reorder text (bidirectional embeddings, overrides,
    /// isolates and marks).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return true
        default: return false
        }
    }
}

/// The JSON every adapter writes for an `Encodable` value: pretty, keys sorted, slashes as they are, and a final
/// line break. One encoder, so that the CLI and the server give identical bytes for the same value.
public enum JSONText {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}
