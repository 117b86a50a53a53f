import CityMap
import Foundation

/// A value in printed output, typed so that JSON keeps numbers as numbers.
enum Cell {
    case text(String?)
    case number(Double?)
    case integer(Int64?)

    var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .number(let d): return d.map { String($0) } ?? ""
        case .integer(let i): return i.map { String($0) } ?? ""
        }
    }

    var json: Any {
        switch self {
        case .text(let s): return s ?? NSNull()
        case .number(let d): return d ?? NSNull()
        case .integer(let i): return i ?? NSNull()
        }
    }
}

/// Prints rows as an aligned table, CSV (RFC 4180) or JSON (an array of objects).
struct TableWriter {
    let columns: [String]
    var rows: [[Cell]] = []

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json()
        }
    }

    /// Widths count characters (grapheme clusters), so umlauts align.
    func table() -> String {
        let texts = rows.map { $0.map { Self.oneLine($0.plain) } }
        var widths = columns.map(\.count)
        for row in texts { for (i, text) in row.enumerated() { widths[i] = max(widths[i], text.count) } }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += texts.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    func csv() -> String {
        ([columns] + rows.map { $0.map(\.plain) }).map { $0.map(CSVField.escape).joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    func json() -> String {
        let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns, row.map(\.json))) }
        return Self.jsonText(objects)
    }

    static func jsonText(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "[]\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}

/// Prints to stdout without a newline of its own (through `print`, so it keeps its order with other output).
func emit(_ text: String) {
    print(text, terminator: "")
}
