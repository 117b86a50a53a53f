/// Where a shop unit stands in the Leerstand register: `occupied → vacant → in-contact (owner reached) → marketed
/// (exposé out) → interim-use → re-let`, plus `demolished`. A re-let unit can fall vacant again and keeps its history.
public enum VacancyState: String, CaseIterable, Codable, Sendable {
    case occupied
    case vacant
    case inContact = "in-contact"
    case marketed
    case interimUse = "interim-use"
    case reLet = "re-let"
    case demolished

    /// Counted as vacant: empty and looking for a user, whether or not the owner has been reached or an exposé is
    /// out. Interim use is counted on its own line; occupied, re-let and demolished units are not vacant.
    public var isVacant: Bool { self == .vacant || self == .inContact || self == .marketed }

    /// The states a unit may move to from this one. A unit in use must first fall vacant before it can be
    /// brokered or re-let; brokering may step back (an owner stops answering, an exposé is withdrawn); demolition
    /// ends the history.
    public var next: [VacancyState] {
        switch self {
        case .occupied: return [.vacant, .demolished]
        case .vacant: return [.inContact, .marketed, .interimUse, .reLet, .demolished]
        case .inContact: return [.vacant, .marketed, .interimUse, .reLet, .demolished]
        case .marketed: return [.vacant, .inContact, .interimUse, .reLet, .demolished]
        case .interimUse: return [.vacant, .inContact, .marketed, .reLet, .demolished]
        case .reLet: return [.vacant, .demolished]
        case .demolished: return []
        }
    }

    public func canMove(to state: VacancyState) -> Bool { next.contains(state) }

    /// States a unit may be entered in: re-let and demolished only follow a history.
    public static let initial: [VacancyState] = [.occupied, .vacant, .inContact, .marketed, .interimUse]

    /// Map colours of `vacancy export` (simplestyle `marker-color`): vacant states in warm tones, growing darker as
    /// brokering advances; interim use violet; units in use green and grey.
    public var color: String {
        switch self {
        case .occupied: return "#7f7f7f"
        case .vacant: return "#d62728"
        case .inContact: return "#ff7f0e"
        case .marketed: return "#bcbd22"
        case .interimUse: return "#9467bd"
        case .reLet: return "#2ca02c"
        case .demolished: return "#000000"
        }
    }

    /// Reads the English codes, with spaces or underscores for the dashes, and the German words of a
    /// Leerstandskataster (leer, in Kontakt, vermarktet, Zwischennutzung, wiedervermietet, abgerissen, belegt).
    public init?(label: String) {
        let key = label.trimmed.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        if let state = VacancyState(rawValue: key) { self = state; return }
        switch key {
        case "belegt", "genutzt", "vermietet", "in-use", "let": self = .occupied
        case "leer", "leerstand", "leerstehend", "empty": self = .vacant
        case "in-kontakt", "kontakt", "eigentümer-erreicht", "contacted": self = .inContact
        case "vermarktet", "vermarktung", "exposé", "expose", "angeboten": self = .marketed
        case "zwischennutzung", "interim", "pop-up", "popup": self = .interimUse
        case "wiedervermietet", "neu-vermietet", "relet", "re-let", "nachvermietet": self = .reLet
        case "abgerissen", "abriss", "rückbau": self = .demolished
        default: return nil
        }
    }
}

/// Upper floors are counted apart in the figures a city reports; the ground floor is what shoppers see.
public enum Floor: String, CaseIterable, Codable, Sendable {
    case ground
    case upper

    /// Reads `ground`/`upper` and the Kataster's `EG`/`OG`, `Erdgeschoss`/`Obergeschoss`, `1. OG`.
    public init?(label: String) {
        let key = label.trimmed.lowercased()
        if let floor = Floor(rawValue: key) { self = floor; return }
        if ["eg", "erdgeschoss", "ground floor", "0"].contains(key) { self = .ground; return }
        if key.hasPrefix("og") || key.hasSuffix("og") || key.hasPrefix("obergeschoss") || key.contains(". og")
            || ["upper floor", "1", "2", "3"].contains(key) { self = .upper; return }
        return nil
    }
}

/// A floor area in square metres, as the register gives it.
public struct SquareMetres: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Double

    /// Refuses zero, negative and non-finite areas, and areas beyond a department store (100,000 m²).
    public init(_ value: Double) throws(VacancyError) {
        guard value.isFinite, value > 0, value <= 100_000 else { throw .invalidArea(value) }
        self.value = value
    }

    init(trusted value: Double) { self.value = value }

    public static func < (a: SquareMetres, b: SquareMetres) -> Bool { a.value < b.value }

    public var description: String { "\(Coordinate.decimal(value, digits: 1)) m²" }
}
