import Foundation
import Testing

@Suite("The pages and the endpoints they use")
struct PagesTests {
    @Test func pagesAndTheirFilesAreServedWithAPolicy() async throws {
        let s = try Served(extraArguments: ["--citizen-key", "buerger-app", "--tiles", "none"])
        for path in ["/", "/field", "/map", "/status/1"] {
            let page = try await s.request("GET", path)
            #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true, "\(path)")
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        }
        #expect(try await s.request("GET", "/pages/field.js").header("Content-Type")?.hasPrefix("text/javascript") == true)
        #expect(try await s.request("GET", "/pages/../Package.swift").status == 404)
        #expect(try await s.request("GET", "/field-sw.js").header("Service-Worker-Allowed") == "/")
        let config = try await s.request("GET", "/public/config.json")
        #expect(config.object["citizen_key"] as? String == "buerger-app" && config.object["tiles"] is NSNull)
        let areas = try await s.request("GET", "/public/areas.geojson")
        #expect((areas.object["features"] as? [Any])?.count == 9)
    }

    @Test func placeWhoAmIAndThePublicStatus() async throws {
        let s = try Served()
        let place = try await s.request("GET", "/api/place?lat=51.2275&lon=6.7711", token: s.field)
        #expect(place.object["district"] as? String == "Innenstadt West" && place.object["square"] as? String == "Burgplatz")
        let outside = try await s.request("GET", "/api/place?lat=51.2360&lon=6.7900", token: s.field)
        #expect(outside.object["district"] is NSNull)
        #expect(try await s.request("GET", "/api/whoami", token: s.office).object["role"] as? String == "office")
        _ = try await s.request("POST", "/api/reports", token: s.field, json: ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter",
                                                                               "note": "Anruf bei 0211 1234567", "reporter": "Erika Mustermann"])
        _ = try await s.request("POST", "/api/reports/1/status", token: s.office, json: ["status": "acknowledged", "note": "intern", "public": false])
        _ = try await s.request("POST", "/api/reports/1/notes", token: s.office, json: ["note": "Die Reinigung ist bestellt.", "public": true])
        let status = try await s.request("GET", "/public/reports/1")
        #expect(status.status == 200)
        #expect(!status.text.contains("intern") && !status.text.contains("Mustermann") && !status.text.contains("1234567"))
        #expect(status.text.contains("Die Reinigung ist bestellt."))
        #expect(try await s.request("GET", "/public/reports/99").status == 404)
    }

    /// A photo with EXIF is stored without it, beside the database, readable by its owner only, and only with a token.
    @Test func photosAreStoredWithoutMetadata() async throws {
        let s = try Served()
        _ = try await s.request("POST", "/api/reports", token: s.field, json: ["lat": 51.2275, "lon": 6.7711, "category": "cleanliness/litter"])
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] { [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload }
        let exif = segment(0xE1, Array("Exif\0\0GPS SERIAL-4711".utf8))
        let jpeg: [UInt8] = [0xFF, 0xD8] + exif + segment(0xDB, [0] + Array(repeating: 1, count: 64))
            + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0x34, 0xFF, 0xD9]
        let stored = try await s.request("POST", "/api/reports/1/photo", token: s.field, body: Data(jpeg), contentType: "image/jpeg")
        #expect(stored.status == 201)
        let url = try #require(stored.object["media_url"] as? String)
        let file = s.db + ".media/" + url.split(separator: "/").last!
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.range(of: Data("SERIAL-4711".utf8)) == nil && bytes.count == jpeg.count - exif.count)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try await s.request("GET", url).status == 401)
        let served = try await s.request("GET", url, token: s.field)
        #expect(served.status == 200 && served.header("Content-Type") == "image/jpeg" && served.body == bytes)
        let gif = try await s.request("POST", "/api/reports/1/photo", token: s.field, body: Data("GIF89a".utf8), contentType: "image/gif")
        #expect(gif.status == 422 && gif.text.contains("not a JPEG, PNG or WebP"))
        // The public never sees the photo.
        let open311 = try await s.request("GET", "/open311/v2/requests/1.json")
        #expect(!open311.text.contains("media/") && open311.text.contains("\"media_url\":null"))
    }
}
