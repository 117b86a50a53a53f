import CityMap
import Foundation
import HTTPTypes
import Hummingbird

/// The staff API under `/api`: JSON for field staff and the office, every route behind a bearer token.
/// It parses the request, calls the repository off the event loop, and renders what comes back; the rules
/// are the core's.
struct StaffController<Repository: ReportRepository>: Sendable {
    let repository: Repository
    let access: AccessGuard<Repository>

    init(repository: Repository) {
        self.repository = repository
        access = AccessGuard(repository: repository)
    }

    func add(to router: Router<ServerContext>) {
        let api = router.group("api")
        api.post("reports", use: logReport)
        api.get("reports", use: listReports)
        api.get("reports/:id", use: showReport)
        api.post("reports/:id/status", use: changeStatus)
        api.post("reports/:id/notes", use: addNote)
        api.post("reports/:id/photo", use: addPhoto)
        api.get("media/:file", use: media)
        api.get("place", use: place)
        api.get("whoami", use: whoami)
        api.post("walks", use: uploadWalk)
        api.get("summary", use: summary)
        api.get("overdue", use: overdue)
        api.get("hotspots/clusters", use: clusters)
        api.get("hotspots/gi", use: giStar)
        api.get("hotspots/density", use: density)
        api.get("areas", use: areas)
        api.get("taxonomy", use: taxonomy)
        api.get("export/reports.geojson", use: { request, context in try await export(request, context, format: .geojson) })
        api.get("export/reports.geojsons", use: { request, context in try await export(request, context, format: .geojsonseq) })
        api.get("export/reports.csv", use: { request, context in try await export(request, context, format: .csv) })
        api.get("tokens", use: listTokens)
        api.post("tokens", use: addToken)
        api.delete("tokens/:name", use: revokeToken)
    }

    // MARK: Reports

    struct NewReportBody: Decodable {
        let lat: Double
        let lon: Double
        let category: String
        let note: String?
        let severity: String?
        let accuracy_m: Double?
        let observed_at: String?
        let reporter: String?
        let client_id: String?
    }

    /// What `POST /api/reports` answers: the report's id and place, and what the person logging it should know.
    /// Written straight into bytes (`bytes`): the busiest route, where the general encoder was a twentieth of the time.
    struct Logged: Encodable {
        let id: Int64
        let district: String?
        let square: String?
        let repeated: Bool
        let warnings: [String]
        let likely_duplicates: [Int64]

        enum CodingKeys: String, CodingKey { case id, district, square, repeated, warnings, likely_duplicates }

        /// Absent places are written as null, as everywhere in the API.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(district, forKey: .district)
            try c.encode(square, forKey: .square)
            try c.encode(repeated, forKey: .repeated)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(likely_duplicates, forKey: .likely_duplicates)
        }

