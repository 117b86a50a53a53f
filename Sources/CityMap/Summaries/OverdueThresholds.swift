/// Days without a response after which an open concern is overdue: one default and, optionally, one per category.
public struct OverdueThresholds: Sendable, Equatable {
    public var defaultDays = 10
    /// Days by category code (`safety`), overriding the default.
    public var byCategory: [String: Int] = [:]

    public init() {}

    /// Reads `10`, `10,safety=3` or `safety=3,cleanliness=5` (the default then stays 10). Category names are checked
    /// against the taxonomy, so a typo is an error rather than a threshold that never applies.
    public init(parsing text: String, taxonomy: Taxonomy) throws(SummaryError) {
        for part in text.split(separator: ",").map({ $0.trimmed }) {
            let pair = part.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmed }
            if pair.count == 1, let days = Int(pair[0]), days >= 0 {
                defaultDays = days
            } else if pair.count == 2, let days = Int(pair[1]), days >= 0 {
                let code = pair[0].lowercased()
                guard taxonomy.category(code) != nil else {
                    throw .unknownThresholdCategory(pair[0], known: taxonomy.categories.map(\.code))
                }
                byCategory[code] = days
            } else {
                throw .badThreshold(text)
            }
        }
        if text.trimmed.isEmpty { throw .badThreshold(text) }
    }

    /// The threshold of one category.
    public func days(for category: String) -> Int { byCategory[category] ?? defaultDays }
}
