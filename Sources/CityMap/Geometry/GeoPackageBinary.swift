import Foundation

/// GeoPackage geometry blobs (OGC 12-128r18, 2.1.3): a header (`GP`, version, flags, SRS id, envelope) followed by
/// ISO WKB. Read: points, of any dimension, and single-point multipoints. Written: points, MultiLineStrings and
/// MultiPolygons in little-endian XY.
public enum GeoPackageBinary {
    public struct Problem: Error, Sendable {
        public let message: String
    }

    /// The SRS id and the X, Y of a point blob; nil for an empty geometry.
    public static func point(_ blob: [UInt8]) throws(Problem) -> (srs: Int32, x: Double, y: Double)? {
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else { throw Problem(message: "is not a GeoPackage geometry (no 'GP' header)") }
        let flags = blob[3]
        let headerLittle = flags & 1 == 1
        let srs = Int32(bitPattern: read32(blob, 4, little: headerLittle))
        let envelopeBytes: Int
        switch (flags >> 1) & 0x07 {
        case 0: envelopeBytes = 0
        case 1: envelopeBytes = 32
        case 2, 3: envelopeBytes = 48
        case 4: envelopeBytes = 64
        default: throw Problem(message: "has an invalid envelope code")
        }
        if flags & 0x10 != 0 { return nil } // empty geometry
        var offset = 8 + envelopeBytes
        guard blob.count >= offset + 5 else { throw Problem(message: "ends inside its header") }
        func geometry() throws(Problem) -> (x: Double, y: Double)? {
            let little = blob[offset] == 1
            let raw = read32(blob, offset + 1, little: little)
            offset += 5
            let type = raw & 0x0FFF_FFFF // EWKB flag bits off
            let base = type % 1000
            let dimensions = (type / 1000 == 1 || type / 1000 == 2 ? 3 : type / 1000 == 3 ? 4 : 2)
                + (raw & 0x8000_0000 != 0 ? 1 : 0) + (raw & 0x4000_0000 != 0 ? 1 : 0)
            switch base {
            case 1:
                guard blob.count >= offset + 8 * dimensions else { throw Problem(message: "ends inside a point") }
                let x = Double(bitPattern: read64(blob, offset, little: little)), y = Double(bitPattern: read64(blob, offset + 8, little: little))
                offset += 8 * dimensions
                return x.isNaN && y.isNaN ? nil : (x, y)
            case 4:
                guard blob.count >= offset + 4 else { throw Problem(message: "ends inside a multipoint") }
                let count = read32(blob, offset, little: little)
                offset += 4
                guard count == 1 else { throw Problem(message: "is a multipoint of \(count) points; a report is one point") }
                return try geometry()
            default:
                throw Problem(message: "is a \(["", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"][safe: Int(base)] ?? "geometry of type \(base)"); a report is a point")
            }
        }
        guard let point = try geometry() else { return nil }
        guard point.x.isFinite, point.y.isFinite else { throw Problem(message: "has a coordinate that is not a finite number") }
        return (srs, point.x, point.y)
    }

    /// A point blob (no envelope, as the standard allows for points).
    public static func point(x: Double, y: Double, srs: Int32 = 4326) -> [UInt8] {
        var b = header(srs: srs, envelope: nil)
        b.append(1); append32(&b, 1); append64(&b, x.bitPattern); append64(&b, y.bitPattern)
        return b
    }

    /// A MultiLineString blob with its XY envelope.
    public static func multiLineString(_ lines: [[(x: Double, y: Double)]], srs: Int32 = 4326) -> [UInt8] {
        var b = header(srs: srs, envelope: envelope(lines.flatMap { $0 }))
        b.append(1); append32(&b, 5); append32(&b, UInt32(lines.count))
        for line in lines {
            b.append(1); append32(&b, 2); append32(&b, UInt32(line.count))
            for p in line { append64(&b, p.x.bitPattern); append64(&b, p.y.bitPattern) }
        }
        return b
    }

    /// A MultiPolygon blob (each polygon its rings, exterior first) with its XY envelope.
    public static func multiPolygon(_ polygons: [[[(x: Double, y: Double)]]], srs: Int32 = 4326) -> [UInt8] {
        var b = header(srs: srs, envelope: envelope(polygons.flatMap { $0.flatMap { $0 } }))
        b.append(1); append32(&b, 6); append32(&b, UInt32(polygons.count))
        for rings in polygons {
            b.append(1); append32(&b, 3); append32(&b, UInt32(rings.count))
            for ring in rings {
                append32(&b, UInt32(ring.count))
                for p in ring { append64(&b, p.x.bitPattern); append64(&b, p.y.bitPattern) }
            }
        }
        return b
    }

    private static func envelope(_ points: [(x: Double, y: Double)]) -> (Double, Double, Double, Double)? {
        guard let first = points.first else { return nil }
        var e = (first.x, first.x, first.y, first.y)
        for p in points { e = (min(e.0, p.x), max(e.1, p.x), min(e.2, p.y), max(e.3, p.y)) }
        return e
    }

    private static func header(srs: Int32, envelope: (Double, Double, Double, Double)?) -> [UInt8] {
        var b: [UInt8] = [0x47, 0x50, 0, envelope == nil ? 0x01 : 0x03]
        append32(&b, UInt32(bitPattern: srs))
        if let (minX, maxX, minY, maxY) = envelope {
            for v in [minX, maxX, minY, maxY] { append64(&b, v.bitPattern) }
        }
        return b
    }

    private static func read32(_ b: [UInt8], _ at: Int, little: Bool) -> UInt32 {
        guard b.count >= at + 4 else { return 0 }
        let bytes = little ? Array(b[at..<at + 4]) : b[at..<at + 4].reversed()
        return bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    private static func read64(_ b: [UInt8], _ at: Int, little: Bool) -> UInt64 {
        let bytes = little ? Array(b[at..<at + 8]) : b[at..<at + 8].reversed()
        return bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    private static func append32(_ b: inout [UInt8], _ v: UInt32) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    private static func append64(_ b: inout [UInt8], _ v: UInt64) { for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
