import Foundation

/// A report as the public may see it (citizens' pages, Open311): no reporter, no contact, no internal note, no
/// media, no source id. Free text has e-mail addresses, phone numbers and the names it is known to hold
/// redacted, and the address is cut to its street.
public struct PublicReport: Sendable, Encodable {
    /// Open311's two statuses: a concern is open until its lifecycle ends.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, closed
    }

    public let id: Int64
    public let status: Status
    /// Where it stands in the lifecycle (open, acknowledged, in-progress, resolved, …).
    public let lifecycle: ReportStatus
    public let category: CategoryCode
    /// The category's and subcategory's German labels, "Sauberkeit: Littering / Müll".
    public let serviceName: String
    public let description: String
    /// The latest public note, if any.
    public let statusNotes: String?
    public let agency: String?
    public let requestedAt: Date
    public let updatedAt: Date
    /// The street only.
    public let address: String?
    public let position: Coordinate
    public let district: String?
    public let square: String?

    enum CodingKeys: String, CodingKey {
        case id, status, lifecycle, category, serviceName = "service_name", description, statusNotes = "status_notes", agency
        case requestedAt = "requested_at", updatedAt = "updated_at", address, position, district, square
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(lifecycle, forKey: .lifecycle)
        try c.encode(category.description, forKey: .category)
        try c.encode(serviceName, forKey: .serviceName)
        try c.encode(description, forKey: .description)
        try c.encode(statusNotes, forKey: .statusNotes)
        try c.encode(agency, forKey: .agency)
        try c.encode(Timestamp.local(requestedAt), forKey: .requestedAt)
        try c.encode(Timestamp.local(updatedAt), forKey: .updatedAt)
        try c.encode(address, forKey: .address)
        try c.encode(position, forKey: .position)
        try c.encode(district, forKey: .district)
        try c.encode(square, forKey: .square)
    }
}

/// One public step of a report's history, for a citizen's status page.
public struct PublicEvent: Sendable, Encodable {
    public let at: Date
    public let status: ReportStatus
    public let note: String?

    enum CodingKeys: String, CodingKey { case at, status, note }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(status, forKey: .status)
        try c.encode(note, forKey: .note)
    }
}

/// A public report with its public history: what the citizens' status page shows.
public struct PublicReportDetail: Sendable, Encodable {
    public let report: PublicReport
    public let history: [PublicEvent]
}

/// Which reports a public listing shows. Every field narrows it; the newest come first.
public struct PublicQuery: Sendable {
    public var ids: [Int64] = []
    public var categories: [CategoryCode] = []
    /// Requested at or after.
    public var since: Date?
    /// Requested at or before.
    public var until: Date?
    public var status: PublicReport.Status?
    public var limit = 1000

    public init() {}
}
