import Foundation
import GRDB

/// A stored value this version of citymap cannot read: an unknown status, kind or role, or a time that is not
/// one. Reading it is an error, never a silent default (`.open`, 1970). `Store` adds the file's path.
struct StoredValueError: Error {
    let column: String
    let value: String
}

/// Reading stored text back into domain values.
enum StoredValue {
    static let utc = TimeZone(identifier: "UTC")!

    static func time(_ text: String, column: String) throws -> Date {
        var text = text
        guard let date = text.withUTF8({ Timestamp.parseStored($0) }) else { throw StoredValueError(column: column, value: text) }
        return date
    }

    static func time(_ text: String?, column: String) throws -> Date? {
        try text.map { try time($0, column: column) }
    }

    static func time(_ text: String, column: String, path: String) throws -> Date {
        do { return try time(text, column: column) } catch let e as StoredValueError {
            throw StorageError.unreadableValue(path: path, table: "", column: e.column, value: e.value)
        }
    }

    static func enumeration<E: RawRepresentable>(_ text: String, column: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else { throw StoredValueError(column: column, value: text) }
        return value
    }

    static func status(_ text: String, path: String) throws -> ReportStatus {
        guard let value = ReportStatus(rawValue: text) else {
            throw StorageError.unreadableValue(path: path, table: "reports", column: "status", value: text)
        }
        return value
    }
}

/// A row of `areas`, without its geometry.
struct AreaRecord: FetchableRecord {
    enum Columns {
        static let id = Column("id"), kind = Column("kind"), code = Column("code"), name = Column("name"), source = Column("source")
        static let district = Column("district_code")
    }
    static let selection = "id, kind, code, name, source, district_code"

    let area: Area

    /// An area joined into another row under a prefix (`d_id`, `d_kind`, … for a district); nil when absent.
    static func joined(_ row: Row, prefix: String) throws -> Area? {
        guard let id: Int64 = row["\(prefix)_id"] else { return nil }
        return Area(id: id, kind: try StoredValue.enumeration(row["\(prefix)_kind"], column: "areas.kind"),
                    code: row["\(prefix)_code"], name: row["\(prefix)_name"], source: row["\(prefix)_source"])
    }

    init(row: Row) throws {
        area = Area(id: row[Columns.id], kind: try StoredValue.enumeration(row[Columns.kind], column: "areas.kind"),
                    code: row[Columns.code], name: row[Columns.name], source: row[Columns.source], district: row[Columns.district])
    }
}

/// A row of `access_tokens`, without its hash.
struct TokenRecord: FetchableRecord {
    enum Columns {
        static let name = Column("name"), role = Column("role"), createdAt = Column("created_at"), revokedAt = Column("revoked_at")
    }

    let token: AccessToken

    init(row: Row) throws {
        token = AccessToken(name: row[Columns.name], role: try StoredValue.enumeration(row[Columns.role], column: "access_tokens.role"),
                            createdAt: try StoredValue.time(row[Columns.createdAt] as String, column: "access_tokens.created_at"),
                            revokedAt: try StoredValue.time(row[Columns.revokedAt] as String?, column: "access_tokens.revoked_at"))
    }
}

/// A row of `report_events`: one step of a report's history.
struct EventRecord: FetchableRecord {
    enum Columns {
        static let id = Column("id"), reportID = Column("report_id"), at = Column("at"), actor = Column("actor")
        static let from = Column("from_status"), to = Column("to_status"), note = Column("note")
        static let kind = Column("kind"), isPublic = Column("public")
    }

    let event: ReportEvent

    init(row: Row) throws {
        let from: String? = row[Columns.from]
        event = ReportEvent(
            id: row[Columns.id], reportID: row[Columns.reportID],
            at: try StoredValue.time(row[Columns.at], column: "report_events.at"),
            actor: row[Columns.actor],
            kind: try StoredValue.enumeration(row[Columns.kind], column: "report_events.kind"),
            from: try from.map { try StoredValue.enumeration($0, column: "report_events.from_status") },
            to: try StoredValue.enumeration(row[Columns.to], column: "report_events.to_status"),
            note: row[Columns.note], isPublic: row[Columns.isPublic])
    }
}

/// A row of `walks` with the number of reports linked to it.
struct WalkRecord: FetchableRecord {
    enum Columns {
        static let id = Column("id"), name = Column("name"), team = Column("team"), startedAt = Column("started_at")
        static let endedAt = Column("ended_at"), length = Column("length_m"), districts = Column("districts")
        static let source = Column("source"), reports = Column("reports"), planned = Column("planned")
    }

