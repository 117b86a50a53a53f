import Foundation

/// The file formats of `citymap export`.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// One RFC 7946 FeatureCollection.
    case geojson
    /// RFC 8142 GeoJSON text sequence: each feature led by the RS character, one per line.
    case geojsonseq
    /// One row per feature with lat/lon columns (Kepler.gl, spreadsheets).
    case csv
}

/// Who the export is for. `public` never carries personal data (DSGVO): no reporter, no contact, no internal
/// notes, no media links (photos can show people), no source ids.
public enum ExportProfile: String, CaseIterable, Sendable {
    case `public`
    case `internal`
}

public struct ExportOptions: Sendable {
    public var format = ExportFormat.geojson
    public var profile = ExportProfile.public
    /// Decimal places of coordinates: 6 (≈ 10 cm) by default, never more than 7.
    public var precision = 6
    public var filter = ReportFilter()
    /// Reports to skip before the first written, for paging (with `filter.limit`).
    public var offset = 0

    public init() {}

    /// Checks the options before an export starts; returns them unchanged.
    public static func check(_ options: ExportOptions) throws -> ExportOptions { try options.validated() }

    func validated() throws -> ExportOptions {
        guard (1...7).contains(precision) else { throw ExportError.badPrecision(precision) }
        return self
    }
}

/// Turns stored UTC text into local ISO 8601 with the offset in force, caching the offset per hour
/// (Europe/Berlin changes it at most twice a year, always on the hour). The cache is a flat table over
/// 1970–2099 (4.5 MB), filled as hours are met: a lookup per exported row costs no hashing.
struct LocalTimeFormatter {
    private var offsets = Offsets()
    private let zone: TimeZone

    private struct Offsets {
        static let hours = 130 * 366 * 24
        var table: [Int32] = []
        subscript(hour: Int) -> Int? {
            get {
                guard hour >= 0, hour < table.count, table[hour] != Int32.min else { return nil }
                return Int(table[hour])
            }
            set {
                guard hour >= 0, hour < Self.hours, let newValue else { return }
                if table.isEmpty { table = Array(repeating: Int32.min, count: Self.hours) }
                table[hour] = Int32(newValue)
            }
        }
    }

    init(zone: TimeZone = Timestamp.berlin) { self.zone = zone }

    mutating func local(fromUTC text: String) -> String {
        guard let date = Timestamp.parse(text, zone: TimeZone(identifier: "UTC")!) else { return text }
        let hour = Int((date.timeIntervalSince1970 / 3600).rounded(.down))
        let offset: Int
        if let cached = offsets[hour] {
            offset = cached
        } else {
            offset = zone.secondsFromGMT(for: date)
            offsets[hour] = offset
        }
        return Timestamp.format(date, offsetSeconds: offset)
    }

    /// The same for stored bytes `YYYY-MM-DDTHH:MM:SSZ` (the fast path of exports); other forms go the general way.
    mutating func local(fromUTC bytes: UnsafeBufferPointer<UInt8>) -> String {
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard bytes.count == 20, bytes[19] == UInt8(ascii: "Z"), let y = number(0, 4), let mo = number(5, 2),
              let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2) else {
            return local(fromUTC: String(decoding: bytes, as: UTF8.self))
        }
        let seconds = Timestamp.daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
        let hour = seconds / 3600
        let offset: Int
        if let cached = offsets[hour] {
            offset = cached
        } else {
            offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            offsets[hour] = offset
        }
        return Timestamp.format(Date(timeIntervalSince1970: Double(seconds)), offsetSeconds: offset)
    }
}
