import Foundation

/// One area read from a boundary file, not yet stored.
public struct AreaFeature: Sendable {
    /// 1-based position of the feature in the file, for error messages.
    public let index: Int
    public let code: String
    public let name: String
    public let source: String?
    public let shape: MultiPolygon
    /// For a square: the code of the district it belongs to, when the file says (property `district`).
    public var district: String? = nil
}

/// Reads a GeoJSON FeatureCollection of Polygon or MultiPolygon features (e.g. official district outlines).
/// Ring orientation may be either way; it is normalised to RFC 7946 (exterior counter-clockwise) on reading.
public enum BoundaryFile {
    /// `districtProperty` names the property that says which district a square belongs to (where present).
    public static func read(_ url: URL, nameProperty: String = "name", codeProperty: String? = nil,
                            districtProperty: String = "district", sourceNote: String? = nil) throws(ImportError) -> [AreaFeature] {
        let file = url.path
        let root = try JSONInput.read(url, expecting: "a GeoJSON FeatureCollection")
        guard let object = root as? [String: Any] else {
            throw ImportError(file: file, message: "is not a GeoJSON object")
        }
        let features: [Any]
        switch object["type"] as? String {
        case "FeatureCollection":
            guard let list = object["features"] as? [Any] else {
                throw ImportError(file: file, field: "features", message: "is missing or not an array")
            }
            features = list
        case "Feature":
            features = [object]
        default:
            throw ImportError(file: file, field: "type", message: "must be FeatureCollection or Feature")
        }
        guard !features.isEmpty else { throw ImportError(file: file, message: "has no features") }

        var result: [AreaFeature] = []
        var seenCodes: [String: Int] = [:]
        for (i, item) in features.enumerated() {
            let location = "feature \(i + 1)"
            guard let feature = item as? [String: Any] else {
                throw ImportError(file: file, location: location, message: "is not a GeoJSON Feature object")
            }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let name = text(properties[nameProperty]), !name.isEmpty else {
                throw ImportError(file: file, location: location, field: "properties.\(nameProperty)",
                                  message: "is missing or empty; choose the property that holds the name with --name-property")
            }
            var code = slug(name)
            if let codeProperty {
                guard let value = text(properties[codeProperty]), !value.isEmpty else {
                    throw ImportError(file: file, location: location, field: "properties.\(codeProperty)", message: "is missing or empty")
                }
                code = value
            }
            if let first = seenCodes[code] {
                throw ImportError(file: file, location: location, field: "properties.\(codeProperty ?? nameProperty)",
                                  message: "repeats '\(code)' of feature \(first); every area needs its own code")
            }
            seenCodes[code] = i + 1
            let shape: MultiPolygon
            do { shape = try GeoJSONGeometry.multiPolygon(from: feature["geometry"]) } catch {
                throw ImportError(file: file, location: location, field: error.field, message: error.message)
            }
            result.append(AreaFeature(index: i + 1, code: code, name: name,
                                      source: text(properties["source"]) ?? sourceNote,
                                      shape: shape.rfc7946Oriented,
                                      district: text(properties[districtProperty]).flatMap { $0.isEmpty ? nil : $0 }))
        }
        return result
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s.trimmingCharacters(in: .whitespacesAndNewlines)
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    /// "Innenstadt West" → "innenstadt-west", "Königsallee" → "koenigsallee".
    static func slug(_ name: String) -> String {
        var out = ""
        for ch in name.lowercased() {
            switch ch {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            case _ where ch.isLetter || ch.isNumber: out.append(ch)
            default: if !out.hasSuffix("-") { out += "-" }
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
