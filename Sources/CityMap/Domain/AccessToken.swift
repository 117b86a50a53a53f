import Foundation

/// What a token lets its holder do on the service.
public enum AccessRole: String, CaseIterable, Codable, Sendable, Comparable {
    /// Field staff: log reports, add notes, upload walks, read.
    case field
    /// The office: also change status, assign and edit.
    case office
    /// Administrators: also manage tokens and areas.
    case admin

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: AccessRole, b: AccessRole) -> Bool { a.rank < b.rank }

    /// Whether this role includes everything `other` may do.
    public func covers(_ other: AccessRole) -> Bool { self >= other }
}

/// A named access token, as listed: never the token itself, which only its holder has.
public struct AccessToken: Sendable, Encodable {
    public let name: String
    public let role: AccessRole
    public let createdAt: Date
    public let revokedAt: Date?

    public var isActive: Bool { revokedAt == nil }

    enum CodingKeys: String, CodingKey { case name, role, createdAt = "created_at", revokedAt = "revoked_at" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(role, forKey: .role)
        try c.encode(Timestamp.local(createdAt), forKey: .createdAt)
        try c.encode(revokedAt.map { Timestamp.local($0) }, forKey: .revokedAt)
    }
}

/// The holder of a valid token, as a request is checked.
public struct Identity: Sendable, Equatable {
    public let name: String
    public let role: AccessRole

    public init(name: String, role: AccessRole) {
        self.name = name
        self.role = role
    }
}

/// A request whose token opens nothing, or not this.
public enum AccessError: CityMapError {
    case unknownToken
    case roleTooSmall(name: String, has: AccessRole, needs: AccessRole)

    public var kind: ErrorKind {
        switch self {
        case .unknownToken: return .unauthorized
        case .roleTooSmall: return .forbidden
        }
    }

    public var parameter: String? { nil }
    public var value: String? { nil }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .unknownToken: return "the token is unknown or revoked"
        case let .roleTooSmall(name, has, needs):
            return "this needs the \(needs.rawValue) role; the token '\(name)' has the \(has.rawValue) role"
        }
    }
}

/// Token management that cannot be done as asked.
public enum TokenError: CityMapError {
    case nameTaken(String)
    case unknownName(String)
    case alreadyRevoked(String)
    case invalidName(String)

    public var kind: ErrorKind {
        switch self {
        case .nameTaken, .alreadyRevoked: return .conflict
        case .unknownName: return .notFound
        case .invalidName: return .invalid
        }
    }

    public var parameter: String? { "name" }

    public var value: String? {
        switch self {
        case .nameTaken(let n), .unknownName(let n), .alreadyRevoked(let n), .invalidName(let n): return n
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .nameTaken(let n): return "a token named '\(n)' exists already; choose another name, or revoke it first"
        case .unknownName(let n): return "there is no token named '\(n)'"
        case .alreadyRevoked(let n): return "the token '\(n)' is revoked already"
        case .invalidName(let n):
            return "'\(n)' cannot name a token: use 1 to 64 letters, digits, spaces, dots, dashes or underscores"
        }
    }
}

extension AccessToken {
    /// A new secret: 32 random bytes from the system's generator, base64url without padding (43 characters).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What is stored: the SHA-256 of the secret, in hex. Remembered for the tokens in use (at most 256), so that a
    /// phone's every request does not hash its token again.
    static func hash(_ secret: String) -> String {
        hashLock.lock()
        defer { hashLock.unlock() }
        if let hash = hashes[secret] { return hash }
        let hash = SHA256.hex(Array(secret.utf8))
        if hashes.count >= 256 { hashes.removeAll() }
        hashes[secret] = hash
        return hash
    }

    private static let hashLock = NSLock()
    nonisolated(unsafe) private static var hashes: [String: String] = [:]
}
