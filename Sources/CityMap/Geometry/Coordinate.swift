/// A WGS84 position (EPSG:4326) in degrees. Longitude first, as in GeoJSON; the initialiser takes labels so
/// that the order can never be confused.
public struct Coordinate: Hashable, Sendable, CustomStringConvertible, Encodable {
    public let lon: Double
    public let lat: Double

    /// Validates on construction: both values finite, latitude in [-90, 90], longitude in [-180, 180].
    public init(lon: Double, lat: Double) throws(GeometryError) {
        guard lat.isFinite else { throw .notFinite(field: "latitude") }
        guard lon.isFinite else { throw .notFinite(field: "longitude") }
        guard (-90.0...90.0).contains(lat) else { throw .latitudeOutOfRange(lat) }
        guard (-180.0...180.0).contains(lon) else { throw .longitudeOutOfRange(lon) }
        self.lon = lon
        self.lat = lat
    }

    /// For values that come from a trusted source (the database), where validation already happened.
    init(trustedLon lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    enum CodingKeys: String, CodingKey { case lat, lon }

    /// `{"lat": …, "lon": …}`: named, so that the order cannot be mistaken (GeoJSON positions go through the export writer).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode((lat * 1e7).rounded() / 1e7, forKey: .lat)
        try c.encode((lon * 1e7).rounded() / 1e7, forKey: .lon)
    }

    /// Latitude first, as people write it: "51.227500, 6.771100".
    public var description: String {
        "\(Self.decimal(lat)), \(Self.decimal(lon))"
    }

    static func decimal(_ value: Double, digits: Int = 6) -> String {
        let scale = pow10(digits)
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= 10 }
        return result
    }
}

/// Parses "LAT,LON" as people type it (latitude first, as on a phone's map).
extension Coordinate {
    public init(latLon text: String) throws(GeometryError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]) else {
            throw .malformedPosition(text)
        }
        try self.init(lon: lon, lat: lat)
    }
}

import Foundation
