import Foundation

/// Areas (outlines) and walks (tracks) as GeoJSON, GeoJSON text sequences or CSV (geometry as WKT), styled with
/// simplestyle `stroke`, `stroke-width` and `fill` for viewers.
enum ShapeExport {
    enum Geometry {
        case multiPolygon(MultiPolygon)
        case multiLineString([[Coordinate]])

        var wkt: String {
            switch self {
            case .multiPolygon(let shape): return shape.wkt
            case .multiLineString(let lines):
                return "MULTILINESTRING(" + lines.map { "(" + $0.map { "\($0.lon) \($0.lat)" }.joined(separator: ", ") + ")" }.joined(separator: ", ") + ")"
            }
        }
    }

    struct Item {
        let id: Int64
        let geometry: Geometry
        let properties: [(String, PropertyValue)]
    }

    static func write(_ options: ExportOptions, to sink: ByteSink, _ items: [Item]) throws -> Int {
        if options.format == .csv {
            for (k, item) in items.enumerated() {
                if k == 0 { try sink.write((["wkt"] + item.properties.map(\.0)).map(CSVField.escape).joined(separator: ",") + "\r\n") }
                let values = item.properties.map { _, value -> String in
                    switch value {
                    case .text(let t): return t ?? ""
                    case .number(let n): return n
                    case .integer(let i): return String(i)
                    }
                }
                try sink.write(([item.geometry.wkt] + values).map(CSVField.escape).joined(separator: ",") + "\r\n")
            }
            try sink.flush()
            return items.count
        }
        var out = GeoJSONWriter(sink: sink, sequence: options.format == .geojsonseq, digits: options.precision)
        try out.begin()
        for item in items {
            try out.feature(id: item.id, geometry: { b, digits in
                switch item.geometry {
                case .multiPolygon(let shape): b.appendMultiPolygonGeometry(shape, digits: digits)
                case .multiLineString(let lines): b.appendMultiLineStringGeometry(lines, digits: digits)
                }
            }, properties: item.properties)
        }
        try out.end()
        return out.count
    }
}
