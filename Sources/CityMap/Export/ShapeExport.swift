import Foundation

/// Areas (outlines), walks (tracks) and vacancy units (points) as GeoJSON, GeoJSON text sequences or CSV (geometry as WKT), styled with
/// simplestyle `stroke`, `stroke-width` and `fill` for viewers.
enum ShapeExport {
    enum Geometry {
        case multiPolygon(MultiPolygon)
        case multiLineString([[Coordinate]])
        case point(Coordinate)

        var wkt: String {
            switch self {
            case .point(let c): return "POINT(\(c.lon) \(c.lat))"
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
                    case .object(let pairs): var b: [UInt8] = []; b.appendJSONObject(pairs); return String(decoding: b, as: UTF8.self)
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
            // uMap labels by `name` and styles from `_umap_options`, not from simplestyle: both are added.
            var properties = item.properties
            func text(_ key: String) -> String? {
                guard let value = properties.first(where: { $0.0 == key })?.1, case .text(let text) = value else { return nil }
                return text
            }
            if let name = text("title") { properties.append(("name", .text(name))) }
            if let color = text("stroke") ?? text("marker-color") {
                var style = [("color", color)]
                if let fill = text("fill") { style.append(("fillColor", fill)) }
                if text("planned") == "yes" { style.append(("dashArray", "8,6")) }
                properties.append(("_umap_options", .object(style)))
            }
            try out.feature(id: item.id, geometry: { b, digits in
                switch item.geometry {
                case .multiPolygon(let shape): b.appendMultiPolygonGeometry(shape, digits: digits)
                case .multiLineString(let lines): b.appendMultiLineStringGeometry(lines, digits: digits)
                case .point(let c): b.appendPointGeometry(c, digits: digits)
                }
            }, properties: properties)
        }
        try out.end()
        return out.count
    }
}
