import Foundation

/// A property value of a GeoJSON feature.
enum PropertyValue {
    case text(String?)
    /// A number already formatted as JSON (`0.35`, `12`).
    case number(String)
    case integer(Int64)
    /// A flat object of texts (uMap's `_umap_options`).
    case object([(String, String)])

    static func double(_ value: Double, digits: Int) -> PropertyValue { .number(String(format: "%.\(digits)f", value)) }
}

/// Writes RFC 7946 GeoJSON to a `ByteSink`: a FeatureCollection (or an RFC 8142 text sequence of features), each
/// feature with its geometry and properties. Every export of the core writes its GeoJSON through this type, and
/// `appendPosition` is the one place where a position becomes `[lon, lat]`.
struct GeoJSONWriter {
    let sink: ByteSink
    /// RFC 8142: each feature led by the record separator and ended by a line break, no collection around them.
    let sequence: Bool
    /// Decimal places of coordinates (RFC 7946 advises at most 7; 6 is about 10 cm).
    let digits: Int
    private(set) var count = 0

    init(sink: ByteSink, sequence: Bool = false, digits: Int = 6) {
        self.sink = sink
        self.sequence = sequence
        self.digits = digits
    }

    func begin() throws {
        if !sequence { try sink.write("{\"type\":\"FeatureCollection\",\"features\":[") }
    }

    func end() throws {
        if !sequence { try sink.write("\n]}\n") }
        try sink.flush()
    }

    /// Opens a feature up to the start of its properties' first key (`{"type":"Feature",…,"properties":{`);
    /// `geometry` appends the geometry object itself.
    mutating func openFeature(id: Int64?, geometry: (inout [UInt8], Int) -> Void) {
        let first = count == 0
        let digits = digits, sequence = sequence
        sink.withBuffer { b in
            if sequence { b.append(0x1E) } else { b.append(contentsOf: (first ? "\n" : ",\n").utf8) }
            b.append(contentsOf: "{\"type\":\"Feature\",".utf8)
            if let id {
                b.append(contentsOf: "\"id\":".utf8)
                b.appendInteger(id)
                b.append(UInt8(ascii: ","))
            }
            b.append(contentsOf: "\"geometry\":".utf8)
            geometry(&b, digits)
            b.append(contentsOf: ",\"properties\":{".utf8)
        }
        count += 1
    }

    /// Closes the feature opened last.
    func closeFeature() throws {
        sink.withBuffer { b in b.append(contentsOf: "}}".utf8) }
        if sequence { sink.write(byte: 0x0A) }
        try sink.flushIfFull()
    }

    /// A whole feature with the given properties, in their order.
    mutating func feature(id: Int64? = nil, geometry: (inout [UInt8], Int) -> Void, properties: [(String, PropertyValue)]) throws {
        openFeature(id: id, geometry: geometry)
        sink.withBuffer { b in
            for (i, (key, value)) in properties.enumerated() {
                if i > 0 { b.append(UInt8(ascii: ",")) }
                b.appendJSONString(key)
                b.append(UInt8(ascii: ":"))
                switch value {
                case .text(let text?): b.appendJSONString(text)
                case .text(nil): b.append(contentsOf: "null".utf8)
                case .number(let text): b.append(contentsOf: text.utf8)
                case .integer(let n): b.appendInteger(n)
                case .object(let pairs): b.appendJSONObject(pairs)
                }
            }
        }
        try closeFeature()
    }
}

extension Array where Element == UInt8 {
    /// `{"key":"text",…}`.
    mutating func appendJSONObject(_ pairs: [(String, String)]) {
        append(UInt8(ascii: "{"))
        for (i, (key, text)) in pairs.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            appendJSONString(key)
            append(UInt8(ascii: ":"))
            appendJSONString(text)
        }
        append(UInt8(ascii: "}"))
    }

    mutating func appendPosition(_ c: Coordinate, digits: Int) { appendPosition(lon: c.lon, lat: c.lat, digits: digits) }

    /// Positions `[lon,lat],[lon,lat],…` inside brackets.
    mutating func appendPositions(_ positions: [Coordinate], digits: Int) {
        append(UInt8(ascii: "["))
        for (i, p) in positions.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            appendPosition(p, digits: digits)
        }
        append(UInt8(ascii: "]"))
    }

    mutating func appendPointGeometry(_ c: Coordinate, digits: Int) {
        append(contentsOf: "{\"type\":\"Point\",\"coordinates\":".utf8)
        appendPosition(c, digits: digits)
        append(UInt8(ascii: "}"))
    }

    mutating func appendMultiLineStringGeometry(_ lines: [[Coordinate]], digits: Int) {
        append(contentsOf: "{\"type\":\"MultiLineString\",\"coordinates\":[".utf8)
        for (i, line) in lines.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            appendPositions(line, digits: digits)
        }
        append(contentsOf: "]}".utf8)
    }

    /// A Polygon from closed rings, the exterior first; written as given (callers pass RFC 7946 orientation).
    mutating func appendPolygonGeometry(_ rings: [[Coordinate]], digits: Int) {
        append(contentsOf: "{\"type\":\"Polygon\",\"coordinates\":[".utf8)
        for (i, ring) in rings.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            appendPositions(ring, digits: digits)
        }
        append(contentsOf: "]}".utf8)
    }

    mutating func appendMultiPolygonGeometry(_ shape: MultiPolygon, digits: Int) {
        append(contentsOf: "{\"type\":\"MultiPolygon\",\"coordinates\":[".utf8)
        for (k, polygon) in shape.polygons.enumerated() {
            if k > 0 { append(UInt8(ascii: ",")) }
            append(UInt8(ascii: "["))
            for (i, ring) in ([polygon.exterior] + polygon.holes).enumerated() {
                if i > 0 { append(UInt8(ascii: ",")) }
                appendPositions(ring.positions, digits: digits)
            }
            append(UInt8(ascii: "]"))
        }
        append(contentsOf: "]}".utf8)
    }
}

extension ByteAppending {
    /// A GeoJSON position `[lon,lat]`: the one place where citymap writes that order.
    mutating func appendPosition(lon: Double, lat: Double, digits: Int) {
        append(UInt8(ascii: "["))
        appendFixed(lon, digits: digits)
        append(UInt8(ascii: ","))
        appendFixed(lat, digits: digits)
        append(UInt8(ascii: "]"))
    }
}
