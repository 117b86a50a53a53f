/// A length in metres. Distances, radii, cell sizes and GPS accuracies all use this type, never a bare Double,
/// so that degrees and metres cannot be mixed up.
public struct Meters: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Double

    public init(_ value: Double) { self.value = value }

    public static func < (a: Meters, b: Meters) -> Bool { a.value < b.value }

    public var description: String {
        value >= 1000 ? "\(Coordinate.decimal(value / 1000, digits: 2)) km" : "\(Coordinate.decimal(value, digits: 1)) m"
    }

    /// Parses "100m", "100 m", "1.5km" or a bare number (metres). Rejects negative and non-finite values.
    public init(parsing text: String) throws(GeometryError) {
        var body = text.trimmingCharacters(in: .whitespaces).lowercased()
        var factor = 1.0
        if body.hasSuffix("km") {
            factor = 1000
            body.removeLast(2)
        } else if body.hasSuffix("m") {
            body.removeLast()
        }
        guard let number = Double(body.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0, (number * factor).isFinite else {
            throw .malformedLength(text)
        }
        self.init(number * factor)
    }
}

import Foundation
