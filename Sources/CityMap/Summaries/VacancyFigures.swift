import Foundation

/// The three instants and two windows the Leerstand figures are taken at: the state at `at` and at `previousAt`,
/// and the re-lets and new vacancies in [`previousAt`, `at`) against [`earlierAt`, `previousAt`).
public struct VacancyDates: Sendable {
    /// The figures hold for the moment just before `at` (for a day: the end of that day).
    public let at: Date
    public let previousAt: Date
    public let earlierAt: Date
    /// How the period was asked for, for titles: "2026-06" or "at 2026-06-30".
    public let label: String
    public let previousLabel: String

    /// `--at DATE`: the end of that day (or that moment), compared with the same moment a calendar month before.
    public static func at(_ text: String) throws(SummaryError) -> VacancyDates {
        guard let end = Timestamp.parseEnd(text) else { throw .malformedDate(text, field: "at") }
        let previous = Self.monthBefore(end), earlier = Self.monthBefore(previous)
        let day = String(Timestamp.local(end.addingTimeInterval(-1)).prefix(10))
        let previousDay = String(Timestamp.local(previous.addingTimeInterval(-1)).prefix(10))
        return VacancyDates(at: end, previousAt: previous, earlierAt: earlier, label: "at \(day)", previousLabel: "at \(previousDay)")
    }

    /// A calendar month: the state at its end, its re-lets and new vacancies, against the month before.
    public static func month(_ period: Period) -> VacancyDates {
        let previous = period.previous
        return VacancyDates(at: period.end, previousAt: previous.end, earlierAt: previous.start, label: period.description,
                            previousLabel: previous.description)
    }

    /// The same local time of day one calendar month earlier (the last day of a shorter month where the day is missing).
    static func monthBefore(_ date: Date) -> Date {
        let local = Timestamp.local(date)
        let (y, m, d) = Period.localDay(date)
        let (py, pm) = m == 1 ? (y - 1, 12) : (y, m - 1)
        let day = min(d, Timestamp.daysIn(month: pm, year: py))
        let clock = local.dropFirst(11).prefix(8)
        return Timestamp.parse(String(format: "%04d-%02d-%02d", py, pm, day) + "T" + clock) ?? date.addingTimeInterval(-30 * 86_400)
    }

    init(at: Date, previousAt: Date, earlierAt: Date, label: String, previousLabel: String) {
        self.at = at
        self.previousAt = previousAt
        self.earlierAt = earlierAt
        self.label = label
        self.previousLabel = previousLabel
    }
}

/// Units counted at one moment.
public struct VacancyCounts: Sendable, Encodable, Equatable {
    /// Units in the register and not demolished.
    public var units = 0
    /// Vacant, in contact or marketed.
    public var vacant = 0
    public var interimUse = 0

    /// Vacant units as a fraction of the units (0 to 1); nil without units.
    public var rate: Double? { units == 0 ? nil : Double(vacant) / Double(units) }

    enum CodingKeys: String, CodingKey { case units, vacant, interimUse = "interim_use", rate = "vacancy_rate" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encode(into: &c, units: .units, vacant: .vacant, interimUse: .interimUse, rate: .rate)
    }

    /// The counts into a container of another value (a group's figures), under its keys; the rate to 4 decimals.
    func encode<Key: CodingKey>(into c: inout KeyedEncodingContainer<Key>, units: Key, vacant: Key, interimUse: Key, rate: Key) throws {
        try c.encode(self.units, forKey: units)
        try c.encode(self.vacant, forKey: vacant)
        try c.encode(self.interimUse, forKey: interimUse)
        try c.encode(self.rate.map { ($0 * 10_000).rounded() / 10_000 }, forKey: rate)
    }
}

/// Median and 90th percentile of a duration in months (numpy's linear method), and how many values they summarise.
public struct MonthsSpread: Sendable, Encodable, Equatable {
    public let count: Int
    public let median: Double?
    public let p90: Double?

    enum CodingKeys: String, CodingKey { case count, median, p90 }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(median, forKey: .median)
        try c.encode(p90, forKey: .p90)
    }

    init(_ months: [Double]) {
        count = months.count
        let sorted = months.sorted()
        median = Percentile.of(sorted: sorted, 50).map { ($0 * 100).rounded() / 100 }
        p90 = Percentile.of(sorted: sorted, 90).map { ($0 * 100).rounded() / 100 }
    }
}

/// The Leerstand figures of one group of units (all, a district or a street).
public struct VacancyGroup: Sendable, Encodable {
    public let label: String
    /// The district's code; nil for streets and for all units.
    public let code: String?
    public let now: VacancyCounts
    public let previous: VacancyCounts
    /// How long the units vacant at `at` have been vacant (since their current unbroken vacancy began).
    public let vacantFor: MonthsSpread
    /// Months from falling vacant to re-let, over the units re-let in the period (interim use in between counts).
    public let monthsToReLet: MonthsSpread
    public let previousMonthsToReLet: MonthsSpread
    /// Units that fell vacant (a vacancy began) in the period, and in the one before.
    public let fellVacant: Int
    public let previousFellVacant: Int

