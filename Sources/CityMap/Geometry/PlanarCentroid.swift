/// The centroid (centre of mass) of a polygon with holes in a projected plane: the area-weighted mean of the
/// rings' shoelace centroids, holes counting negatively. The same definition as GEOS's and shapely's
/// `Polygon.centroid` (checked against shapely in the tests).
///
/// Rings are closed (first position repeated last), in any orientation; the first is the exterior. Runs in
/// O(n) over all positions. A ring of zero area falls back to the mean of its positions.
enum PlanarCentroid {
    static func of(_ rings: [[ProjectedPoint]]) -> ProjectedPoint {
        var area = 0.0, cx = 0.0, cy = 0.0
        for (k, ring) in rings.enumerated() {
            var a = 0.0, x = 0.0, y = 0.0
            for i in 0..<max(ring.count - 1, 0) {
                let p = ring[i], q = ring[i + 1]
                let cross = p.x * q.y - q.x * p.y
                a += cross
                x += (p.x + q.x) * cross
                y += (p.y + q.y) * cross
            }
            // Exterior adds, holes subtract, whatever way each ring runs.
            let sign: Double = k == 0 ? 1 : -1
            area += sign * abs(a) / 2
            if a != 0 {
                cx += sign * abs(a) / 2 * (x / (3 * a))
                cy += sign * abs(a) / 2 * (y / (3 * a))
            }
        }
        guard area != 0 else {
            let all = rings.flatMap { $0.dropLast() }
            guard !all.isEmpty else { return ProjectedPoint(x: 0, y: 0) }
            return ProjectedPoint(x: all.map(\.x).reduce(0, +) / Double(all.count), y: all.map(\.y).reduce(0, +) / Double(all.count))
        }
        return ProjectedPoint(x: cx / area, y: cy / area)
    }
}
