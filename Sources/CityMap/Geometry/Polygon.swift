/// A closed ring of WGS84 positions. Validated on construction: at least 4 positions, first equals last.
public struct LinearRing: Hashable, Sendable {
    public let positions: [Coordinate]

    public init(_ positions: [Coordinate], index: Int = 0) throws(GeometryError) {
        guard positions.count >= 4 else { throw .ringTooShort(ring: index, positions: positions.count) }
        guard positions.first == positions.last else { throw .ringNotClosed(ring: index) }
        self.positions = positions
    }

    /// Twice the signed planar area in square degrees: positive when the ring runs counter-clockwise.
    var signedArea2: Double {
        var sum = 0.0
        for i in 0..<(positions.count - 1) {
            let a = positions[i], b = positions[i + 1]
            sum += a.lon * b.lat - b.lon * a.lat
        }
        return sum
    }

    public var isCounterClockwise: Bool { signedArea2 > 0 }

    func oriented(counterClockwise: Bool) -> LinearRing {
        isCounterClockwise == counterClockwise ? self : LinearRing(trusted: positions.reversed())
    }

    private init(trusted positions: [Coordinate]) { self.positions = positions }

    /// Even-odd ray casting; a point exactly on an edge may fall either way.
    func encloses(_ p: Coordinate) -> Bool {
        var inside = false
        var j = positions.count - 2
        for i in 0..<(positions.count - 1) {
            let a = positions[i], b = positions[j]
            if (a.lat > p.lat) != (b.lat > p.lat),
               p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}

/// A polygon: one exterior ring and any number of holes.
public struct Polygon: Hashable, Sendable {
    public let exterior: LinearRing
    public let holes: [LinearRing]

    public init(exterior: LinearRing, holes: [LinearRing] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    /// The rings in the order GeoJSON, WKT and SpatiaLite list them: the exterior first, then the holes.
    init(rings: [LinearRing]) throws(GeometryError) {
        guard let exterior = rings.first else { throw .emptyPolygon }
        self.init(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    func contains(_ p: Coordinate) -> Bool {
        exterior.encloses(p) && !holes.contains { $0.encloses(p) }
    }

    /// RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
    var rfc7946Oriented: Polygon {
        Polygon(exterior: exterior.oriented(counterClockwise: true),
                holes: holes.map { $0.oriented(counterClockwise: false) })
    }
}

/// One or more polygons, the shape of every area in citymap (districts, squares).
public struct MultiPolygon: Hashable, Sendable {
    public let polygons: [Polygon]
    public let bbox: BoundingBox

    public init(_ polygons: [Polygon]) throws(GeometryError) {
        guard !polygons.isEmpty else { throw .emptyPolygon }
        self.polygons = polygons
        var w = Double.infinity, s = Double.infinity, e = -Double.infinity, n = -Double.infinity
        for position in polygons.lazy.flatMap(\.exterior.positions) {
            w = min(w, position.lon); e = max(e, position.lon)
            s = min(s, position.lat); n = max(n, position.lat)
        }
        bbox = BoundingBox(trustedWest: w, south: s, east: e, north: n)
    }

    private init(trusted polygons: [Polygon], bbox: BoundingBox) {
        self.polygons = polygons
        self.bbox = bbox
    }

    /// Point in polygon, planar in degrees (as SpatiaLite's ST_Within on EPSG:4326), holes excluded.
    public func contains(_ p: Coordinate) -> Bool {
        bbox.contains(p) && polygons.contains { $0.contains(p) }
    }

    /// The same shape with exterior rings counter-clockwise and holes clockwise, whatever the input's orientation.
    public var rfc7946Oriented: MultiPolygon {
        // Orientation changes neither the set of positions nor the bbox.
        MultiPolygon(trusted: polygons.map(\.rfc7946Oriented), bbox: bbox)
    }

    /// Well-known text, for handing the shape to SpatiaLite (`ST_GeomFromText(?, 4326)`).
    public var wkt: String {
        func ring(_ r: LinearRing) -> String {
            "(" + r.positions.map { "\($0.lon) \($0.lat)" }.joined(separator: ", ") + ")"
        }
        let parts = polygons.map { p in "(" + ([p.exterior] + p.holes).map(ring).joined(separator: ", ") + ")" }
        return "MULTIPOLYGON(" + parts.joined(separator: ", ") + ")"
    }
}
