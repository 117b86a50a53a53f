import Foundation

/// A half-open span of time [start, end) whose edges are local midnights in Europe/Berlin, so that days,
/// weeks and months are the city's own, across the switches to and from daylight saving time.
public struct Period: Sendable, Equatable, CustomStringConvertible {
    public let start: Date
    public let end: Date
    /// How the period was asked for: a calendar month compares with the month before, anything else with the
    /// span of equal length just before it.
    public let month: (year: Int, month: Int)?

    public static func == (a: Period, b: Period) -> Bool { a.start == b.start && a.end == b.end }

    init(start: Date, end: Date, month: (Int, Int)? = nil) {
        self.start = start
        self.end = end
        self.month = month
    }

    /// `2026-11`: that calendar month.
    public static func month(_ text: String) throws(SummaryError) -> Period {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (1...12).contains(m) else { throw .malformedMonth(text) }
        return month(year: y, month: m)
    }

    static func month(year: Int, month: Int) -> Period {
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return Period(start: midnight(year, month, 1), end: midnight(next.0, next.1, 1), month: (year, month))
    }

    /// `--from 2026-11-01 --to 2026-11-15`: both days included.
    public static func days(from: String, to: String) throws(SummaryError) -> Period {
        guard let start = Timestamp.parse(from) else { throw .malformedDate(from, field: "from") }
        guard let end = Timestamp.parseEnd(to) else { throw .malformedDate(to, field: "to") }
        guard end > start else { throw .toBeforeFrom(from: from, to: to) }
        return Period(start: start, end: end)
    }

    /// `--last 30d` (or `4w`): that many whole days up to and including today.
    public static func last(_ text: String, now: Date) throws(SummaryError) -> Period {
        let body = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = body.last, "dw".contains(unit), let n = Int(body.dropLast()), n > 0, n <= 3660 else {
            throw .malformedLast(text)
        }
        let days = unit == "w" ? n * 7 : n
        let today = localDay(now)
        let end = midnight(today.0, today.1, today.2 + 1)
        return Period(start: midnight(today.0, today.1, today.2 + 1 - days), end: end)
    }

    /// One period from the ways people ask for one: a month, a first and last day, or the last days or weeks;
    /// none of them means the current month. Asking in two ways at once is an error.
    public static func parse(month: String?, from: String?, to: String?, last: String?, now: Date) throws(SummaryError) -> Period {
        let chosen = [month != nil, from != nil || to != nil, last != nil].filter { $0 }.count
        if chosen > 1 { throw .twoPeriods }
        if (from == nil) != (to == nil) { throw .fromAndTo }
        if let month { return try Period.month(month) }
        if let from, let to { return try Period.days(from: from, to: to) }
        if let last { return try Period.last(last, now: now) }
        return try Period.month(String(Timestamp.local(now).prefix(7)))
    }

    /// The period to compare with: the month before, or the span of equal length just before.
    public var previous: Period {
        if let month {
            return month.month == 1 ? Self.month(year: month.year - 1, month: 12) : Self.month(year: month.year, month: month.month - 1)
        }
        let (y, m, d) = Self.localDay(start)
        let days = Int((end.timeIntervalSince(start) / 86_400).rounded())
        return Period(start: Self.midnight(y, m, d - days), end: start)
    }

    public var description: String {
        if let month { return String(format: "%04d-%02d", month.year, month.month) }
        let last = end.addingTimeInterval(-1)
        return "\(String(Timestamp.local(start).prefix(10))) – \(String(Timestamp.local(last).prefix(10)))"
    }

    /// Local midnight of a day in Europe/Berlin; day numbers may run over or under the month.
    static func midnight(_ year: Int, _ month: Int, _ day: Int) -> Date {
        let (y, m, d) = Timestamp.civilFromDays(Timestamp.daysFromCivil(year, month, 1) + day - 1)
        return Timestamp.parse(String(format: "%04d-%02d-%02d", y, m, d))!
    }

    static func localDay(_ date: Date) -> (Int, Int, Int) {
        let local = Timestamp.local(date)
        let parts = local.prefix(10).split(separator: "-").compactMap { Int($0) }
        return (parts[0], parts[1], parts[2])
    }
}

/// Summary requests that cannot be answered, said so that they can be corrected.
public enum SummaryError: CityMapError {
    case malformedMonth(String)
    /// `field` is `from` or `to`.
    case malformedDate(String, field: String)
    case malformedLast(String)
    case toBeforeFrom(from: String, to: String)
    case unknownDistrict(String, known: [String])
    case unknownKey(String, known: [String])
    case badThreshold(String)
    case unknownThresholdCategory(String, known: [String])
    case negativeCount(parameter: String, Int)
    case twoPeriods
    case fromAndTo

    public var kind: ErrorKind { .invalid }

    public var parameter: String? {
        switch self {
        case .malformedMonth: return "month"
        case .malformedDate(_, let field): return field
        case .malformedLast: return "last"
        case .toBeforeFrom: return "to"
        case .unknownDistrict: return "district"
        case .unknownKey: return "by"
        case .badThreshold, .unknownThresholdCategory: return "overdue_after"
        case .negativeCount(let parameter, _): return parameter
        case .twoPeriods: return "month"
        case .fromAndTo: return "from"
        }
    }

    public var value: String? {
        switch self {
        case .malformedMonth(let t), .malformedDate(let t, _), .malformedLast(let t), .unknownDistrict(let t, _),
             .unknownKey(let t, _), .badThreshold(let t), .unknownThresholdCategory(let t, _): return t
        case .toBeforeFrom(_, let to): return to
        case .negativeCount(_, let n): return String(n)
        case .twoPeriods, .fromAndTo: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .malformedMonth(let text): return "\(naming("month")) '\(text)' is not a month; write YYYY-MM, e.g. 2026-11"
        case let .malformedDate(text, field): return "\(naming(field)) '\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-11-01"
        case .malformedLast(let text): return "\(naming("last")) '\(text)' is not a span; write days or weeks, e.g. 30d or 4w"
        case let .toBeforeFrom(from, to): return "\(naming("to")) \(to) comes before \(naming("from")) \(from)"
        case let .unknownDistrict(text, known): return "unknown district '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .unknownKey(text, known): return "\(naming("by")) '\(text)' is not a breakdown; use one of: \(known.joined(separator: ", "))"
        case .badThreshold(let text):
            return "\(naming("overdue_after")) '\(text)' is not a threshold; write days, or CATEGORY=DAYS pairs such as 10,safety=3"
        case let .unknownThresholdCategory(text, known):
            return "\(naming("overdue_after")) names '\(text)', which is not a category; use one of: \(known.joined(separator: ", "))"
        case let .negativeCount(parameter, n): return "\(naming(parameter)) must be 0 or more (got \(n))"
        case .twoPeriods: return "choose one period: \(naming("month")), \(naming("from"))/\(naming("to")), or \(naming("last"))"
        case .fromAndTo: return "\(naming("from")) and \(naming("to")) go together"
        }
    }
}
