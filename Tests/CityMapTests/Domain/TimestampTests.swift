import Foundation
import Testing
@testable import CityMap

@Suite("Times: ISO 8601 in, UTC stored, Europe/Berlin shown")
struct TimestampTests {
    @Test(arguments: [
        ("2026-11-27T10:15+01:00", "2026-11-27T09:15:00Z"),
        ("2026-11-27T10:15:30Z", "2026-11-27T10:15:30Z"),
        ("2026-11-27 10:15", "2026-11-27T09:15:00Z"),          // no offset: Europe/Berlin, winter (+01:00)
        ("2026-07-01T10:15", "2026-07-01T08:15:00Z"),          // summer (+02:00)
        ("2026-11-27", "2026-11-26T23:00:00Z"),                // local midnight
        ("2026-11-27T10:15:00.5+0100", "2026-11-27T09:15:00Z"),
        ("2026-03-29T03:30", "2026-03-29T01:30:00Z"),          // just after the spring change
        ("2026/11/27 11:02:00+01", "2026-11-27T10:02:00Z"),    // GDAL's form (QGIS, ogr2ogr CSV)
        ("2026/07/01 11:02:00", "2026-07-01T09:02:00Z"),
    ])
    func parses(text: String, utc: String) throws {
        #expect(Timestamp.utc(try #require(Timestamp.parse(text))) == utc)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "2026-02-30", "2026-11-27T25:00", "27.11.2026", "", "2026-11-27T10:15+01:00x", "2026/11-27", "2026-11/27"])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func showsTheOffsetInForce() throws {
        #expect(Timestamp.local(try #require(Timestamp.parse("2026-11-27T09:15:00Z"))) == "2026-11-27T10:15:00+01:00")
        #expect(Timestamp.local(try #require(Timestamp.parse("2026-07-01T08:15:00Z"))) == "2026-07-01T10:15:00+02:00")
    }

    /// tools/fuzz found it: an upper bound in GDAL's date form trapped (Tests/Fixtures/crashes/time-upper-bound-with-slashes.txt).
    @Test func aDateWithSlashesAsUpperBoundIncludesThatDay() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/crashes/time-upper-bound-with-slashes.txt")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        #expect(text == "2026/03/31")
        #expect(Timestamp.parseEnd(text) == Timestamp.parse("2026-04-01"))
        #expect(Timestamp.parseEnd("2026/12/31") == Timestamp.parse("2027-01-01"))
    }

    @Test func aDateAloneAsUpperBoundIncludesThatDay() throws {
        #expect(Timestamp.utc(try #require(Timestamp.parseEnd("2026-11-30"))) == "2026-11-30T23:00:00Z")
        #expect(Timestamp.utc(try #require(Timestamp.parseEnd("2026-03-28"))) == "2026-03-28T23:00:00Z")
        #expect(Timestamp.utc(try #require(Timestamp.parseEnd("2026-03-29"))) == "2026-03-29T22:00:00Z")
    }

    /// Exports write local times from stored bytes (`appendLocal`) as listings do from Dates (`local`): the same text
    /// every ten minutes through 2026, across both changes of the clock, and nothing for bytes in another form.
    @Test func localTimesFromStoredBytesAreTheLocalForm() throws {
        let start = try #require(Timestamp.parse("2026-01-01T00:00:00Z"))
        for step in 0..<(365 * 24 * 6) {
            let date = start.addingTimeInterval(Double(step) * 600 + 7)
            let stored = Array(Timestamp.utc(date).utf8)
            var bytes: [UInt8] = []
            let written = stored.withUnsafeBufferPointer { Timestamp.appendLocal(stored: $0, to: &bytes) }
            #expect(written && String(decoding: bytes, as: UTF8.self) == Timestamp.local(date))
            if !written { break }
        }
        for other in ["2026-11-27T10:15:00+01:00", "2026-11-27 10:15:00Z", "2026-02-30T10:15:00Z", "2026-11-27T24:00:00Z", "x"] {
            var bytes: [UInt8] = []
            #expect(!Array(other.utf8).withUnsafeBufferPointer { Timestamp.appendLocal(stored: $0, to: &bytes) } && bytes.isEmpty, "\(other)")
        }
    }
}
