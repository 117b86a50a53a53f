import Foundation

/// A report's classification: a focus topic and one of its subcategories, written `category/subcategory`
/// (e.g. `cleanliness/litter`).
public struct CategoryCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let category: String
    public let subcategory: String

    public init(category: String, subcategory: String) {
        self.category = category
        self.subcategory = subcategory
    }

    public var description: String { "\(category)/\(subcategory)" }

    public static func < (a: CategoryCode, b: CategoryCode) -> Bool { a.description < b.description }
}

/// The Citymanagement's focus topics (from `GeoData/taxonomy.json`), with German and English labels,
/// a map colour and a Maki symbol per category.
public struct Taxonomy: Sendable, Encodable {
    public struct Subcategory: Sendable, Codable {
        public let code: String
        public let de: String
        public let en: String
    }

    public struct Category: Sendable, Codable {
        public let code: String
        public let de: String
        public let en: String
        public let color: String
        public let symbol: String
        public let subcategories: [Subcategory]
    }

    public let categories: [Category]
    /// Every accepted way of writing each subcategory, normalised (see `label`), built on first use: a command
    /// given codes never needs it (building it was a millisecond of each `citymap log`).
    private let labels: Labels

    enum CodingKeys: String, CodingKey { case categories }

    public init(categories: [Category]) {
        self.categories = categories
        labels = Labels(categories)
    }

    /// Reads a taxonomy file; the error names the file.
    public init(contentsOf url: URL) throws(DomainError) {
        struct File: Decodable { let categories: [Category] }
        do {
            let data = try Data(contentsOf: url)
            categories = try JSONDecoder().decode(File.self, from: data).categories
        } catch {
            throw .unreadableFile(url.path, reason: "\(error)")
        }
        labels = Labels(categories)
    }

    public func category(_ code: String) -> Category? { categories.first { $0.code == code } }

    /// Every `category/subcategory` code, in file order.
    public var codes: [CategoryCode] {
        categories.flatMap { c in c.subcategories.map { CategoryCode(category: c.code, subcategory: $0.code) } }
    }

    /// Resolves `category/subcategory` typed by a person; the error lists what exists.
    public func resolve(_ text: String) throws(DomainError) -> CategoryCode {
        // A code as stored ("cleanliness/litter") is itself; anything else may be a label.
        if let slash = text.firstIndex(of: "/"), let category = category(String(text[..<slash])),
           category.subcategories.contains(where: { $0.code == text[text.index(after: slash)...] }) {
            return CategoryCode(category: category.code, subcategory: String(text[text.index(after: slash)...]))
        }
        if let labelled = label(text) { return labelled }
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmed.lowercased() }
        guard let categoryCode = parts.first, let category = category(categoryCode) else {
            throw .unknownCategory(text, known: categories.map(\.code))
        }
        guard parts.count == 2 else {
            throw .missingSubcategory(text, known: category.subcategories.map { "\(category.code)/\($0.code)" })
        }
        guard category.subcategories.contains(where: { $0.code == parts[1] }) else {
            throw .unknownCategory(text, known: category.subcategories.map { "\(category.code)/\($0.code)" })
        }
        return CategoryCode(category: category.code, subcategory: parts[1])
    }

    /// A subcategory named as people write it: "Sauberkeit/Hundekot", "Cleanliness/Dog fouling", or the
    /// subcategory's German or English label or code alone ("Hundekot", "dog-fouling") where only one subcategory
    /// has it. Case and the spaces around a slash do not matter. nil when nothing matches exactly one.
    func label(_ text: String) -> CategoryCode? {
        let wanted = Self.normalized(text)
        guard !wanted.isEmpty, let found = labels.index[wanted], found.count == 1 else { return nil }
        return found.first
    }

    private final class Labels: @unchecked Sendable {
        private let categories: [Category]
        private let lock = NSLock()
        private var built: [String: Set<CategoryCode>]?

        init(_ categories: [Category]) { self.categories = categories }

        var index: [String: Set<CategoryCode>] {
            lock.lock()
            defer { lock.unlock() }
            if let built { return built }
            let index = Taxonomy.labelIndex(categories)
            built = index
            return index
        }
    }

    private static func labelIndex(_ categories: [Category]) -> [String: Set<CategoryCode>] {
        var index: [String: Set<CategoryCode>] = [:]
        for category in categories {
            for sub in category.subcategories {
                let code = CategoryCode(category: category.code, subcategory: sub.code)
                let names = [sub.de, sub.en, sub.code] + [(category.de, sub.de), (category.en, sub.en), (category.code, sub.code)].map { $0.0 + "/" + $0.1 }
                for name in names { index[normalized(name), default: []].insert(code) }
            }
        }
        return index
    }

    private static func normalized(_ text: String) -> String {
        // Dashes and underscores count as spaces: form builders write choices as "fehlende_beschilderung".
        text.lowercased().split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmed }.joined(separator: "/")
            .split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "_" }).joined(separator: " ")
    }
}
