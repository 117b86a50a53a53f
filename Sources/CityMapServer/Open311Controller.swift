import CityMap
import Foundation
import HTTPTypes
import Hummingbird

/// Open311 GeoReport v2 at `/open311/v2`, in JSON and XML by the specification's format suffix. Everything it
/// shows is the core's public profile (`PublicReport`): no reporter, contact, internal note or media.
struct Open311Controller<Repository: ReportRepository>: Sendable {
    let repository: Repository
    let settings: ServiceSettings

    /// What the spec's `GET requests` gives without dates, and at most.
    static var defaultDays: Double { 90 }
    static var maximumRequests: Int { 1000 }

    func add(to router: Router<ServerContext>) {
        let v2 = router.group("open311/v2")
        for format in [Open311Format.json, .xml] {
            v2.get("discovery.\(format.rawValue)") { request, _ in self.discovery(request, format) }
            v2.get("services.\(format.rawValue)") { _, _ in try await self.services(format) }
            v2.get("requests.\(format.rawValue)") { request, _ in try await self.requests(request, format) }
            v2.post("requests.\(format.rawValue)") { request, _ in try await self.post(request, format) }
        }
        v2.get("services/:category/:file") { request, context in try await self.service(context) }
        v2.get("requests/:file") { request, context in try await self.request(context) }
        v2.get("tokens/:file") { request, context in try await self.token(context) }
    }

    // MARK: Discovery and services

