import Foundation
import GRDB

/// The public view of reports (citizens' pages, Open311). Only what `PublicReport` holds leaves here: the query
/// reads the reporter and the contact only to redact their names from the free text.
extension Store {
    private static let publicColumns = """
        r.id, r.status, r.category, r.subcategory, r.description, r.observed_at, r.updated_at, r.address,
        ST_X(r.geom), ST_Y(r.geom), d.code, d.name, s.name, c.category_label_de, c.label_de,
        r.reporter, ct.first_name, ct.last_name,
        (SELECT e.note FROM report_events e WHERE e.report_id = r.id AND e.public = 1 ORDER BY e.at DESC, e.id DESC LIMIT 1)
        FROM reports r LEFT JOIN areas d ON d.id = r.district_id LEFT JOIN areas s ON s.id = r.square_id
        LEFT JOIN categories c ON c.category = r.category AND c.subcategory = r.subcategory
        LEFT JOIN report_contacts ct ON ct.report_id = r.id
        """

    /// The reports a public listing asks for, newest first.
    public func publicReports(_ query: PublicQuery) throws -> [PublicReport] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !query.ids.isEmpty {
            conditions.append("r.id IN (\(ReportQuery.placeholders(query.ids.count)))")
            arguments += StatementArguments(query.ids)
        }
        if !query.categories.isEmpty {
            conditions.append("(" + query.categories.map { _ in "(r.category = ? AND r.subcategory = ?)" }.joined(separator: " OR ") + ")")
            for code in query.categories { arguments += [code.category, code.subcategory] }
        }
        if let since = query.since { conditions.append("r.observed_at >= ?"); arguments += [Timestamp.utc(since)] }
        if let until = query.until { conditions.append("r.observed_at <= ?"); arguments += [Timestamp.utc(until)] }
        switch query.status {
        case .open?: conditions.append("r.status IN ('open', 'acknowledged', 'in-progress')")
        case .closed?: conditions.append("r.status IN ('resolved', 'rejected', 'duplicate')")
        case nil: break
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let responsibilities = try cachedResponsibilities()
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.publicColumns)\(whereClause) ORDER BY r.observed_at DESC, r.id DESC LIMIT ?",
                             arguments: arguments + [max(0, query.limit)])
                .map { try Self.publicReport($0, responsibilities: responsibilities) }
        }
    }

    /// One public report with its public history (creation, status changes, public notes), or nil.
    public func publicReport(id: Int64) throws -> PublicReportDetail? {
        let responsibilities = try cachedResponsibilities()
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.publicColumns) WHERE r.id = ?", arguments: [id]) else { return nil }
            let report = try Self.publicReport(row, responsibilities: responsibilities)
            let names = PublicText.names(reporter: row[15], firstName: row[16], lastName: row[17])
            let history = try Self.history(of: id, db: db).filter { $0.kind != .note || $0.isPublic }.map { event in
                PublicEvent(at: event.at, status: event.to, note: event.isPublic ? event.note.map { PublicText.redact($0, names: names) } : nil)
            }
            return PublicReportDetail(report: report, history: history)
        }
    }

    /// The id of the report a client submitted with this client id (the Open311 token), if any.
    public func reportID(clientID: String) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM reports WHERE client_id = ?", arguments: [clientID]) }
    }

    private static func publicReport(_ row: Row, responsibilities: Responsibilities) throws -> PublicReport {
        let lifecycle: ReportStatus = try StoredValue.enumeration(row[1], column: "reports.status")
        let category = CategoryCode(category: row[2], subcategory: row[3])
        let names = PublicText.names(reporter: row[15], firstName: row[16], lastName: row[17])
        let categoryLabel: String = row[13] ?? category.category, label: String = row[14] ?? category.subcategory
        let districtCode: String? = row[10]
        return PublicReport(
            id: row[0], status: lifecycle.isOpen ? .open : .closed, lifecycle: lifecycle, category: category,
            serviceName: "\(categoryLabel): \(label)",
            description: PublicText.redact(row[4], names: names),
            statusNotes: (row[18] as String?).map { PublicText.redact($0, names: names) },
            agency: responsibilities.agency(category: category.category, district: districtCode)?.name,
            requestedAt: try StoredValue.time(row[5] as String, column: "reports.observed_at"),
            updatedAt: try StoredValue.time(row[6] as String, column: "reports.updated_at"),
            address: (row[7] as String?).map(PublicText.street).flatMap { $0.isEmpty ? nil : PublicText.redact($0, names: names) },
            position: Coordinate(trustedLon: row[8], lat: row[9]),
            district: row[11], square: row[12])
    }
}
