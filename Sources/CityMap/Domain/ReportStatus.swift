/// Where a concern stands. The lifecycle is open → acknowledged → in-progress → resolved, with rejected
/// possible from every open state and duplicate from open or acknowledged. resolved, rejected and duplicate end it.
public enum ReportStatus: String, CaseIterable, Codable, Sendable {
    case open
    case acknowledged
    case inProgress = "in-progress"
    case resolved
    case rejected
    case duplicate

    /// The statuses this one may move to.
    public var next: [ReportStatus] {
        switch self {
        case .open: return [.acknowledged, .rejected, .duplicate]
        case .acknowledged: return [.inProgress, .rejected, .duplicate]
        case .inProgress: return [.resolved, .rejected]
        case .resolved, .rejected, .duplicate: return []
        }
    }

    public func canMove(to target: ReportStatus) -> Bool { next.contains(target) }

    /// Still waiting for the Citymanagement to finish with it.
    public var isOpen: Bool { !next.isEmpty }

    public static var openStatuses: [ReportStatus] { allCases.filter(\.isOpen) }
}

/// How urgent a concern is, as field staff judge it on the spot.
public enum Severity: String, CaseIterable, Codable, Sendable {
    case low, medium, high, urgent

    /// A severity as people and exports write it, in English or German ("hoch", "dringend"); empty is medium.
    public init?(parsing text: String) {
        switch Severity(rawValue: text).map(\.rawValue) ?? text.trimmed.lowercased() {
        case "", "medium", "normal", "mittel": self = .medium
        case "low", "niedrig", "gering": self = .low
        case "high", "hoch": self = .high
        case "urgent", "dringend", "critical", "kritisch": self = .urgent
        default: return nil
        }
    }
}
