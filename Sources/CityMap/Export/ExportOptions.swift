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
    /// nil writes to standard output.
    public var destination: URL?
    public var filter = ReportFilter()

    public init() {}

    func validated() throws -> ExportOptions {
        guard (1...7).contains(precision) else { throw ExportError.badPrecision(precision) }
        return self
    }
}

/// Turns stored UTC text into local ISO 8601 with the offset in force, caching the offset per hour
/// (Europe/Berlin changes it at most twice a year, always on the hour).
struct LocalTimeFormatter {
    private var offsets: [Int: Int] = [:]
    private let zone: TimeZone

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
}