    func discovery(_ request: Request, _ format: Open311Format) -> Response {
        let host = request.head.authority ?? "localhost"
        let base = "\(settings.scheme)://\(host)/open311/v2"
        let changeset = "2026-11-27T00:00:00+01:00"
        let endpoint: [(String, Open311Format.Value)] = [
            ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base)), ("changeset", .text(changeset)),
            ("type", .text("production")),
            ("formats", .list([.text("application/json"), .text("text/xml")], element: "format")),
        ]
        return format.response(format.object(root: "discovery", [
            ("changeset", .text(changeset)),
            ("contact", .text("Citymanagement Düsseldorf")),
            ("key_service", .text("Citizens' apps: ask the Citymanagement for a key. Staff: your access token.")),
            ("endpoints", .list([.object(endpoint)], element: "endpoint")),
        ]))
    }

    func services(_ format: Open311Format) async throws -> Response {
        let repository = self.repository
        let taxonomy = try await blocking { try repository.taxonomy() }
        let items: [[(String, Open311Format.Value)]] = taxonomy.categories.flatMap { category in
            category.subcategories.map { sub in
                [("service_code", .text("\(category.code)/\(sub.code)")), ("service_name", .text(sub.de)),
                 ("description", .text("\(category.de): \(sub.de) (\(category.en): \(sub.en))")), ("metadata", .bool(false)),
                 ("type", .text("realtime")), ("keywords", .text([category.code, sub.code, category.de].joined(separator: ", "))),
                 ("group", .text(category.de))]
            }
        }
        return format.response(format.document(root: "services", element: "service", items: items))
    }

    /// `services/cleanliness/litter.json`: the service definition. No service asks for attributes beyond the
    /// standard fields, so the list is empty (the services say `metadata: false`).
    func service(_ context: ServerContext) async throws -> Response {
        guard let category = context.parameters.get("category"), let file = context.parameters.get("file"),
              let (sub, format) = Open311Format.split(file) else { throw HTTPError(.notFound) }
        let repository = self.repository
        let taxonomy = try await blocking { try repository.taxonomy() }
        let code = try taxonomy.resolve("\(category)/\(sub)")
        return format.response(format.object(root: "service_definition", [
            ("service_code", .text(code.description)), ("attributes", .list([], element: "attribute")),
        ]))
    }

    // MARK: Requests

    func requests(_ request: Request, _ format: Open311Format) async throws -> Response {
        let query = Query(request)
        var selection = PublicQuery()
        selection.limit = Self.maximumRequests
        let ids = query.list("service_request_id")
        if !ids.isEmpty {
            // The spec: service_request_id overrides every other argument.
            selection.ids = try ids.map { text in
                guard let id = Int64(text), id > 0 else {
                    throw Problem.invalid("service_request_id", "'\(text)' is not a service_request_id of this server (whole numbers from 1)")
                }
                return id
            }
        } else {
            let start = try Self.date(query.string("start_date"), field: "start_date")
            let end = try Self.date(query.string("end_date"), field: "end_date")
            if start == nil && end == nil {
                selection.since = Date().addingTimeInterval(-Self.defaultDays * 86_400)
            } else {
                selection.since = start
                selection.until = end
            }
            if let start, let end, end < start {
                throw Problem.invalid("end_date", "'end_date' comes before 'start_date'")
            }
            let statuses = try query.list("status").map { text in
                guard let status = PublicReport.Status(rawValue: text.lowercased()) else {
                    throw Problem.invalid("status", "'status' must be open or closed (got '\(text)')")
                }
                return status
            }
            if Set(statuses).count == 1 { selection.status = statuses[0] }
            let codes = query.list("service_code")
            if !codes.isEmpty {
                let repository = self.repository
                let taxonomy = try await blocking { try repository.taxonomy() }
                selection.categories = try codes.map { code in
                    do { return try taxonomy.resolve(code) } catch {
                        throw Problem.invalid("service_code", "'\(code)' is not a service_code; `services.json` lists them")
                    }
                }
            }
        }
        let repository = self.repository
        let selected = selection
        let reports = try await blocking { try repository.publicReports(selected) }
        return format.response(format.requests(reports))
    }

    func request(_ context: ServerContext) async throws -> Response {
        guard let file = context.parameters.get("file"), let (name, format) = Open311Format.split(file) else {
            throw HTTPError(.notFound)
        }
        guard let id = Int64(name), id > 0 else {
            throw Problem(.notFound, "there is no service request '\(name)'", type: "/problems/not-found", parameter: "service_request_id")
        }
        let repository = self.repository
        guard let detail = try await blocking({ try repository.publicReport(id: id) }) else {
            throw Problem(.notFound, "there is no service request \(id)", type: "/problems/not-found", parameter: "service_request_id")
        }
        return format.response(format.requests([detail.report]))
    }

    /// `tokens/{token}`: the token a POST answered with is the client id it was stored under.
    func token(_ context: ServerContext) async throws -> Response {
        guard let file = context.parameters.get("file"), let (token, format) = Open311Format.split(file) else { throw HTTPError(.notFound) }
        let repository = self.repository
        guard token.count <= 64, let id = try await blocking({ try repository.reportID(clientID: token) }) else {
            throw Problem(.notFound, "there is no service request for the token '\(token.prefix(64))'", type: "/problems/not-found", parameter: "token")
        }
        return format.response(format.document(root: "service_requests", element: "request",
                                                items: [[("service_request_id", .text(String(id))), ("token", .text(token))]]))
    }

    /// POST requests, form-encoded as the spec says: `api_key`, `service_code`, `lat` and `long`, a `description`,
    /// optionally `address_string` and the citizen's `email`, `first_name`, `last_name` and `phone`, which are
    /// kept for the response only and never shown publicly.
    func post(_ request: Request, _ format: Open311Format) async throws -> Response {
        let mediaType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw Problem(.unsupportedMediaType, "post requests form-encoded (application/x-www-form-urlencoded), as GeoReport v2 says",
                          type: "/problems/unsupported-media-type")
        }
        var request = request
        let form = Form(try await request.bytes(upTo: Limits.body))
        guard let key = form["api_key"] else { throw Problem.invalid("api_key", "'api_key' is missing: ask the Citymanagement for one") }
        guard let code = form["service_code"] else { throw Problem.invalid("service_code", "'service_code' is missing; `services.json` lists them") }
        guard let latText = form["lat"], let lonText = form["long"] else {
            throw Problem.invalid(form["lat"] == nil ? "lat" : "long", "'lat' and 'long' are required: this server places every request")
        }
        guard let lat = Double(latText.replacingOccurrences(of: ",", with: ".")) else { throw Problem.invalid("lat", "'lat' must be a number (got '\(latText)')") }
        guard let lon = Double(lonText.replacingOccurrences(of: ",", with: ".")) else { throw Problem.invalid("long", "'long' must be a number (got '\(lonText)')") }
        var submission = ReportSubmission(lat: lat, lon: lon, category: code)
        submission.note = form["description"] ?? ""
        submission.source = "open311"
        let token = UUID().uuidString.lowercased()
        submission.clientID = token
        let contact = Contact(email: form["email"], firstName: form["first_name"], lastName: form["last_name"], phone: form["phone"])
        let name = [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ")
        submission.reporter = name.isEmpty ? nil : name
        let address = form["address_string"]
        let citizenKey = settings.citizenKey
        let checked = submission
        let repository = self.repository
        let report = try await blocking { () -> Report in
            let known = try repository.identity(forToken: key) != nil
            guard key == citizenKey || known else {
                throw Problem(.forbidden, "the api_key is not valid here", type: "/problems/forbidden", parameter: "api_key")
            }
            var new: NewReport
            do { new = try checked.validated(taxonomy: try repository.taxonomy()) } catch let error as any CityMapError {
                // Open311 names the fields long and service_code.
                let field = error.parameter == "lon" ? "long" : error.parameter == "category" ? "service_code" : error.parameter ?? "request"
                let message = error.message { $0 == "lon" ? "'long'" : $0 == "category" ? "'service_code'" : "'\($0)'" }
                throw Problem.invalid(field, message.contains("'\(field)'") ? message : "'\(field)': \(message)")
            }
            new.contact = contact.isEmpty ? nil : contact
            new.address = address
            return try repository.log(new, actor: "open311", now: Date()).report
        }
        let notice = "Ihr Anliegen ist eingegangen (Nr. \(report.id)). Sie bekommen in jedem Fall eine Rückmeldung."
        return format.response(format.document(root: "service_requests", element: "request", items: [[
            ("service_request_id", .text(String(report.id))), ("token", .text(token)), ("service_notice", .text(notice)),
            ("account_id", .text(nil)),
        ]]))
    }

    // MARK: Fields

    static func date(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard Timestamp.hasOffset(text) || text.count == 10, let date = Timestamp.parse(text) else {
            throw Problem.invalid(field, "'\(field)' must be a W3C date-time such as 2026-11-01T00:00:00Z (got '\(text)')")
        }
        return date
    }
}

