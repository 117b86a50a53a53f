import Foundation

/// Maps a foreign system's categories (and statuses) onto citymap's taxonomy, from a JSON file:
///
///     { "categories": { "Wilder Müll": "cleanliness/illegal-dumping", "017": "safety/poor-lighting", "*": "cleanliness/litter" },
///       "statuses":   { "other": "open" } }
///
/// A flat object is read as categories alone. `*` catches every category not named. Keys match the category
/// as the file has it (Open311: service_code or service_name).
public struct CategoryMap: Sendable {
    public private(set) var categories: [String: CategoryCode] = [:]
    public private(set) var statuses: [String: ReportStatus] = [:]

    public init() {}

    /// The `*` entry: the category of every record whose own is not named, or missing.
    public var fallback: CategoryCode? { categories["*"] }

    public init(contentsOf url: URL, taxonomy: Taxonomy) throws(ImportError) {
        let root = try JSONInput.read(url, expecting: "a category map (a JSON object)")
        guard let object = root as? [String: Any] else {
            throw ImportError(file: url.path, message: "is not a JSON object mapping foreign categories to category/subcategory codes")
        }
        let categoryObject = (object["categories"] as? [String: Any]) ?? (object["statuses"] == nil ? object : [:])
        for (key, value) in categoryObject {
            guard let text = value as? String else {
                throw ImportError(file: url.path, field: "categories.\(key)", message: "must be a category/subcategory code")
            }
            do { categories[key] = try taxonomy.resolve(text) } catch {
                throw ImportError(file: url.path, field: "categories.\(key)", message: error.description)
            }
        }
        for (key, value) in object["statuses"] as? [String: Any] ?? [:] {
            guard let text = value as? String, let status = ReportStatus(rawValue: text) else {
                throw ImportError(file: url.path, field: "statuses.\(key)",
                                  message: "must be one of \(ReportStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statuses[key.lowercased()] = status
        }
    }

    /// The category for a record: a taxonomy code as it stands, else the map, else a taxonomy label ("Hundekot"),
    /// else `*`; nil when unmapped.
    func resolve(_ raw: RawReport, taxonomy: Taxonomy) -> CategoryCode? {
        if let category = raw.category {
            let code = raw.subcategory.map { "\(category)/\($0)" } ?? category
            if code.contains("/"), let resolved = try? taxonomy.resolve(code) { return resolved }
            if let mapped = categories[category] { return mapped }
            if let labelled = taxonomy.label(code) { return labelled }
        }
        if let label = raw.categoryLabel {
            if let mapped = categories[label] { return mapped }
            if let labelled = taxonomy.label(label) { return labelled }
        }
        return categories["*"]
    }
}
