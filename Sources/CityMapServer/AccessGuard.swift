import CityMap
import Foundation
import HTTPTypes
import Hummingbird

/// Checks the bearer token of a staff request: 401 without one or with an unknown or revoked one, 403 when its
/// role is too small. The token is looked up by its hash on every request, so a revocation counts at once.
struct AccessGuard<Repository: ReportRepository>: Sendable {
    let repository: Repository

    func require(_ role: AccessRole, _ request: Request) async throws -> Identity {
        let secret = try Self.bearer(request)
        let repository = self.repository
        guard let identity = try await blocking({ try repository.identity(forToken: secret) }) else {
            throw Self.unauthorized("the token is unknown or revoked", error: "invalid_token")
        }
        guard identity.role.covers(role) else {
            throw Problem(.forbidden, "this needs the \(role.rawValue) role; the token '\(identity.name)' has the \(identity.role.rawValue) role",
                          type: "/problems/forbidden")
        }
        return identity
    }

    /// The token of the Authorization header, not yet checked; 401 when there is none.
    static func bearer(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("this endpoint needs a token: send 'Authorization: Bearer TOKEN' (make one with `citymap tokens add`)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    static func unauthorized(_ detail: String, error: String? = nil) -> Problem {
        var problem = Problem(.unauthorized, detail, type: "/problems/unauthorized")
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"citymap\"" + (error.map { ", error=\"\($0)\"" } ?? "")
        return problem
    }
}
