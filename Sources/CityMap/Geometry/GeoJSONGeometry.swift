/// Reads GeoJSON geometries (RFC 7946): the one place where GeoJSON's `[lon, lat]` order becomes a `Coordinate`.
enum GeoJSONGeometry {
    /// A problem at a path inside a geometry, e.g. field `coordinates[0][2]`.
    struct Problem: Error {
        let field: String
        let message: String
    }

    /// A `Polygon` or `MultiPolygon` object as a `MultiPolygon`, in whatever ring orientation it came.
    static func multiPolygon(from object: Any?) throws(Problem) -> MultiPolygon {
        guard let geometry = object as? [String: Any] else {
            throw Problem(field: "geometry", message: "is missing or not an object")
        }
        let type = geometry["type"] as? String
        let coordinates = geometry["coordinates"]
        let polygons: [Polygon]
        switch type {
        case "Polygon":
            polygons = [try polygon(coordinates, path: "geometry.coordinates")]
        case "MultiPolygon":
            guard let list = coordinates as? [Any] else {
                throw Problem(field: "geometry.coordinates", message: "is not an array of polygons")
            }
            var result: [Polygon] = []
            for (i, item) in list.enumerated() {
                result.append(try polygon(item, path: "geometry.coordinates[\(i)]"))
            }
            polygons = result
        case let other?:
            throw Problem(field: "geometry.type", message: "is \(other); only Polygon and MultiPolygon describe an area")
        case nil:
            throw Problem(field: "geometry.type", message: "is missing")
        }
        do {
            return try MultiPolygon(polygons)
        } catch {
            throw Problem(field: "geometry.coordinates", message: error.description)
        }
    }

    /// A `LineString` object as its positions (at least 2).
    /// The lines of a MultiLineString (or of a LineString, as one line), each of at least 2 positions.
    static func multiLineString(from object: Any?) throws(Problem) -> [[Coordinate]] {
        guard let geometry = object as? [String: Any] else {
            throw Problem(field: "geometry", message: "is missing or not an object")
        }
        if geometry["type"] as? String == "LineString" { return [try lineString(from: object)] }
        guard geometry["type"] as? String == "MultiLineString" else {
            throw Problem(field: "geometry.type", message: "is \(geometry["type"] ?? "missing"); a walk is a LineString or MultiLineString")
        }
        guard let lines = geometry["coordinates"] as? [Any], !lines.isEmpty else {
            throw Problem(field: "geometry.coordinates", message: "is not an array of lines")
        }
        var result: [[Coordinate]] = []
        for (k, line) in lines.enumerated() {
            guard let positions = line as? [Any], positions.count >= 2 else {
                throw Problem(field: "geometry.coordinates[\(k)]", message: "is not an array of at least 2 positions")
            }
            var points: [Coordinate] = []
            for (i, p) in positions.enumerated() { points.append(try position(p, path: "geometry.coordinates[\(k)][\(i)]")) }
            result.append(points)
        }
        return result
    }

    static func lineString(from object: Any?) throws(Problem) -> [Coordinate] {
        guard let geometry = object as? [String: Any] else {
            throw Problem(field: "geometry", message: "is missing or not an object")
        }
        guard geometry["type"] as? String == "LineString" else {
            throw Problem(field: "geometry.type", message: "is \(geometry["type"] ?? "missing"); a walk is a LineString")
        }
        guard let positions = geometry["coordinates"] as? [Any], positions.count >= 2 else {
            throw Problem(field: "geometry.coordinates", message: "is not an array of at least 2 positions")
        }
        var line: [Coordinate] = []
        line.reserveCapacity(positions.count)
        for (i, p) in positions.enumerated() { line.append(try position(p, path: "geometry.coordinates[\(i)]")) }
        return line
    }

    private static func polygon(_ object: Any?, path: String) throws(Problem) -> Polygon {
        guard let rings = object as? [Any], !rings.isEmpty else {
            throw Problem(field: path, message: "is not a non-empty array of rings")
        }
        var parsed: [LinearRing] = []
        for (r, ringObject) in rings.enumerated() {
            guard let positions = ringObject as? [Any] else {
                throw Problem(field: "\(path)[\(r)]", message: "is not an array of positions")
            }
            var coordinates: [Coordinate] = []
            coordinates.reserveCapacity(positions.count)
            for (i, positionObject) in positions.enumerated() {
                coordinates.append(try position(positionObject, path: "\(path)[\(r)][\(i)]"))
            }
            do {
                parsed.append(try LinearRing(coordinates, index: r))
            } catch {
                throw Problem(field: "\(path)[\(r)]", message: error.description)
            }
        }
        do {
            return try Polygon(rings: parsed)
        } catch {
            throw Problem(field: path, message: error.description)
        }
    }

    /// A GeoJSON position `[lon, lat]` (a third value, altitude, is ignored).
    static func position(_ object: Any?, path: String) throws(Problem) -> Coordinate {
        guard let values = object as? [Any], values.count >= 2,
              let lon = number(values[0]), let lat = number(values[1]) else {
            throw Problem(field: path, message: "is not a position [longitude, latitude]")
        }
        do {
            return try Coordinate(lon: lon, lat: lat)
        } catch {
            throw Problem(field: path, message: error.description)
        }
    }

    /// JSONSerialization yields NSNumber for numbers and for booleans alike: refuse booleans (type code "c").
    static func number(_ value: Any) -> Double? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        return n.doubleValue
    }
}

import Foundation
