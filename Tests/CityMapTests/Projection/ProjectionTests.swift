import Testing
@testable import CityMap

@Suite("Projection to EPSG:25832 through PROJ")
struct ProjectionTests {
    // Reference: pyproj 3.7.2 / PROJ 9.5.1 and SpatiaLite 5.0.1 agree to the centimetre (TECH-NOTES, SOURCES.md).
    @Test func burgplatzMatchesPyproj() throws {
        let p = try Projector.etrs89UTM32().project(try Coordinate(lon: 6.7711111, lat: 51.2275))
        #expect(abs(p.x - 344374.28) < 0.01)
        #expect(abs(p.y - 5677484.77) < 0.01)
    }

    // Reference: cs2cs (PROJ) EPSG:4326 → EPSG:25832 for lon 6.7717, lat 51.2277.
    @Test func secondPointMatchesCs2cs() throws {
        let p = try Projector.etrs89UTM32().project(try Coordinate(lon: 6.7717, lat: 51.2277))
        #expect(abs(p.x - 344416.0641) < 0.001)
        #expect(abs(p.y - 5677505.7585) < 0.001)
    }

    @Test func bulkProjectionEqualsSingleCalls() throws {
        let projector = try Projector.etrs89UTM32()
        let points = try (0..<50).map { i in try Coordinate(lon: 6.76 + Double(i) * 0.001, lat: 51.21 + Double(i) * 0.0005) }
        let bulk = try projector.project(points)
        try #require(bulk.count == points.count)
        for (point, projected) in zip(points, bulk) {
            #expect(try projector.project(point) == projected)
        }
    }

    @Test func distanceIsInMetres() throws {
        let projector = try Projector.etrs89UTM32()
        let a = try projector.project(try Coordinate(lon: 6.7711, lat: 51.2275))
        let b = try projector.project(try Coordinate(lon: 6.7711, lat: 51.2285))
        // 0.001° of latitude is about 111.2 m here (GeographicLib gives 111.26 m on the ellipsoid; UTM scale ≈ 0.9997).
        #expect(abs(b.distance(to: a).value - 111.2) < 0.3)
    }

    /// The pipeline citymap builds directly is the one PROJ's own lookup in proj.db chooses: both give the same
    /// metres (to a micrometre) over the whole city extent and beyond it, forward and back.
    @Test func thePipelineIsWhatPROJChoosesForThePair() throws {
        let looked = try Projector(from: "EPSG:4326", to: "EPSG:25832")
        let direct = try Projector.etrs89UTM32()
        let points = try (0...20).flatMap { i in
            try (0...20).map { j in try Coordinate(lon: 5.8 + Double(i) * 0.15, lat: 50.3 + Double(j) * 0.1) }
        }
        let a = try looked.project(points), b = try direct.project(points)
        try #require(a.count == points.count && b.count == points.count)
        for (p, q) in zip(a, b) {
            #expect(abs(p.x - q.x) < 1e-6 && abs(p.y - q.y) < 1e-6)
        }
        let back = try direct.unproject(b)
        try #require(back.count == points.count)
        for (c, d) in zip(points, back) {
            #expect(abs(c.lon - d.lon) < 1e-9 && abs(c.lat - d.lat) < 1e-9)
        }
    }
}
