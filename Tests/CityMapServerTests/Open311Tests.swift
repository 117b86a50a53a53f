import Foundation
import GRDB
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Open311 GeoReport v2 at /open311/v2")
struct Open311Tests {
    static func post(_ s: Served, _ fields: [String: String], format: String = "json") async throws -> Served.Answer {
        try await s.request("POST", "/open311/v2/requests.\(format)", form: fields)
    }

    static let citizen = ["service_code": "cleanliness/illegal-dumping", "lat": "51.2262", "long": "6.7745",
                          "description": "Sperrmüll vor dem Eingang", "address_string": "Bolkerstraße 53, 40213 Düsseldorf"]

    @Test func discoveryAndServicesComeFromTheTaxonomy() async throws {
        let s = try Served(extraArguments: ["--citizen-key", "buerger-app"])
        let discovery = try await s.request("GET", "/open311/v2/discovery.json")
        #expect(discovery.status == 200)
        let endpoint = try #require((discovery.object["endpoints"] as? [[String: Any]])?.first)
        #expect((endpoint["url"] as? String)?.hasSuffix("/open311/v2") == true)
        let services = try #require(try await s.request("GET", "/open311/v2/services.json").json as? [[String: Any]])
        let taxonomy = try await s.request("GET", "/api/taxonomy", token: s.field)
        let subcategories = (taxonomy.object["categories"] as? [[String: Any]] ?? []).flatMap { $0["subcategories"] as? [Any] ?? [] }
        #expect(services.count == subcategories.count && services.count > 20)
        #expect(services.contains { $0["service_code"] as? String == "cleanliness/litter" && $0["service_name"] as? String == "Littering / Müll" })
        let xml = try await s.request("GET", "/open311/v2/services.xml")
        #expect(xml.status == 200 && xml.header("Content-Type")?.hasPrefix("text/xml") == true)
        #expect(XMLParser(data: xml.body).parse())
        let definition = try await s.request("GET", "/open311/v2/services/cleanliness/litter.json")
        #expect(definition.object["service_code"] as? String == "cleanliness/litter" && (definition.object["attributes"] as? [Any])?.isEmpty == true)
        #expect(try await s.request("GET", "/open311/v2/services/cleanliness/nothing.json").status == 400)
    }

    @Test func aPostedRequestIsStoredAndReadBack() async throws {
        let s = try Served(extraArguments: ["--citizen-key", "buerger-app"])
        var fields = Self.citizen
        fields["api_key"] = "buerger-app"
        let posted = try await Self.post(s, fields)
        #expect(posted.status == 200)
        let answer = try #require((posted.json as? [[String: Any]])?.first)
        let id = try #require(answer["service_request_id"] as? String)
        let token = try #require(answer["token"] as? String)
        #expect((answer["service_notice"] as? String)?.contains("Sie bekommen in jedem Fall eine Rückmeldung") == true)
        // At once in `citymap list`, as an open citizen report in Innenstadt West.
        let listed = try s.cli(["list", "--format", "csv"])
        #expect(listed.stdout.contains(",cleanliness,illegal-dumping,open,") && listed.stdout.contains("open311"))
        let one = try #require((try await s.request("GET", "/open311/v2/requests/\(id).json").json as? [[String: Any]])?.first)
        #expect(one["status"] as? String == "open" && one["service_code"] as? String == "cleanliness/illegal-dumping")
        #expect(one["address"] as? String == "Bolkerstraße") // cut to the street
        #expect(one["agency_responsible"] as? String == "AWISTA (Abfallwirtschaft und Stadtreinigung)")
        #expect((one["requested_datetime"] as? String)?.hasSuffix("+01:00") == true)
        let byToken = try #require((try await s.request("GET", "/open311/v2/tokens/\(token).json").json as? [[String: Any]])?.first)
        #expect(byToken["service_request_id"] as? String == id)
        // The office closes it with a public note: status closed, status_notes from the note.
        _ = try await s.request("POST", "/api/reports/\(id)/status", token: s.office, json: ["status": "acknowledged", "note": "intern: Fahrer Meier"])
        _ = try await s.request("POST", "/api/reports/\(id)/status", token: s.office, json: ["status": "in-progress"])
        _ = try await s.request("POST", "/api/reports/\(id)/status", token: s.office,
                                json: ["status": "resolved", "note": "Von AWISTA abgeholt.", "public": true])
        let closed = try #require((try await s.request("GET", "/open311/v2/requests/\(id).json").json as? [[String: Any]])?.first)
        #expect(closed["status"] as? String == "closed" && closed["status_notes"] as? String == "Von AWISTA abgeholt.")
        let xml = try await s.request("GET", "/open311/v2/requests/\(id).xml")
        #expect(xml.text.contains("<status>closed</status>") && XMLParser(data: xml.body).parse())
        #expect(!xml.text.contains("Meier") && !closed.description.contains("Meier"))
    }