    /// Change of the rate against the previous moment, as a fraction (0.02 = two percentage points).
    public var rateChange: Double? {
        guard let a = now.rate, let b = previous.rate else { return nil }
        return ((a - b) * 10_000).rounded() / 10_000
    }

    enum CodingKeys: String, CodingKey {
        case label, code, units, vacant, interimUse = "interim_use", rate = "vacancy_rate", rateChange = "vacancy_rate_change"
        case previous, vacantFor = "vacant_months", monthsToReLet = "months_to_re_let", fellVacant = "fell_vacant"
    }

    enum PreviousKeys: String, CodingKey {
        case units, vacant, interimUse = "interim_use", rate = "vacancy_rate", monthsToReLet = "months_to_re_let", fellVacant = "fell_vacant"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        if let code { try c.encode(code, forKey: .code) }
        try now.encode(into: &c, units: .units, vacant: .vacant, interimUse: .interimUse, rate: .rate)
        try c.encode(rateChange, forKey: .rateChange)
        try c.encode(vacantFor, forKey: .vacantFor)
        try c.encode(monthsToReLet, forKey: .monthsToReLet)
        try c.encode(fellVacant, forKey: .fellVacant)
        var p = c.nestedContainer(keyedBy: PreviousKeys.self, forKey: .previous)
        try previous.encode(into: &p, units: .units, vacant: .vacant, interimUse: .interimUse, rate: .rate)
        try p.encode(previousMonthsToReLet, forKey: .monthsToReLet)
        try p.encode(previousFellVacant, forKey: .fellVacant)
    }
}

/// Computes the Leerstand figures from the units' histories in one pass: each unit's events are replayed in time
/// order, and its state at the three instants, the start of its current vacancy, and its re-lets and new vacancies
/// in the two windows go into the tallies of its district, its street and all units.
///
/// Definitions (the ones the tests' hand-computed fixture follows):
/// - a unit exists from its first event; it counts at a moment unless demolished by then;
/// - vacant = vacant, in-contact or marketed; interim use is counted apart and in the units, not as vacant;
/// - "vacant for" runs from the start of the current unbroken run of vacant states (interim use breaks it);
/// - a vacancy begins when a unit enters a vacant state from occupied, re-let or nothing (entering the register
///   vacant), and ends at re-let, occupied or demolished; interim use within it does not end it. Months to re-let run
///   from its beginning to the re-let;
/// - a month is 365.2425 / 12 days (30.44).
///
/// Cost: O(events + units) time, O(units) memory for the tallies' duration samples.
public struct VacancyFigures {
    public static let secondsPerMonth = 365.2425 / 12 * 86_400

    struct Tally {
        var now = VacancyCounts(), previous = VacancyCounts()
        var vacantFor: [Double] = [], toReLet: [Double] = [], previousToReLet: [Double] = []
        var fellVacant = 0, previousFellVacant = 0
    }

    /// What a unit contributes, once its events have been replayed.
    struct UnitOutcome {
        var stateNow: VacancyState?, statePrevious: VacancyState?
        var vacantForMonths: Double?
        var toReLet: [Double] = [], previousToReLet: [Double] = []
        var fellVacant = 0, previousFellVacant = 0
    }

    let at: Double, previousAt: Double, earlierAt: Double

    public init(dates: VacancyDates) {
        at = dates.at.timeIntervalSince1970
        previousAt = dates.previousAt.timeIntervalSince1970
        earlierAt = dates.earlierAt.timeIntervalSince1970
    }

    /// Replays one unit's events (time order, seconds since 1970) and says what it contributes.
    func replay(_ events: some Sequence<(at: Double, state: VacancyState)>) -> UnitOutcome {
        var out = UnitOutcome()
        var state: VacancyState?
        var runStart: Double?, episodeStart: Double?
        var previousRecorded = false
        for e in events {
            if e.at >= at { break }
            if !previousRecorded && e.at >= previousAt {
                out.statePrevious = state
                previousRecorded = true
            }
            let wasVacant = state?.isVacant ?? false
            if e.state.isVacant {
                if !wasVacant { runStart = e.at }
                if episodeStart == nil && state != .interimUse {
                    episodeStart = e.at
                    if e.at >= previousAt { out.fellVacant += 1 } else if e.at >= earlierAt { out.previousFellVacant += 1 }
                }
            } else {
                runStart = nil
                switch e.state {
                case .reLet:
                    if let start = episodeStart {
                        let months = (e.at - start) / Self.secondsPerMonth
                        if e.at >= previousAt { out.toReLet.append(months) } else if e.at >= earlierAt { out.previousToReLet.append(months) }
                    }
                    episodeStart = nil
                case .occupied, .demolished: episodeStart = nil
                default: break
                }
            }
            state = e.state
        }
        if !previousRecorded { out.statePrevious = state }
        out.stateNow = state
        if let state, state.isVacant, let runStart { out.vacantForMonths = (at - runStart) / Self.secondsPerMonth }
        return out
    }

