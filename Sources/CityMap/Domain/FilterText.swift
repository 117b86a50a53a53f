import Foundation

/// A report filter as people type it (command-line options, query parameters), checked and turned into a
/// `ReportFilter` the same way for every adapter. Errors name the input: `since`, `until`, `status`, `bbox`,
/// `near`, `radius`, `limit`, `offset`.
public struct FilterText: Sendable {
    public var districts: [String] = []
    public var categories: [String] = []
    public var statuses: [String] = []
    public var since: String?
    public var until: String?
    /// WEST,SOUTH,EAST,NORTH in degrees.
    public var bbox: String?
    /// LAT,LON
    public var near: String?
    /// A length such as 100m; the radius of `near`.
    public var radius: String?
    public var limit: Int?
    public var offset = 0

    public init() {}

    /// The largest radius `near` accepts: beyond the city a radius means nothing, and a huge one only hides a typo.
    public static let maximumRadius = Meters(100_000)

    public func filter() throws -> ReportFilter {
        var filter = ReportFilter()
        filter.districts = districts
        filter.categories = categories
        filter.statuses = try statuses.map { text in
            guard let status = ReportStatus(rawValue: text.trimmed.lowercased()) else {
                throw DomainError.unknownStatus(text, known: ReportStatus.allCases.map(\.rawValue))
            }
            return status
        }
        if let since {
            guard let date = Timestamp.parse(since) else { throw DomainError.malformedTime(since, field: "since") }
            filter.since = date
        }
        if let until {
            guard let date = Timestamp.parseEnd(until) else { throw DomainError.malformedTime(until, field: "until") }
            filter.until = date
        }
        if let s = filter.since, let u = filter.until, u <= s {
            throw DomainError.emptyPeriod(since: since ?? "", until: until ?? "")
        }
        if let near {
            let center: Coordinate
            do { center = try Coordinate(latLon: near) } catch { throw DomainError.invalidText(field: "near", reason: error.description) }
            let length: Meters
            do { length = try Meters(parsing: radius ?? "100m") } catch {
                throw DomainError.invalidText(field: "radius", reason: error.description)
            }
            guard length <= Self.maximumRadius else {
                throw DomainError.invalidText(field: "radius", reason: "is \(length); at most \(Self.maximumRadius) is searched")
            }
            filter.near = (center, length)
        }
        if let bbox {
            do { filter.bbox = try BoundingBox(parsing: bbox) } catch { throw DomainError.invalidText(field: "bbox", reason: error.description) }
        }
        if let limit, limit < 1 { throw DomainError.invalidText(field: "limit", reason: "must be at least 1 (got \(limit))") }
        if offset < 0 { throw DomainError.invalidText(field: "offset", reason: "must be 0 or more (got \(offset))") }
        filter.limit = limit
        filter.offset = offset
        return filter
    }
}
