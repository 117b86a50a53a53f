import Foundation
import Testing
@testable import CityMap

@Suite("Coordinates, lengths and polygons")
struct GeometryTests {
    @Test func latitude95IsRejected() {
        #expect(throws: GeometryError.latitudeOutOfRange(95)) { try Coordinate(lon: 6.77, lat: 95) }
    }

    @Test func nanIsRejected() {
        #expect(throws: GeometryError.notFinite(field: "latitude")) { try Coordinate(lon: 6.77, lat: .nan) }
        #expect(throws: GeometryError.notFinite(field: "longitude")) { try Coordinate(lon: .infinity, lat: 51) }
    }

    @Test func positionsAreTypedLatitudeFirst() throws {
        let c = try Coordinate(latLon: "51.2275, 6.7711")
        #expect(c.lat == 51.2275 && c.lon == 6.7711)
        #expect(throws: GeometryError.self) { try Coordinate(latLon: "51.2275") }
    }

    @Test(arguments: [("100m", 100.0), ("25 m", 25), ("1.5km", 1500), ("40", 40)])
    func lengthsParse(text: String, metres: Double) throws {
        #expect(try Meters(parsing: text).value == metres)
    }

    @Test func negativeLengthIsRejected() {
        #expect(throws: GeometryError.malformedLength("-5m")) { try Meters(parsing: "-5m") }
    }

    @Test func openRingIsRejected() throws {
        let a = try Coordinate(lon: 0, lat: 0), b = try Coordinate(lon: 1, lat: 0), c = try Coordinate(lon: 1, lat: 1)
        #expect(throws: GeometryError.ringNotClosed(ring: 0)) { try LinearRing([a, b, c, b]) }
        #expect(throws: GeometryError.ringTooShort(ring: 0, positions: 3)) { try LinearRing([a, b, a]) }
    }

    @Test func clockwiseRingsAreTurnedCounterClockwiseAndHolesClockwise() throws {
        func ring(_ pts: [(Double, Double)]) throws -> LinearRing { try LinearRing(pts.map { try Coordinate(lon: $0.0, lat: $0.1) }) }
        let clockwise = try ring([(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)])
        let hole = try ring([(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]) // counter-clockwise
        #expect(!clockwise.isCounterClockwise)
        let shape = try MultiPolygon([Polygon(exterior: clockwise, holes: [hole])]).rfc7946Oriented
        #expect(shape.polygons[0].exterior.isCounterClockwise)
        #expect(!shape.polygons[0].holes[0].isCounterClockwise)
        #expect(shape.contains(try Coordinate(lon: 3, lat: 3)))
        #expect(!shape.contains(try Coordinate(lon: 1.5, lat: 1.5)), "a point in the hole is outside")
        #expect(!shape.contains(try Coordinate(lon: 5, lat: 1)))
    }

    @Test func boundingBoxAroundCoversTheRadius() throws {
        let centre = try Coordinate(lon: 6.7711, lat: 51.2275)
        let box = BoundingBox.around(centre, radius: Meters(100))
        let projector = try Projector.etrs89UTM32()
        let c = try projector.project(centre)
        let east = try projector.project(try Coordinate(lon: box.east, lat: centre.lat))
        let north = try projector.project(try Coordinate(lon: centre.lon, lat: box.north))
        #expect(east.distance(to: c).value >= 100)
        #expect(north.distance(to: c).value >= 100)
    }
}

@Suite("Polygon centroids")
struct PlanarCentroidTests {
    /// Expected values from shapely 2 (`Polygon(...).centroid`), which uses GEOS.
    @Test func squareWithAHoleMatchesShapely() {
        let outer = [(0.0, 0.0), (10, 0), (10, 10), (0, 10), (0, 0)].map { ProjectedPoint(x: $0.0, y: $0.1) }
        let hole = [(1.0, 1.0), (1, 3), (3, 3), (3, 1), (1, 1)].map { ProjectedPoint(x: $0.0, y: $0.1) }
        let c = PlanarCentroid.of([outer, hole])
        #expect(abs(c.x - 5.125) < 1e-9 && abs(c.y - 5.125) < 1e-9)
    }

    @Test func anLShapeIsNotTheMeanOfItsCorners() {
        // shapely: Polygon([(344000,5677000),(344060,5677000),(344060,5677020),(344020,5677020),(344020,5677050),
        //                   (344000,5677050)]).centroid == (344023.3333333333, 5677018.333333333)
        let ring = [(344000.0, 5677000.0), (344060, 5677000), (344060, 5677020), (344020, 5677020), (344020, 5677050),
                    (344000, 5677050), (344000, 5677000)].map { ProjectedPoint(x: $0.0, y: $0.1) }
        let c = PlanarCentroid.of([ring])
        #expect(abs(c.x - 344023.3333333333) < 1e-6 && abs(c.y - 5677018.333333333) < 1e-6)
        // Clockwise gives the same point.
        let reversed = PlanarCentroid.of([Array(ring.reversed())])
        #expect(abs(reversed.x - c.x) < 1e-9 && abs(reversed.y - c.y) < 1e-9)
    }
}
