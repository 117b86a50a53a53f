import CityMap
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The three pages (`/field` for phones on a walk, `/map` for the office, `/` for citizens, with `/status/{id}`),
/// their own files under `/pages/`, the field page's service worker, and Debian's Leaflet under `/vendor/leaflet/`.
/// The pages hold no logic of the core: every figure and every rule comes through the API.
struct PagesController: Sendable {
    let settings: ServiceSettings

    /// Debian's libjs-leaflet and libjs-leaflet.markercluster install here.
    static let leafletFolder = "/usr/share/javascript/leaflet"

    static let mediaTypes = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                             "json": "application/json", "png": "image/png", "svg": "image/svg+xml", "webmanifest": "application/manifest+json"]

    func add(to router: Router<ServerContext>) {
        router.get("/") { _, _ in try self.page("citizen.html") }
        router.get("field") { _, _ in try self.page("field.html") }
        router.get("map") { _, _ in try self.page("map.html") }
        router.get("status/:id") { _, _ in try self.page("status.html") }
        router.get("favicon.ico") { _, _ in try self.page("icon.svg") }
        router.get("field-sw.js") { _, _ in
            var response = try self.page("field-sw.js")
            response.headers[HTTPField.Name("Service-Worker-Allowed")!] = "/"
            response.headers[.cacheControl] = "no-cache"
            return response
        }
        router.get("pages/:file") { _, context in
            guard let file = context.parameters.get("file") else { throw HTTPError(.notFound) }
            return try self.page(file)
        }
        router.get("vendor/leaflet/**") { request, _ in try self.vendor(request.uri.path) }
    }

    /// A file of the pages, from the program's resources; only plain names, never a path.
    func page(_ name: String) throws -> Response {
        guard !name.contains("/"), !name.hasPrefix("."), let dot = name.lastIndex(of: "."),
              let type = Self.mediaTypes[String(name[name.index(after: dot)...])],
              let url = Bundle.module.url(forResource: String(name[..<dot]), withExtension: String(name[name.index(after: dot)...]),
                                          subdirectory: "Pages"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw Problem(.notFound, "there is no page file '\(name.prefix(80))'", type: "/problems/not-found")
        }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
        if type.hasPrefix("text/html") { headers[.contentSecurityPolicy] = settings.contentSecurityPolicy }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Leaflet's files from the Debian package (leaflet.js, leaflet.css, images/…, leaflet.markercluster.js, …).
    func vendor(_ path: String) throws -> Response {
        let relative = String(path.dropFirst("/vendor/leaflet/".count))
        guard !relative.isEmpty, !relative.split(separator: "/").contains(where: { $0 == ".." || $0.hasPrefix(".") }),
              let dot = relative.lastIndex(of: "."), let type = Self.mediaTypes[String(relative[relative.index(after: dot)...])],
              let data = FileManager.default.contents(atPath: "\(Self.leafletFolder)/\(relative)") else {
            throw Problem(.notFound, "Leaflet's '\(relative.prefix(80))' is not installed (Debian: libjs-leaflet, libjs-leaflet.markercluster)",
                          type: "/problems/not-found")
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=86400"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The public endpoints the pages use besides Open311: outlines, a report's public history, and the settings a
/// page needs (tiles, the citizens' key). Nothing here is personal data.
struct PublicController<Repository: ReportRepository>: Sendable {
    let repository: Repository
    let settings: ServiceSettings

    func add(to router: Router<ServerContext>) {
        router.get("public/config.json") { _, _ in try jsonResponse(self.settings.publicConfig) }
        router.get("public/areas.geojson") { _, _ in
            let repository = self.repository
            let bytes = try await blocking {
                let output = DataOutput()
                let sink = ByteSink(output)
                _ = try repository.exportAreas(ExportOptions(), to: sink)
                try sink.flush()
                return output.data
            }
            return Response(status: .ok, headers: [.contentType: "application/geo+json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("public/reports/:id") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw Problem(.notFound, "tracking numbers are whole numbers from 1", type: "/problems/not-found", parameter: "id")
            }
            let repository = self.repository
            guard let detail = try await blocking({ try repository.publicReport(id: id) }) else {
                throw Problem(.notFound, "there is no concern with the tracking number \(id)", type: "/problems/not-found", parameter: "id")
            }
            return try jsonResponse(detail)
        }
    }
}

extension ServiceSettings {
    /// What the pages read at start: the tile layer (or none), the citizens' key, the map's start view.
    struct PublicConfig: Encodable {
        struct Tiles: Encodable { let url: String; let attribution: String }
        let tiles: Tiles?
        let citizen_key: String?
        let center: [Double]
        let zoom: Int

        enum CodingKeys: String, CodingKey { case tiles, citizen_key, center, zoom }

        /// No tiles and no key are written as null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tiles, forKey: .tiles)
            try c.encode(citizen_key, forKey: .citizen_key)
            try c.encode(center, forKey: .center)
            try c.encode(zoom, forKey: .zoom)
        }
    }

    var publicConfig: PublicConfig {
        PublicConfig(tiles: tiles.map { PublicConfig.Tiles(url: $0.url, attribution: $0.attribution) }, citizen_key: citizenKey,
                     center: [51.2250, 6.7800], zoom: 15)
    }

    /// The pages' Content-Security-Policy: their own files, the API, and images from the tile server only.
    var contentSecurityPolicy: String {
        var images = "'self' data: blob:"
        if let tiles, let host = URLComponents(string: tiles.url.replacingOccurrences(of: "{s}", with: "a")
            .replacingOccurrences(of: "{z}", with: "0").replacingOccurrences(of: "{x}", with: "0").replacingOccurrences(of: "{y}", with: "0"))?.host {
            let wildcard = tiles.url.contains("{s}") ? "*." + host.split(separator: ".", maxSplits: 1).last.map(String.init)! : host
            images += " https://\(wildcard)"
        }
        return "default-src 'self'; img-src \(images); style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    }
}
