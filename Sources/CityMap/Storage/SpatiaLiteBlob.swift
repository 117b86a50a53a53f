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
        guard blob.count == 60, var reader = Reader(blob), reader.word() == 1 else { return nil } // class POINT
        return (reader.number(), reader.number())
    }

    /// The polygons of a MULTIPOLYGON or POLYGON blob (2D, uncompressed: what `ST_GeomFromText` writes for the XY
    /// column `areas.geom`), each a list of rings (the exterior first) of (x, y); nil for any other geometry or a
    /// blob that ends early. Read from the bytes instead of `AsGeoJSON` and JSONSerialization: a `citymap log` built
    /// its nine areas' shapes in 6 million instructions that way.
    static func polygons(in blob: UnsafeRawBufferPointer) -> [[[(x: Double, y: Double)]]]? {
        guard var reader = Reader(blob) else { return nil }
        func polygon() -> [[(x: Double, y: Double)]]? {
            guard let count = reader.word(), count <= reader.left / 4 else { return nil }
            var rings: [[(x: Double, y: Double)]] = []
            rings.reserveCapacity(count)
            for _ in 0..<count {
                guard let points = reader.word(), points <= reader.left / 16 else { return nil }
                var ring: [(x: Double, y: Double)] = []
                ring.reserveCapacity(points)
                for _ in 0..<points { ring.append((reader.number(), reader.number())) }
                rings.append(ring)
            }
            return rings
        }
        var result: [[[(x: Double, y: Double)]]] = []
        switch reader.word() {
        case 3: // POLYGON
            guard let rings = polygon() else { return nil }
            result.append(rings)
        case 6: // MULTIPOLYGON: entities, each 0x69 and a POLYGON
            guard let count = reader.word(), count <= reader.left / 9 else { return nil }
            for _ in 0..<count {
                guard reader.byte() == 0x69, reader.word() == 3, let rings = polygon() else { return nil }
                result.append(rings)
            }
        default:
            return nil
        }
        return reader.left == 0 ? result : nil
    }

    /// Reads a blob's body in its byte order, from the class type (after the header and MBR) to the end mark.
    private struct Reader {
        let blob: UnsafeRawBufferPointer
        let little: Bool
        var at = 39
        /// The bytes before the end mark 0xFE not yet read.
        var left: Int { blob.count - 1 - at }

        /// Nil unless the blob has the header, MBR and end marks of this layout (0x00, byte order 0 or 1 … 0x7C … 0xFE).
        init?(_ blob: UnsafeRawBufferPointer) {
            guard blob.count >= 44, blob[0] == 0x00, blob[1] <= 1, blob[38] == 0x7C, blob[blob.count - 1] == 0xFE else { return nil }
            self.blob = blob
            little = blob[1] == 0x01
        }

        mutating func byte() -> UInt8? {
            guard left >= 1 else { return nil }
            defer { at += 1 }
            return blob[at]
        }

        mutating func word() -> Int? {
            guard left >= 4 else { return nil }
            let raw = blob.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            at += 4
            return Int(little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw))
        }

        /// A Float64; the caller has checked that `left` holds it.
        mutating func number() -> Double {
            let raw = blob.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            at += 8
            return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
        }
    }

    private static func write<T: FixedWidthInteger>(_ value: T, into blob: inout [UInt8], at offset: Int) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes in
            for i in 0..<bytes.count { blob[offset + i] = bytes[i] }
        }
    }
}
