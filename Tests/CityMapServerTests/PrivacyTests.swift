import Foundation
import Testing

/// DSGVO: reporters, contacts, internal notes and media never leave through a public output.
@Suite("Privacy of the public outputs")
struct PrivacyTests {
    static let name = "Erika Mustermann"
    static let email = "erika.mustermann@example.org"
    static let phone = "+49 211 8991234"

    @Test func nameEmailAndPhoneInEveryFieldNeverComeOutInPublic() async throws {
        let s = try Served(extraArguments: ["--citizen-key", "buerger-app"])
        let everything = "\(Self.name), \(Self.email), \(Self.phone)"
        let posted = try await s.request("POST", "/open311/v2/requests.json", form: [
            "api_key": "buerger-app", "service_code": "safety/unsafe-place", "lat": "51.2262", "long": "6.7745",
            "first_name": "Erika", "last_name": "Mustermann", "email": Self.email, "phone": Self.phone,
            "description": "Angstraum. Bitte melden bei \(everything)",
            "address_string": "Bolkerstraße 12 bei \(everything), 40213 Düsseldorf",
            "media_url": "https://example.org/\(Self.email)/photo.jpg",
        ])
        #expect(posted.status == 200)
        let id = try #require(((posted.json as? [[String: Any]])?.first)?["service_request_id"] as? String)
        // Staff log a report with the same data in the reporter and the note, and add internal and public notes.
        let staff = try await s.request("POST", "/api/reports", token: s.field, json: [
            "lat": 51.2263, "lon": 6.7746, "category": "safety/unsafe-place", "note": "Gemeldet von \(everything)", "reporter": everything,
        ])
        let staffID = try #require(staff.object["id"] as? Int)
        _ = try await s.request("POST", "/api/reports/\(id)/notes", token: s.field, json: ["note": "intern: Rückruf an \(everything)"])
        _ = try await s.request("POST", "/api/reports/\(id)/notes", token: s.field, json: ["note": "Wir melden uns bei \(everything)", "public": true])
        _ = try await s.request("POST", "/api/reports/\(staffID)/status", token: s.office,
                                json: ["status": "acknowledged", "note": "Anruf von \(Self.phone)", "public": true])

        // The office still sees it all (internal).
        let internalView = try await s.request("GET", "/api/reports/\(id)", token: s.office)
        #expect(internalView.text.contains("Mustermann"))

        let publicOutputs = [
            try await s.request("GET", "/open311/v2/requests.json"),
            try await s.request("GET", "/open311/v2/requests.xml"),
            try await s.request("GET", "/open311/v2/requests/\(id).json"),
            try await s.request("GET", "/open311/v2/requests/\(staffID).xml"),
            try await s.request("GET", "/api/export/reports.geojson", token: s.field),
            try await s.request("GET", "/api/export/reports.csv", token: s.field),
            try await s.request("GET", "/api/export/reports.geojsons", token: s.field),
        ]
        for answer in publicOutputs {
            #expect(answer.status == 200)
            for secret in ["Erika", "Mustermann", Self.email, "8991234", "intern:", "photo.jpg"] {
                #expect(!answer.text.contains(secret), "'\(secret)' in a public output: \(answer.text.prefix(300))")
            }
        }
        let open311 = try await s.request("GET", "/open311/v2/requests/\(id).json")
        #expect(open311.text.contains("[redacted]")) // the public note and the description keep their sense
        #expect(open311.text.contains("Wir melden uns bei"))
    }

    /// The Leerstand register's owners and enquirers, and brokering notes, stay out of `GET /api/summary` (which
    /// carries the vacancy section) and of every public output.
    @Test func ownersOfVacantUnitsNeverComeOutInPublic() async throws {
        let everything = "\(Self.name), \(Self.email), \(Self.phone)"
        let s = try Served { db, folder in
            for arguments in [["vacancy", "add", "--lat", "51.2262", "--lon", "6.7829", "--address", "Schadowstraße 12", "--floor", "ground",
                               "--owner", everything, "--at", "2026-01-15", "--note", "Eigentümer \(everything)"],
                              ["vacancy", "enquiry", "add", "--wants", "Café", "--contact", everything, "--at", "2026-01-20"],
                              ["vacancy", "enquiry", "step", "1", "1", "viewing", "--note", "mit \(everything)", "--at", "2026-01-21"]] {
                let result = try Executable.run(arguments + ["--db", db], in: folder)
                try #require(result.status == 0, "\(result.stderr)")
            }
        }
        let summary = try await s.request("GET", "/api/summary?month=2026-01&hotspots=0", token: s.office)
        #expect(summary.status == 200)
        #expect(summary.text.contains("vacancy_rate"))
        let outputs = [summary, try await s.request("GET", "/open311/v2/requests.json"),
                       try await s.request("GET", "/api/export/reports.geojson", token: s.field)]
        for answer in outputs {
            for secret in ["Erika", "Mustermann", Self.email, "8991234"] {
                #expect(!answer.text.contains(secret), "'\(secret)' in a public output: \(answer.text.prefix(300))")
            }
        }
    }
}