    let walk: Walk

    init(row: Row) throws {
        let districts: String = row[Columns.districts]
        walk = Walk(id: row[Columns.id], name: row[Columns.name], team: row[Columns.team],
                    startedAt: try StoredValue.time(row[Columns.startedAt] as String?, column: "walks.started_at"),
                    endedAt: try StoredValue.time(row[Columns.endedAt] as String?, column: "walks.ended_at"),
                    length: Meters(row[Columns.length]),
                    districts: districts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                    source: row[Columns.source], reportCount: row[Columns.reports], planned: row[Columns.planned])
    }
}

/// A row of `categories`: one subcategory with its own and its category's labels.
struct CategoryRecord: FetchableRecord {
    enum Columns {
        static let category = Column("category"), subcategory = Column("subcategory")
        static let labelDE = Column("label_de"), labelEN = Column("label_en")
        static let categoryDE = Column("category_label_de"), categoryEN = Column("category_label_en")
        static let color = Column("color"), symbol = Column("symbol")
    }

    let category: String, subcategory: String, labelDE: String, labelEN: String
    let categoryDE: String, categoryEN: String, color: String, symbol: String

    init(row: Row) {
        category = row[Columns.category]; subcategory = row[Columns.subcategory]
        labelDE = row[Columns.labelDE]; labelEN = row[Columns.labelEN]
        categoryDE = row[Columns.categoryDE]; categoryEN = row[Columns.categoryEN]
        color = row[Columns.color]; symbol = row[Columns.symbol]
    }
}

/// A report read with `ReportQuery.columns`: the report joined with its district and square.
struct ReportRecord: FetchableRecord {
    enum Columns {
        static let id = Column("id"), category = Column("category"), subcategory = Column("subcategory")
        static let status = Column("status"), severity = Column("severity"), description = Column("description")
        static let observedAt = Column("observed_at"), reporter = Column("reporter"), source = Column("source")
        static let externalID = Column("external_id"), accuracy = Column("accuracy_m"), geometry = Column("geom")
        static let x = Column("x"), y = Column("y"), duplicateOf = Column("duplicate_of"), address = Column("address")
        static let mediaURL = Column("media_url"), walkID = Column("walk_id"), createdAt = Column("created_at")
        static let updatedAt = Column("updated_at"), agency = Column("agency"), dueAt = Column("due_at")
    }

    let report: Report

    init(row: Row) throws {
        func area(_ prefix: String) throws -> Area? { try AreaRecord.joined(row, prefix: prefix) }
        let accuracy: Double? = row[Columns.accuracy]
        let due: String? = row[Columns.dueAt]
        // The point is read from the geometry's own bytes, so that a read of reports needs no SpatiaLite.
        let point = try row.withUnsafeData(named: Columns.geometry.name) { data in
            data?.withUnsafeBytes { SpatiaLiteBlob.point(in: $0) }
        }
        guard let point else {
            throw StoredValueError(column: "reports.geom", value: "not a point")
        }
        var report = Report(
            id: row[Columns.id],
            position: Coordinate(trustedLon: point.x, lat: point.y),
            projected: ProjectedPoint(x: row[Columns.x], y: row[Columns.y]),
            category: CategoryCode(category: row[Columns.category], subcategory: row[Columns.subcategory]),
            status: try StoredValue.enumeration(row[Columns.status], column: "reports.status"),
            severity: try StoredValue.enumeration(row[Columns.severity], column: "reports.severity"),
            description: row[Columns.description],
            observedAt: try StoredValue.time(row[Columns.observedAt], column: "reports.observed_at"),
            reporter: row[Columns.reporter],
            source: row[Columns.source],
            externalID: row[Columns.externalID],
            accuracy: accuracy.map(Meters.init),
            district: try area("d"),
            square: try area("s"),
            duplicateOf: row[Columns.duplicateOf],
            address: row[Columns.address],
            mediaURL: row[Columns.mediaURL],
            walkID: row[Columns.walkID],
            createdAt: try StoredValue.time(row[Columns.createdAt], column: "reports.created_at"),
            updatedAt: try StoredValue.time(row[Columns.updatedAt], column: "reports.updated_at"))
        report.agency = row[Columns.agency]
        report.dueAt = try due.map { try StoredValue.time($0, column: "reports.due_at") }
        self.report = report
    }
}