    @Test func listingFollowsTheSpecsDefaultsAndFilters() async throws {
        let s = try Served()
        // One report from last year (outside the default 90 days), three recent ones.
        _ = try await s.request("POST", "/api/reports", token: s.field,
                                json: ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter", "observed_at": "2025-06-01T10:00+02:00"])
        for category in ["cleanliness/litter", "safety/poor-lighting", "safety/poor-lighting"] {
            _ = try await s.request("POST", "/api/reports", token: s.field, json: ["lat": 51.2275, "lon": 6.7711, "category": category])
        }
        _ = try await s.request("POST", "/api/reports/3/status", token: s.office, json: ["status": "rejected"])
        func ids(_ query: String) async throws -> [String] {
            let answer = try await s.request("GET", "/open311/v2/requests.json\(query)")
            #expect(answer.status == 200, "\(query): \(answer.text)")
            return (answer.json as? [[String: Any]] ?? []).compactMap { $0["service_request_id"] as? String }
        }
        #expect(try await ids("") == ["4", "3", "2"]) // newest first, the last 90 days
        #expect(try await ids("?start_date=2025-01-01T00:00:00Z").count == 4)
        #expect(try await ids("?status=closed") == ["3"])
        #expect(try await ids("?status=open&service_code=safety/poor-lighting") == ["4"])
        #expect(try await ids("?service_request_id=1,3") == ["3", "1"])
        let bad = try await s.request("GET", "/open311/v2/requests.json?start_date=yesterday")
        #expect(bad.status == 400)
        let errors = try #require(bad.json as? [[String: Any]])
        #expect(errors.first?["code"] as? Int == 400 && (errors.first?["description"] as? String)?.contains("start_date") == true)
        #expect(try await s.request("GET", "/open311/v2/requests.json?status=pending").status == 400)
        #expect(try await s.request("GET", "/open311/v2/requests/999.json").status == 404)
    }

    @Test func postsNeedAKeyAFormAndAPlace() async throws {
        let s = try Served(extraArguments: ["--citizen-key", "buerger-app"])
        var fields = Self.citizen
        #expect(try await Self.post(s, fields).status == 400) // no api_key
        fields["api_key"] = "wrong"
        let forbidden = try await Self.post(s, fields, format: "xml")
        #expect(forbidden.status == 403 && forbidden.text.contains("<errors><error><code>403</code>"))
        fields["api_key"] = s.field // any access token works too
        #expect(try await Self.post(s, fields).status == 200)
        var swapped = fields
        swapped["lat"] = "6.7745"; swapped["long"] = "51.2262"
        let refused = try await Self.post(s, swapped)
        #expect(refused.status == 400 && refused.text.contains("swapped"))
        var unknown = fields
        unknown["service_code"] = "noise/construction"
        let unknownCode = try await Self.post(s, unknown)
        #expect(unknownCode.status == 400 && unknownCode.text.contains("service_code"))
        let json = try await s.request("POST", "/open311/v2/requests.json", json: ["api_key": "buerger-app"])
        #expect(json.status == 415)
        #expect(try s.cli(["list", "--format", "csv"]).stdout.split(separator: "\r\n").count == 1 + 1)
    }
}