        var bytes: [UInt8] {
            var b: [UInt8] = []
            b.reserveCapacity(160)
            b.append(contentsOf: "{\"id\":".utf8)
            b.appendInteger(id)
            for (key, value) in [(",\"district\":", district), (",\"square\":", square)] {
                b.append(contentsOf: key.utf8)
                if let value { b.appendJSONString(value) } else { b.append(contentsOf: "null".utf8) }
            }
            b.append(contentsOf: (repeated ? ",\"repeated\":true,\"warnings\":[" : ",\"repeated\":false,\"warnings\":[").utf8)
            for (i, warning) in warnings.enumerated() {
                if i > 0 { b.append(UInt8(ascii: ",")) }
                b.appendJSONString(warning)
            }
            b.append(contentsOf: "],\"likely_duplicates\":[".utf8)
            for (i, id) in likely_duplicates.enumerated() {
                if i > 0 { b.append(UInt8(ascii: ",")) }
                b.appendInteger(id)
            }
            b.append(contentsOf: "]}\n".utf8)
            return b
        }
    }

    /// The token is checked in the report's own transaction (no extra round to the database on the busiest route).
    @Sendable func logReport(_ request: Request, context: ServerContext) async throws -> Response {
        let token = try AccessGuard<Repository>.bearer(request)
        var request = request
        let body = try await request.json(NewReportBody.self)
        var submission = ReportSubmission(lat: body.lat, lon: body.lon, category: body.category)
        submission.note = body.note ?? ""
        submission.severity = body.severity
        submission.accuracy = body.accuracy_m
        submission.observedAt = body.observed_at
        submission.reporter = body.reporter
        submission.source = "field-app"
        submission.clientID = body.client_id
        let new = try submission.validated(taxonomy: try repository.taxonomy())
        let logged = try await repository.submit(new, token: token, needs: .field)
        let report = logged.report
        var warnings: [String] = []
        if logged.isOutsideDistricts && !logged.isRepeat {
            warnings.append("\(report.position) lies outside every district (Innenstadt West, Innenstadt Ost); the report is kept without a district")
        }
        for neighbour in logged.likelyDuplicates {
            warnings.append("likely duplicate of report #\(neighbour.report.id) (\(neighbour.report.category), \(neighbour.distance) away)")
        }
        let answer = Logged(id: report.id, district: report.district?.name, square: report.square?.name, repeated: logged.isRepeat,
                            warnings: warnings, likely_duplicates: logged.likelyDuplicates.map(\.report.id))
        return Response(status: logged.isRepeat ? .ok : .created,
                        headers: [.contentType: "application/json", .location: "/api/reports/\(report.id)"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bytes)))
    }

    /// A page of reports with the total that match.
    struct Page: Encodable {
        let total: Int
        let limit: Int
        let offset: Int
        let reports: [Report]
    }

    @Sendable func listReports(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let filter = try Query(request).filter(defaultLimit: 100, maximumLimit: Limits.page)
        let repository = self.repository
        let page = try await blocking {
            Page(total: try repository.count(matching: filter), limit: filter.limit ?? 100, offset: filter.offset,
                 reports: try repository.reports(matching: filter))
        }
        return try jsonResponse(page)
    }

    @Sendable func showReport(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let id = try Self.id(context)
        let repository = self.repository
        return try jsonResponse(try await blocking { try repository.detail(id: id) })
    }

    struct StatusBody: Decodable {
        let status: String
        let note: String?
        let `public`: Bool?
        let of: Int64?
        let at: String?
    }

    @Sendable func changeStatus(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.office, request)
        let id = try Self.id(context)
        var request = request
        let body = try await request.json(StatusBody.self)
        guard let status = ReportStatus(rawValue: body.status) else {
            throw Problem.invalid("status", "'status' must be one of \(ReportStatus.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(body.status)')",
                                  status: .unprocessableContent)
        }
        let at = try Self.time(body.at, field: "at")
        try Self.checkNote(body.note)
        let repository = self.repository
        let report = try await blocking {
            try repository.changeStatus(of: id, to: status, note: body.note, actor: identity.name, duplicateOf: body.of,
                                        isPublic: body.public ?? false, at: at, now: Date())
        }
        return try jsonResponse(try await blocking { try repository.detail(id: report.id) })
    }

    struct NoteBody: Decodable {
        let note: String
        let `public`: Bool?
        let at: String?
    }

    @Sendable func addNote(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.field, request)
        let id = try Self.id(context)
        var request = request
        let body = try await request.json(NoteBody.self)
        let at = try Self.time(body.at, field: "at")
        try Self.checkNote(body.note)
        let repository = self.repository
        let event = try await blocking {
            try repository.addNote(to: id, text: body.note, actor: identity.name, isPublic: body.public ?? false, at: at, now: Date())
        }
        return try jsonResponse(event, status: .created)
    }

    /// A photo of a report: JPEG, PNG or WebP (told by its bytes), at most 5 MB, stored beside the database without
    /// its metadata. Its URL is internal, under `/api/media/`.
    @Sendable func addPhoto(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.field, request)
        let id = try Self.id(context)
        var request = request
        let bytes = Array(try await request.bytes(upTo: Limits.photo))
        let repository = self.repository
        let url = try await blocking { try repository.attachPhoto(to: id, bytes: bytes, actor: identity.name, now: Date()) }
        return try jsonResponse(StoredPhoto(media_url: "/api/" + url), status: .created)
    }

    @Sendable func media(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let name = context.parameters.get("file") ?? ""
        let repository = self.repository
        guard let photo = try await blocking({ try repository.photo(named: name) }) else {
            throw Problem(.notFound, "there is no photo '\(name.prefix(80))'", type: "/problems/not-found")
        }
        return Response(status: .ok, headers: [.contentType: photo.format.mediaType, .cacheControl: "private, max-age=3600"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: photo.bytes)))
    }

    /// The token's holder and role, so that a page offers what the role may do.
    @Sendable func whoami(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.field, request)
        return try jsonResponse(WhoAmI(name: identity.name, role: identity.role))
    }

    /// Where a position falls, as a report there would be placed: for the field page, before anything is logged.
    @Sendable func place(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        guard let latText = query.string("lat"), let lat = Double(latText) else { throw Problem.invalid("lat", "'lat' must be a number") }
        guard let lonText = query.string("lon"), let lon = Double(lonText) else { throw Problem.invalid("lon", "'lon' must be a number") }
        let position = try Coordinate(lon: lon, lat: lat)
        let repository = self.repository
        let placement = try await blocking { try repository.place(position) }
        return try jsonResponse(PlaceAnswer(district: placement.district?.name, square: placement.square?.name))
    }

    // MARK: Walks

    struct UploadedWalks: Encodable {
        let walks_added: Int
        let walks_present: Int
        let reports_imported: Int
        let walk_id: Int64?
    }

    /// A GPX document, or a GeoJSON LineString (bare, or as a Feature with `name`, `team` and ISO `times`).
    @Sendable func uploadWalk(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.field, request)
        let mediaType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var request = request
        let data = try await request.bytes(upTo: Limits.walk)
        let repository = self.repository
        switch mediaType {
        case "application/gpx+xml", "application/xml", "text/xml":
            var options = ImportOptions()
            options.source = "field-app"
            options.team = identity.name
            let chosen = options
            let summary = try await blocking { try repository.importGPX(data, name: "walk-upload.gpx", options: chosen) }
            return try jsonResponse(UploadedWalks(walks_added: summary.walksAdded, walks_present: summary.walksPresent,
                                                  reports_imported: summary.imported, walk_id: nil), status: .created)
        case "application/geo+json", "application/json":
            let walk = try WalkDocument(data)
            let id = try await blocking {
                try repository.addWalk(name: walk.name ?? "Rundgang \(identity.name)", team: walk.team ?? identity.name, line: walk.line,
                                       times: walk.times, source: "field-app")
            }
            return try jsonResponse(UploadedWalks(walks_added: 1, walks_present: 0, reports_imported: 0, walk_id: id), status: .created)
        default:
            throw Problem(.unsupportedMediaType, "send a walk as application/gpx+xml or as application/geo+json (got \(mediaType.isEmpty ? "none" : mediaType))",
                          type: "/problems/unsupported-media-type")
        }
    }

    // MARK: Views

    @Sendable func summary(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        let now = Date()
        var summary = SummaryRequest(period: try Period.parse(month: query.string("month"), from: query.string("from"), to: query.string("to"),
                                                              last: query.string("last"), now: now))
        summary.districts = query.list("district")
        if let by = query.string("by") {
            guard let key = BreakdownKey(rawValue: by) else {
                throw SummaryError.unknownKey(by, known: BreakdownKey.allCases.map(\.rawValue))
            }
            summary.by = key
        }
        switch query.string("compare") ?? "previous" {
        case "previous": summary.compare = true
        case "none": summary.compare = false
        case let other: throw Problem.invalid("compare", "'compare' must be previous or none (got '\(other)')")
        }
        summary.hotspots = try query.int("hotspots", in: 0...50) ?? 3
        summary.overdueLimit = try query.int("overdue_limit", in: 0...1000) ?? 20
        summary.now = now
        let overdueAfter = query.string("overdue_after") ?? "10"
        let repository = self.repository
        let asked = summary
        let report = try await blocking {
            var request = asked
            request.overdue = try OverdueThresholds(parsing: overdueAfter, taxonomy: try repository.taxonomy())
            return try repository.summary(request)
        }
        return try jsonResponse(report)
    }

    @Sendable func overdue(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        let limit = try query.int("limit", in: 1...Limits.page) ?? 100
        let offset = try query.int("offset", in: 0...Int(Int32.max)) ?? 0
        let overdueAfter = query.string("overdue_after") ?? "10"
        let repository = self.repository
        let list = try await blocking {
            try repository.overdue(try OverdueThresholds(parsing: overdueAfter, taxonomy: try repository.taxonomy()), now: Date(),
                                   limit: limit, offset: offset)
        }
        return try jsonResponse(list)
    }

    @Sendable func clusters(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        let filter = try query.filter()
        let eps = try query.length("eps", default: "30m")
        let minPoints = try query.int("min_points", in: 1...100_000) ?? HotspotClustering.defaultMinPoints
        let repository = self.repository
        return try await geoJSON {
            let result = try repository.hotspotClusters(matching: filter, eps: eps, minPoints: minPoints)
            let taxonomy = try repository.taxonomy()
            return { sink in try HotspotExport.clusters(result, taxonomy: taxonomy, to: sink) }
        }
    }

    @Sendable func giStar(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        let filter = try query.filter()
        let cell = try query.length("cell", default: "50m"), band = try query.length("band", default: "150m")
        let fdr = try query.bool("fdr") ?? false
        let significantOnly = try query.bool("significant_only") ?? false
        let repository = self.repository
        return try await geoJSON {
            let grid = try repository.hotspotGrid(matching: filter, cell: cell, band: band, fdr: fdr)
            return { sink in try HotspotExport.giStar(grid, to: sink, significantOnly: significantOnly) }
        }
    }

    @Sendable func density(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let query = Query(request)
        let filter = try query.filter()
        let radius = try query.length("kernel_radius", default: "100m"), pixel = try query.length("pixel", default: "10m")
        let kernel = try KernelDensity.Kernel(parsing: query.string("kernel") ?? "quartic")
        let top = try DensityResult.share(parsing: query.string("top") ?? "5%")
        let repository = self.repository
        return try await geoJSON {
            let result = try repository.hotspotDensity(matching: filter, radius: radius, pixel: pixel, kernel: kernel, topPercent: top)
            return { sink in
                if let result { try HotspotExport.density(result, to: sink) } else {
                    try sink.write("{\"type\":\"FeatureCollection\",\"features\":[]}\n")
                }
            }
        }
    }

    @Sendable func areas(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let repository = self.repository
        return try await geoJSON { { sink in _ = try repository.exportAreas(ExportOptions(), to: sink) } }
    }

    @Sendable func taxonomy(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.field, request)
        let repository = self.repository
        return try jsonResponse(try await blocking { try repository.taxonomy() })
    }

    /// Streams reports with the filters of `citymap list`, in the public profile unless an office token asks for
    /// `profile=internal`.
    func export(_ request: Request, _ context: ServerContext, format: ExportFormat) async throws -> Response {
        let identity = try await access.require(.field, request)
        let query = Query(request)
        var options = ExportOptions()
        options.format = format
        options.filter = try query.filter(maximumLimit: nil)
        options.offset = options.filter.offset
        switch query.string("profile") ?? "public" {
        case "public": options.profile = .public
        case "internal":
            guard identity.role.covers(.office) else {
                throw Problem(.forbidden, "the internal profile holds personal data and needs the office role", type: "/problems/forbidden")
            }
            options.profile = .internal
        case let other: throw Problem.invalid("profile", "'profile' must be public or internal (got '\(other)')")
        }
        if let precision = try query.int("precision") { options.precision = precision }
        let repository = self.repository
        let checked = options
        // Refuse a bad filter before the first byte goes out: afterwards a problem can no longer be answered.
        try await blocking { try repository.check(checked.filter); _ = try ExportOptions.check(checked) }
        let exported = checked
        let contentType = ["geojson": "application/geo+json", "geojsonseq": "application/geo+json-seq", "csv": "text/csv; charset=utf-8"][format.rawValue]!
        return streamingResponse(contentType: contentType) { sink in _ = try repository.exportReports(exported, to: sink) }
    }

    // MARK: Tokens

    struct TokenBody: Decodable {
        let name: String
        let role: String
    }

    struct NewToken: Encodable {
        let name: String
        let role: AccessRole
        let token: String
    }

    @Sendable func listTokens(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.admin, request)
        let repository = self.repository
        return try jsonResponse(try await blocking { try repository.tokens() })
    }

    @Sendable func addToken(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try await access.require(.admin, request)
        var request = request
        let body = try await request.json(TokenBody.self)
        guard let role = AccessRole(rawValue: body.role) else {
            throw Problem.invalid("role", "'role' must be field, office or admin (got '\(body.role)')", status: .unprocessableContent)
        }
        let repository = self.repository
        let secret = try await blocking { try repository.addToken(name: body.name, role: role, now: Date()) }
        return try jsonResponse(NewToken(name: body.name.trimmingCharacters(in: .whitespaces), role: role, token: secret), status: .created)
    }

    @Sendable func revokeToken(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try await access.require(.admin, request)
        guard let raw = context.parameters.get("name"), let name = raw.removingPercentEncoding else { throw Problem(.notFound, "name the token to revoke") }
        guard name != identity.name else {
            throw Problem(.conflict, "a token cannot revoke itself here (that would lock this client out); revoke it from another admin token or with `citymap tokens revoke`",
                          type: "/problems/conflict", parameter: "name")
        }
        let repository = self.repository
        try await blocking { try repository.revokeToken(name: name, now: Date()) }
        return Response(status: .noContent)
    }

    // MARK: Helpers

    /// A GeoJSON answer computed off the event loop; the computation returns the writer for the body.
    private func geoJSON(_ compute: @escaping @Sendable () throws -> @Sendable (ByteSink) throws -> Void) async throws -> Response {
        let bytes = try await blocking {
            let write = try compute()
            let output = DataOutput()
            let sink = ByteSink(output)
            try write(sink)
            try sink.flush()
            return output.data
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(status: .ok, headers: [.contentType: "application/geo+json"], body: ResponseBody(byteBuffer: buffer))
    }

    static func id(_ context: ServerContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "report ids are whole numbers from 1; `GET /api/reports` lists them", type: "/problems/not-found",
                          parameter: "id")
        }
        return id
    }

    static func time(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text) else { throw DomainError.malformedTime(text, field: field) }
        return date
    }

    static func checkNote(_ note: String?) throws {
        if let note, note.count > ReportSubmission.maximumNote {
            throw DomainError.invalidText(field: "note", reason: "has \(note.count) characters; at most \(ReportSubmission.maximumNote) are kept")
        }
    }
}

/// Collects a small GeoJSON answer in memory (hotspots and areas are a few hundred features at most).
final class DataOutput: ByteOutput, @unchecked Sendable {
    var data = Data()
    func write(_ bytes: UnsafeRawBufferPointer) throws { data.append(contentsOf: bytes) }
}

struct StoredPhoto: Encodable {
    let media_url: String
}

/// A position's district and square; null where there is none.
struct PlaceAnswer: Encodable {
    let district: String?
    let square: String?

    enum CodingKeys: String, CodingKey { case district, square }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(district, forKey: .district)
        try c.encode(square, forKey: .square)
    }
}

struct WhoAmI: Encodable {
    let name: String
    let role: AccessRole
}
