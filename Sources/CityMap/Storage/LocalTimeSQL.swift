import Foundation

/// An SQL expression for a stored UTC time (`YYYY-MM-DDTHH:MM:SSZ`) as Europe/Berlin wall-clock time, exact
/// across daylight-saving switches: the switches inside the span asked for are looked up once (Foundation's time
/// zone data) and become a CASE over the UTC text, so SQLite buckets by local hour, weekday, week or month in
/// one pass, without a time zone of its own.
enum LocalTimeSQL {
    static func expression(_ column: String, from start: Date, to end: Date, zone: TimeZone = Timestamp.berlin) -> String {
        var cases: [String] = []
        var cursor = start.addingTimeInterval(-86_400)
        let stop = end.addingTimeInterval(86_400)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < stop {
            let before = zone.secondsFromGMT(for: next.addingTimeInterval(-1))
            cases.append("WHEN \(column) < '\(Timestamp.utc(next))' THEN '\(signed(before)) seconds'")
            cursor = next
        }
        let last = zone.secondsFromGMT(for: cursor.addingTimeInterval(1))
        let modifier = cases.isEmpty ? "'\(signed(last)) seconds'" : "CASE \(cases.joined(separator: " ")) ELSE '\(signed(last)) seconds' END"
        return "datetime(\(column), \(modifier))"
    }

    private static func signed(_ seconds: Int) -> String { seconds >= 0 ? "+\(seconds)" : "\(seconds)" }
}
