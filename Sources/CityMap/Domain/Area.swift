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

    /// The first district and the first square (by id) that contain the position.
    public func place(_ c: Coordinate) -> Placement {
        Placement(district: districts.first { $0.shape.contains(c) }?.area,
                  square: squares.first { $0.shape.contains(c) }?.area)
    }

    public var isEmpty: Bool { districts.isEmpty && squares.isEmpty }
}
