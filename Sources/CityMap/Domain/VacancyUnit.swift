import Foundation

/// A shop unit in the Leerstand register: where it is, what it is, and its state now. Its owner's or agent's contact
/// is kept apart (`VacancyOwner`) and never read by a public output.
public struct VacancyUnit: Sendable, Encodable {
    public let id: Int64
    public let position: Coordinate
    public let address: String
    public let street: String
    public let floor: Floor
    public let area: SquareMetres?
    public let lastUse: String?
    public let district: Area?
    public let square: Area?
    public let state: VacancyState
    /// When the unit entered its current state.
    public let stateSince: Date

    enum CodingKeys: String, CodingKey {
        case id, lat, lon, address, street, floor, areaM2 = "area_m2", lastUse = "last_use", district, square, state
        case stateSince = "state_since"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(position.lat, forKey: .lat)
        try c.encode(position.lon, forKey: .lon)
        try c.encode(address, forKey: .address)
        try c.encode(street, forKey: .street)
        try c.encode(floor.rawValue, forKey: .floor)
        try c.encode(area?.value, forKey: .areaM2)
        try c.encode(lastUse, forKey: .lastUse)
        try c.encode(district?.name, forKey: .district)
        try c.encode(square?.name, forKey: .square)
        try c.encode(state.rawValue, forKey: .state)
        try c.encode(Timestamp.local(stateSince), forKey: .stateSince)
    }
}

/// What `vacancy add` and the Kataster import enter: a unit and the state it is in since `since`.
public struct NewVacancyUnit: Sendable {
    public var position: Coordinate
    public var address: String
    /// The street the figures group by; derived from the address when nil.
    public var street: String?
    public var floor: Floor
    public var area: SquareMetres?
    public var lastUse: String?
    /// Owner's or agent's contact: personal data, internal only.
    public var owner: String?
    public var state: VacancyState = .vacant
    public var since: Date
    public var actor: String?
    public var note: String?
    public var source = "cli"
    public var externalID: String?

    public init(position: Coordinate, address: String, floor: Floor, area: SquareMetres?, since: Date) {
        self.position = position
        self.address = address
        self.floor = floor
        self.area = area
        self.since = since
    }

    /// "Schadowstraße 12a" → "Schadowstraße"; "Königsallee 60, 2. OG" → "Königsallee"; an address without a
    /// house number is its own street.
    public static func street(of address: String) -> String {
        let head = address.split(separator: ",").first.map(String.init)?.trimmed ?? address.trimmed
        var words = head.split(separator: " ").map(String.init)
        while let last = words.last, words.count > 1, last.first?.isNumber == true || last == "-" {
            words.removeLast()
        }
        return words.joined(separator: " ")
    }
}

/// One entry of a unit's history: a change of state, dated, with who and a note.
public struct VacancyEvent: Sendable, Encodable {
    public let at: Date
    public let from: VacancyState?
    public let to: VacancyState
    public let actor: String?
    public let note: String?

    enum CodingKeys: String, CodingKey { case at, from, to, actor, note }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(from?.rawValue, forKey: .from)
        try c.encode(to.rawValue, forKey: .to)
        try c.encode(actor, forKey: .actor)
        try c.encode(note, forKey: .note)
    }
}

/// A unit with its whole history, its brokering and the reports linked to it: `vacancy show`, for the office.
/// `owner` is the internal contact; public outputs never build this value.
public struct VacancyUnitDetail: Sendable, Encodable {
    public let unit: VacancyUnit
    public let owner: String?
    public let history: [VacancyEvent]
    public let brokering: [BrokeringRecord]
    public let reports: [Int64]

    enum CodingKeys: String, CodingKey { case unit, owner, history, brokering, reports }
}

/// The filters of `vacancy list` and `vacancy export`.
public struct VacancyFilter: Sendable {
    public var states: [VacancyState] = []
    /// District codes or names.
    public var districts: [String] = []
    /// Streets, matched without regard to case.
    public var streets: [String] = []
    public var floor: Floor?
    /// Only units counted as vacant (vacant, in-contact, marketed).
    public var vacantOnly = false

    public init() {}
}
