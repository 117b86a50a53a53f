import Foundation

/// The file formats `citymap import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    case csv
    case geojson
    case geojsonseq
    case gpx
    case open311JSON = "open311-json"
    case open311XML = "open311-xml"
    /// GeoPackage point layers (QField, QGIS).
    case gpkg

    /// From the extension, then from the first bytes where the extension does not settle it.
    public static func detect(_ url: URL) throws(ImportError) -> ImportFormat {
        switch url.pathExtension.lowercased() {
        case "csv", "tsv": return .csv
        case "geojson": return .geojson
        case "geojsonl", "geojsons", "geojsonseq", "jsonseq": return .geojsonseq
        case "gpx": return .gpx
        case "gpkg": return .gpkg
        default: break
        }
        var head = Data()
        if let handle = try? FileHandle(forReadingFrom: url) {
            head = (try? handle.read(upToCount: 4096)) ?? Data()
            try? handle.close()
        }
        // A GeoPackage is an SQLite file whose application id is 'GPKG' (bytes 68–71 of the header).
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            if head.count >= 72, Array(head[68..<72]) == Array("GPKG".utf8) || Array(head[68..<72]) == Array("GP11".utf8) || Array(head[68..<72]) == Array("GP10".utf8) {
                return .gpkg
            }
            throw ImportError(file: url.path, message: "is an SQLite database but not a GeoPackage; export the layer from QGIS as GeoPackage, CSV or GeoJSON")
        }
        try TextInput.check(head, file: url.path, expecting: "reports (CSV, GeoJSON, GPX, GeoPackage or Open311)")
        let text = String(decoding: head, as: UTF8.self)
        let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        switch start.first {
        case "\u{1E}": return .geojsonseq
        case "[": return .open311JSON
        case "{":
            if text.contains("\"service_requests\"") { return .open311JSON }
            if text.range(of: "\"type\"\\s*:\\s*\"Feature\"", options: .regularExpression) != nil,
               text.range(of: "\"FeatureCollection\"") == nil { return .geojsonseq }
            return .geojson
        case "<":
            if text.contains("<gpx") { return .gpx }
            if text.contains("<service_requests") { return .open311XML }
            throw ImportError(file: url.path, message: "is XML but neither GPX nor Open311 <service_requests>; name the format with --format")
        default:
            return .csv
        }
    }

    /// The source name used when `--source` is not given.
    var defaultSource: String {
        switch self {
        case .open311JSON, .open311XML: return "open311"
        case .gpx: return "gpx"
        case .csv: return "csv"
        case .gpkg: return "gpkg"
        case .geojson, .geojsonseq: return "geojson"
        }
    }
}
