import Foundation
import Testing
@testable import CityMap

@Suite("Group commit of single reports (ReportIntake)")
struct IntakeTests {
    /// Many callers at once share transactions; a refused report fails alone, and every acknowledged report is stored.
    @Test func concurrentSubmissionsAreStoredOnceAndFailuresStayAlone() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path("citymap.sqlite")
        do {
            let setup = try Store(path: path, mode: .create)
            _ = try setup.setUpFromShippedGeoData()
        }
        let store = try Store(path: path, access: .shared)
        let token = try store.addToken(name: "Team West", role: .field)
        let taxonomy = try store.taxonomy()
        let results = await withTaskGroup(of: Result<LoggedReport, any Error>.self) { group in
            for k in 0..<60 {
                group.addTask {
                    do {
                        var submission = ReportSubmission(lat: 51.2250 + Double(k) * 0.0001, lon: 6.7750, category: "cleanliness/litter")
                        submission.clientID = k == 7 ? nil : "client-\(k % 50)" // nine of them are retries
                        var new = try submission.validated(taxonomy: taxonomy)
                        if k == 7 { new.category = CategoryCode(category: "cleanliness", subcategory: "nothing") }
                        return .success(try await store.submit(new, token: k == 8 ? "wrong" : token, needs: .field))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<LoggedReport, any Error>] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 60)
        let failures = results.compactMap { if case .failure(let e) = $0 { return e } else { return nil } }
        #expect(failures.count == 2) // #7 (no such category) and #8 (no such token); the token is checked before the client id
        #expect(failures.contains { ($0 as? DomainError).map { if case .unknownCategory = $0 { return true } else { return false } } ?? false })
        #expect(failures.contains { ($0 as? AccessError)?.kind == .unauthorized })
        let logged = results.compactMap { try? $0.get() }
        let stored = try store.reports()
        #expect(Set(logged.map(\.report.id)).count == stored.count)
        #expect(stored.count == logged.filter { !$0.isRepeat }.count)
        #expect(stored.allSatisfy { $0.reporter == "Team West" })
        try store.close()
    }
}
