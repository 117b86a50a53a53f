import Foundation

/// A georeferenced concern: what was seen, where, when, by whom, and where it stands.
public struct Report: Sendable, Identifiable, Encodable {
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
    /// The agency assigned to act (its code in GeoData/responsibilities.json); nil: the default routing applies.
    public var agency: String? = nil
    /// When the assigned agency should be done.
    public var dueAt: Date? = nil

    enum CodingKeys: String, CodingKey {
        case id, lat, lon, x = "x_25832", y = "y_25832", category, subcategory, status, severity, description
        case observedAt = "observed_at", district, square, reporter, source, externalID = "external_id", accuracy = "accuracy_m"
        case duplicateOf = "duplicate_of", address, mediaURL = "media_url", walkID = "walk_id", createdAt = "created_at"
        case updatedAt = "updated_at", agency, dueAt = "due_at"
    }

    /// Every field, for the office's own use (the internal profile): times local with their offset, metres to the centimetre.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(position.lat, forKey: .lat)
        try c.encode(position.lon, forKey: .lon)
        try c.encode((projected.x * 100).rounded() / 100, forKey: .x)
        try c.encode((projected.y * 100).rounded() / 100, forKey: .y)
        try c.encode(category.category, forKey: .category)
        try c.encode(category.subcategory, forKey: .subcategory)
        try c.encode(status, forKey: .status)
        try c.encode(severity, forKey: .severity)
        try c.encode(description, forKey: .description)
        try c.encode(Timestamp.local(observedAt), forKey: .observedAt)
        try c.encode(district?.name, forKey: .district)
        try c.encode(square?.name, forKey: .square)
        try c.encode(reporter, forKey: .reporter)
        try c.encode(source, forKey: .source)
        try c.encode(externalID, forKey: .externalID)
        try c.encode(accuracy?.value, forKey: .accuracy)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(address, forKey: .address)
        try c.encode(mediaURL, forKey: .mediaURL)
        try c.encode(walkID, forKey: .walkID)
        try c.encode(Timestamp.local(createdAt), forKey: .createdAt)
        try c.encode(Timestamp.local(updatedAt), forKey: .updatedAt)
        try c.encode(agency, forKey: .agency)
        try c.encode(dueAt.map { Timestamp.local($0) }, forKey: .dueAt)
    }
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
    /// When an imported report reached its status (Open311's `updated_datetime` of a closed request): the history
    /// then records it open at observation and the change at that time, so response times are true.
    public var statusAt: Date?
    /// When an imported report was first acknowledged, if its source says (a CSV's `acknowledged_at`): the history
    /// then records open → acknowledged at that time before the change to its status at `statusAt`.
    public var acknowledgedAt: Date?
    public var address: String?
    public var mediaURL: String?
    public var walkID: Int64?
    /// An id the client made (a UUID), so that a retry of the same submission is recognised and stores nothing.
    public var clientID: String?
    /// Contact data a citizen gave for the response (Open311 `email`, names, `phone`). Personal data: internal only.
    public var contact: Contact?

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

/// What a step in a report's history records.
public enum EventKind: String, Codable, Sendable {
    /// The report was logged or imported.
    case created
    /// Its status changed.
    case status
    /// A note was added without a change of status.
    case note
}

/// How to reach a citizen who asked for a response. Personal data (DSGVO): stored apart from the report and
/// never part of any public output.
public struct Contact: Sendable, Equatable, Encodable {
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?

    public init(email: String? = nil, firstName: String? = nil, lastName: String? = nil, phone: String? = nil) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
    }

    public var isEmpty: Bool { [email, firstName, lastName, phone].allSatisfy { ($0 ?? "").isEmpty } }

    enum CodingKeys: String, CodingKey { case email, firstName = "first_name", lastName = "last_name", phone }
}

/// One step in a report's history: who did what, when, and why.
public struct ReportEvent: Sendable, Encodable {
    public let id: Int64
    public let reportID: Int64
    public let at: Date
    public let actor: String?
    public let kind: EventKind
    /// nil for the event that created the report.
    public let from: ReportStatus?
    public let to: ReportStatus
    public let note: String?
    /// Whether the note may be shown to the public (Open311 `status_notes`, the citizens' status page).
    public let isPublic: Bool

    enum CodingKeys: String, CodingKey { case id, at, actor, kind, from, to, note, isPublic = "public" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(actor, forKey: .actor)
        try c.encode(kind, forKey: .kind)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(note, forKey: .note)
        try c.encode(isPublic, forKey: .isPublic)
    }
}

/// A report with its whole history, as `citymap show` and `GET /api/reports/{id}` give it.
public struct ReportDetail: Sendable, Encodable {
    public let report: Report
    public let history: [ReportEvent]

    public init(report: Report, history: [ReportEvent]) {
        self.report = report
        self.history = history
    }
}

/// What `log` hands back: the stored report and what the person logging it should know.
public struct LoggedReport: Sendable {
    public let report: Report
    /// True when the client id was already stored: this was a retry, and nothing new was written.
    public var isRepeat = false
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
    /// Reports to skip before the first returned, for paging (with `limit`).
    public var offset = 0

    public init() {}
}

extension ReportFilter {
    /// True when nothing narrows the selection.
    public var isEmpty: Bool {
        districts.isEmpty && categories.isEmpty && statuses.isEmpty && since == nil && until == nil && near == nil && bbox == nil
            && limit == nil && offset == 0
    }
}
