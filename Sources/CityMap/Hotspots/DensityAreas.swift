import Foundation

/// A kernel density surface of the matching reports and the areas of its highest values.
public struct DensityResult: Sendable {
    public let grid: KernelDensity.Grid
    public let kernel: KernelDensity.Kernel
    public let reports: Int
    /// Density (per km²) above which a pixel counts as part of a top area.
    public let threshold: Double
    /// The top pixels merged where they touch: polygons (exterior, then holes) in WGS84, counter-clockwise
    /// exteriors, with their peak density and pixel count.
    public let areas: [DensityArea]
}

/// One area of highest density: its outline (exterior, then holes), peak and size.
public struct DensityArea: Sendable {
    /// Rings in WGS84, closed; the exterior counter-clockwise, holes clockwise.
    public let polygon: [[Coordinate]]
    /// The highest density of its pixels, per km².
    public let peak: Double
    public let pixels: Int
    /// The area-weighted centroid of the outline (holes subtracted), in WGS84.
    public let centroid: Coordinate
}

extension DensityResult {
    /// Reads a share of pixels such as `5%` or `5` (per cent).
    public static func share(parsing text: String) throws(HotspotError) -> Double {
        guard let percent = Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")) else {
            throw .malformedShare(text)
        }
        return percent
    }

    /// Checks the parameters before any data is read.
    public static func validate(radius: Meters, pixel: Meters, topPercent: Double) throws(HotspotError) {
        guard radius.value > 0 else { throw .notPositive(parameter: "radius", radius, suggestion: "100m") }
        guard pixel.value > 0 else { throw .notPositive(parameter: "pixel", pixel, suggestion: "10m") }
        guard pixel.value <= radius.value else { throw .pixelAboveRadius(pixel: pixel, radius: radius) }
        guard topPercent > 0 && topPercent <= 100 else { throw .shareOutOfRange(topPercent) }
    }

    /// Kernel density over projected points, and the pixels in the top `topPercent` of the non-zero densities merged
    /// into areas, highest peak first. nil when there are no points.
    public static func build(points: [ProjectedPoint], radius: Meters, pixel: Meters, kernel: KernelDensity.Kernel,
                             topPercent: Double, projector: Projector) throws -> DensityResult? {
        try validate(radius: radius, pixel: pixel, topPercent: topPercent)
        guard !points.isEmpty else { return nil }
        let cells = Double(points.count) * pow(2 * radius.value / pixel.value + 1, 2)
        guard cells <= 2e9 else {
            throw HotspotError.tooLarge(parameter: "pixel", needed: cells, limit: 2e9, what: "kernel evaluations")
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
        var areas: [DensityArea] = []
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
            let centroid = PlanarCentroid.of(polygon.map { ring in
                ring.map { ProjectedPoint(x: grid.originX + Double($0.c) * grid.pixel, y: grid.originY + Double($0.r) * grid.pixel) }
            })
            areas.append(DensityArea(polygon: rings, peak: members.map { grid.density[$0.r * grid.columns + $0.c] }.max() ?? 0,
                                     pixels: members.count, centroid: try projector.unproject([centroid])[0]))
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