    static func add(_ o: UnitOutcome, to t: inout Tally) {
        func count(_ s: VacancyState?, _ c: inout VacancyCounts) {
            guard let s, s != .demolished else { return }
            c.units += 1
            if s.isVacant { c.vacant += 1 }
            if s == .interimUse { c.interimUse += 1 }
        }
        count(o.stateNow, &t.now)
        count(o.statePrevious, &t.previous)
        if let m = o.vacantForMonths { t.vacantFor.append(m) }
        t.toReLet += o.toReLet
        t.previousToReLet += o.previousToReLet
        t.fellVacant += o.fellVacant
        t.previousFellVacant += o.previousFellVacant
    }

    static func group(_ label: String, code: String?, _ t: Tally) -> VacancyGroup {
        VacancyGroup(label: label, code: code, now: t.now, previous: t.previous, vacantFor: MonthsSpread(t.vacantFor),
                     monthsToReLet: MonthsSpread(t.toReLet), previousMonthsToReLet: MonthsSpread(t.previousToReLet),
                     fellVacant: t.fellVacant, previousFellVacant: t.previousFellVacant)
    }
}

/// The Leerstand figures for the office (`vacancy report`, and a section of `citymap summary`): all units, per
/// district and per street. No owner, contact or note is part of it.
public struct VacancyReport: Sendable, Encodable {
    public let label: String
    public let previousLabel: String
    public let all: VacancyGroup
    public let districts: [VacancyGroup]
    public let streets: [VacancyGroup]

    enum CodingKeys: String, CodingKey { case label = "period", previousLabel = "previous", all, districts, streets }

    public func json() throws -> String { try JSONText.string(self) }

    /// The district's figures, if it has units.
    public func district(_ code: String) -> VacancyGroup? { districts.first { $0.code == code } }

    /// The tables of a terminal, Markdown or CSV rendering: districts, then streets.
    public func tables() -> [(title: String, table: TableWriter)] {
        [("Vacancy per district (\(label), against \(previousLabel))", Self.table(districts + [all], first: "district")),
         ("Vacancy per street (\(label))", Self.table(streets, first: "street"))]
    }

    static func table(_ groups: [VacancyGroup], first: String) -> TableWriter {
        func percent(_ v: Double?) -> Cell { .text(v.map { String(format: "%.1f %%", $0 * 100) } ?? "–") }
        func points(_ v: Double?) -> Cell { .text(v.map { String(format: "%+.1f pp", $0 * 100) } ?? "–") }
        func months(_ v: Double?) -> Cell { .text(v.map { String(format: "%.1f", $0) } ?? "–") }
        return TableWriter(columns: [first, "units", "vacant", "rate", "change", "interim use", "vacant months median", "p90",
                                     "fell vacant", "re-let", "months to re-let median", "p90"], rows: groups.map { g in
            [.text(g.label), .integer(Int64(g.now.units)), .integer(Int64(g.now.vacant)), percent(g.now.rate), points(g.rateChange),
             .integer(Int64(g.now.interimUse)), months(g.vacantFor.median), months(g.vacantFor.p90), .integer(Int64(g.fellVacant)),
             .integer(Int64(g.monthsToReLet.count)), months(g.monthsToReLet.median), months(g.monthsToReLet.p90)]
        })
    }

    public func table() -> String {
        tables().map { "\($0.title)\n" + ($0.table.rows.isEmpty ? "(none)\n" : $0.table.table()) }.joined(separator: "\n")
    }

    public func markdown() -> String {
        tables().map { "### \($0.title)\n\n" + ($0.table.rows.isEmpty ? "None.\n" : $0.table.markdown()) }.joined(separator: "\n")
    }

    /// One row per group: kind (all, district, street), label and the figures.
    public func csv() -> String {
        var writer = TableWriter(columns: ["kind", "label", "units", "vacant", "vacancy_rate", "previous_vacancy_rate", "interim_use",
                                           "vacant_months_median", "vacant_months_p90", "fell_vacant", "re_let",
                                           "months_to_re_let_median", "months_to_re_let_p90"])
        for (kind, list) in [("all", [all]), ("district", districts), ("street", streets)] {
            for g in list {
                writer.rows.append([.text(kind), .text(g.label), .integer(Int64(g.now.units)), .integer(Int64(g.now.vacant)),
                                    .number(g.now.rate), .number(g.previous.rate), .integer(Int64(g.now.interimUse)),
                                    .number(g.vacantFor.median), .number(g.vacantFor.p90), .integer(Int64(g.fellVacant)),
                                    .integer(Int64(g.monthsToReLet.count)), .number(g.monthsToReLet.median), .number(g.monthsToReLet.p90)])
            }
        }
        return writer.csv()
    }
}
