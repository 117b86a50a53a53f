import Foundation

/// Rent a month that an interested business can pay, in bands as the Citymanagement's Ansiedlungsberatung asks.
public enum BudgetBand: String, CaseIterable, Codable, Sendable {
    case under1000 = "under-1000"
    case from1000To2500 = "1000-2500"
    case from2500To5000 = "2500-5000"
    case over5000 = "over-5000"
}

/// The steps of brokering between an enquiry and a unit, in the order they usually come.
public enum BrokeringStep: String, CaseIterable, Codable, Sendable {
    /// The unit was proposed to the business.
    case proposed
    /// The business viewed it.
    case viewing
    /// Business and owner negotiate.
    case negotiating
    /// A lease is signed: the unit is re-let (record it with `vacancy status … re-let`).
    case signed
    /// Either side declined; `vacancy match` no longer proposes this unit for this enquiry.
    case declined
}

/// An enquiry from a business looking for space: what it wants, how large, its budget, where.
public struct Enquiry: Sendable, Encodable {
    public let id: Int64
    public let wants: String
    public let minArea: SquareMetres?
    public let maxArea: SquareMetres?
    public let budget: BudgetBand?
    public let floor: Floor?
    /// District codes it would go to; empty: any.
    public let districts: [String]
    public let receivedAt: Date
    /// The latest brokering step over all units, if any.
    public let latestStep: BrokeringStep?

    enum CodingKeys: String, CodingKey {
        case id, wants, minM2 = "min_m2", maxM2 = "max_m2", budget, floor, districts, receivedAt = "received_at"
        case latestStep = "latest_step"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(wants, forKey: .wants)
        try c.encode(minArea?.value, forKey: .minM2)
        try c.encode(maxArea?.value, forKey: .maxM2)
        try c.encode(budget?.rawValue, forKey: .budget)
        try c.encode(floor?.rawValue, forKey: .floor)
        try c.encode(districts, forKey: .districts)
        try c.encode(Timestamp.local(receivedAt), forKey: .receivedAt)
        try c.encode(latestStep?.rawValue, forKey: .latestStep)
    }
}

/// What `vacancy enquiry add` records. `contact` is personal data, internal only.
public struct NewEnquiry: Sendable {
    public var wants: String
    public var minArea: SquareMetres?
    public var maxArea: SquareMetres?
    public var budget: BudgetBand?
    public var floor: Floor?
    public var districts: [String] = []
    public var receivedAt: Date
    public var contact: String?
    public var actor: String?

    public init(wants: String, receivedAt: Date) {
        self.wants = wants
        self.receivedAt = receivedAt
    }
}

/// One brokering step between an enquiry and a unit.
public struct BrokeringRecord: Sendable, Encodable {
    public let enquiry: Int64
    public let unit: Int64
    public let step: BrokeringStep
    public let at: Date
    public let actor: String?
    public let note: String?

    enum CodingKeys: String, CodingKey { case enquiry, unit, step, at, actor, note }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enquiry, forKey: .enquiry)
        try c.encode(unit, forKey: .unit)
        try c.encode(step.rawValue, forKey: .step)
        try c.encode(Timestamp.local(at), forKey: .at)
        try c.encode(actor, forKey: .actor)
        try c.encode(note, forKey: .note)
    }
}

/// A unit proposed for an enquiry, with why it fits.
public struct VacancyMatch: Sendable, Encodable {
    public let unit: VacancyUnit
    /// How far the unit's area lies from the middle of the size wanted, as a fraction of that middle (0: exact).
    public let sizeGap: Double
    /// Days the unit has stood in its current state.
    public let daysInState: Int
    /// The latest brokering step between this enquiry and this unit.
    public let step: BrokeringStep?

    enum CodingKeys: String, CodingKey { case unit, sizeGap = "size_gap", daysInState = "days_in_state", step }
}
