import Foundation
import GRDB

/// The rows the hotspot methods work on: positions in EPSG:25832 as stored, and what each report carries.
/// The methods themselves (`Hotspots/`) take these values and know nothing of SQL.
extension Store {
    /// DBSCAN over the reports that pass the filter, on their stored EPSG:25832 coordinates.
    public func hotspotClusters(matching filter: ReportFilter, eps: Meters = HotspotClustering.defaultEps,
                                minPoints: Int = HotspotClustering.defaultMinPoints) throws -> HotspotClustering {
        try HotspotClustering.validate(eps: eps, minPoints: minPoints)
        var points = ContiguousArray<ProjectedPoint>()
        var members: [ClusterMember] = []
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            var sql = """
                SELECT r.x, r.y, r.category, r.status, r.observed_at, d.name, s.name
                FROM reports r LEFT JOIN areas d ON d.id = r.district_id LEFT JOIN areas s ON s.id = r.square_id
                \(query.whereClause) ORDER BY r.id
                """
            if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: query.arguments)
            while let row = try cursor.next() {
                points.append(ProjectedPoint(x: row[0], y: row[1]))
                members.append(ClusterMember(category: row[2], status: try StoredValue.status(row[3], path: path),
                                             observedAt: try StoredValue.time(row[4], column: "reports.observed_at", path: path),
                                             district: row[5], square: row[6]))
            }
        }
        return try HotspotClustering.build(points: points, members: members, eps: eps, minPoints: minPoints, projector: projector)
    }

    /// Gi* over the reports that pass the filter. The grid covers the districts when the filter is empty, else the
    /// extent of the matching reports.
    public func hotspotGrid(matching filter: ReportFilter, cell: Meters, band: Meters, fdr: Bool) throws -> GiStarGrid {
        try GiStarGrid.validate(cell: cell, band: band)
        var points: [ProjectedPoint] = []
        var districtCorners: [Coordinate] = []
        var index = AreaIndex([])
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            let cursor = try Row.fetchCursor(db, sql: "SELECT r.x, r.y FROM reports r\(query.whereClause)", arguments: query.arguments)
            while let row = try cursor.next() { points.append(ProjectedPoint(x: row[0], y: row[1])) }
            index = try areaIndex(db)
            districtCorners = try Self.fetchAreaShapes(db).filter { $0.area.kind == .district }
                .flatMap { $0.shape.polygons.flatMap(\.exterior.positions) }
        }
        let extent = filter.isEmpty && !districtCorners.isEmpty ? try projector.project(districtCorners) : nil
        return try GiStarGrid.build(points: points, extent: extent, cell: cell, band: band, fdr: fdr, areas: index, projector: projector)
    }

    /// Kernel density over the reports that pass the filter; nil when none match.
    public func hotspotDensity(matching filter: ReportFilter, radius: Meters, pixel: Meters, kernel: KernelDensity.Kernel,
                               topPercent: Double) throws -> DensityResult? {
        try DensityResult.validate(radius: radius, pixel: pixel, topPercent: topPercent)
        var points: [ProjectedPoint] = []
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            let cursor = try Row.fetchCursor(db, sql: "SELECT r.x, r.y FROM reports r\(query.whereClause)", arguments: query.arguments)
            while let row = try cursor.next() { points.append(ProjectedPoint(x: row[0], y: row[1])) }
        }
        return try DensityResult.build(points: points, radius: radius, pixel: pixel, kernel: kernel, topPercent: topPercent, projector: projector)
    }
}
