/// Invalid coordinates, lengths and shapes, described for the person who typed or supplied them.
public enum GeometryError: CityMapError, Equatable {
    case notFinite(field: String)
    case latitudeOutOfRange(Double)
    case longitudeOutOfRange(Double)
    case malformedPosition(String)
    case malformedLength(String)
    case malformedBoundingBox(String)
    case emptyBoundingBox(west: Double, south: Double, east: Double, north: Double)
    case ringTooShort(ring: Int, positions: Int)
    case ringNotClosed(ring: Int)
    case emptyPolygon

    public var kind: ErrorKind { .invalid }

    public var parameter: String? {
        switch self {
        case .notFinite(let field): return field == "latitude" ? "lat" : "lon"
        case .latitudeOutOfRange: return "lat"
        case .longitudeOutOfRange: return "lon"
        default: return nil
        }
    }

    public var value: String? {
        switch self {
        case .latitudeOutOfRange(let v), .longitudeOutOfRange(let v): return String(v)
        case .malformedPosition(let t), .malformedLength(let t), .malformedBoundingBox(let t): return t
        default: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .notFinite(let field):
            return "\(field) is not a number (NaN or infinite)"
        case .latitudeOutOfRange(let lat):
            return "latitude \(lat) is outside -90…90; check that latitude and longitude are not swapped"
        case .longitudeOutOfRange(let lon):
            return "longitude \(lon) is outside -180…180"
        case .malformedPosition(let text):
            return "'\(text)' is not a position; write LAT,LON in decimal degrees, e.g. 51.2275,6.7711"
        case .malformedLength(let text):
            return "'\(text)' is not a length; write metres such as 100m, 25 m or 1.5km"
        case .malformedBoundingBox(let text):
            return "'\(text)' is not a bounding box; write WEST,SOUTH,EAST,NORTH in degrees, e.g. 6.76,51.21,6.80,51.24"
        case let .emptyBoundingBox(west, south, east, north):
            return "bounding box \(west),\(south),\(east),\(north) is empty: west must not exceed east, nor south north"
        case let .ringTooShort(ring, positions):
            return "ring \(ring) has \(positions) positions; a closed ring needs at least 4"
        case .ringNotClosed(let ring):
            return "ring \(ring) is not closed: its last position must repeat its first"
        case .emptyPolygon:
            return "the geometry has no polygon"
        }
    }
}
