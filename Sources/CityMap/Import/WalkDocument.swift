import Foundation

/// A walk sent as GeoJSON: a LineString, or a Feature holding one with the properties `name`, `team` and
/// `times` (ISO 8601, one per position, as GPS apps export `coordTimes`).
public struct WalkDocument: Sendable {
    public let name: String?
    public let team: String?
    public let line: [Coordinate]
    public let times: [Date]

    public init(_ data: Data) throws(DomainError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .invalidText(field: "body", reason: "is not a GeoJSON object")
        }
        var geometry: Any? = object
        var properties: [String: Any] = [:]
        if object["type"] as? String == "Feature" {
            geometry = object["geometry"]
            properties = object["properties"] as? [String: Any] ?? [:]
        }
        do {
            line = try GeoJSONGeometry.lineString(from: geometry)
        } catch {
            throw .invalidText(field: error.field, reason: error.message)
        }
        name = (properties["name"] as? String).flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        team = (properties["team"] as? String).flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        let texts = properties["times"] as? [Any] ?? properties["coordTimes"] as? [Any] ?? []
        var times: [Date] = []
        for (i, text) in texts.enumerated() {
            guard let string = text as? String, let date = Timestamp.parse(string) else {
                throw .malformedTime("\(text)", field: "properties.times[\(i)]")
            }
            times.append(date)
        }
        guard times.isEmpty || times.count == line.count else {
            throw .invalidText(field: "properties.times", reason: "has \(times.count) times for \(line.count) positions; give one per position or none")
        }
        self.times = times
    }
}
