import Foundation

/// One stored report row as the export reads it, straight from the database's memory: text as bytes that stay
/// valid until the next row, so no String is made for a value that is only copied out.
protocol ExportRow {
    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
    /// X and Y of the row's point geometry, or nil when it holds none.
    func point(_ column: Int32) -> (x: Double, y: Double)?
}

/// Writes reports as RFC 7946 GeoJSON, GeoJSON text sequences or CSV, one row at a time, so memory stays flat.
///
/// Every feature carries what map viewers show: `title`, `description`, simplestyle `marker-color` (one colour
/// per category, from the taxonomy), `marker-symbol` (Maki) and `marker-size` (by severity), plus category,
/// subcategory, status, district, square and `observed_at` in ISO 8601 with its offset; for uMap also `name` (the
/// title) and `_umap_options` with the colour.
///
/// Rows come in the layout `ReportExportLayout` describes: column 0 the id, 1 the point, 2 the square's id, then
/// from column 3 on one column per property of `properties`, some filled here (title, district, square, size).
/// In the public profile three more columns follow, never written: the reporter and the contact's names, which
/// `PublicText` redacts from the description and the address (cut to its street), with e-mail addresses and phone
/// numbers.
struct ReportFeatureWriter {
    private let sink: ByteSink
    private let options: ExportOptions
    private let areaNames: [[UInt8]?]
    private let properties: [String]
    private let keys: [[UInt8]]
    private let observedAt: Int
    private let accuracy: Int?
    private let times = LocalTimeFormatter()
    private(set) var count = 0
    private let dash = Array(" – ".utf8)
    private let large = Array("large".utf8), small = Array("small".utf8), medium = Array("medium".utf8)

