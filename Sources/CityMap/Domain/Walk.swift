import Foundation

/// A Quartierrundgang: the track a team walked, when, how far, and through which districts.
public struct Walk: Sendable, Identifiable {
    public let id: Int64
    public let name: String
    public let team: String?
    public let startedAt: Date?
    public let endedAt: Date?
    public let length: Meters
    /// District names in the order the walk first entered them.
    public let districts: [String]
    public let source: String
    public let reportCount: Int
    /// A planned walk (a GPX route): where the team means to go, not where it went.
    public var planned = false
}
