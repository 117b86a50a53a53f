import Foundation

/// A DBSCAN cluster of reports, described for the office and for map viewers.
public struct HotspotCluster: Sendable, Encodable {
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

    enum CodingKeys: String, CodingKey {
        case id, size, centroid, radius90 = "radius90_m", byCategory = "by_category", dominantCategory = "dominant_category"
        case districts, square, open, resolved, firstObserved = "first_observed", lastObserved = "last_observed"
        case reportsPerWeek = "reports_per_week"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(size, forKey: .size)
        try c.encode(centroid, forKey: .centroid)
        try c.encode((radius90.value * 10).rounded() / 10, forKey: .radius90)
        try c.encode(byCategory, forKey: .byCategory)
        try c.encode(dominantCategory, forKey: .dominantCategory)
        try c.encode(districts, forKey: .districts)
        try c.encode(square, forKey: .square)
        try c.encode(open, forKey: .open)
        try c.encode(resolved, forKey: .resolved)
        try c.encode(Timestamp.local(firstObserved), forKey: .firstObserved)
        try c.encode(Timestamp.local(lastObserved), forKey: .lastObserved)
        try c.encode((reportsPerWeek * 100).rounded() / 100, forKey: .reportsPerWeek)
    }
}

/// The result of `hotspots clusters`: the clusters and how many reports were noise.
public struct HotspotClustering: Sendable, Encodable {
    public let clusters: [HotspotCluster]
    public let noise: Int
    public let reports: Int
}

/// What a clustered report carries besides its position: enough to describe the cluster it falls in.
public struct ClusterMember: Sendable {
    public let category: String
    public let status: ReportStatus
    public let observedAt: Date
    public let district: String?
    public let square: String?
}

extension HotspotClustering {
    /// The settings of `hotspots clusters` and of the summary's top hotspots: 30 m and 5 reports.
    public static let defaultEps = Meters(30)
    public static let defaultMinPoints = 5

    /// Checks the parameters before any data is read.
    public static func validate(eps: Meters, minPoints: Int) throws(HotspotError) {
        guard eps.value > 0 else { throw .notPositive(parameter: "eps", eps, suggestion: "30m") }
        guard minPoints >= 1 else { throw .minPointsBelowOne(minPoints) }
    }

    /// DBSCAN over projected points, each cluster described by its members (same order as `points`): size,
    /// centroid, hull and 90 % radius (back in WGS84), categories, districts, square, open and resolved counts.
    /// Clusters come ordered by decreasing size, as `DBSCAN.cluster` numbers them. `limit` describes only the largest
    /// so many (the summary's top three): hulls and radii of the thousands of small clusters of a year are not needed.
    public static func build(points: ContiguousArray<ProjectedPoint>, members items: [ClusterMember], eps: Meters, minPoints: Int,
                             projector: Projector, limit: Int? = nil) throws -> HotspotClustering {
        try validate(eps: eps, minPoints: minPoints)
        let result = DBSCAN.cluster(points, eps: eps, minPoints: minPoints)
        let described = min(result.clusterCount, limit ?? result.clusterCount)
        var members: [[Int]] = Array(repeating: [], count: described)
        for (i, label) in result.labels.enumerated() where label >= 0 && label < described { members[label].append(i) }
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
            let times = indices.map { items[$0].observedAt }
            clusters.append(HotspotCluster(
                id: label + 1, size: indices.count, centroid: ring.last!, hull: Array(ring.dropLast()),
                radius90: Meters(Percentile.of(pts.map { $0.distance(to: center).value }, 90) ?? 0),
                byCategory: byCategory,
                dominantCategory: byCategory.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key,
                districts: districts.sorted(), square: squares.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key,
                open: indices.filter { items[$0].status.isOpen }.count, resolved: indices.filter { items[$0].status == .resolved }.count,
                firstObserved: times.min() ?? Date(timeIntervalSince1970: 0), lastObserved: times.max() ?? Date(timeIntervalSince1970: 0)))
        }
        return HotspotClustering(clusters: clusters, noise: result.noiseCount, reports: points.count)
    }
}
