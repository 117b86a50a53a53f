/// A position in EPSG:25832 (ETRS89 / UTM zone 32N), in metres: the official metric CRS of
/// North Rhine-Westphalia, used for every distance, radius and grid in citymap.
public struct ProjectedPoint: Hashable, Sendable {
    /// Easting in metres.
    public let x: Double
    /// Northing in metres.
    public let y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance in the projected plane.
    public func distance(to other: ProjectedPoint) -> Meters {
        Meters(((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot())
    }
}
