import Foundation
import GRDB

/// A DBSCAN cluster of reports, described for the office and for map viewers.
public struct HotspotCluster: Sendable {
    /// 1-based, by decreasing size.
    public let id: Int
    public let size: Int
    public let centroid: Coordinate
    /// The convex hull, counter-clockwise and closed; a 16-gon buffer of 5 m where the cluster has fewer than 3
    /// distinct points.
    public let hull: [Coordinate]
    /// Distance from the centroid within which 90 % of the cluster's reports lie.
    public let radius90: Meters
    public let byCategory: [String: Int]
    public let dominantCategory: String
    public let districts: [String]
    /// The square most of its reports fall on, if any.
    public let square: String?
    public let open: Int
    public let resolved: Int
    public let firstObserved: Date
    public let lastObserved: Date
    public var reportsPerWeek: Double {
        let weeks = max(lastObserved.timeIntervalSince(firstObserved) / (7 * 86_400), 1)
        return Double(size) / weeks
    }
}

/// The result of `hotspots clusters`: the clusters and how many reports were noise.
public struct HotspotClustering: Sendable {
    public let clusters: [HotspotCluster]
    public let noise: Int
    public let reports: Int
}

/// Parameters that make no sense, said so.
public enum HotspotError: Error, Sendable, CustomStringConvertible {
    case nonPositiveEps(Meters)
    case minPointsBelowOne(Int)
    /// A grid that cannot be analysed (Gi*, density), with the reason.
    case grid(String)

    public var description: String {
        switch self {
        case .nonPositiveEps(let eps): return "--eps must be more than 0 m (got \(eps)); try 30m"
        case .minPointsBelowOne(let n): return "--min-points must be at least 1 (got \(n)); try 5"
        case .grid(let reason): return reason
        }
    }
}

extension Store {
    /// DBSCAN over the reports that pass the filter, on their stored EPSG:25832 coordinates.
    public func hotspotClusters(matching filter: ReportFilter, eps: Meters, minPoints: Int) throws -> HotspotClustering {
        guard eps.value > 0 else { throw HotspotError.nonPositiveEps(eps) }
        guard minPoints >= 1 else { throw HotspotError.minPointsBelowOne(minPoints) }
        struct Item { let category: String; let open: Bool; let resolved: Bool; let observed: String; let district: String?; let square: String? }
        var points = ContiguousArray<ProjectedPoint>()
        var items: [Item] = []
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
                let status: String = row[3]
                items.append(Item(category: row[2], open: ReportStatus(rawValue: status)?.isOpen ?? false, resolved: status == "resolved",
                                  observed: row[4], district: row[5], square: row[6]))
            }
        }
        let result = DBSCAN.cluster(points, eps: eps, minPoints: minPoints)
        var members: [[Int]] = Array(repeating: [], count: result.clusterCount)
        for (i, label) in result.labels.enumerated() where label >= 0 { members[label].append(i) }
        let utc = TimeZone(identifier: "UTC")!
        var clusters: [HotspotCluster] = []
        for (label, indices) in members.enumerated() {
            let pts = indices.map { points[$0] }
            let cx = pts.map(\.x).reduce(0, +) / Double(pts.count), cy = pts.map(\.y).reduce(0, +) / Double(pts.count)
            let center = ProjectedPoint(x: cx, y: cy)
            let distinct = Set(pts).count
            var hull = distinct >= 3 ? ConvexHull.of(pts) : ConvexHull.buffered(pts, radius: 5)
            if hull.count < 3 { hull = ConvexHull.buffered(pts, radius: 5) } // all collinear
            let ring = try projector.unproject(hull + [hull[0]] + [center])
            var byCategory: [String: Int] = [:], squares: [String: Int] = [:]
            var districts: [String] = []
            for i in indices {
                byCategory[items[i].category, default: 0] += 1
                if let s = items[i].square { squares[s, default: 0] += 1 }
                if let d = items[i].district, !districts.contains(d) { districts.append(d) }
            }
            let times = indices.compactMap { Timestamp.parse(items[$0].observed, zone: utc) }
            clusters.append(HotspotCluster(
                id: label + 1, size: indices.count, centroid: ring.last!, hull: Array(ring.dropLast()),
                radius90: Meters(Percentile.of(pts.map { $0.distance(to: center).value }, 90) ?? 0),
                byCategory: byCategory,
                dominantCategory: byCategory.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key,
                districts: districts.sorted(), square: squares.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key,
                open: indices.filter { items[$0].open }.count, resolved: indices.filter { items[$0].resolved }.count,
                firstObserved: times.min() ?? Date(timeIntervalSince1970: 0), lastObserved: times.max() ?? Date(timeIntervalSince1970: 0)))
        }
        return HotspotClustering(clusters: clusters, noise: result.noiseCount, reports: points.count)
    }
}
