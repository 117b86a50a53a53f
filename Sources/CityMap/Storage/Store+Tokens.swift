import Foundation
import GRDB

/// Access tokens for the service. Only a token's SHA-256 is stored; the token itself is shown once, when made.
extension Store {
    /// Makes a token for `name` with `role` and returns the secret, which is stored nowhere.
    public func addToken(name: String, role: AccessRole, now: Date = Date()) throws -> String {
        let name = name.trimmed
        guard (1...64).contains(name.count),
              name.allSatisfy({ $0.isLetter || $0.isNumber || " .-_".contains($0) }) else { throw TokenError.invalidName(name) }
        let secret = AccessToken.newSecret()
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM access_tokens WHERE name = ?)", arguments: [name]) == true {
                throw TokenError.nameTaken(name)
            }
            try db.execute(sql: "INSERT INTO access_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, role.rawValue, AccessToken.hash(secret), Timestamp.utc(now)])
        }
        return secret
    }

    /// Every token, active and revoked, by name.
    public func tokens() throws -> [AccessToken] {
        try read { db in
            try TokenRecord.fetchAll(db, sql: "SELECT name, role, created_at, revoked_at FROM access_tokens ORDER BY name").map(\.token)
        }
    }

    /// Revokes a token: from now on it opens nothing.
    public func revokeToken(name: String, now: Date = Date()) throws {
        try write { db in
            guard let revoked = try Row.fetchOne(db, sql: "SELECT revoked_at FROM access_tokens WHERE name = ?", arguments: [name]) else {
                throw TokenError.unknownName(name)
            }
            guard (revoked["revoked_at"] as String?) == nil else { throw TokenError.alreadyRevoked(name) }
            try db.execute(sql: "UPDATE access_tokens SET revoked_at = ? WHERE name = ?", arguments: [Timestamp.utc(now), name])
        }
    }

    /// The holder of an active token, or nil for an unknown or revoked one.
    public func identity(forToken secret: String) throws -> Identity? {
        try read { db in try Self.identity(forToken: secret, db: db) }
    }

    static func identity(forToken secret: String, db: Database) throws -> Identity? {
        guard !secret.isEmpty, secret.utf8.count <= 256 else { return nil }
        let statement = try db.cachedStatement(sql: "SELECT name, role, created_at, revoked_at FROM access_tokens WHERE hash = ? AND revoked_at IS NULL")
        return try TokenRecord.fetchOne(statement, arguments: [AccessToken.hash(secret)]).map { Identity(name: $0.token.name, role: $0.token.role) }
    }
}
