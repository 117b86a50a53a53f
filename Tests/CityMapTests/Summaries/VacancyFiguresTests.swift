import Foundation
import Testing
@testable import CityMap

/// The Leerstand figures on a fixture whose answers were computed by hand. Every event is at 12:00 UTC, so durations
/// are whole days; months are 365.2425 / 12 days = 2,629,746 s.
///
/// Units (Ost: Schadowstraße; West: Flinger Straße):
/// - U1 Ost: vacant 2025-10-01, in-contact 2026-01-15, marketed 2026-03-01, re-let 2026-05-16
/// - U2 Ost: occupied 2025-12-01, vacant 2026-04-01, interim-use 2026-05-01, vacant 2026-06-10
/// - U3 Ost: vacant 2026-02-01, demolished 2026-06-20
/// - U4 West: occupied 2026-01-01
/// - U5 West: vacant 2025-11-01, re-let 2026-06-01
/// - U6 West: vacant 2026-05-20, marketed 2026-06-15
///
/// `--month 2026-06`: at = 2026-07-01 00:00 Berlin (06-30 22:00 UTC), previous = 2026-06-01 00:00 Berlin (05-31 22:00 UTC).
/// - end of June: U1 re-let, U2 vacant, U3 demolished (not counted), U4 occupied, U5 re-let, U6 marketed.
///   Ost 2 units, 1 vacant → 0.5; West 3 units, 1 vacant → 1/3; all 5 units, 2 vacant → 0.4.
/// - end of May: U1 re-let, U2 interim use, U3 vacant, U4 occupied, U5 vacant, U6 vacant.
///   Ost 3 units, 1 vacant, 1 interim → 1/3; West 3 units, 2 vacant → 2/3; all 6 units, 3 vacant → 0.5.
/// - vacant for, at the end of June: U2 since 06-10 12:00 (interim use broke its run) = 20 d 10 h = 1,764,000 s =
///   0.6708 months; U6 since 05-20 12:00 (marketed continues the run) = 41 d 10 h = 3,578,400 s = 1.3607 months.
///   All: median (0.6708 + 1.3607) / 2 = 1.0158 → 1.02; p90 0.6708 + 0.9 × 0.6899 = 1.2917 → 1.29.
/// - months to re-let: June U5, 2025-11-01 → 2026-06-01 = 212 days = 6.9652 → 6.97 (West); May U1, 2025-10-01 →
///   2026-05-16 = 227 days = 7.4581 → 7.46 (Ost, previous period).
/// - fell vacant: none in June (U2's vacancy began 04-01; interim use does not end it); in May U6 (West).
@Suite("Leerstand figures on a hand-computed fixture")
struct VacancyFiguresTests {
    static func fixture() throws -> TestStore {
        let t = try TestStore()
        let now = try #require(Timestamp.parse("2026-11-27T12:00:00Z"))
        func add(_ address: String, lat: Double, lon: Double, _ history: [(String, VacancyState)]) throws {
            var new = NewVacancyUnit(position: try Coordinate(lon: lon, lat: lat), address: address, floor: .ground,
                                     area: try SquareMetres(100), since: try #require(Timestamp.parse(history[0].0 + "T12:00:00Z")))
            new.state = history[0].1
            let unit = try t.store.addVacancyUnit(new, now: now)
            for (day, state) in history.dropFirst() {
                try t.store.changeVacancyState(unit.id, to: state, at: try #require(Timestamp.parse(day + "T12:00:00Z")), now: now)
            }
        }
        // Schadowstraße lies in Stadtmitte (Ost), Flinger Straße in the Altstadt (West).
        try add("Schadowstraße 1", lat: 51.2262, lon: 6.7829, [("2025-10-01", .vacant), ("2026-01-15", .inContact), ("2026-03-01", .marketed), ("2026-05-16", .reLet)])
        try add("Schadowstraße 2", lat: 51.2263, lon: 6.7832, [("2025-12-01", .occupied), ("2026-04-01", .vacant), ("2026-05-01", .interimUse), ("2026-06-10", .vacant)])
        try add("Schadowstraße 3", lat: 51.2264, lon: 6.7835, [("2026-02-01", .vacant), ("2026-06-20", .demolished)])
        try add("Flinger Straße 1", lat: 51.2262, lon: 6.7735, [("2026-01-01", .occupied)])
        try add("Flinger Straße 2", lat: 51.2261, lon: 6.7738, [("2025-11-01", .vacant), ("2026-06-01", .reLet)])
        try add("Flinger Straße 3", lat: 51.2260, lon: 6.7741, [("2026-05-20", .vacant), ("2026-06-15", .marketed)])
        return t
    }

    @Test func juneAgainstMay() throws {
        let t = try Self.fixture()
        let units = try t.store.vacancyUnits()
        try #require(units.count == 6)
        #expect(units.filter { $0.district?.code == "ost" }.count == 3)
        let report = try t.store.vacancyReport(VacancyDates.month(try Period.month("2026-06")))
        let ost = try #require(report.district("ost")), west = try #require(report.district("west"))
        #expect(ost.now == VacancyCounts(units: 2, vacant: 1, interimUse: 0))
        #expect(ost.previous == VacancyCounts(units: 3, vacant: 1, interimUse: 1))
        #expect(west.now == VacancyCounts(units: 3, vacant: 1, interimUse: 0))
        #expect(west.previous == VacancyCounts(units: 3, vacant: 2, interimUse: 0))
        #expect(report.all.now == VacancyCounts(units: 5, vacant: 2, interimUse: 0))
        #expect(report.all.previous == VacancyCounts(units: 6, vacant: 3, interimUse: 1))
        #expect(ost.now.rate == 0.5 && report.all.now.rate == 0.4)
        #expect(ost.rateChange == 0.1667 && west.rateChange == -0.3333 && report.all.rateChange == -0.1)
        #expect(ost.vacantFor == MonthsSpread([1_764_000 / VacancyFigures.secondsPerMonth]))
        #expect(ost.vacantFor.median == 0.67 && west.vacantFor.median == 1.36)
        #expect(report.all.vacantFor.count == 2 && report.all.vacantFor.median == 1.02 && report.all.vacantFor.p90 == 1.29)
        #expect(west.monthsToReLet.count == 1 && west.monthsToReLet.median == 6.97 && ost.monthsToReLet.count == 0)
        #expect(ost.previousMonthsToReLet.count == 1 && ost.previousMonthsToReLet.median == 7.46)
        #expect(report.all.fellVacant == 0 && west.previousFellVacant == 1 && ost.previousFellVacant == 0)
        // Streets group as the districts here.
        #expect(report.streets.map(\.label).sorted() == ["Flinger Straße", "Schadowstraße"])
        #expect(report.streets.first { $0.label == "Schadowstraße" }?.now == ost.now)
    }

    /// The JSON of `vacancy report` gives `vacancy_rate` per district as a fraction from 0 to 1.
    @Test func jsonGivesTheRatePerDistrict() throws {
        let t = try Self.fixture()
        let json = try t.store.vacancyReport(VacancyDates.month(try Period.month("2026-06"))).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let districts = try #require(object["districts"] as? [[String: Any]])
        try #require(districts.count == 2)
        let rates = Dictionary(uniqueKeysWithValues: districts.map { ($0["code"] as? String ?? "", $0["vacancy_rate"] as? Double ?? -1) })
        #expect(rates == ["ost": 0.5, "west": 0.3333])
    }

    /// `--at DATE` is the end of that day in Europe/Berlin, in summer (UTC+2) and in winter (UTC+1): a re-let at
    /// 00:30 local on the next day is not yet counted, one at 23:30 local on that day is.
    @Test(arguments: [("2026-06-15", "2026-06-16T00:30:00+02:00", "2026-06-15T23:30:00+02:00"),
                      ("2026-01-15", "2026-01-16T00:30:00+01:00", "2026-01-15T23:30:00+01:00")])
    func datesAreDaysOfEuropeBerlin(day: String, justAfter: String, justBefore: String) throws {
        let t = try TestStore()
        let now = try #require(Timestamp.parse("2026-11-27T12:00:00Z"))
        var new = NewVacancyUnit(position: try Coordinate(lon: 6.7829, lat: 51.2262), address: "Schadowstraße 1", floor: .ground,
                                 area: nil, since: try #require(Timestamp.parse("2025-10-01")))
        let late = try t.store.addVacancyUnit(new, now: now)
        try t.store.changeVacancyState(late.id, to: .reLet, at: try #require(Timestamp.parse(justAfter)), now: now)
        new.address = "Schadowstraße 2"
        let early = try t.store.addVacancyUnit(new, now: now)
        try t.store.changeVacancyState(early.id, to: .reLet, at: try #require(Timestamp.parse(justBefore)), now: now)
        let report = try t.store.vacancyReport(try VacancyDates.at(day))
        #expect(report.all.now == VacancyCounts(units: 2, vacant: 1, interimUse: 0))
        #expect(report.all.monthsToReLet.count == 1)
        let next = try t.store.vacancyReport(try VacancyDates.at(justAfter))
        #expect(next.all.now.vacant == 1, "a moment is read as given: the re-let at that very moment is not before it")
    }

    @Test func aMonthBeforeKeepsTheClockAndTheLastDay() throws {
        let march31 = try VacancyDates.at("2026-03-31")
        #expect(Timestamp.local(march31.at) == "2026-04-01T00:00:00+02:00")
        #expect(Timestamp.local(march31.previousAt) == "2026-03-01T00:00:00+01:00")
        let may31 = try VacancyDates.at("2026-05-30")
        #expect(Timestamp.local(may31.previousAt) == "2026-04-30T00:00:00+02:00")
        #expect(throws: SummaryError.self) { try VacancyDates.at("30.05.2026x") }
    }
}