/// An `application/x-www-form-urlencoded` body.
struct Form {
    private var values: [String: String] = [:]

    init(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            let key = decode(parts[0])
            values[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    /// A field's value, trimmed; empty counts as absent.
    subscript(_ key: String) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}

/// The fields of a GeoReport v2 request, in the order of the specification: the one place that says which public
/// value becomes which Open311 field, for JSON and XML alike.
enum Open311Fields {
    /// The field names, in order.
    static let names = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id",
                        "zipcode", "lat", "long", "media_url"]

    /// A request's fields in the order of the GeoReport v2 specification.
    /// The values of `names`, in the same order.
    static func values(_ r: PublicReport) -> [Open311Format.Value] {
        [
            .text(String(r.id)), .text(r.status.rawValue), .text(r.statusNotes), .text(r.serviceName), .text(r.category.description),
            .text(r.description), .text(r.agency), .text(notice(r.lifecycle)), .text(Timestamp.local(r.requestedAt)),
            .text(Timestamp.local(r.updatedAt)), .text(nil), .text(r.address), .text(nil), .text(nil),
            .number(r.position.lat), .number(r.position.lon), .text(nil),
        ]
    }


    /// What the citizen is told happens next, by where the concern stands.
    static func notice(_ status: ReportStatus) -> String {
        switch status {
        case .open: return "Eingegangen. Sie bekommen in jedem Fall eine Rückmeldung."
        case .acknowledged: return "Gesichtet und weitergeleitet."
        case .inProgress: return "In Bearbeitung."
        case .resolved: return "Erledigt."
        case .rejected: return "Abgelehnt; die Begründung steht in den Hinweisen."
        case .duplicate: return "Bereits gemeldet; wird mit der ersten Meldung bearbeitet."
        }
    }

}
