/// Requests that break the rules of the domain, described so that the person can correct them.
public enum DomainError: Error, Sendable, CustomStringConvertible {
    case unknownCategory(String, known: [String])
    case missingSubcategory(String, known: [String])
    case malformedTime(String, field: String)
    case illegalTransition(report: Int64, from: ReportStatus, to: ReportStatus)
    case unknownReport(Int64)
    case unknownWalk(Int64)
    case duplicateNeedsOriginal(report: Int64)
    case duplicateOfItself(Int64)
    case originalOnlyForDuplicate
    case unknownDistrict(String, known: [String])
    case emptyPeriod(since: String, until: String)
    case unreadableFile(String, reason: String)

    public var description: String {
        switch self {
        case let .unknownCategory(text, known):
            return "unknown category '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .missingSubcategory(text, known):
            return "category '\(text)' needs a subcategory; use one of: \(known.joined(separator: ", "))"
        case let .malformedTime(text, field):
            return "\(field) '\(text)' is not a time; write ISO 8601 such as 2026-11-27T10:15+01:00 or 2026-11-27 10:15 (Europe/Berlin)"
        case let .illegalTransition(id, from, to):
            let allowed = from.next.map(\.rawValue)
            let options = allowed.isEmpty ? "it is closed and can change no more" : "it can move to \(allowed.joined(separator: ", ")) only"
            return "report #\(id) is \(from.rawValue), so it cannot become \(to.rawValue): \(options) (lifecycle: open → acknowledged → in-progress → resolved or rejected)"
        case .unknownReport(let id):
            return "there is no report #\(id); `citymap list` shows the reports"
        case .unknownWalk(let id):
            return "there is no walk #\(id); `citymap walks list` shows the walks"
        case .duplicateNeedsOriginal(let id):
            return "marking report #\(id) as duplicate needs the original: add --of ID"
        case .duplicateOfItself(let id):
            return "report #\(id) cannot be a duplicate of itself"
        case .originalOnlyForDuplicate:
            return "--of names the original of a duplicate; use it only with the status duplicate"
        case let .unknownDistrict(text, known):
            return "unknown district '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .emptyPeriod(since, until):
            return "the period is empty: --until \(until) is not after --since \(since)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
