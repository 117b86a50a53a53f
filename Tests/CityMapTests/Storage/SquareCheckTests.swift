import Foundation
import Testing
@testable import CityMap

@Suite("Square checks (Platzcheck)")
struct SquareCheckTests {
    static let now = Timestamp.parse("2026-11-27T12:00:00Z")!

    @Test func scoresAreReadInEnglishAndGerman() throws {
        let scores = try SquareScores(parsing: "cleanliness=4,seating=3,grün=2,lighting=4,Sicherheitsgefühl=3,liveliness=4,accessibility=5")
        #expect(scores.values == [4, 3, 2, 4, 3, 4, 5])
        #expect(abs(scores.mean - 25.0 / 7) < 1e-12)
    }

    @Test(arguments: [
        ("cleanliness=4", "scores lacks seating, greenery, lighting, safety, liveliness, accessibility; a check scores all seven"),
        ("cleanliness=6,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=5", "scores gives cleanliness '6'; scores are whole numbers from 1 (poor) to 5"),
        ("cleanliness=4,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=4.5", "scores gives accessibility '4.5'"),
        ("noise=2", "scores names 'noise', which is not scored"),
        ("cleanliness 4", "scores 'cleanliness 4' cannot be read"),
    ])
    func badScoresAreNamed(text: String, expected: String) {
        #expect { try SquareScores(parsing: text) } throws: { error in "\(error)".hasPrefix(expected) }
    }

    @Test func theSummaryScorecardShowsTheLatestCheckAndItsTrend() throws {
        let t = try TestStore()
        let url = VacancyStoreTests.fixtures.appendingPathComponent("platzcheck.csv")
        let rows = try SquareCheckFile.read(url)
        try #require(rows.count == 3)
        #expect(try t.store.importSquareChecks(rows, file: url.path, now: Self.now) == 3)
        try t.log(lat: 51.2275, lon: 6.7711, at: "2026-06-05T10:00:00+02:00") // on Burgplatz
        var request = SummaryRequest(period: try Period.month("2026-06"))
        request.hotspots = 0
        let report = try t.store.summary(request)
        let ost = try #require(report.districts.first { $0.district.code == "ost" })
        let west = try #require(report.districts.first { $0.district.code == "west" })
        // Worringer Platz has no reports in June, but its checks give it a scorecard in Ost.
        let worringer = try #require(ost.scorecards.first { $0.square == "Worringer Platz" })
        #expect(worringer.total.current == 0)
        // Means by hand: 10 March (2+3+2+3+2+3+4)/7 = 19/7; 10 June (3+3+3+3+3+4+4)/7 = 23/7; trend 4/7 = 0.57.
        #expect(worringer.check?.latest.scores.values == [3, 3, 3, 3, 3, 4, 4])
        #expect(worringer.check?.previousMean == 19.0 / 7 && worringer.check?.trend == 0.57)
        let burgplatz = try #require(west.scorecards.first { $0.square == "Burgplatz" })
        #expect(burgplatz.total.current == 1 && burgplatz.check?.previousMean == nil && burgplatz.check?.trend == nil)
        // In May only the March check existed.
        var may = SummaryRequest(period: try Period.month("2026-05"))
        may.hotspots = 0
        let mayOst = try #require(try t.store.summary(may).districts.first { $0.district.code == "ost" })
        #expect(mayOst.scorecards.first?.check?.latest.scores.values == [2, 3, 2, 3, 2, 3, 4])
        #expect(report.table().contains("check mean"))
    }

    @Test func theTimelineMergesChecksReportsAndChanges() throws {
        let t = try TestStore()
        var check = NewSquareCheck(square: "Burgplatz", at: try #require(Timestamp.parse("2026-06-01T09:00")),
                                   scores: try SquareScores(values: [4, 4, 3, 4, 4, 5, 4]))
        check.actor = "CM West"
        try t.store.addSquareCheck(check, now: Self.now)
        let logged = try t.log(lat: 51.2275, lon: 6.7711, at: "2026-06-02T10:00:00+02:00", note: "Name: Erika Mustermann")
        try t.store.changeStatus(of: logged.report.id, to: .acknowledged, note: nil, at: try #require(Timestamp.parse("2026-06-03T08:00")), now: Self.now)
        check.at = try #require(Timestamp.parse("2026-06-20T09:00"))
        try t.store.addSquareCheck(check, now: Self.now)
        let (square, checks, entries) = try t.store.squareTimeline("burgplatz")
        #expect(square.name == "Burgplatz" && checks.count == 2)
        #expect(entries.map(\.kind) == [.check, .report, .event, .check])
        #expect(entries[2].text == "report #1 cleanliness/litter: open → acknowledged")
        #expect(!entries.contains { $0.text.contains("Mustermann") })
        #expect { try t.store.squareTimeline("Schadowplatz") } throws: { error in "\(error)".hasPrefix("unknown square 'Schadowplatz'; use a name or code:") }
    }

    @Test func aBadSheetRowIsNamedAndNothingIsWritten() throws {
        let t = try TestStore()
        let folder = try TemporaryFolder()
        let url = URL(fileURLWithPath: folder.path("checks.csv"))
        try Data("square,at,cleanliness,seating,greenery,lighting,safety,liveliness,accessibility\nBurgplatz,2026-06-01,4,4,4,4,4,4,4\nBurgplatz,2026-06-02,4,4,4,9,4,4,4\n".utf8).write(to: url)
        #expect { try SquareCheckFile.read(url) } throws: { error in
            "\(error)".hasPrefix("\(url.path): line 3, field 'lighting': scores gives lighting '9'")
        }
        try Data("square,at,cleanliness,seating,greenery,lighting,safety,liveliness,accessibility\nBurgplatz,2026-06-01,4,4,4,4,4,4,4\nSchadowplatz,2026-06-02,4,4,4,4,4,4,4\n".utf8).write(to: url)
        let rows = try SquareCheckFile.read(url)
        #expect { try t.store.importSquareChecks(rows, file: url.path, now: Self.now) } throws: { error in
            "\(error)".hasPrefix("\(url.path): line 3, field 'square': unknown square 'Schadowplatz'")
        }
        #expect(try t.count("SELECT COUNT(*) FROM square_checks") == 0)
    }
}
