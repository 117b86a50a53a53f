/// What an area is for: reports are placed in one district and at most one square.
public enum AreaKind: String, CaseIterable, Codable, Sendable {
    case district
    case square
}

/// A named area: a district (Innenstadt West, Innenstadt Ost) or a public square.
public struct Area: Hashable, Sendable {
    public let id: Int64
    public let kind: AreaKind
    public let code: String
    public let name: String
    public let source: String?
    /// For a square: the code of the district it belongs to. A square at a district's edge (Graf-Adolf-Platz lies
    /// 19.7 % outside both) counts wholly for that district, so its reports are never left without one.
    public var district: String? = nil
}

/// An area together with its shape, as needed for placing reports.
public struct AreaShape: Sendable {
    public let area: Area
    public let shape: MultiPolygon
}

/// The district and square a position falls in. Built from all areas once, then asked per report.
public struct Placement: Sendable {
    public var district: Area?
    public var square: Area?
}

/// In-memory point-in-polygon lookup over the areas (a handful of polygons), with a bounding-box pre-check.
public struct AreaIndex: Sendable {
    private let districts: [AreaShape]
    private let squares: [AreaShape]

    public init(_ shapes: [AreaShape]) {
        districts = shapes.filter { $0.area.kind == .district }
        squares = shapes.filter { $0.area.kind == .square }
    }

    /// The first square (by id) that contains the position, and its district: the one the square belongs to when it
    /// names one, else the first district (by id) that contains the position.
    public func place(_ c: Coordinate) -> Placement {
        let square = squares.first { $0.shape.contains(c) }?.area
        if let code = square?.district, let owner = districts.first(where: { $0.area.code == code }) {
            return Placement(district: owner.area, square: square)
        }
        return Placement(district: districts.first { $0.shape.contains(c) }?.area, square: square)
    }

    public var isEmpty: Bool { districts.isEmpty && squares.isEmpty }
}
