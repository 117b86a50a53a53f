import Foundation

/// A georeferenced concern: what was seen, where, when, by whom, and where it stands.
public struct Report: Sendable, Identifiable {
    public let id: Int64
    public let position: Coordinate
    /// The position in EPSG:25832, computed with PROJ when the report was written.
    public let projected: ProjectedPoint
    public let category: CategoryCode
    public let status: ReportStatus
    public let severity: Severity
    public let description: String
    public let observedAt: Date
    /// Who reported it. Personal data (DSGVO): never part of a public export.
    public let reporter: String?
    public let source: String
    public let externalID: String?
    public let accuracy: Meters?
    public let district: Area?
    public let square: Area?
    public let duplicateOf: Int64?
    public let address: String?
    public let mediaURL: String?
    public let walkID: Int64?
    public let createdAt: Date
    public let updatedAt: Date
}

/// A report as field staff or an import hand it in, before it has an id, a projection or a placement.
public struct NewReport: Sendable {
    public var position: Coordinate
    public var category: CategoryCode
    public var severity: Severity
    public var description: String
    public var observedAt: Date
    public var reporter: String?
    public var source: String
    public var externalID: String?
    public var accuracy: Meters?
    /// Imports carry the state of the system they come from; a logged report starts open.
    public var status: ReportStatus = .open
    public var statusNote: String?
    public var address: String?
    public var mediaURL: String?
    public var walkID: Int64?

    public init(position: Coordinate, category: CategoryCode, severity: Severity = .medium, description: String = "",
                observedAt: Date, reporter: String? = nil, source: String = "field-walk",
                externalID: String? = nil, accuracy: Meters? = nil) {
        self.position = position
        self.category = category
        self.severity = severity
        self.description = description
        self.observedAt = observedAt
        self.reporter = reporter
        self.source = source
        self.externalID = externalID
        self.accuracy = accuracy
    }
}

/// One step in a report's history: who changed its status, when, from what to what, and why.
public struct ReportEvent: Sendable {
    public let id: Int64
    public let reportID: Int64
    public let at: Date
    public let actor: String?
    /// nil for the event that created the report.
    public let from: ReportStatus?
    public let to: ReportStatus
    public let note: String?
}

/// What `log` hands back: the stored report and what the person logging it should know.
public struct LoggedReport: Sendable {
    public let report: Report
    /// Open reports of the same category within the duplicate radius, nearest first.
    public let likelyDuplicates: [Neighbour]
    /// True when the position lies outside every district.
    public var isOutsideDistricts: Bool { report.district == nil }
}

/// A report near some position, with its distance in metres.
public struct Neighbour: Sendable {
    public let report: Report
    public let distance: Meters
}

/// Which reports to list, export or analyse. Every field narrows the selection; an empty filter selects all.
public struct ReportFilter: Sendable {
    public var districts: [String] = []
    public var categories: [String] = []
    public var statuses: [ReportStatus] = []
    /// Observed at or after this instant.
    public var since: Date?
    /// Observed before this instant.
    public var until: Date?
    public var near: (center: Coordinate, radius: Meters)?
    public var bbox: BoundingBox?
    public var limit: Int?

    public init() {}
}
