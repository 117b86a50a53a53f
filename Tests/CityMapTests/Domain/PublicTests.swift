import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("The public profile: redaction, streets and public reports")
struct PublicTests {
    @Test(arguments: [
        ("Bitte an erika.mustermann@example.org schreiben.", "Bitte an [redacted] schreiben."),
        ("Rückruf: +49 211 8991234", "Rückruf: [redacted]"),
        ("Tel. 0211/89-12345 oder (0211) 123 456 7", "Tel. [redacted] oder [redacted]"),
        ("Seit 2026-11-27 liegt hier Müll, Hausnr. 12, PLZ 40213", "Seit 2026-11-27 liegt hier Müll, Hausnr. 12, PLZ 40213"),
        ("Position 51.2275, 6.7711", "Position 51.2275, 6.7711"),
        ("Mail: a@b", "Mail: a@b"),
    ])
    func emailAddressesAndPhoneNumbersAreRedacted(text: String, expected: String) {
        #expect(PublicText.redact(text) == expected)
    }

    @Test func knownNamesAreRedactedWholeAndInParts() {
        let names = PublicText.names(reporter: "Erika Mustermann, erika@example.org", firstName: "Erika", lastName: "Mustermann")
        #expect(names.first == "erika@example.org" || names.first == "Erika Mustermann")
        #expect(PublicText.redact("Frau Mustermann (Erika) rief an", names: names) == "Frau [redacted] ([redacted]) rief an")
        #expect(PublicText.redact("Von ERIKA MUSTERMANN gemeldet", names: names) == "Von [redacted] gemeldet")
        #expect(PublicText.names(reporter: nil).isEmpty)
    }

    /// The quick test of exports (`redacted(_:prepared:)`) answers as the full redaction does, also where Unicode
    /// makes a case-insensitive match reach across forms: ß and "ss", the Kelvin sign, ligatures, İ, long s,
    /// letters composed and decomposed, the Greek question mark. Foundation's `.caseInsensitive` is the reference.
    @Test func theQuickTestOfExportsAgreesWithTheFullRedaction() {
        let names = [["Düsseldorf team 4"], ["Erika Mustermann", "Erika", "Mustermann"], ["Strauss"], ["Strauß"], ["Karl Kühn"],
                     ["fish"], ["Irem Yılmaz"], ["Sven"], ["José Ruiz"], ["Jose\u{301} Ruiz"], ["Ann;e"], ["A`dam"], ["Jo"], ["Иван Петров"]]
        let texts = ["Düsseldorf team 4 war da", "DÜSSELDORF TEAM 4", "Du\u{308}sseldorf team 4", "düsseldorf Team 4!", "Müll am Rhein",
                     "Frau Mustermann rief an", "ERIKA", "STRAUSS", "Straße, Strauß", "Herr STRAUSS", "\u{212A}arl K\u{fc}hn", "Karl Ku\u{308}hn",
                     "\u{FB01}sh", "\u{130}rem Yılmaz", "\u{17F}ven", "José Ruiz", "Jose\u{301} Ruiz", "JOSÉ RUIZ", "Ann\u{37E}e", "A\u{1FEF}dam",
                     "Jo und Jo", "иван петров", "ИВАН ПЕТРОВ", "Tel. 0211 1234567", "a@b.de", "", "Burgplatz 12"]
        for list in names {
            let prepared = PublicText.PreparedNames(list)
            for text in texts {
                let full = PublicText.redact(text, names: list)
                let quick = Array(text.utf8).withUnsafeBufferPointer { PublicText.redacted($0, prepared: prepared) }
                #expect(quick.map { String(decoding: $0, as: UTF8.self) } ?? text == full, "\(list) in \(text)")
            }
        }
        // A run of ASCII before a combining mark may end in the mark's base letter: it is cut off.
        #expect(PublicText.anchor("Jose\u{301}") == Array("jos".utf8))
        #expect(PublicText.anchor("Düsseldorf team 4") == Array("sseldorf team 4".utf8))
        #expect(PublicText.anchor("Jo") == nil && PublicText.anchor("Иван") == nil)
    }

    @Test(arguments: [("Burgplatz 1, 40213 Düsseldorf", "Burgplatz"), ("Bolkerstraße 53a", "Bolkerstraße"),
                      ("Königsallee 12 - 14", "Königsallee"), ("Schadowstraße 12 b, Düsseldorf", "Schadowstraße"),
                      ("Am Wehrhahn", "Am Wehrhahn"), ("Kö", "Kö")])
    func addressesAreCutToTheStreet(address: String, street: String) {
        #expect(PublicText.street(address) == street)
    }

    @Test func agenciesComeFromTheShippedRouting() throws {
        let routing = try Responsibilities.shipped()
        #expect(routing.agency(category: "cleanliness", district: "west")?.code == "awista")
        #expect(routing.agency(category: "safety", district: nil)?.code == "osd")
        #expect(routing.agency(category: "noise", district: nil) == nil)
    }

