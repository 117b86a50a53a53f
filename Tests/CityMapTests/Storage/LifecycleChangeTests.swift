import Foundation
import Testing
@testable import CityMap

/// Reopening, editing, and changes recorded at the time they happened (`at`), on a real SpatiaLite file.
@Suite("Reopen, edit and dated changes")
struct LifecycleChangeTests {
    static func time(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }

    @Test func aClosedReportIsReopenedWithItsReason() throws {
        let t = try TestStore()
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        try t.store.changeStatus(of: id, to: .acknowledged)
        try t.store.changeStatus(of: id, to: .inProgress)
        try t.store.changeStatus(of: id, to: .resolved)
        let reopened = try t.store.reopen(id, reason: "wieder Scherben", actor: "Anna")
        #expect(reopened.status == .open)
        let last = try #require(try t.store.history(of: id).last)
        #expect(last.from == .resolved && last.to == .open && last.note == "reopened: wieder Scherben" && last.actor == "Anna")
        // It goes through the lifecycle again.
        #expect(try t.store.changeStatus(of: id, to: .acknowledged).status == .acknowledged)
    }

    @Test func aDuplicateReopenedLosesItsOriginal() throws {
        let t = try TestStore()
        let original = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        let copy = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        #expect(try t.store.changeStatus(of: copy, to: .duplicate, duplicateOf: original).duplicateOf == original)
        let reopened = try t.store.reopen(copy, reason: "doch ein eigener Fall")
        #expect(reopened.status == .open && reopened.duplicateOf == nil)
    }