    /// `areaNames` holds each area's name at the index of its id.
    init(options: ExportOptions, sink: ByteSink, areaNames: [[UInt8]?]) {
        self.sink = sink
        self.options = options
        self.areaNames = areaNames
        properties = ReportExportLayout.properties(options.profile)
        observedAt = properties.firstIndex(of: "observed_at")!
        accuracy = properties.firstIndex(of: "accuracy_m")
        // `"name":` for each property, the first without a leading comma: written as bytes, never rebuilt.
        keys = properties.enumerated().map { i, name in
            var bytes: [UInt8] = i == 0 ? [] : [UInt8(ascii: ",")]
            bytes.appendJSONString(name)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
    }

    func begin() throws {
        switch options.format {
        case .geojson: try sink.write("{\"type\":\"FeatureCollection\",\"features\":[\n")
        case .csv: try sink.write((["id", "lon", "lat"] + properties).map(CSVField.escape).joined(separator: ",") + "\r\n")
        case .geojsonseq: break
        }
    }

    func end() throws {
        if options.format == .geojson { try sink.write("\n]}\n") }
        try sink.flush()
    }

    private func areaName(_ row: some ExportRow, _ column: Int32) -> [UInt8]? {
        guard !row.isNull(column) else { return nil }
        let id = Int(row.int64(column))
        return id >= 0 && id < areaNames.count ? areaNames[id] : nil
    }

    mutating func write(_ row: some ExportRow) throws {
        guard let point = row.point(1) else { throw ExportError.noPoint(report: row.int64(0)) }
        let square = areaName(row, 2), district = areaName(row, 12)
        var description: [UInt8]?, address: [UInt8]?
        if options.profile == .public {
            let extra = Int32(3 + properties.count)
            func text(_ column: Int32) -> String? { row.text(column).map { String(decoding: $0, as: UTF8.self) } }
            let names = row.isNull(extra) && row.isNull(extra + 1) && row.isNull(extra + 2) ? []
                : PublicText.names(reporter: text(extra), firstName: text(extra + 1), lastName: text(extra + 2))
            if let bytes = row.text(4) { description = PublicText.redacted(bytes, names: names) }
            if let full = text(14) { address = Array(PublicText.redact(PublicText.street(full), names: names).utf8) }
        }
        let geojson = options.format != .csv, sequence = options.format == .geojsonseq
        let digits = options.precision, first = count == 0
        let properties = properties, keys = keys, dash = dash, accuracy = accuracy, observedAt = observedAt
        let large = large, small = small, medium = medium
        sink.withBuffer { b in
            if geojson {
                if sequence { b.append(0x1E) } else if !first { b.append(contentsOf: ",\n".utf8) }
                b.append(contentsOf: "{\"type\":\"Feature\",\"id\":".utf8)
                b.appendInteger(row.int64(0))
                b.append(contentsOf: ",\"geometry\":{\"type\":\"Point\",\"coordinates\":".utf8)
                b.appendPosition(lon: point.x, lat: point.y, digits: digits)
                b.append(contentsOf: "},\"properties\":{".utf8)
            } else {
                b.appendInteger(row.int64(0))
                b.append(UInt8(ascii: ","))
                b.appendFixed(point.x, digits: digits)
                b.append(UInt8(ascii: ","))
                b.appendFixed(point.y, digits: digits)
            }
            for i in properties.indices {
                let column = Int32(i + 3)
                if geojson { b.append(contentsOf: keys[i]) } else { b.append(UInt8(ascii: ",")) }
                if i == 0, geojson, let label = row.text(8) {
                    // The title: the subcategory's label, and the square where there is one.
                    b.append(UInt8(ascii: "\""))
                    b.appendJSONContent(bytes: label)
                    if let square {
                        dash.withUnsafeBufferPointer { b.append(contentsOf: $0) }
                        square.withUnsafeBufferPointer { b.appendJSONContent(bytes: $0) }
                    }
                    b.append(UInt8(ascii: "\""))
                } else if let composed = i == 0 ? Self.title(row.text(8), square, dash) : i == 1 ? description : i == 9 ? district
                    : i == 10 ? square : i == 11 ? address : i == 14 ? Self.markerSize(row.text(10)?.first, large, small, medium) : nil {
                    composed.withUnsafeBufferPointer { geojson ? b.appendJSONString(bytes: $0) : b.appendCSVField(bytes: $0) }
                } else if row.isNull(column) {
                    if geojson { b.append(contentsOf: "null".utf8) }
                } else if i == accuracy {
                    b.append(contentsOf: String(row.double(column)).utf8)
                } else if i == observedAt, let bytes = row.text(column) {
                    var local = times.local(fromUTC: bytes)
                    local.withUTF8 { geojson ? b.appendJSONString(bytes: $0) : b.append(contentsOf: $0) }
                } else if let bytes = row.text(column) {
                    if geojson { b.appendJSONString(bytes: bytes) } else { b.appendCSVField(bytes: bytes) }
                }
            }
            if geojson {
                // uMap labels a feature by `name` and colours it from `_umap_options` (it ignores simplestyle).
                b.append(contentsOf: ",\"name\":".utf8)
                Self.title(row.text(8), square, dash).withUnsafeBufferPointer { b.appendJSONString(bytes: $0) }
                if let color = row.text(Int32(3 + Self.markerColor)) {
                    b.append(contentsOf: ",\"_umap_options\":{\"color\":".utf8)
                    b.appendJSONString(bytes: color)
                    b.append(UInt8(ascii: "}"))
                }
            }
            b.append(contentsOf: geojson ? "}}".utf8 : "\r\n".utf8)
            if sequence { b.append(0x0A) }
        }
        count += 1
        try sink.flushIfFull()
    }

    /// The property index of `marker-color`, whose value `_umap_options` repeats.
    private static let markerColor = ReportExportLayout.publicColumns.firstIndex(of: "marker-color")!

    /// "Littering / Müll – Burgplatz": the subcategory's label, and the square where there is one.
    private static func title(_ label: UnsafeBufferPointer<UInt8>?, _ square: [UInt8]?, _ dash: [UInt8]) -> [UInt8] {
        var bytes = label.map { Array($0) } ?? []
        if let square { bytes += dash; bytes += square }
        return bytes
    }

    /// simplestyle marker-size by severity: high and urgent large, low small, else medium.
    private static func markerSize(_ severityInitial: UInt8?, _ large: [UInt8], _ small: [UInt8], _ medium: [UInt8]) -> [UInt8] {
        switch severityInitial {
        case UInt8(ascii: "h"), UInt8(ascii: "u"): return large
        case UInt8(ascii: "l"): return small
        default: return medium
        }
    }
}

/// The properties of an exported report, in column order, by profile.
enum ReportExportLayout {
    static let publicColumns = ["title", "description", "category", "subcategory", "category_label", "subcategory_label",
                                "status", "severity", "observed_at", "district", "square", "address",
                                "marker-color", "marker-symbol", "marker-size"]
    /// Personal or internal data: only in the internal profile.
    static let internalColumns = ["reporter", "source", "external_id", "accuracy_m", "media_url", "status_note"]

    static func properties(_ profile: ExportProfile) -> [String] {
        profile == .internal ? publicColumns + internalColumns : publicColumns
    }
}

/// An export that cannot be written as asked.
public enum ExportError: CityMapError {
    case badPrecision(Int)
    case noPoint(report: Int64)

    public var kind: ErrorKind {
        if case .badPrecision = self { return .invalid }
        return .failed
    }

    public var parameter: String? {
        if case .badPrecision = self { return "precision" }
        return nil
    }

    public var value: String? {
        if case .badPrecision(let digits) = self { return String(digits) }
        return nil
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .badPrecision(let digits):
            return "\(naming("precision")) \(digits) is outside 1…7 (RFC 7946 advises no more than 7 decimals; 6 is about 10 cm)"
        case .noPoint(let id):
            return "report #\(id) has no point geometry; the database needs repair (nothing was exported)"
        }
    }
}
