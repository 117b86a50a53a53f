import CityMap
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem detail: what went wrong with a request, for people and for programs. Served as
/// `application/problem+json`; `invalid-params` names the input that was wrong, as the RFC's example does.
struct Problem: Error, Encodable, Sendable {
    struct InvalidParam: Encodable, Sendable {
        let name: String
        let reason: String
    }

    var type = "about:blank"
    let title: String
    let status: Int
    let detail: String
    var instance: String?
    var invalidParams: [InvalidParam]?
    var headers: HTTPFields = [:]

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, invalidParams = "invalid-params" }

    init(_ status: HTTPResponse.Status, _ detail: String, type: String = "about:blank", parameter: String? = nil) {
        self.status = status.code
        title = status.reasonPhrase
        self.detail = detail
        self.type = type
        if let parameter { invalidParams = [InvalidParam(name: parameter, reason: detail)] }
    }

    /// A problem with one input: its name as the request spells it.
    static func invalid(_ parameter: String, _ detail: String, status: HTTPResponse.Status = .badRequest) -> Problem {
        Problem(status, detail, type: "/problems/invalid-input", parameter: parameter)
    }

    /// The core's errors, each mapped to its status; the input is named as the request names it.
    init(_ error: any CityMapError, hasBody: Bool) {
        let detail = error.message { "'\($0)'" }
        switch error.kind {
        case .invalid: self.init(hasBody ? .unprocessableContent : .badRequest, detail, type: "/problems/invalid-input", parameter: error.parameter)
        case .notFound: self.init(.notFound, detail, type: "/problems/not-found", parameter: error.parameter)
        case .conflict: self.init(.conflict, detail, type: "/problems/conflict", parameter: error.parameter)
        case .tooLarge: self.init(.contentTooLarge, detail, type: "/problems/too-large", parameter: error.parameter)
        case .busy:
            self.init(.serviceUnavailable, detail, type: "/problems/busy")
            headers[.retryAfter] = "1"
        case .failed: self.init(.internalServerError, detail, type: "/problems/internal")
        case .unauthorized:
            self.init(.unauthorized, detail, type: "/problems/unauthorized")
            headers[.wwwAuthenticate] = "Bearer realm=\"citymap\", error=\"invalid_token\""
        case .forbidden: self.init(.forbidden, detail, type: "/problems/forbidden")
        }
    }

    func response(instance path: String) -> Response {
        var problem = self
        problem.instance = path
        var buffer = ByteBuffer()
        buffer.writeBytes((try? JSONText.encode(problem)) ?? Data("{}".utf8))
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}

extension Problem {
    /// Any error a route threw, as a problem. Errors the service does not know are logged by the caller and
    /// become a 500 that says nothing of the inside.
    static func from(_ error: any Error, request: Request) -> Problem? {
        let hasBody = request.method == .post || request.method == .put || request.method == .patch
        switch error {
        case let problem as Problem:
            return problem
        case let error as any CityMapError:
            return Problem(error, hasBody: hasBody)
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, "the request body is larger than this endpoint accepts", type: "/problems/too-large")
        case let error as DecodingError:
            return decoding(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return Problem(.notFound, "there is nothing at \(request.uri.path)", type: "/problems/not-found")
            case .methodNotAllowed: return Problem(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
            default: return Problem(error.status, error.body ?? error.status.reasonPhrase)
            }
        default:
            return nil
        }
    }

    /// A JSON body that does not decode, naming the field by its path.
    static func decoding(_ error: DecodingError) -> Problem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context.codingPath + [key])
            return .invalid(field, "'\(field)' is missing", status: .unprocessableContent)
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let field = path(context.codingPath)
            return .invalid(field, "'\(field)' must be \(Self.describe(type))", status: .unprocessableContent)
        case let .dataCorrupted(context) where !context.codingPath.isEmpty:
            let field = path(context.codingPath)
            return .invalid(field, "'\(field)': \(context.debugDescription)", status: .unprocessableContent)
        default:
            return Problem(.badRequest, "the body is not valid JSON", type: "/problems/invalid-input")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Int.Type, is Int64.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "of another type (\(type))"
        }
    }
}

/// Writes one line per request (method, path, status, milliseconds) and turns every error into a response:
/// problem+json under `/api`, the GeoReport error list under `/open311`. The path is logged without its query,
/// so no key in a query string reaches the log; tokens travel in headers and are never logged.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.response(for: error, request: request, log: log)
        }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        log("\(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.2f", ms)) ms")
        return response
    }

    static func response(for error: any Error, request: Request, log: @Sendable (String) -> Void) -> Response {
        let problem: Problem
        if let known = Problem.from(error, request: request) {
            problem = known
        } else {
            log("error: \(request.method) \(request.uri.path): \(error)")
            problem = Problem(.internalServerError, "the service failed on this request; nothing was written", type: "/problems/internal")
        }
        if request.uri.path.hasPrefix("/open311/") { return Open311Format.errorResponse(problem, path: request.uri.path) }
        return problem.response(instance: request.uri.path)
    }
}
