import Foundation
import Testing

@Suite("Tokens and roles of citymap serve")
struct AuthTests {
    /// Every staff endpoint, with a body it would accept.
    nonisolated(unsafe) static let staffEndpoints: [(String, String, Any?)] = [
        ("POST", "/api/reports", ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter"]),
        ("GET", "/api/reports", nil), ("GET", "/api/reports/1", nil),
        ("POST", "/api/reports/1/status", ["status": "acknowledged"]), ("POST", "/api/reports/1/notes", ["note": "x"]),
        ("POST", "/api/walks", ["type": "LineString", "coordinates": [[6.7711, 51.2275], [6.7712, 51.2276]]]),
        ("GET", "/api/summary", nil), ("GET", "/api/overdue", nil), ("GET", "/api/hotspots/clusters", nil),
        ("GET", "/api/hotspots/gi", nil), ("GET", "/api/hotspots/density", nil), ("GET", "/api/areas", nil),
        ("GET", "/api/taxonomy", nil), ("GET", "/api/export/reports.geojson", nil), ("GET", "/api/export/reports.csv", nil),
        ("GET", "/api/export/reports.geojsons", nil), ("GET", "/api/tokens", nil), ("POST", "/api/tokens", ["name": "x", "role": "field"]),
        ("DELETE", "/api/tokens/Office", nil),
    ]

    @Test func everyStaffEndpointNeedsAValidToken() async throws {
        let s = try Served()
        #expect(try await s.request("POST", "/api/reports", token: s.field, json: ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter"]).status == 201)
        // A token revoked from the command line, while the server runs, opens nothing from then on.
        let made = try s.cli(["tokens", "add", "Leaving", "--role", "admin"])
        let leaving = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await s.request("GET", "/api/taxonomy", token: leaving).status == 200)
        #expect(try s.cli(["tokens", "revoke", "Leaving"]).status == 0)
        for (method, path, body) in Self.staffEndpoints {
            let none = try await s.request(method, path, json: body)
            #expect(none.status == 401, "\(method) \(path) without a token: \(none.status)")
            #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let revoked = try await s.request(method, path, token: leaving, json: body)
            #expect(revoked.status == 401, "\(method) \(path) with a revoked token: \(revoked.status)")
            let wrong = try await s.request(method, path, token: "not-a-token", json: body)
            #expect(wrong.status == 401)
        }
    }

    @Test func rolesAreEnforced() async throws {
        let s = try Served()
        _ = try await s.request("POST", "/api/reports", token: s.field, json: ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter"])
        let fieldOnOffice = try await s.request("POST", "/api/reports/1/status", token: s.field, json: ["status": "acknowledged"])
        #expect(fieldOnOffice.status == 403 && fieldOnOffice.header("Content-Type") == "application/problem+json")
        #expect(try await s.request("GET", "/api/export/reports.geojson?profile=internal", token: s.field).status == 403)
        #expect(try await s.request("GET", "/api/export/reports.geojson?profile=internal", token: s.office).status == 200)
        #expect(try await s.request("GET", "/api/tokens", token: s.office).status == 403)
        #expect(try await s.request("POST", "/api/reports/1/status", token: s.office, json: ["status": "acknowledged"]).status == 200)
        let made = try await s.request("POST", "/api/tokens", token: s.admin, json: ["name": "Team Ost", "role": "field"])
        #expect(made.status == 201)
        let secret = try #require(made.object["token"] as? String)
        #expect(try await s.request("GET", "/api/reports", token: secret).status == 200)
        #expect(try await s.request("DELETE", "/api/tokens/Team%20Ost", token: s.admin).status == 204)
        #expect(try await s.request("GET", "/api/reports", token: secret).status == 401)
        #expect(try await s.request("DELETE", "/api/tokens/Admin", token: s.admin).status == 409) // not itself
    }

    /// Only hashes are stored, and no token reaches the request log.
    @Test func tokensAreNeverStoredOrLoggedInClear() async throws {
        let s = try Served()
        for token in [s.field, s.office, s.admin] {
            _ = try await s.request("GET", "/api/reports", token: token)
            _ = try await s.request("GET", "/api/reports?x=\(token)", token: token)
        }
        #expect(s.stop() == 0)
        let file = try Data(contentsOf: URL(fileURLWithPath: s.db))
        for token in [s.field, s.office, s.admin] {
            #expect(file.range(of: Data(token.utf8)) == nil)
            #expect(!s.logText.contains(token))
        }
        let listed = try s.cli(["tokens", "list", "--format", "json"])
        #expect(listed.stdout.contains("\"Team West\"") && !listed.stdout.contains(s.field))
    }
}
