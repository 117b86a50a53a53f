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

    private static func write<T: FixedWidthInteger>(_ value: T, into blob: inout [UInt8], at offset: Int) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes in
            for i in 0..<bytes.count { blob[offset + i] = bytes[i] }
        }
    }
}
