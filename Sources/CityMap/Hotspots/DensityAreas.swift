import Foundation
import GRDB

/// A kernel density surface of the matching reports and the areas of its highest values.
public struct DensityResult: Sendable {
    public let grid: KernelDensity.Grid
    public let kernel: KernelDensity.Kernel
    public let reports: Int
    /// Density (per km²) above which a pixel counts as part of a top area.
    public let threshold: Double
    /// The top pixels merged where they touch: polygons (exterior, then holes) in WGS84, counter-clockwise
    /// exteriors, with their peak density and pixel count.
    public let areas: [(polygon: [[Coordinate]], peak: Double, pixels: Int)]
}

extension Store {
    /// Kernel density over the reports that pass the filter (EPSG:25832), and the pixels in the top `topPercent`
    /// of the non-zero densities merged into areas.
    public func hotspotDensity(matching filter: ReportFilter, radius: Meters, pixel: Meters, kernel: KernelDensity.Kernel,
                               topPercent: Double) throws -> DensityResult? {
        guard radius.value > 0 else { throw HotspotError.grid("--radius must be more than 0 m (got \(radius)); try 100m") }
        guard pixel.value > 0 else { throw HotspotError.grid("--pixel must be more than 0 m (got \(pixel)); try 10m") }
        guard pixel.value <= radius.value else { throw HotspotError.grid("--pixel \(pixel) is larger than --radius \(radius); choose a pixel below the radius") }
        guard topPercent > 0 && topPercent <= 100 else { throw HotspotError.grid("--top must be between 0 and 100 % (got \(topPercent) %)") }
        var points: [ProjectedPoint] = []
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            let cursor = try Row.fetchCursor(db, sql: "SELECT r.x, r.y FROM reports r\(query.whereClause)", arguments: query.arguments)
            while let row = try cursor.next() { points.append(ProjectedPoint(x: row[0], y: row[1])) }
        }
        guard !points.isEmpty else { return nil }
        let cells = Double(points.count) * pow(2 * radius.value / pixel.value + 1, 2)
        guard cells <= 2e9 else {
            throw HotspotError.grid("\(points.count) reports with --radius \(radius) at --pixel \(pixel) would need \(Int(cells)) kernel evaluations; choose larger pixels")
        }
        let grid = KernelDensity.estimate(points, radius: radius.value, pixel: pixel.value, kernel: kernel)
        let nonZero = grid.density.filter { $0 > 0 }
        let threshold = Percentile.of(nonZero, 100 - topPercent) ?? 0
        var selected = Set<CellOutlines.Vertex>()
        for r in 0..<grid.rows {
            for c in 0..<grid.columns where grid.density[r * grid.columns + c] > 0 && grid.density[r * grid.columns + c] >= threshold {
                selected.insert(CellOutlines.Vertex(c: c, r: r))
            }
        }
        var areas: [(polygon: [[Coordinate]], peak: Double, pixels: Int)] = []
        for polygon in CellOutlines.polygons(selected: selected) {
            let rings = try polygon.map { ring in
                try projector.unproject(ring.map { ProjectedPoint(x: grid.originX + Double($0.c) * grid.pixel, y: grid.originY + Double($0.r) * grid.pixel) })
            }
            // Peak and size: the selected pixels whose centre lies inside the exterior ring and outside the holes.
            let exterior = polygon[0]
            let members = selected.filter { cell in
                Self.inside(Double(cell.c) + 0.5, Double(cell.r) + 0.5, exterior)
                    && !polygon.dropFirst().contains { Self.inside(Double(cell.c) + 0.5, Double(cell.r) + 0.5, $0) }
            }
            areas.append((rings, members.map { grid.density[$0.r * grid.columns + $0.c] }.max() ?? 0, members.count))
        }
        areas.sort { $0.peak > $1.peak }
        return DensityResult(grid: grid, kernel: kernel, reports: points.count, threshold: threshold, areas: areas)
    }

    private static func inside(_ x: Double, _ y: Double, _ ring: [CellOutlines.Vertex]) -> Bool {
        var result = false
        var j = ring.count - 2
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[j]
            if (Double(a.r) > y) != (Double(b.r) > y), x < Double(b.c - a.c) * (y - Double(a.r)) / Double(b.r - a.r) + Double(a.c) {
                result.toggle()
            }
            j = i
        }
        return result
    }
}
