import Foundation

/// The seven scores of a Platzcheck, each a whole number from 1 (poor) to 5 (very good).
public struct SquareScores: Sendable, Equatable, Encodable {
    /// The criteria in the order they are shown and stored.
    public static let criteria = ["cleanliness", "seating", "greenery", "lighting", "safety", "liveliness", "accessibility"]

    /// Short forms for narrow table columns, in `criteria` order.
    public static let shortNames = ["clean", "seating", "green", "light", "safety", "lively", "access"]

    /// German names a check sheet may use for them.
    static let germanNames: [String: String] = [
        "sauberkeit": "cleanliness", "sitzgelegenheiten": "seating", "sitzen": "seating", "grün": "greenery", "gruen": "greenery",
        "begrünung": "greenery", "beleuchtung": "lighting", "licht": "lighting", "sicherheit": "safety",
        "sicherheitsgefühl": "safety", "sicherheitsgefuehl": "safety", "feeling-of-safety": "safety", "belebung": "liveliness",
        "lebendigkeit": "liveliness", "barrierefreiheit": "accessibility", "zugänglichkeit": "accessibility",
    ]

    /// Scores in `criteria` order.
    public let values: [Int]

    public init(values: [Int]) throws(VacancyError) {
        guard values.count == Self.criteria.count else { throw .missingCriteria(Array(Self.criteria.dropFirst(values.count))) }
        for (k, v) in values.enumerated() where !(1...5).contains(v) {
            throw .scoreOutOfRange(criterion: Self.criteria[k], value: String(v))
        }
        self.values = values
    }

    /// `cleanliness=4,seating=3,…`: all seven, in any order, English or German names.
    public init(parsing text: String) throws(VacancyError) {
        var found: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
            guard parts.count == 2, !parts[0].isEmpty else { throw .malformedScores(text) }
            guard let name = Self.criterion(parts[0]) else { throw .unknownCriterion(parts[0]) }
            found[name] = parts[1]
        }
        guard !found.isEmpty else { throw .malformedScores(text) }
        try self.init(named: found)
    }

    /// From a criterion → text map (a CSV row): every criterion present and a whole number from 1 to 5.
    init(named: [String: String]) throws(VacancyError) {
        let missing = Self.criteria.filter { named[$0] == nil }
        guard missing.isEmpty else { throw .missingCriteria(missing) }
        var values: [Int] = []
        for name in Self.criteria {
            let text = named[name]!
            guard let v = Int(text), (1...5).contains(v) else { throw .scoreOutOfRange(criterion: name, value: text) }
            values.append(v)
        }
        try self.init(values: values)
    }

    /// The criterion a name stands for, English or German, any case; nil if none.
    public static func criterion(_ name: String) -> String? {
        let key = name.trimmed.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        if criteria.contains(key) { return key }
        return germanNames[key]
    }

    public subscript(_ criterion: String) -> Int? { Self.criteria.firstIndex(of: criterion).map { values[$0] } }

    /// The unweighted mean of the seven scores.
    public var mean: Double { Double(values.reduce(0, +)) / Double(values.count) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        for (name, v) in zip(Self.criteria, values) { try c.encode(v, forKey: DynamicKey(name)) }
    }
}

struct DynamicKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// One assessment of a square at one visit (Platzcheck).
public struct SquareCheck: Sendable, Encodable {
    public let id: Int64
    public let square: Area
    public let at: Date
    public let scores: SquareScores
    public let actor: String?
    public let note: String?

    enum CodingKeys: String, CodingKey { case id, square, at, scores, mean, actor, note }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(square.name, forKey: .square)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(scores, forKey: .scores)
        try c.encode((scores.mean * 100).rounded() / 100, forKey: .mean)
        try c.encode(actor, forKey: .actor)
        try c.encode(note, forKey: .note)
    }
}

/// What `square check` records.
public struct NewSquareCheck: Sendable {
    /// The square's name or code.
    public var square: String
    public var at: Date
    public var scores: SquareScores
    public var actor: String?
    public var note: String?

    public init(square: String, at: Date, scores: SquareScores) {
        self.square = square
        self.at = at
        self.scores = scores
    }
}

/// A square's latest check in a summary: its scores, and the change of the mean against the check before.
public struct SquareCheckTrend: Sendable, Encodable {
    public let latest: SquareCheck
    /// The mean of the check before the latest, if there was one.
    public let previousMean: Double?

    /// Latest mean minus the previous one: positive is better.
    public var trend: Double? { previousMean.map { ((latest.scores.mean - $0) * 100).rounded() / 100 } }

    enum CodingKeys: String, CodingKey { case at, scores, mean, previousMean = "previous_mean", trend }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.local(latest.at), forKey: .at)
        try c.encode(latest.scores, forKey: .scores)
        try c.encode((latest.scores.mean * 100).rounded() / 100, forKey: .mean)
        try c.encode(previousMean.map { ($0 * 100).rounded() / 100 }, forKey: .previousMean)
        try c.encode(trend, forKey: .trend)
    }
}

/// One line of a square's timeline (`square show`): a check, a report on the square, or a change to one.
public struct SquareTimelineEntry: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable { case check, report, event }
    public let at: Date
    public let kind: Kind
    /// The report or check it concerns.
    public let id: Int64
    public let text: String

    enum CodingKeys: String, CodingKey { case at, kind, id, text }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
    }
}
