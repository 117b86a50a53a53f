import CityMap
import Foundation
import Hummingbird
import NIOCore

/// Query parameters as a route reads them: repeated or comma-separated lists, numbers and flags, each refused
/// with a problem that names it.
struct Query {
    private let parameters: [(String, String)]

    init(_ request: Request) {
        parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    func string(_ name: String) -> String? {
        parameters.last { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `status=open&status=acknowledged` or `status=open,acknowledged`.
    func list(_ name: String) -> [String] {
        parameters.filter { $0.0 == name }.flatMap { $0.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    func int(_ name: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw Problem.invalid(name, "'\(name)' must be a whole number (got '\(text)')") }
        if let range, !range.contains(value) {
            throw Problem.invalid(name, "'\(name)' must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw Problem.invalid(name, "'\(name)' must be true or false (got '\(text)')")
        }
    }

    func length(_ name: String, default fallback: String) throws -> Meters {
        let text = string(name) ?? fallback
        do { return try Meters(parsing: text) } catch { throw Problem.invalid(name, "'\(name)': \(error.description)") }
    }

    /// The report filter of `citymap list`, from `district`, `category`, `status`, `since`, `until`, `bbox`,
    /// `near`, `radius`, `limit` and `offset`.
    func filter(defaultLimit: Int? = nil, maximumLimit: Int? = nil) throws -> ReportFilter {
        var text = FilterText()
        text.districts = list("district")
        text.categories = list("category")
        text.statuses = list("status")
        text.since = string("since")
        text.until = string("until")
        text.bbox = string("bbox")
        text.near = string("near")
        text.radius = string("radius")
        text.limit = try int("limit", in: 1...(maximumLimit ?? Int.max)) ?? defaultLimit
        text.offset = try int("offset", in: 0...Int(Int32.max)) ?? 0
        return try text.filter()
    }
}

extension Request {
    /// The body, at most `limit` bytes (a larger one is a 413 problem).
    mutating func bytes(upTo limit: Int) async throws -> Data {
        var buffer = try await collectBody(upTo: limit)
        return buffer.readData(length: buffer.readableBytes) ?? Data()
    }

    /// A JSON body decoded into `T`; other media types are a 415 problem, bad JSON a 400 or 422 that names the field.
    mutating func json<T: Decodable>(_ type: T.Type, upTo limit: Int = Limits.body) async throws -> T {
        let mediaType = headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == nil || mediaType == "application/json" || mediaType?.hasSuffix("+json") == true else {
            throw Problem(.unsupportedMediaType, "send the body as application/json (got \(mediaType ?? "none"))", type: "/problems/unsupported-media-type")
        }
        let data = try await bytes(upTo: limit)
        guard !data.isEmpty else { throw Problem(.badRequest, "the body is empty; send a JSON object", type: "/problems/invalid-input") }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.decoding(error)
        }
    }
}

/// JSON responses: the same encoder as the command line, so that both give the same bytes for the same value.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json") throws -> Response {
    var buffer = ByteBuffer()
    buffer.writeBytes(try JSONText.encode(value))
    return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: buffer))
}
