import Foundation
import GRDB

/// The public view of reports (citizens' pages, Open311). Only what `PublicReport` holds leaves here: the query
/// reads the reporter and the contact only to redact their names from the free text.
extension Store {
    private static let publicColumns = """
        r.id, r.status, r.category, r.subcategory, r.description, r.observed_at, r.updated_at, r.address,
        ST_X(r.geom), ST_Y(r.geom), d.code, d.name, s.name, c.category_label_de, c.label_de,
        r.reporter, ct.first_name, ct.last_name,
        (SELECT e.note FROM report_events e WHERE e.report_id = r.id AND e.public = 1 ORDER BY e.at DESC, e.id DESC LIMIT 1),
        r.agency
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
        case .open?: conditions.append("r.status IN (\(ReportQuery.openStatuses))")
        case .closed?: conditions.append("r.status IN ('resolved', 'rejected', 'duplicate')")
        case nil: break
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let responsibilities = try cachedResponsibilities()
        return try read { db in
            // Read through the C API: a page of 1,000 is the spec's default, and GRDB's row copies were a third of its time.
            let statement = try db.makeStatement(sql: "SELECT \(Self.publicColumns)\(whereClause) ORDER BY r.observed_at DESC, r.id DESC LIMIT ?")
            try statement.setArguments(arguments + [max(0, query.limit)])
            let row = RowReader(handle: statement.sqliteStatement)
            var reports: [PublicReport] = []
            while try row.step(connection: db.sqliteConnection) {
                reports.append(try Self.publicReport(row, responsibilities: responsibilities, path: path))
            }
            return reports
        }
    }

    /// One public report with its public history (creation, status changes, public notes), or nil.
    public func publicReport(id: Int64) throws -> PublicReportDetail? {
        let responsibilities = try cachedResponsibilities()
        return try read { db in
            let statement = try db.makeStatement(sql: "SELECT \(Self.publicColumns) WHERE r.id = ?")
            try statement.setArguments([id])
            let row = RowReader(handle: statement.sqliteStatement)
            guard try row.step(connection: db.sqliteConnection) else { return nil }
            let report = try Self.publicReport(row, responsibilities: responsibilities, path: path)
            let names = PublicText.names(reporter: row.string(15), firstName: row.string(16), lastName: row.string(17))
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

    private static func publicReport(_ row: RowReader, responsibilities: Responsibilities, path: String) throws -> PublicReport {
        func time(_ column: Int32, _ name: String) throws -> Date {
            guard let bytes = row.text(column), let date = Timestamp.parseStored(bytes) else {
                throw StorageError.unreadableValue(path: path, table: "reports", column: name, value: row.string(column) ?? "NULL")
            }
            return date
        }
        let status = row.string(1) ?? ""
        guard let lifecycle = ReportStatus(rawValue: status) else {
            throw StorageError.unreadableValue(path: path, table: "reports", column: "status", value: status)
        }
        let category = CategoryCode(category: row.string(2) ?? "", subcategory: row.string(3) ?? "")
        let names = row.isNull(15) && row.isNull(16) && row.isNull(17) ? []
            : PublicText.names(reporter: row.string(15), firstName: row.string(16), lastName: row.string(17))
        let districtCode = row.string(10)
        return PublicReport(
            id: row.int64(0), status: lifecycle.isOpen ? .open : .closed, lifecycle: lifecycle, category: category,
            serviceName: "\(row.string(13) ?? category.category): \(row.string(14) ?? category.subcategory)",
            description: row.text(4).map { bytes in PublicText.redacted(bytes, names: names).map { String(decoding: $0, as: UTF8.self) }
                ?? String(decoding: bytes, as: UTF8.self) } ?? "",
            statusNotes: row.string(18).map { PublicText.redact($0, names: names) },
            agency: (row.string(19).flatMap(responsibilities.agency(code:)) ?? responsibilities.agency(category: category.category, district: districtCode))?.name,
            requestedAt: try time(5, "observed_at"), updatedAt: try time(6, "updated_at"),
            address: row.string(7).map(PublicText.street).flatMap { $0.isEmpty ? nil : PublicText.redact($0, names: names) },
            position: Coordinate(trustedLon: row.double(8), lat: row.double(9)),
            district: row.string(11), square: row.string(12))
    }
}
