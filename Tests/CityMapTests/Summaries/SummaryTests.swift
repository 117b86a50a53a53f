import Foundation
import Testing
@testable import CityMap

/// A fixed dataset with known answers. Percentiles as numpy.percentile (linear) computes them:
/// numpy.percentile([1, 2, 4], [50, 90]) = [2.0, 3.6]; numpy.percentile([26, 50], [50, 90]) = [38.0, 47.6];
/// numpy.percentile([2, 4], [50, 90]) = [3.0, 3.8].
@Suite("District summaries and the response ledger")
struct SummaryTests {
    static let now = Timestamp.parse("2026-11-27T12:00:00+01:00")!

    func date(_ text: String) -> Date { Timestamp.parse(text)! }

    func fixture() throws -> TestStore {
        let t = try TestStore()
        func log(_ category: String, _ at: String, lat: Double = 51.2275, lon: Double = 6.7711) throws -> Int64 {
            try t.log(lat: lat, lon: lon, category, at: at).report.id
        }
        func step(_ id: Int64, _ status: ReportStatus, after hours: Double, from at: String) throws {
            try t.store.changeStatus(of: id, to: status, note: "step \(status.rawValue)", now: date(at).addingTimeInterval(hours * 3600))
        }
        // November, Innenstadt West (Burgplatz unless said otherwise)
        let r1 = try log("cleanliness/litter", "2026-11-02T10:00+01:00")
        try step(r1, .acknowledged, after: 2, from: "2026-11-02T10:00+01:00")
        try step(r1, .inProgress, after: 5, from: "2026-11-02T10:00+01:00")
        try step(r1, .resolved, after: 26, from: "2026-11-02T10:00+01:00")
        let r2 = try log("cleanliness/graffiti", "2026-11-03T09:00+01:00")
        try step(r2, .acknowledged, after: 4, from: "2026-11-03T09:00+01:00")
        try step(r2, .rejected, after: 10, from: "2026-11-03T09:00+01:00")
        let r3 = try log("safety/poor-lighting", "2026-11-05T20:00+01:00", lat: 51.2250, lon: 6.7743) // no square
        try step(r3, .acknowledged, after: 1, from: "2026-11-05T20:00+01:00")
        try step(r3, .inProgress, after: 30, from: "2026-11-05T20:00+01:00")
        try step(r3, .resolved, after: 50, from: "2026-11-05T20:00+01:00")
        _ = try log("vacancy/vacant-shop", "2026-11-10T12:00+01:00", lat: 51.2250, lon: 6.7743)
        _ = try log("safety/unsafe-place", "2026-11-20T22:00+01:00", lat: 51.2260, lon: 6.7719)        // Marktplatz
        _ = try log("square-quality/seating", "2026-11-01T00:30+01:00", lat: 51.2232, lon: 6.7727)      // Carlsplatz; UTC still October
        // October, Innenstadt West
        let r6 = try log("cleanliness/litter", "2026-10-15T10:00+02:00")
        try step(r6, .acknowledged, after: 3, from: "2026-10-15T10:00+02:00")
        _ = try log("cleanliness/litter", "2026-10-31T23:30+01:00", lat: 51.2250, lon: 6.7743)          // last hour of October
        // November, Innenstadt Ost
        _ = try log("safety/aggressive-behaviour", "2026-11-12T18:00+01:00", lat: 51.2221, lon: 6.7924)
        return t
    }

    func request(_ period: Period, _ edit: (inout SummaryRequest) -> Void = { _ in }) -> SummaryRequest {
        var r = SummaryRequest(period: period)
        r.now = Self.now
        r.hotspots = 0
        edit(&r)
        return r
    }

