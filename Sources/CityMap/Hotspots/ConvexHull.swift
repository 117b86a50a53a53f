/// The convex hull of points in the plane by Andrew's monotone chain (A. M. Andrew, "Another efficient algorithm
/// for convex hulls in two dimensions", 1979). O(n log n).
///
/// Returns the hull's vertices counter-clockwise, starting from the lowest-x (then lowest-y) point, without
/// repeating the first vertex; collinear points on the hull are dropped. Fewer than 3 distinct points give those
/// points (0, 1 or 2 of them).
enum ConvexHull {
    static func of(_ points: [ProjectedPoint]) -> [ProjectedPoint] {
        let sorted = Array(Set(points)).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count >= 3 else { return sorted }
        func cross(_ o: ProjectedPoint, _ a: ProjectedPoint, _ b: ProjectedPoint) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [ProjectedPoint] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        var upper: [ProjectedPoint] = []
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }

    /// The hull of circles of `radius` around each point (a 16-gon each): a polygon even for one or two points.
    static func buffered(_ points: [ProjectedPoint], radius: Double) -> [ProjectedPoint] {
        var around: [ProjectedPoint] = []
        for p in Set(points) {
            for k in 0..<16 {
                let a = Double(k) * .pi / 8
                around.append(ProjectedPoint(x: p.x + radius * cos(a), y: p.y + radius * sin(a)))
            }
        }
        return of(around)
    }
}

import Foundation