    /// Open311's statuses come from the lifecycle, and status notes only from public notes.
    @Test func publicReportsShowOnlyWhatIsPublic() throws {
        let t = try TestStore()
        try t.log(lat: 51.2275, lon: 6.7711, note: "Scherben, Zeuge: 0171 2345678")
        try t.log(lat: 51.2221, lon: 6.7924, "safety/poor-lighting")
        try t.store.changeStatus(of: 1, to: .acknowledged, note: "intern: Fahrer Meier", actor: "CM")
        try t.store.addNote(to: 1, text: "Die Reinigung ist bestellt.", actor: "CM", isPublic: true)
        try t.store.changeStatus(of: 2, to: .rejected, note: "privat", actor: "CM")
        var query = PublicQuery()
        let all = try t.store.publicReports(query)
        #expect(all.count == 2 && all.map(\.id) == [2, 1] || all.map(\.id) == [1, 2])
        let first = try #require(all.first { $0.id == 1 })
        #expect(first.status == .open && first.lifecycle == .acknowledged)
        #expect(first.statusNotes == "Die Reinigung ist bestellt." && first.description == "Scherben, Zeuge: [redacted]")
        #expect(first.agency == "AWISTA (Abfallwirtschaft und Stadtreinigung)" && first.district == "Innenstadt West")
        query.status = .closed
        #expect(try t.store.publicReports(query).map(\.id) == [2])
        let detail = try #require(try t.store.publicReport(id: 1))
        #expect(detail.history.map(\.status) == [.open, .acknowledged, .acknowledged])
        #expect(detail.history.compactMap(\.note) == ["Die Reinigung ist bestellt."])
        #expect(try t.store.publicReport(id: 9) == nil)
    }
}

@Suite("Access tokens")
struct TokenTests {
    /// FIPS 180-4 test vectors (also `printf abc | sha256sum`).
    @Test func sha256MatchesTheFIPSVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func tokensAreStoredAsHashesAndCanBeRevoked() throws {
        let t = try TestStore()
        let secret = try t.store.addToken(name: "Team West", role: .field)
        #expect(secret.count == 43)
        #expect(try t.store.identity(forToken: secret) == Identity(name: "Team West", role: .field))
        #expect(try t.store.identity(forToken: secret + "x") == nil)
        let stored = try t.store.read { db in try String.fetchOne(db, sql: "SELECT hash FROM access_tokens") }
        #expect(stored == SHA256.hex(Array(secret.utf8)) && stored != secret)
        #expect { try t.store.addToken(name: "Team West", role: .office) } throws: { ($0 as? TokenError)?.kind == .conflict }
        #expect { try t.store.addToken(name: "", role: .office) } throws: { ($0 as? TokenError)?.parameter == "name" }
        try t.store.revokeToken(name: "Team West")
        #expect(try t.store.identity(forToken: secret) == nil)
        #expect(try t.store.tokens().first?.isActive == false)
        #expect { try t.store.revokeToken(name: "Team West") } throws: { ($0 as? TokenError)?.kind == .conflict }
        #expect(AccessRole.admin.covers(.office) && AccessRole.office.covers(.field) && !AccessRole.field.covers(.office))
    }
}

@Suite("Submissions and filters as people type them")
struct SubmissionTests {
    @Test func swappedCoordinatesAreNamedAndGermanSeveritiesAccepted() throws {
        let taxonomy = try TestStore().store.taxonomy()
        #expect { try ReportSubmission(lat: 6.7711, lon: 51.2275, category: "cleanliness/litter").validated(taxonomy: taxonomy) } throws: { error in
            (error as? SubmissionError)?.parameter == "lat" && "\(error)".contains("look swapped")
        }
        var hoch = ReportSubmission(lat: 51.2275, lon: 6.7711, category: "cleanliness/litter")
        hoch.severity = "hoch"
        #expect(try hoch.validated(taxonomy: taxonomy).severity == .high)
        // Far from NRW, but not swapped into it: a real position elsewhere (Reykjavík) is kept.
        #expect(try ReportSubmission(lat: 64.1466, lon: -21.9426, category: "cleanliness/litter").validated(taxonomy: taxonomy).position.lat == 64.1466)
    }

    @Test func filterTextNamesTheInputThatIsWrong() {
        func parameter(_ edit: (inout FilterText) -> Void) -> String? {
            var text = FilterText()
            edit(&text)
            do { _ = try text.filter(); return nil } catch { return (error as? any CityMapError)?.parameter }
        }
        #expect(parameter { $0.since = "gestern" } == "since")
        #expect(parameter { $0.statuses = ["parked"] } == "status")
        #expect(parameter { $0.near = "51.2,6.7"; $0.radius = "1e308km" } == "radius")
        #expect(parameter { $0.bbox = "1,2" } == "bbox")
        #expect(parameter { $0.limit = 0 } == "limit")
        #expect(parameter { $0.since = "2026-11-02"; $0.until = "2026-11-01" } == "until")
        #expect(parameter { $0.statuses = ["open", "In-Progress"] } == nil)
    }
}
