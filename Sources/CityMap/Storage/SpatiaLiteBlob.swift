/// SpatiaLite's internal BLOB geometry for a single POINT, built in Swift so that bulk inserts bind 60 bytes
/// instead of calling `MakePoint()` per row (a SQL function call and two allocations in SpatiaLite).
///
/// Layout (SpatiaLite "BLOB-Geometry" format, little-endian): 0x00, 0x01 (little-endian), SRID (Int32),
/// MBR minX minY maxX maxY (4 × Float64), 0x7C, class POINT = 1 (Int32), X Y (2 × Float64), 0xFE.
enum SpatiaLiteBlob {
    static func point(x: Double, y: Double, srid: Int32 = 4326) -> [UInt8] {
        var blob = [UInt8](repeating: 0, count: 60)
        blob[0] = 0x00
        blob[1] = 0x01
        write(UInt32(bitPattern: srid), into: &blob, at: 2)
        write(x.bitPattern, into: &blob, at: 6)
        write(y.bitPattern, into: &blob, at: 14)
        write(x.bitPattern, into: &blob, at: 22)
        write(y.bitPattern, into: &blob, at: 30)
        blob[38] = 0x7C
        write(UInt32(1), into: &blob, at: 39)
        write(x.bitPattern, into: &blob, at: 43)
        write(y.bitPattern, into: &blob, at: 51)
        blob[59] = 0xFE
        return blob
    }

    /// X and Y of a POINT blob in this layout, read in place; nil for any other geometry. SpatiaLite writes the
    /// machine's byte order (byte 1: 0x01 little-endian, 0x00 big-endian), so a file from either reads here.
    static func point(in blob: UnsafeRawBufferPointer) -> (x: Double, y: Double)? {
        guard blob.count == 60, blob[0] == 0x00, blob[38] == 0x7C, blob[59] == 0xFE, blob[1] <= 1 else { return nil }
        let little = blob[1] == 0x01
        func word<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
            let raw = blob.loadUnaligned(fromByteOffset: offset, as: T.self)
            return little ? T(littleEndian: raw) : T(bigEndian: raw)
        }
        guard word(39, UInt32.self) == 1 else { return nil }
        return (Double(bitPattern: word(43, UInt64.self)), Double(bitPattern: word(51, UInt64.self)))
    }

    /// The polygons of a MULTIPOLYGON or POLYGON blob (2D, uncompressed: what `ST_GeomFromText` writes for the XY
    /// column `areas.geom`), each a list of rings (the exterior first) of (x, y); nil for any other geometry or a
    /// blob that ends early. Read from the bytes instead of `AsGeoJSON` and JSONSerialization: a `citymap log` built
    /// its nine areas' shapes in 6 million instructions that way.
    static func polygons(in blob: UnsafeRawBufferPointer) -> [[[(x: Double, y: Double)]]]? {
        guard blob.count >= 44, blob[0] == 0x00, blob[38] == 0x7C, blob[blob.count - 1] == 0xFE, blob[1] <= 1 else { return nil }
        let little = blob[1] == 0x01
        let end = blob.count - 1
        var at = 39
        func word() -> Int? {
            guard at + 4 <= end else { return nil }
            let raw = blob.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            at += 4
            return Int(little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw))
        }
        func number() -> Double {
            let raw = blob.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            at += 8
            return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
        }
        func polygon() -> [[(x: Double, y: Double)]]? {
            guard let count = word(), count <= (end - at) / 4 else { return nil }
            var rings: [[(x: Double, y: Double)]] = []
            rings.reserveCapacity(count)
            for _ in 0..<count {
                guard let points = word(), points <= (end - at) / 16 else { return nil }
                var ring: [(x: Double, y: Double)] = []
                ring.reserveCapacity(points)
                for _ in 0..<points { ring.append((number(), number())) }
                rings.append(ring)
            }
            return rings
        }
        var result: [[[(x: Double, y: Double)]]] = []
        switch word() {
        case 3: // POLYGON
            guard let rings = polygon() else { return nil }
            result.append(rings)
        case 6: // MULTIPOLYGON: entities, each 0x69 and a POLYGON
            guard let count = word(), count <= (end - at) / 9 else { return nil }
            for _ in 0..<count {
                guard at < end, blob[at] == 0x69 else { return nil }
                at += 1
                guard word() == 3, let rings = polygon() else { return nil }
                result.append(rings)
            }
        default:
            return nil
        }
        return at == end ? result : nil
    }

    private static func write<T: FixedWidthInteger>(_ value: T, into blob: inout [UInt8], at offset: Int) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes in
            for i in 0..<bytes.count { blob[offset + i] = bytes[i] }
        }
    }
}
