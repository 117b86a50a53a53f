import Foundation
import Testing
@testable import CityMap

@Suite("Report lifecycle and history")
struct LifecycleTests {
    @Test func happyPathIsRecordedStepByStep() throws {
        let t = try TestStore()
        let id = try t.log(lat: 51.2275, lon: 6.7711).report.id
        try t.store.changeStatus(of: id, to: .acknowledged, note: "an AWISTA gemeldet", actor: "CM")
        try t.store.changeStatus(of: id, to: .inProgress, actor: "CM")
        let done = try t.store.changeStatus(of: id, to: .resolved, note: "gereinigt", actor: "CM")
        #expect(done.status == .resolved)
        let history = try t.store.history(of: id)
        #expect(history.map(\.to) == [.open, .acknowledged, .inProgress, .resolved])
        #expect(history.map(\.from) == [nil, .open, .acknowledged, .inProgress])
        #expect(history[1].note == "an AWISTA gemeldet" && history[1].actor == "CM")
    }

    @Test(arguments: [
        (ReportStatus.open, ReportStatus.resolved), (.open, .inProgress), (.acknowledged, .resolved), (.inProgress, .duplicate),
    ])
    func skippingAStepIsRefused(from: ReportStatus, to: ReportStatus) throws {
        #expect(!from.canMove(to: to))
    }

    @Test func illegalTransitionChangesNothing() throws {
        let t = try TestStore()
        let id = try t.log(lat: 51.2275, lon: 6.7711).report.id
        #expect {
            try t.store.changeStatus(of: id, to: .resolved)
        } throws: { error in
            "\(error)".contains("report #\(id) is open, so it cannot become resolved")
        }
        #expect(try t.store.report(id: id).status == .open)
        #expect(try t.store.history(of: id).count == 1)
    }

    @Test func closedReportsStayClosed() throws {
        let t = try TestStore()
        let id = try t.log(lat: 51.2275, lon: 6.7711).report.id
        try t.store.changeStatus(of: id, to: .rejected, note: "kein Handlungsbedarf")
        for target in ReportStatus.allCases {
            #expect(throws: DomainError.self) { try t.store.changeStatus(of: id, to: target) }
        }
    }

    @Test func duplicateLinksToTheFirstOriginal() throws {
        let t = try TestStore()
        let original = try t.log(lat: 51.2275, lon: 6.7711).report.id
        let second = try t.log(lat: 51.2275, lon: 6.7711).report.id
        let third = try t.log(lat: 51.2275, lon: 6.7711).report.id
        #expect(throws: DomainError.self) { try t.store.changeStatus(of: second, to: .duplicate) }
        #expect(throws: DomainError.self) { try t.store.changeStatus(of: second, to: .duplicate, duplicateOf: second) }
        #expect(throws: DomainError.self) { try t.store.changeStatus(of: second, to: .duplicate, duplicateOf: 999) }
        #expect(throws: DomainError.self) { try t.store.changeStatus(of: second, to: .acknowledged, duplicateOf: original) }
        try t.store.changeStatus(of: second, to: .duplicate, duplicateOf: original)
        let linked = try t.store.changeStatus(of: third, to: .duplicate, duplicateOf: second)
        #expect(linked.duplicateOf == original)
        #expect(try t.store.history(of: third).last?.note == "duplicate of #\(original)")
    }

    @Test func unknownReportIsNamed() throws {
        let t = try TestStore()
        #expect(throws: DomainError.self) { try t.store.changeStatus(of: 42, to: .acknowledged) }
        #expect(throws: DomainError.self) { try t.store.report(id: 42) }
    }
}