    @Test func countsAndChangeAgainstThePreviousMonth() throws {
        let t = try fixture()
        let west = try #require(try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["west"] }).districts.first)
        #expect(west.district.name == "Innenstadt West")
        #expect(west.total.current == 6 && west.total.previous == 2)
        #expect(west.total.difference == 4 && west.total.percent == 200)
        #expect(west.open == 3)
        let categories = Dictionary(uniqueKeysWithValues: west.byCategory.map { ($0.label, ($0.current, $0.previous, $0.percent)) })
        #expect(categories["cleanliness"]! == (2, 2, 0))
        #expect(categories["safety"]!.0 == 2 && categories["safety"]!.1 == 0 && categories["safety"]!.2 == nil) // "new"
        #expect(west.topSquares.map(\.label) == ["Burgplatz", "Carlsplatz", "Marktplatz"])
        #expect(west.topSquares[0].current == 2 && west.topSquares[0].previous == 1)
        #expect(SummaryText.percent(west.total.percent) == "+200 %" && SummaryText.percent(nil) == "new")
        let burgplatz = try #require(west.scorecards.first)
        #expect(burgplatz.square == "Burgplatz" && burgplatz.total.current == 2 && burgplatz.total.previous == 1)
        #expect(burgplatz.open == 0 && burgplatz.byCategory == ["cleanliness": 2])
        let marktplatz = try #require(west.scorecards.first { $0.square == "Marktplatz" })
        #expect(marktplatz.open == 1 && marktplatz.byCategory == ["safety": 1] && marktplatz.total.percent == nil)
        let ost = try #require(try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["ost"] }).districts.first)
        #expect(ost.total.current == 1 && ost.total.previous == 0)
    }

    @Test func medianAndNinetiethPercentileResponseTimes() throws {
        let t = try fixture()
        let west = try #require(try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["west"] }).districts.first)
        let all = try #require(west.responses.first { $0.label == "all" })
        #expect(all.reports == 6 && all.responded == 3 && all.resolved == 2)
        #expect(abs(all.medianFirstResponse! - 2.0) < 1e-9 && abs(all.p90FirstResponse! - 3.6) < 1e-9)
        #expect(abs(all.medianResolution! - 38.0) < 1e-9 && abs(all.p90Resolution! - 47.6) < 1e-9)
        let cleanliness = try #require(west.responses.first { $0.label == "cleanliness" })
        #expect(abs(cleanliness.medianFirstResponse! - 3.0) < 1e-9 && abs(cleanliness.p90FirstResponse! - 3.8) < 1e-9)
        #expect(cleanliness.medianResolution == 26)
    }

