/// Hotspot parameters that cannot give an analysis, with the value and the limit it broke.
public enum HotspotError: CityMapError {
    /// A length that must be above 0 m (`eps`, `cell`, `radius`, `pixel`), with a value to try instead.
    case notPositive(parameter: String, Meters, suggestion: String)
    case minPointsBelowOne(Int)
    case bandBelowCell(band: Meters, cell: Meters)
    case cellLargerThanExtent(cell: Meters, width: Meters, height: Meters)
    case tooFewPopulatedCells(Int)
    case pixelAboveRadius(pixel: Meters, radius: Meters)
    case shareOutOfRange(Double)
    case malformedShare(String)
    case unknownKernel(String, known: [String])
    /// The work asked for is larger than the limit (cells of a grid, kernel evaluations).
    case tooLarge(parameter: String, needed: Double, limit: Double, what: String)

    public var kind: ErrorKind {
        if case .tooLarge = self { return .tooLarge }
        return .invalid
    }

    public var parameter: String? {
        switch self {
        case .notPositive(let parameter, _, _), .tooLarge(let parameter, _, _, _): return parameter
        case .minPointsBelowOne: return "min_points"
        case .bandBelowCell: return "band"
        case .cellLargerThanExtent, .tooFewPopulatedCells: return "cell"
        case .pixelAboveRadius: return "pixel"
        case .shareOutOfRange, .malformedShare: return "top"
        case .unknownKernel: return "kernel"
        }
    }

    public var value: String? {
        switch self {
        case .notPositive(_, let m, _): return m.description
        case .minPointsBelowOne(let n): return String(n)
        case .bandBelowCell(let band, _): return band.description
        case .cellLargerThanExtent(let cell, _, _): return cell.description
        case .pixelAboveRadius(let pixel, _): return pixel.description
        case .shareOutOfRange(let v): return String(v)
        case .malformedShare(let t), .unknownKernel(let t, _): return t
        case .tooFewPopulatedCells, .tooLarge: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case let .notPositive(parameter, value, suggestion):
            return "\(naming(parameter)) must be more than 0 m (got \(value)); try \(suggestion)"
        case .minPointsBelowOne(let n):
            return "\(naming("min_points")) must be at least 1 (got \(n)); try 5"
        case let .bandBelowCell(band, cell):
            return "\(naming("band")) \(band) is smaller than \(naming("cell")) \(cell): a band must reach at least the neighbouring cells"
        case let .cellLargerThanExtent(cell, width, height):
            return "\(naming("cell")) \(cell) is larger than the extent (\(width) × \(height)); choose a smaller cell"
        case .tooFewPopulatedCells(let n):
            return "only \(n) cell\(n == 1 ? " has" : "s have") reports; Gi* needs at least 3 (choose smaller cells or a wider filter)"
        case let .pixelAboveRadius(pixel, radius):
            return "\(naming("pixel")) \(pixel) is larger than \(naming("radius")) \(radius); choose a pixel below the radius"
        case .shareOutOfRange(let v):
            return "\(naming("top")) must be between 0 and 100 % (got \(v) %)"
        case .malformedShare(let text):
            return "\(naming("top")) '\(text)' is not a share; write a percentage such as 5%"
        case let .unknownKernel(text, known):
            return "\(naming("kernel")) '\(text)' is not a kernel; use one of: \(known.joined(separator: ", "))"
        case let .tooLarge(parameter, needed, limit, what):
            return "this would need \(Int(needed)) \(what), more than the \(Int(limit)) allowed; choose a larger \(naming(parameter))"
        }
    }
}
