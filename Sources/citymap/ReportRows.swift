import CityMap
import Foundation

/// How reports appear in `list` and `show`: the table is short, JSON and CSV carry every field.
enum ReportRows {
    static func writer(_ reports: [Report], format: OutputFormat) -> TableWriter {
        if format == .table {
            var writer = TableWriter(columns: ["id", "observed", "category", "status", "severity", "district", "square", "note"])
            writer.rows = reports.map { r in
                [.integer(r.id), .text(Timestamp.short(r.observedAt)), .text(r.category.description), .text(r.status.rawValue),
                 .text(r.severity.rawValue), .text(r.district?.name ?? "–"), .text(r.square?.name ?? "–"),
                 .text(abbreviated(r.description, to: 40))]
            }
            return writer
        }
        var writer = TableWriter(columns: fullColumns)
        writer.rows = reports.map(fullRow)
        return writer
    }

    static let fullColumns = ["id", "lat", "lon", "x_25832", "y_25832", "category", "subcategory", "status", "severity",
                              "description", "observed_at", "district", "square", "reporter", "source", "external_id",
                              "accuracy_m", "duplicate_of", "created_at", "updated_at"]

    static func fullRow(_ r: Report) -> [Cell] {
        [.integer(r.id), .number(r.position.lat), .number(r.position.lon), .number(rounded(r.projected.x)),
         .number(rounded(r.projected.y)), .text(r.category.category), .text(r.category.subcategory),
         .text(r.status.rawValue), .text(r.severity.rawValue), .text(r.description), .text(Timestamp.local(r.observedAt)),
         .text(r.district?.name), .text(r.square?.name), .text(r.reporter), .text(r.source), .text(r.externalID),
         .number(r.accuracy?.value), .integer(r.duplicateOf), .text(Timestamp.local(r.createdAt)),
         .text(Timestamp.local(r.updatedAt))]
    }

    /// Centimetres are the precision of the projection; more digits are noise.
    static func rounded(_ metres: Double) -> Double { (metres * 100).rounded() / 100 }


    static func abbreviated(_ text: String, to length: Int) -> String {
        // Cut before escaping, so that an escape is never cut in half.
        TableWriter.oneLine(text.count <= length ? text : String(text.prefix(length - 1)) + "…")
    }

    /// "in Innenstadt West, on Burgplatz" / "outside every district".
    static func placement(_ r: Report) -> String {
        var text = r.district.map { "in \($0.name)" } ?? "outside every district"
        if let square = r.square { text += ", on \(square.name)" }
        return TableWriter.oneLine(text)
    }
}
