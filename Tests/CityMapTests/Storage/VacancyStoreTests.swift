import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("The Leerstand register in SpatiaLite")
struct VacancyStoreTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/vacancy")
    static let now = Timestamp.parse("2026-11-27T12:00:00Z")!

    static func unit(_ t: TestStore, _ address: String = "Schadowstraße 12", state: VacancyState = .vacant, since: String = "2026-01-15",
                     owner: String? = nil, area: Double? = 140) throws -> VacancyUnit {
        var new = NewVacancyUnit(position: try Coordinate(lon: 6.7829, lat: 51.2262), address: address, floor: .ground,
                                 area: try area.map { try SquareMetres($0) }, since: try #require(Timestamp.parse(since)))
        new.state = state
        new.owner = owner
        return try t.store.addVacancyUnit(new, now: now)
    }

    func counts(_ t: TestStore) throws -> [Int] {
        try ["vacancy_units", "vacancy_events", "vacancy_owners"].map { try t.count("SELECT COUNT(*) FROM \($0)") }
    }

    @Test func aUnitIsPlacedAndKeepsItsHistoryWhenItFallsVacantAgain() throws {
        let t = try TestStore()
        let u = try Self.unit(t)
        #expect(u.district?.code == "ost" && u.street == "Schadowstraße" && u.state == .vacant)
        for (day, state) in [("2026-02-01", VacancyState.marketed), ("2026-04-01", .reLet)] {
            try t.store.changeVacancyState(u.id, to: state, at: try #require(Timestamp.parse(day)), actor: "CM", note: "step", now: Self.now)
        }
        try t.store.changeVacancyState(u.id, to: .vacant, at: try #require(Timestamp.parse("2026-09-01")), now: Self.now)
        let detail = try t.store.vacancyDetail(u.id)
        #expect(detail.history.map(\.to) == [.vacant, .marketed, .reLet, .vacant])
        #expect(detail.history.map(\.from) == [nil, .vacant, .marketed, .reLet])
        #expect(detail.history[1].actor == "CM" && detail.history[1].note == "step")
        #expect(detail.unit.state == .vacant && Timestamp.local(detail.unit.stateSince) == "2026-09-01T00:00:00+02:00")
    }

    /// Refused changes say why in one line and write nothing.
    @Test func refusedChangesWriteNothing() throws {
        let t = try TestStore()
        let occupied = try Self.unit(t, state: .occupied, owner: "Hausverwaltung Muster")
        let before = try counts(t)
        #expect(before == [1, 1, 1])
        #expect { try t.store.changeVacancyState(occupied.id, to: .reLet, at: Self.now, now: Self.now) } throws: { error in
            "\(error)" == "unit #1 is occupied, so it cannot become re-let: it can move to vacant, demolished only"
        }
        #expect { try t.store.changeVacancyState(occupied.id, to: .vacant, at: try #require(Timestamp.parse("2025-12-31")), now: Self.now) } throws: { error in
            "\(error)".contains("is before the unit's latest change")
        }
        #expect { try t.store.changeVacancyState(occupied.id, to: .vacant, at: Self.now.addingTimeInterval(86_400), now: Self.now) } throws: { error in
            "\(error)".contains("lies in the future")
        }
        #expect { try t.store.changeVacancyState(99, to: .vacant, now: Self.now) } throws: { error in "\(error)" == "there is no unit #99 in the vacancy register" }
        #expect { try Self.unit(t, state: .reLet) } throws: { error in "\(error)".contains("cannot enter the register as re-let") }
        #expect { try Self.unit(t, "  ") } throws: { error in "\(error)" == "address is empty" }
        #expect(try counts(t) == before)
        try t.store.changeVacancyState(occupied.id, to: .demolished, at: Self.now, now: Self.now)
        #expect { try t.store.changeVacancyState(occupied.id, to: .vacant, at: Self.now, now: Self.now) } throws: { error in
            "\(error)".contains("its history has ended")
        }
    }

    @Test func aKatasterIsImportedThenUpdated() throws {
        let t = try TestStore()
        let rows = try VacancyRegisterFile.read(Self.fixtures.appendingPathComponent("leerstandskataster.csv"))
        try #require(rows.count == 4)
        #expect(rows[0].unit.area?.value == 140.5 && rows[2].unit.floor == .upper && rows[2].unit.state == .interimUse)
        #expect(rows[0].unit.position.lat == 51.2262 && rows[3].unit.state == .occupied)
        #expect(Timestamp.local(rows[0].unit.since) == "2026-01-15T00:00:00+01:00")
        let first = try t.store.importVacancyRegister(rows, file: "leerstandskataster.csv", now: Self.now)
        #expect(first.added == 4 && first.changed == 0)
        let update = try VacancyRegisterFile.read(Self.fixtures.appendingPathComponent("leerstandskataster-update.csv"))
        let second = try t.store.importVacancyRegister(update, file: "leerstandskataster-update.csv", now: Self.now)
        #expect(second.added == 1 && second.changed == 1 && second.unchanged == 1)
        let units = try t.store.vacancyUnits()
        try #require(units.count == 5)
        #expect(units.first { $0.address == "Schadowstraße 12" }?.state == .inContact)
        #expect(units.first { $0.address == "Bolkerstraße 20" }?.district?.code == "west")
        #expect(try t.store.vacancyDetail(units.first { $0.address == "Schadowstraße 14" }!.id).owner == "Erika Mustermann, erika@example.org")
    }

    /// A refused row stops the import, naming file, line and column, and nothing of the file is written.
    @Test func aRefusedRowWritesNothing() throws {
        let t = try TestStore()
        _ = try t.store.importVacancyRegister(try VacancyRegisterFile.read(Self.fixtures.appendingPathComponent("leerstandskataster.csv")),
                                              file: "leerstandskataster.csv", now: Self.now)
        let before = try counts(t)
        let file = Self.fixtures.appendingPathComponent("leerstandskataster-bad-transition.csv")
        #expect { try t.store.importVacancyRegister(try VacancyRegisterFile.read(file), file: file.path, now: Self.now) } throws: { error in
            "\(error)" == "\(file.path): line 3, field 'state': unit #4 is occupied, so it cannot become re-let: it can move to vacant, demolished only"
        }
        #expect(try counts(t) == before)
    }

    @Test(arguments: [
        ("Adresse;Status;seit;Breite;Länge\nA 1;leer;2026-01-01;51,2;x\n", "line 2, field 'Länge': is not a longitude in degrees"),
        ("Adresse;Status;seit;Breite;Länge\nA 1;verkauft;2026-01-01;51,2;6,7\n", "line 2, field 'Status': 'verkauft' is not a state"),
        ("Adresse;Status;seit;Breite;Länge\nA 1;leer;32.01.2026;51,2;6,7\n", "line 2, field 'seit': '32.01.2026' is not a date"),
        ("Adresse;Status;seit;Breite;Länge;Fläche\nA 1;leer;2026-01-01;51,2;6,7;-3\n", "line 2, field 'Fläche': '-3' is not a floor area"),
        ("Adresse;Status;seit;Breite;Länge;Geschoss\nA 1;leer;2026-01-01;51,2;6,7;Keller\n", "line 2, field 'Geschoss': 'Keller' is not a floor"),
        ("Adresse;Status;seit;Breite\nA 1;leer;2026-01-01;51,2\n", "line 1: has no lon (or länge) column"),
        ("id;Adresse;Status;seit;Breite;Länge\n7;A 1;leer;2026-01-01;51,2;6,7\n7;A 2;leer;2026-01-01;51,2;6,7\n", "line 3, field 'id': repeats the unit of line 2"),
    ])
    func badKatasterRowsAreNamed(text: String, expected: String) throws {
        let folder = try TemporaryFolder()
        let url = URL(fileURLWithPath: folder.path("kataster.csv"))
        try Data(text.utf8).write(to: url)
        #expect { try VacancyRegisterFile.read(url) } throws: { error in
            "\(error)".hasPrefix(url.path + ": " + expected)
        }
    }

    @Test func enquiriesAreMatchedBySizeFloorAndDistrict() throws {
        let t = try TestStore()
        let big = try Self.unit(t, "Schadowstraße 1", area: 300)
        let fits = try Self.unit(t, "Schadowstraße 2", area: 90)
        let fitsBetter = try Self.unit(t, "Schadowstraße 3", area: 100)
        let occupied = try Self.unit(t, "Schadowstraße 4", state: .occupied, area: 100)
        let noArea = try Self.unit(t, "Schadowstraße 5", area: nil)
        var new = NewEnquiry(wants: "Café", receivedAt: try #require(Timestamp.parse("2026-02-01")))
        new.minArea = try SquareMetres(60)
        new.maxArea = try SquareMetres(140)
        new.districts = ["Innenstadt Ost"]
        new.contact = "Frau X"
        let enquiry = try t.store.addEnquiry(new, now: Self.now)
        #expect(enquiry.districts == ["ost"])
        var (_, matches) = try t.store.matches(enquiry: enquiry.id, now: Self.now)
        #expect(matches.map(\.unit.id) == [fitsBetter.id, fits.id])
        #expect(!matches.contains { [big.id, occupied.id, noArea.id].contains($0.unit.id) })
        try t.store.recordBrokering(enquiry: enquiry.id, unit: fitsBetter.id, step: .declined, at: try #require(Timestamp.parse("2026-02-10")), now: Self.now)
        try t.store.recordBrokering(enquiry: enquiry.id, unit: fits.id, step: .viewing, at: try #require(Timestamp.parse("2026-02-11")), now: Self.now)
        (_, matches) = try t.store.matches(enquiry: enquiry.id, now: Self.now)
        #expect(matches.map(\.unit.id) == [fits.id] && matches[0].step == .viewing)
        #expect(try t.store.enquiries().first?.latestStep == .viewing)
        #expect(try t.store.brokering(enquiry: enquiry.id).map(\.step) == [.declined, .viewing])
        #expect { try t.store.recordBrokering(enquiry: enquiry.id, unit: fits.id, step: .proposed, at: try #require(Timestamp.parse("2026-01-01")), now: Self.now) } throws: { error in
            "\(error)".contains("is before enquiry #1 came in")
        }
        // A range that is upside down is refused.
        new.minArea = try SquareMetres(200)
        #expect { try t.store.addEnquiry(new, now: Self.now) } throws: { error in "\(error)" == "max_m2 140 is below min_m2 200" }
        #expect(try t.count("SELECT COUNT(*) FROM vacancy_enquiries") == 1)
    }

    @Test func onlyVacancyReportsLinkToUnits() throws {
        let t = try TestStore()
        let u = try Self.unit(t)
        let shop = try t.log(lat: 51.2262, lon: 6.7829, "vacancy/vacant-shop")
        let litter = try t.log(lat: 51.2262, lon: 6.7829, "cleanliness/litter")
        try t.store.linkReport(shop.report.id, toUnit: u.id)
        #expect { try t.store.linkReport(litter.report.id, toUnit: u.id) } throws: { error in
            "\(error)" == "report #2 is cleanliness/litter, not a vacancy/* report; only those can be linked to a unit"
        }
        #expect(try t.store.vacancyDetail(u.id).reports == [shop.report.id])
    }
}
