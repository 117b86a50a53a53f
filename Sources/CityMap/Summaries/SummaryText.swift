import Foundation

/// The one-paragraph plain-language summary of a district, built only from the numbers (no invented text).
public enum SummaryText {
    public static func paragraph(_ s: DistrictSummary, period: Period) -> String {
        var sentences: [String] = []
        let t = s.total
        var first = "In \(s.district.name), \(t.current) concern\(t.current == 1 ? " was" : "s were") reported in \(period)"
        if t.previous == 0 {
            first += t.current == 0 ? "." : ", where the period before had none."
        } else if t.difference == 0 {
            first += ", as many as in \(period.previous)."
        } else {
            first += ", \(abs(t.difference)) \(t.difference > 0 ? "more" : "fewer") than in \(period.previous) (\(percent(t.percent)))."
        }
        sentences.append(first)
        if t.current > 0 {
            sentences.append("\(s.open) of them \(s.open == 1 ? "is" : "are") still open.")
        }
        if let top = s.byCategory.first, top.current > 0 {
            sentences.append("The most frequent topic was \(top.label) (\(top.current)).")
        }
        if let square = s.topSquares.first, square.current > 0 {
            sentences.append("\(square.label) drew the most reports among the squares (\(square.current)).")
        }
        if let all = s.responses.first(where: { $0.label == "all" }), let median = all.medianFirstResponse {
            sentences.append("Half of the concerns that got a response had it within \(hours(median)).")
        }
        if let v = s.vacancy, let rate = v.now.rate {
            var sentence = "At the end of \(period), \(v.now.vacant) of \(v.now.units) registered shop unit\(v.now.units == 1 ? "" : "s") stood vacant (\(Coordinate.decimal(rate * 100, digits: 1)) %"
            if let change = v.rateChange {
                sentence += change == 0 ? ", unchanged)" : ", \(Coordinate.decimal(abs(change) * 100, digits: 1)) points \(change > 0 ? "more" : "fewer") than a period before)"
            } else {
                sentence += ")"
            }
            if v.monthsToReLet.count > 0 { sentence += "; \(v.monthsToReLet.count) \(v.monthsToReLet.count == 1 ? "was" : "were") re-let" }
            sentences.append(sentence + ".")
        }
        let overdue = s.overdue.total
        sentences.append(overdue == 0 ? "No concern is overdue." :
            "\(overdue) concern\(overdue == 1 ? " is" : "s are") overdue, waiting longest \(s.overdue.oldest.map(\.ageDays).max() ?? 0) days.")
        return sentences.joined(separator: " ")
    }

    /// "+14 %", "−25 %", "new".
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "new" }
        let rounded = Int(value.rounded())
        return rounded > 0 ? "+\(rounded) %" : rounded < 0 ? "−\(-rounded) %" : "±0 %"
    }

    /// "18 h", "3.5 days".
    public static func hours(_ value: Double) -> String {
        value < 48 ? "\(Int(value.rounded())) h" : "\(Coordinate.decimal(value / 24, digits: 1)) days"
    }
}
