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

/// Turns stored UTC text into local ISO 8601 with the offset in force in Europe/Berlin (`BerlinOffsets`), reading the
/// stored form straight from its bytes: this runs once per exported row.
struct LocalTimeFormatter {
    func local(fromUTC text: String) -> String {
        var text = text
        return text.withUTF8 { local(fromUTC: $0) }
    }

    func local(fromUTC bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let date = Timestamp.parseStored(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        return Timestamp.local(date)
    }
}