    @Test func anOpenReportCannotBeReopenedAndNothingIsWritten() throws {
        let t = try TestStore()
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        try t.store.changeStatus(of: id, to: .acknowledged)
        let events = try t.count("SELECT COUNT(*) FROM report_events")
        #expect { try t.store.reopen(id, reason: "x") } throws: { error in
            guard case DomainError.notClosed(report: id, status: .acknowledged) = error else { return false }
            return (error as? DomainError)?.kind == .conflict
        }
        #expect { try t.store.reopen(id, reason: "  ") } throws: { ($0 as? DomainError)?.parameter == "reason" }
        #expect(try t.count("SELECT COUNT(*) FROM report_events") == events)
    }

    /// Work done yesterday is recorded as yesterday; the history stays in order.
    @Test func changesAreDatedWhenTheyHappened() throws {
        let t = try TestStore()
        let now = try Self.time("2026-11-28T12:00+01:00")
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon, at: "2026-11-27T09:00+01:00").report.id
        try t.store.changeStatus(of: id, to: .acknowledged, at: try Self.time("2026-11-27T10:00+01:00"), now: now)
        let event = try #require(try t.store.history(of: id).first { $0.to == .acknowledged })
        #expect(event.at == (try Self.time("2026-11-27T10:00+01:00")))
        let refusals: [(String, String)] = [
            ("2026-11-27T08:00+01:00", "before report #\(id) was observed"),
            ("2026-11-27T09:30+01:00", "before the latest entry"),
            ("2026-11-29T12:00+01:00", "lies in the future"),
        ]
        for (at, reason) in refusals {
            #expect { try t.store.changeStatus(of: id, to: .inProgress, at: try Self.time(at), now: now) } throws: { error in
                guard case DomainError.invalidText(field: "at", let text) = error else { return false }
                return text.contains(reason)
            }
            #expect { try t.store.addNote(to: id, text: "x", at: try Self.time(at), now: now) } throws: { ($0 as? DomainError)?.parameter == "at" }
        }
        #expect(try t.store.history(of: id).count == 2)
        // Five minutes of clock skew are allowed.
        try t.store.addNote(to: id, text: "Uhr geht vor", at: now.addingTimeInterval(240), now: now)
    }

    @Test func anEditedReportIsPlacedAgainAndTheHistorySaysWhat() throws {
        let t = try TestStore()
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon, note: "Herr Beispiel sagt: Scherben").report.id
        #expect(try t.store.report(id: id).district?.code == "west")
        let ost = try Coordinate(lon: Places.konradAdenauerPlatz.lon, lat: Places.konradAdenauerPlatz.lat)
        let edited = try t.store.edit(id, category: "Sauberkeit/Graffiti / Schmierereien", position: ost, description: "Scherben", actor: "Anna")
        #expect(edited.category.description == "cleanliness/graffiti")
        #expect(edited.position == ost && edited.district?.code == "ost" && edited.square?.name == "Konrad-Adenauer-Platz")
        #expect(edited.description == "Scherben")
        // The projected position moves with it: PROJ's EPSG:25832 of the new position, as a fresh log would store it.
        #expect(edited.projected == (try Projector.etrs89UTM32().project(ost)))
        let note = try #require(try t.store.history(of: id).last?.note)
        #expect(note.contains("category cleanliness/litter → cleanliness/graffiti"))
        #expect(note.contains("district Innenstadt West → Innenstadt Ost") && note.contains("square Burgplatz → Konrad-Adenauer-Platz"))
        #expect(note.contains("description rewritten") && !note.contains("Beispiel"))
        // The spatial index follows the new position.
        var filter = ReportFilter()
        filter.near = (ost, Meters(5))
        #expect(try t.store.reports(matching: filter).map(\.id) == [id])
    }

    @Test func anEditThatChangesNothingIsRefused() throws {
        let t = try TestStore()
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        #expect { try t.store.edit(id) } throws: { error in
            guard case DomainError.nothingToEdit(report: id) = error else { return false }
            return true
        }
        #expect { try t.store.edit(id, category: "cleanliness/litter") } throws: { error in
            guard case DomainError.nothingToEdit(report: id) = error else { return false }
            return true
        }
        #expect { try t.store.edit(id, category: "cleanliness/nothing") } throws: { ($0 as? DomainError)?.parameter == "category" }
        #expect(try t.store.history(of: id).count == 1)
    }

    /// Assigned concerns name their agency in the overdue list and in Open311's agency_responsible; one not closed by
    /// its due date is overdue even after a response; the default routing names the agency of the others.
    @Test func anAssignedConcernIsLateAfterItsDueDate() throws {
        let t = try TestStore()
        let now = try Self.time("2026-11-28T12:00+01:00")
        let sign = try t.log(lat: Places.konradAdenauerPlatz.lat, lon: Places.konradAdenauerPlatz.lon, "orientation/missing-sign", at: "2026-11-20T09:00+01:00").report.id
        let litter = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon, at: "2026-11-01T09:00+01:00").report.id
        let fresh = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon, "safety/poor-lighting", at: "2026-11-27T09:00+01:00").report.id
        try t.store.changeStatus(of: sign, to: .acknowledged, at: try Self.time("2026-11-20T12:00+01:00"), now: now)
        let assigned = try t.store.assign(sign, to: "Verkehr", dueDays: 3, actor: "Anna", at: try Self.time("2026-11-21T09:00+01:00"), now: now)
        let due = try Self.time("2026-11-24T09:00+01:00")
        #expect(assigned.agency == "verkehr" && assigned.dueAt == due)
        #expect(try t.store.history(of: sign).first { $0.kind == .note }?.note == "assigned to Amt für Verkehrsmanagement, due 2026-11-24 09:00")
        try t.store.assign(fresh, to: "osd", dueDays: 7, at: try Self.time("2026-11-27T10:00+01:00"), now: now)

        let list = try t.store.overdue(try OverdueThresholds(parsing: "10", taxonomy: try t.store.taxonomy()), now: now)
        #expect(list.total == 2)
        #expect(list.oldest.map(\.id) == [litter, sign])
        #expect(list.oldest[0].agency == "AWISTA (Abfallwirtschaft und Stadtreinigung)" && !list.oldest[0].isAssigned)
        #expect(list.oldest[1].agency == "Amt für Verkehrsmanagement" && list.oldest[1].isAssigned)
        let groups = AgencyOverdue.grouped(list.oldest, now: now)
        #expect(groups.count == 2)
        #expect(groups.map(\.agency) == ["AWISTA (Abfallwirtschaft und Stadtreinigung)", "Amt für Verkehrsmanagement"])
        #expect(groups.map(\.pastDue) == [0, 1] && groups.map(\.oldestDays) == [27, 8])
        // The public sees the agency that acts, and not the assignment's internal note.
        #expect(try t.store.publicReport(id: fresh)?.report.agency == "Ordnungs- und Servicedienst (OSD)")
        #expect(try t.store.publicReport(id: sign)?.history.contains { $0.note?.contains("assigned") == true } == false)
    }

    @Test func anAssignmentNeedsAKnownAgencyAndAnOpenConcern() throws {
        let t = try TestStore()
        let id = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report.id
        #expect { try t.store.assign(id, to: "Feuerwehr") } throws: { error in
            guard case DomainError.unknownAgency("Feuerwehr", let known) = error else { return false }
            return known == ["awista", "osd", "verkehr", "citymanagement"]
        }
        #expect { try t.store.assign(id, to: "awista", dueDays: -1) } throws: { ($0 as? DomainError)?.parameter == "due" }
        try t.store.changeStatus(of: id, to: .rejected)
        #expect { try t.store.assign(id, to: "awista") } throws: { error in
            guard case DomainError.closedReport(report: id, status: .rejected) = error else { return false }
            return true
        }
        #expect(try t.store.report(id: id).agency == nil)
    }
}
