/// What kind of failure an error is, so that each adapter answers in its own terms: the CLI with a sentence and
/// a non-zero exit, the server with the matching HTTP status.
public enum ErrorKind: Sendable {
    /// The input breaks a rule (HTTP 400/422).
    case invalid
    /// It names something that does not exist (HTTP 404).
    case notFound
    /// It is well formed but clashes with what is stored, such as a status change the lifecycle forbids (HTTP 409).
    case conflict
    /// It asks for more than the service gives at once (HTTP 413).
    case tooLarge
    /// The database or the machine failed; nothing was written (HTTP 503 while busy, else 500).
    case failed
    /// The database is busy with another writer; nothing was written and a retry is safe (HTTP 503).
    case busy
    /// No valid credentials: an unknown or revoked token (HTTP 401).
    case unauthorized
    /// Valid credentials whose role is too small (HTTP 403).
    case forbidden
}

/// An error of the core. It carries data, not wording of one adapter: the input it concerns (in the core's own
/// names, such as `since`, `lat` or `category`), the value given, and a sentence in which the adapter names that
/// input its own way (`--since` on the command line, the query parameter `since` over HTTP).
public protocol CityMapError: Error, Sendable, CustomStringConvertible {
    var kind: ErrorKind { get }
    /// The input the error concerns, in the core's names; nil when it concerns no single input.
    var parameter: String? { get }
    /// The value that was given for it, when there was one.
    var value: String? { get }
    /// The sentence, with every input named through `naming`.
    func message(naming: (String) -> String) -> String
}

extension CityMapError {
    /// The sentence with the core's own names.
    public var description: String { message { $0 } }
}
