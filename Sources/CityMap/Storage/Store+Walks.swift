import Foundation
import GRDB

extension Store {
    /// All walks, newest first, with the number of reports linked to each.
    public func walks() throws -> [Walk] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT w.*, (SELECT COUNT(*) FROM reports r WHERE r.walk_id = w.id) AS reports
                FROM walks w ORDER BY w.started_at DESC, w.id DESC
                """).map { try WalkRecord(row: $0).walk }
        }
    }
}

extension Store {
    /// Stores one walk from its track: projected, measured and placed like an imported GPX track, linking the
    /// reports observed during it. Returns its id, or the id of the same track stored before.
    @discardableResult
    public func addWalk(name: String, team: String?, line: [Coordinate], times: [Date], source: String) throws -> Int64 {
        guard line.count >= 2 else { throw DomainError.invalidText(field: "coordinates", reason: "has \(line.count) position(s); a walk needs at least 2") }
        let key = "line:" + ReportValidation.fingerprint(line.map { "\($0.lon),\($0.lat)" }.joined(separator: ";")
                                                            + times.map { "\($0.timeIntervalSince1970)" }.joined(separator: ";"))
        return try write { db in
            let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db))
            if let id = try writer.insertWalk(name: name, team: team, segments: [line], times: times, source: source, externalID: key) {
                return id
            }
            return try Int64.fetchOne(db, sql: "SELECT id FROM walks WHERE source = ? AND external_id = ?", arguments: [source, key]) ?? 0
        }
    }

    /// Imports a GPX document (tracks become walks, waypoints reports), as `importReports` does with a file.
    public func importGPX(_ data: Data, name: String, options: ImportOptions) throws -> ImportSummary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citymap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name.hasSuffix(".gpx") ? name : name + ".gpx")
        try data.write(to: url)
        var options = options
        options.format = .gpx
        return try importReports(from: url, options: options)
    }

    /// One walk by id.
    public func walk(id: Int64) throws -> Walk {
        guard let walk = try walks().first(where: { $0.id == id }) else { throw DomainError.unknownWalk(id) }
        return walk
    }
}
