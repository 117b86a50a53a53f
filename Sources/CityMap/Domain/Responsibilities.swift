import CityMapGeoData
import Foundation

/// Who acts on a concern: the agencies, and the default routing by category and, where it differs, by district
/// (`GeoData/responsibilities.json`).
public struct Responsibilities: Sendable {
    public struct Agency: Sendable, Decodable, Equatable {
        public let code: String
        public let name: String
    }

    struct Route: Sendable, Decodable {
        let category: String
        let district: String?
        let agency: String
    }

    public let agencies: [Agency]
    let routing: [Route]

    /// Reads a responsibilities file; the error names the file and what is wrong.
    public init(contentsOf url: URL) throws(DomainError) {
        struct File: Decodable { let agencies: [Agency]; let routing: [Route] }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: try Data(contentsOf: url)) } catch {
            throw .unreadableFile(url.path, reason: "\(error)")
        }
        for route in file.routing where !file.agencies.contains(where: { $0.code == route.agency }) {
            throw .unreadableFile(url.path, reason: "the routing of '\(route.category)' names the agency '\(route.agency)', which is not listed")
        }
        agencies = file.agencies
        routing = file.routing
    }

    /// The file shipped in GeoData.
    public static func shipped() throws -> Responsibilities {
        guard let url = GeoDataFiles.responsibilities else {
            throw DomainError.unreadableFile("GeoData/responsibilities.json", reason: "it is not bundled with this build; rebuild with `swift build`")
        }
        return try Responsibilities(contentsOf: url)
    }

    /// The agency with this code, if listed.
    public func agency(code: String) -> Agency? { agencies.first { $0.code == code } }

    /// The agency a person names: its code or its name, in any case ("awista", "AWISTA (Abfallwirtschaft …)").
    public func agency(named text: String) throws(DomainError) -> Agency {
        let wanted = text.trimmed.lowercased()
        if let found = agencies.first(where: { $0.code.lowercased() == wanted || $0.name.lowercased() == wanted }) { return found }
        throw .unknownAgency(text, known: agencies.map(\.code))
    }

    /// The agency for a category in a district (by code): a district's own route first, then the category's.
    public func agency(category: String, district: String?) -> Agency? {
        let route = routing.first { $0.category == category && $0.district != nil && $0.district == district }
            ?? routing.first { $0.category == category && $0.district == nil }
        return route.flatMap { r in agencies.first { $0.code == r.agency } }
    }
}
