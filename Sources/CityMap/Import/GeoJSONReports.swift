import Foundation

/// Reads reports from a GeoJSON FeatureCollection of Point features (RFC 7946), as QField, ODK or
/// geojson.io write them. Properties: `category` (`category/subcategory`, required), `observed_at` (ISO 8601,
/// required), `description` or `note`, `severity`, `accuracy_m`, `reporter`, `external_id`.
/// Every problem names the file, the feature (1-based) and the field.
public enum GeoJSONReports {
    public static func read(_ url: URL, taxonomy: Taxonomy, source: String) throws(ImportError) -> [NewReport] {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImportError(file: file, message: "cannot be read (\(error.localizedDescription))")
        }
        guard !data.isEmpty else { throw ImportError(file: file, message: "is empty; expected a GeoJSON FeatureCollection") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw ImportError(file: file, message: "is not valid JSON (truncated or not GeoJSON)")
        }
        guard let object = root as? [String: Any], object["type"] as? String == "FeatureCollection",
              let features = object["features"] as? [Any] else {
            throw ImportError(file: file, field: "type", message: "must be a FeatureCollection with a features array")
        }
        var reports: [NewReport] = []
        reports.reserveCapacity(features.count)
        for (i, item) in features.enumerated() {
            let location = "feature \(i + 1)"
            func fail(_ field: String, _ message: String) -> ImportError {
                ImportError(file: file, location: location, field: field, message: message)
            }
            guard let feature = item as? [String: Any] else { throw fail("feature", "is not an object") }
            guard let geometry = feature["geometry"] as? [String: Any], geometry["type"] as? String == "Point" else {
                throw fail("geometry", "must be a Point")
            }
            let position: Coordinate
            do { position = try GeoJSONGeometry.position(geometry["coordinates"], path: "geometry.coordinates") } catch {
                throw fail(error.field, error.message)
            }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let categoryText = properties["category"] as? String else { throw fail("properties.category", "is missing") }
            let category: CategoryCode
            do { category = try taxonomy.resolve(categoryText) } catch { throw fail("properties.category", error.description) }
            guard let timeText = properties["observed_at"] as? String else { throw fail("properties.observed_at", "is missing") }
            guard let observedAt = Timestamp.parse(timeText) else {
                throw fail("properties.observed_at", "'\(timeText)' is not an ISO 8601 time")
            }
            var severity = Severity.medium
            if let value = properties["severity"] {
                guard let text = value as? String, let parsed = Severity(rawValue: text) else {
                    throw fail("properties.severity", "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                severity = parsed
            }
            var accuracy: Meters?
            if let value = properties["accuracy_m"], !(value is NSNull) {
                guard let metres = GeoJSONGeometry.number(value), metres.isFinite, metres >= 0 else {
                    throw fail("properties.accuracy_m", "must be a non-negative number of metres")
                }
                accuracy = Meters(metres)
            }
            let description = (properties["description"] as? String) ?? (properties["note"] as? String) ?? ""
            reports.append(NewReport(position: position, category: category, severity: severity, description: description,
                                     observedAt: observedAt, reporter: properties["reporter"] as? String, source: source,
                                     externalID: properties["external_id"] as? String, accuracy: accuracy))
        }
        return reports
    }
}
