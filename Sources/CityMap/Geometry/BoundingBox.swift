/// A WGS84 bounding box in degrees, in GeoJSON's order: west, south, east, north.
public struct BoundingBox: Hashable, Sendable, CustomStringConvertible {
    public let west: Double
    public let south: Double
    public let east: Double
    public let north: Double

    public init(west: Double, south: Double, east: Double, north: Double) throws(GeometryError) {
        _ = try Coordinate(lon: west, lat: south)
        _ = try Coordinate(lon: east, lat: north)
        guard west <= east, south <= north else { throw .emptyBoundingBox(west: west, south: south, east: east, north: north) }
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    init(trustedWest west: Double, south: Double, east: Double, north: Double) {
        self.west = west
        self.south = south
        self.east = east
        self.north = north
    }

    /// North Rhine-Westphalia: where citymap expects reports unless told otherwise (a state-wide deployment).
    public static let northRhineWestphalia = BoundingBox(trustedWest: 5.86, south: 50.32, east: 9.47, north: 52.54)

    /// Parses "WEST,SOUTH,EAST,NORTH" (longitude, latitude, longitude, latitude), the order of GeoJSON's `bbox`.
    public init(parsing text: String) throws(GeometryError) {
        let numbers = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4 else { throw .malformedBoundingBox(text) }
        try self.init(west: numbers[0], south: numbers[1], east: numbers[2], north: numbers[3])
    }

    /// "WEST,SOUTH,EAST,NORTH", as `init(parsing:)` reads it.
    public var description: String {
        [west, south, east, north].map { Coordinate.decimal($0) }.joined(separator: ",")
    }

    public func contains(_ c: Coordinate) -> Bool {
        c.lon >= west && c.lon <= east && c.lat >= south && c.lat <= north
    }

    /// A box that surely contains every point within `radius` of `center` (conservative by 1 %), for spatial-index
    /// pre-filtering before the exact distance test in metres.
    public static func around(_ center: Coordinate, radius: Meters) -> BoundingBox {
        let metresPerDegreeLat = 111_132.0
        let dLat = radius.value / metresPerDegreeLat * 1.01
        let cosLat = max(cos(center.lat * .pi / 180), 0.01)
        let dLon = radius.value / (metresPerDegreeLat * cosLat) * 1.01
        return BoundingBox(trustedWest: center.lon - dLon, south: center.lat - dLat,
                           east: center.lon + dLon, north: center.lat + dLat)
    }
}

import Foundation
