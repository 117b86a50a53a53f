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

    /// North Rhine-Westphalia: where a position typed by a person is checked for swapped coordinates.
    public static let northRhineWestphalia = BoundingBox(trustedWest: 5.86, south: 50.32, east: 9.47, north: 52.54)

    /// The city of Düsseldorf: the extent of a new database, where imports expect their reports. The bounds of
    /// OpenStreetMap's 50 Stadtteile (6.68869, 51.124373, 6.939885, 51.352532), rounded outwards to 1e-4°.
    public static let duesseldorf = BoundingBox(trustedWest: 6.6886, south: 51.1243, east: 6.9399, north: 51.3526)

    public var center: Coordinate { Coordinate(trustedLon: (west + east) / 2, lat: (south + north) / 2) }

    /// The smallest box holding every position; nil for none.
    public static func around(_ positions: [Coordinate]) -> BoundingBox? {
        guard let first = positions.first else { return nil }
        var box = (first.lon, first.lat, first.lon, first.lat)
        for p in positions.dropFirst() {
            box = (min(box.0, p.lon), min(box.1, p.lat), max(box.2, p.lon), max(box.3, p.lat))
        }
        return BoundingBox(trustedWest: box.0, south: box.1, east: box.2, north: box.3)
    }

    /// Where this box lies seen from `other`: "about 34 km south-southwest of" style words, for messages.
    public func whereabouts(from other: BoundingBox) -> String {
        let a = other.center, b = center
        let dLat = (b.lat - a.lat) * .pi / 180, dLon = (b.lon - a.lon) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * .pi / 180) * cos(b.lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        let km = 2 * 6371.0 * asin(min(1, h.squareRoot()))
        let y = sin(dLon) * cos(b.lat * .pi / 180)
        let x = cos(a.lat * .pi / 180) * sin(b.lat * .pi / 180) - sin(a.lat * .pi / 180) * cos(b.lat * .pi / 180) * cos(dLon)
        let bearing = (atan2(y, x) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        let names = ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"]
        let direction = names[Int((bearing + 22.5) / 45) % 8]
        let distance = km >= 10 ? "\(Int(km.rounded())) km" : String(format: "%.1f km", km)
        return "about \(distance) \(direction) of"
    }

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