    @Test func overdueListOldestFirstWithPerCategoryThresholds() throws {
        let t = try fixture()
        let byDefault = try t.store.overdue(OverdueThresholds(), now: Self.now).oldest
        #expect(byDefault.map(\.category.description) == ["cleanliness/litter", "square-quality/seating", "vacancy/vacant-shop",
                                                          "safety/aggressive-behaviour"])
        #expect(byDefault.map(\.ageDays) == [26, 26, 17, 14])
        #expect(byDefault[0].lastNote == "logged (field-walk)")
        let taxonomy = try t.store.taxonomy()
        let strictSafety = try t.store.overdue(try OverdueThresholds(parsing: "safety=5", taxonomy: taxonomy), now: Self.now).oldest
        #expect(strictSafety.map(\.category.description).contains("safety/unsafe-place"))
        #expect(strictSafety.count == 5)
        let west = try #require(try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["west"] }).districts.first)
        #expect(west.overdue.total == 3 && west.overdue.oldest.count == 3)
        let page = try t.store.overdue(OverdueThresholds(), now: Self.now, limit: 2, offset: 1)
        #expect(page.total == 4 && page.oldest.map(\.ageDays) == [26, 17])
        #expect { try OverdueThresholds(parsing: "10,safty=3", taxonomy: taxonomy) } throws: { error in
            let e = error as? SummaryError
            return e?.parameter == "overdue_after" && e?.value == "safty" && "\(error)".contains("not a category")
        }
    }

    /// The response section names each agency that acts: the one assigned, else the default routing's
    /// (GeoData/responsibilities.json: cleanliness → AWISTA, safety → OSD, …).
    @Test func responseTimesPerAgency() throws {
        let t = try TestStore()
        let now = try #require(Timestamp.parse("2026-11-28T12:00+01:00"))
        let litter = try t.log(lat: 51.2275, lon: 6.7711, at: "2026-11-20T10:00+01:00").report.id
        let sign = try t.log(lat: 51.2262, lon: 6.7735, "orientation/missing-sign", at: "2026-11-20T10:00+01:00").report.id
        try t.store.changeStatus(of: litter, to: .acknowledged, at: Timestamp.parse("2026-11-20T14:00+01:00"), now: now)
        try t.store.assign(sign, to: "citymanagement", at: Timestamp.parse("2026-11-20T11:00+01:00"), now: now)
        try t.store.changeStatus(of: sign, to: .acknowledged, at: Timestamp.parse("2026-11-20T12:00+01:00"), now: now)
        let west = try #require(try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["west"] }).districts.first)
        let groups = Dictionary(uniqueKeysWithValues: west.responses.map { ($0.label, $0) })
        try #require(groups.count == 5) // all, two agencies, two categories
        #expect(groups["agency: AWISTA (Abfallwirtschaft und Stadtreinigung)"]?.medianFirstResponse == 4)
        #expect(groups["agency: Citymanagement Düsseldorf"]?.medianFirstResponse == 2) // assigned, not the traffic office
        #expect(groups["agency: Amt für Verkehrsmanagement"] == nil)
        #expect(groups["all"]?.reports == 2)
    }

    @Test func monthBoundariesAreLocalMidnights() throws {
        let november = try Period.month("2026-11")
        #expect(Timestamp.utc(november.start) == "2026-10-31T23:00:00Z")
        #expect(Timestamp.utc(november.end) == "2026-11-30T23:00:00Z")
        #expect(Timestamp.utc(november.previous.start) == "2026-09-30T22:00:00Z") // October starts in summer time
    }

    @Test func aWeekAcrossTheSwitchToWinterTime() throws {
        let t = try TestStore()
        // 2026-10-25 03:00 CEST becomes 02:00 CET. The week Monday 19 – Sunday 25 October has 169 hours.
        for at in ["2026-10-19T00:10+02:00", "2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00", "2026-10-25T23:30+01:00",
                   "2026-10-26T00:30+01:00"] {
            try t.log(lat: 51.2275, lon: 6.7711, at: at)
        }
        let week = try Period.days(from: "2026-10-19", to: "2026-10-25")
        #expect(week.end.timeIntervalSince(week.start) == 169 * 3600)
        #expect(Timestamp.utc(week.previous.start) == "2026-10-11T22:00:00Z")
        let byWeek = try #require(try t.store.summary(request(try Period.days(from: "2026-10-19", to: "2026-11-01")) {
            $0.districts = ["west"]; $0.by = .week
        }).districts.first)
        #expect(byWeek.breakdown.map { "\($0.label)=\($0.current)" } == ["2026-10-19=4", "2026-10-26=1"])
        let byHour = try #require(try t.store.summary(request(week) { $0.districts = ["west"]; $0.by = .hour }).districts.first)
        #expect(byHour.breakdown.map { "\($0.label)=\($0.current)" } == ["00=1", "02=2", "23=1"])
        let profile = try #require(try t.store.summary(request(week) { $0.districts = ["west"]; $0.by = .weekdayHour }).districts.first)
        #expect(profile.breakdown.map { "\($0.label)=\($0.current)" } == ["1-00=1", "7-02=2", "7-23=1"]) // Monday 00h, Sunday 02h twice
        let total = try #require(try t.store.summary(request(week) { $0.districts = ["west"] }).districts.first)
        #expect(total.total.current == 4)
    }

    @Test(arguments: [("2026-13", "is not a month"), ("11/2026", "is not a month"), ("2026-1", "is not a month")])
    func malformedMonths(text: String, expected: String) {
        #expect { try Period.month(text) } throws: { "\($0)".contains(expected) }
    }

    @Test func badRequestsAreRefused() throws {
        let t = try fixture()
        #expect { try Period.days(from: "2026-11-30", to: "2026-11-01") } throws: { error in
            // The core names its inputs; the CLI words them as options, the server as query parameters.
            let e = try #require(error as? SummaryError)
            return e.parameter == "to" && e.value == "2026-11-01"
                && e.message(naming: { "--" + $0 }) == "--to 2026-11-01 comes before --from 2026-11-30"
        }
        #expect { try t.store.summary(request(try Period.month("2026-11")) { $0.districts = ["nord"] }) } throws: { "\($0)".contains("unknown district 'nord'") }
        #expect { try Period.last("30x", now: Self.now) } throws: { "\($0)".contains("not a span") }
    }

    @Test func plainLanguageParagraphIsBuiltFromTheNumbers() throws {
        let t = try fixture()
        let november = try Period.month("2026-11")
        let west = try #require(try t.store.summary(request(november) { $0.districts = ["west"] }).districts.first)
        #expect(SummaryText.paragraph(west, period: november) ==
            "In Innenstadt West, 6 concerns were reported in 2026-11, 4 more than in 2026-10 (+200 %). 3 of them are still open. "
            + "The most frequent topic was cleanliness (2). Burgplatz drew the most reports among the squares (2). "
            + "Half of the concerns that got a response had it within 2 h. 3 concerns are overdue, waiting longest 26 days.")
    }
}
