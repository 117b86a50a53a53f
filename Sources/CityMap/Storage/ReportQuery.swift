import Foundation
import GRDB

/// Turns a `ReportFilter` into SQL with bound arguments. Spatial filters go through the R*Tree of
/// `reports.geom` (SpatiaLite's `idx_reports_geom`) and are then refined exactly: `--near` by distance in
/// EPSG:25832 metres, `--bbox` by the point's coordinates.
struct ReportQuery {
    static let columns = """
        r.id, r.category, r.subcategory, r.status, r.severity, r.description, r.observed_at, r.reporter, r.source,
        r.external_id, r.accuracy_m, r.geom, r.x, r.y, r.duplicate_of,
        r.address, r.media_url, r.walk_id,
        r.created_at, r.updated_at, r.agency, r.due_at,
        d.id AS d_id, d.kind AS d_kind, d.code AS d_code, d.name AS d_name, d.source AS d_source,
        s.id AS s_id, s.kind AS s_kind, s.code AS s_code, s.name AS s_name, s.source AS s_source
        """
    /// The statuses of a concern still open, as an SQL list: `'open', 'acknowledged', 'in-progress'`.
    static let openStatuses = ReportStatus.openStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    static let from = "reports r LEFT JOIN areas d ON d.id = r.district_id LEFT JOIN areas s ON s.id = r.square_id"

    var conditions: [String] = []
    var arguments: StatementArguments = []

    /// True when a condition calls SpatiaLite (a box by longitude and latitude): it must be loaded first.
    let usesSpatiaLite: Bool

    /// Whether the conditions of `filter` call SpatiaLite: only the box does (`ST_X`, `ST_Y`); `--near` goes
    /// through the R*Tree table and the x, y columns, and the point is read from the geometry's bytes.
    static func usesSpatiaLite(_ filter: ReportFilter) -> Bool { filter.bbox != nil }

    /// Validates names in the filter against the database (districts, categories) and builds the conditions. The
    /// projection is asked for only by a filter near a place.
    init(_ filter: ReportFilter, db: Database, taxonomy: Taxonomy, projector: @autoclosure () throws -> Projector) throws {
        usesSpatiaLite = Self.usesSpatiaLite(filter)
        if !filter.districts.isEmpty {
            let districts = try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'district' ORDER BY id").map(\.area)
            var ids: [Int64] = []
            var wantsNone = false
            for wanted in filter.districts {
                let key = wanted.lowercased()
                if key == "none" { wantsNone = true; continue }
                guard let district = districts.first(where: { $0.code.lowercased() == key || $0.name.lowercased() == key }) else {
                    throw DomainError.unknownDistrict(wanted, known: districts.map { "\($0.code) (\($0.name))" } + ["none"])
                }
                ids.append(district.id)
            }
            var parts: [String] = []
            if !ids.isEmpty { parts.append("r.district_id IN (\(Self.placeholders(ids.count)))"); arguments += StatementArguments(ids) }
            if wantsNone { parts.append("r.district_id IS NULL") }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }
        if !filter.categories.isEmpty {
            var parts: [String] = []
            for text in filter.categories {
                if text.contains("/") {
                    let code = try taxonomy.resolve(text)
                    parts.append("(r.category = ? AND r.subcategory = ?)")
                    arguments += [code.category, code.subcategory]
                } else {
                    guard let category = taxonomy.category(text.lowercased()) else {
                        throw DomainError.unknownCategory(text, known: taxonomy.categories.map(\.code))
                    }
                    parts.append("r.category = ?")
                    arguments += [category.code]
                }
            }
            conditions.append("(" + parts.joined(separator: " OR ") + ")")
        }
        if !filter.statuses.isEmpty {
            conditions.append("r.status IN (\(Self.placeholders(filter.statuses.count)))")
            arguments += StatementArguments(filter.statuses.map(\.rawValue))
        }
        if let since = filter.since {
            conditions.append("r.observed_at >= ?")
            arguments += [Timestamp.utc(since)]
        }
        if let until = filter.until {
            conditions.append("r.observed_at < ?")
            arguments += [Timestamp.utc(until)]
        }
        if let bbox = filter.bbox {
            addIndexFrame(bbox)
            conditions.append("ST_X(r.geom) BETWEEN ? AND ? AND ST_Y(r.geom) BETWEEN ? AND ?")
            arguments += [bbox.west, bbox.east, bbox.south, bbox.north]
        }
        if let near = filter.near {
            addIndexFrame(BoundingBox.around(near.center, radius: near.radius))
            let p = try projector().project(near.center)
            conditions.append("((r.x - ?) * (r.x - ?) + (r.y - ?) * (r.y - ?)) <= ?")
            arguments += [p.x, p.x, p.y, p.y, near.radius.value * near.radius.value]
        }
    }

    /// The candidates whose index box meets `box`, from the R*Tree table itself (SpatiaLite's SpatialIndex virtual
    /// table around it adds a layer per row).
    private mutating func addIndexFrame(_ box: BoundingBox) {
        conditions.append("r.id IN (\(Self.indexFrame))")
        arguments += [box.west, box.east, box.south, box.north]
    }

    /// Report ids whose R*Tree box meets a frame given as west, east, south, north.
    static let indexFrame = "SELECT pkid FROM idx_reports_geom WHERE xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ?"

    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    static func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
