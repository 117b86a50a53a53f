import Foundation
import Testing
@testable import CityMap

@Suite("Kernel density with QGIS heatmap semantics")
struct DensityTests {
    @Test func quarticCellsComputedByHand() {
        // One point at the centre of pixel (345000…345010, 5677000…5677010); radius 100 m, pixel 10 m.
        let grid = KernelDensity.estimate([ProjectedPoint(x: 345_005, y: 5_677_005)], radius: 100, pixel: 10, kernel: .quartic)
        func at(_ dx: Double, _ dy: Double) -> Double {
            let c = Int(((345_005 + dx - grid.originX) / 10).rounded(.down)), r = Int(((5_677_005 + dy - grid.originY) / 10).rounded(.down))
            return grid.density[r * grid.columns + c]
        }
        // QGIS: k = 116 / (5π r²), value = k · 15/16 · (1 − (d/r)²)², per m²; × 10⁶ for km².
        let k = 116 / (5 * Double.pi * 100 * 100) * 15 / 16 * 1_000_000   // 692.3240…
        #expect(abs(at(0, 0) - k) < 1e-9)
        #expect(abs(at(30, 0) - k * 0.8281) < 1e-9)          // u = 0.3: (1 − 0.09)²
        #expect(abs(at(30, 40) - k * 0.5625) < 1e-9)         // d = 50, u = 0.5: (1 − 0.25)²
        #expect(at(100, 0) == 0 && at(110, 0) == 0)           // at and beyond the radius
        #expect(abs(k - 692.3240024) < 1e-6)
    }

    @Test func pointsAddUpAndOtherKernelsIntegrateToOne() throws {
        let two = KernelDensity.estimate([ProjectedPoint(x: 345_005, y: 5_677_005), ProjectedPoint(x: 345_005, y: 5_677_005)],
                                         radius: 50, pixel: 10, kernel: .epanechnikov)
        let one = KernelDensity.estimate([ProjectedPoint(x: 345_005, y: 5_677_005)], radius: 50, pixel: 10, kernel: .epanechnikov)
        try #require(two.density.count == one.density.count && !one.density.isEmpty)
        #expect(zip(two.density, one.density).allSatisfy { abs($0 - 2 * $1) < 1e-9 })
        // Summed over 1 m pixels, a normalised kernel gives ≈ 1 point (density per km² × pixel area in km²).
        for kernel in [KernelDensity.Kernel.epanechnikov, .triweight, .uniform, .triangular] {
            let fine = KernelDensity.estimate([ProjectedPoint(x: 345_000.5, y: 5_677_000.5)], radius: 40, pixel: 1, kernel: kernel)
            #expect(abs(fine.density.reduce(0, +) / 1_000_000 - 1) < 0.02, "\(kernel)")
        }
    }

    @Test func touchingCellsMergeAndHolesRunClockwise() {
        typealias V = CellOutlines.Vertex
        let single = CellOutlines.polygons(selected: [V(c: 0, r: 0)])
        #expect(single.count == 1 && single[0][0].count == 5 && CellOutlines.area(single[0][0]) == 2) // twice the area
        let pair = CellOutlines.polygons(selected: [V(c: 0, r: 0), V(c: 1, r: 0)])
        #expect(pair.count == 1 && pair[0][0].count == 5 && CellOutlines.area(pair[0][0]) == 4)
        var ring = Set<V>()
        for c in 0..<3 { for r in 0..<3 where !(c == 1 && r == 1) { ring.insert(V(c: c, r: r)) } }
        let donut = CellOutlines.polygons(selected: ring)
        #expect(donut.count == 1 && donut[0].count == 2)
        #expect(CellOutlines.area(donut[0][0]) == 18 && CellOutlines.area(donut[0][1]) == -2)
        let diagonal = CellOutlines.polygons(selected: [V(c: 0, r: 0), V(c: 1, r: 1)])
        #expect(diagonal.count == 2)
    }
}

@Suite("Density areas from stored reports")
struct DensityAreaTests {
    @Test func topPixelsMergeIntoValidPolygonsAroundTheReports() throws {
        let t = try TestStore()
        for k in 0..<4 { try t.log(lat: 51.2275 + Double(k) * 0.00005, lon: 6.7711) }
        try t.log(lat: 51.2221, lon: 6.7924)
        let result = try #require(try t.store.hotspotDensity(matching: ReportFilter(), radius: Meters(50), pixel: Meters(10),
                                                             kernel: .quartic, topPercent: 5))
        #expect(result.reports == 5 && !result.areas.isEmpty)
        #expect(result.areas[0].peak > result.areas.last!.peak || result.areas.count == 1)
        for area in result.areas {
            let exterior = try LinearRing(area.polygon[0])
            #expect(exterior.isCounterClockwise)
        }
        // The densest area is at Burgplatz, where four reports stand close together.
        let ring = result.areas[0].polygon[0]
        #expect(ring.contains { abs($0.lat - 51.2276) < 0.0008 && abs($0.lon - 6.7711) < 0.0012 })
        var none = ReportFilter()
        none.since = Timestamp.parse("2030-01-01")
        #expect(try t.store.hotspotDensity(matching: none, radius: Meters(50), pixel: Meters(10), kernel: .quartic, topPercent: 5) == nil)
        #expect(throws: HotspotError.self) {
            try t.store.hotspotDensity(matching: ReportFilter(), radius: Meters(50), pixel: Meters(100), kernel: .quartic, topPercent: 5)
        }
    }
}
