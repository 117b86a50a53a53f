/// Requests that break the rules of the domain, described so that the person can correct them.
public enum DomainError: CityMapError {
    case unknownCategory(String, known: [String])
    case missingSubcategory(String, known: [String])
    /// A time that could not be read; `field` is the input it came from (`at`, `since`, `until`, `observed_at`).
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
    /// A text input that is empty, too long or otherwise unusable.
    case invalidText(field: String, reason: String)
    case unknownStatus(String, known: [String])
    case notClosed(report: Int64, status: ReportStatus)
    case nothingToEdit(report: Int64)
    case unknownAgency(String, known: [String])
    case closedReport(report: Int64, status: ReportStatus)

    public var kind: ErrorKind {
        switch self {
        case .unknownReport, .unknownWalk: return .notFound
        case .illegalTransition, .notClosed, .closedReport: return .conflict
        case .unreadableFile: return .failed
        default: return .invalid
        }
    }

    public var parameter: String? {
        switch self {
        case .unknownCategory, .missingSubcategory: return "category"
        case .malformedTime(_, let field): return field
        case .illegalTransition: return "status"
        case .unknownReport: return "id"
        case .unknownWalk: return "walk"
        case .duplicateNeedsOriginal, .duplicateOfItself, .originalOnlyForDuplicate: return "of"
        case .unknownDistrict: return "district"
        case .emptyPeriod: return "until"
        case .unreadableFile: return nil
        case .invalidText(let field, _): return field
        case .unknownStatus: return "status"
        case .notClosed, .closedReport: return "id"
        case .unknownAgency: return "agency"
        case .nothingToEdit: return nil
        }
    }

    public var value: String? {
        switch self {
        case .unknownCategory(let text, _), .missingSubcategory(let text, _), .malformedTime(let text, _), .unknownDistrict(let text, _),
             .unknownStatus(let text, _), .unknownAgency(let text, _):
            return text
        case .illegalTransition(_, _, let to): return to.rawValue
        case .unknownReport(let id), .duplicateOfItself(let id), .notClosed(let id, _), .closedReport(let id, _): return String(id)
        case .unknownWalk(let id): return String(id)
        case .emptyPeriod(_, let until): return until
        default: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case let .unknownCategory(text, known):
            return "unknown category '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .missingSubcategory(text, known):
            return "category '\(text)' needs a subcategory; use one of: \(known.joined(separator: ", "))"
        case let .malformedTime(text, field):
            return "\(naming(field)) '\(text)' is not a time; write ISO 8601 such as 2026-11-27T10:15+01:00 or 2026-11-27 10:15 (Europe/Berlin)"
        case let .illegalTransition(id, from, to):
            let allowed = from.next.map(\.rawValue)
            let options = allowed.isEmpty ? "it is closed and can change no more" : "it can move to \(allowed.joined(separator: ", ")) only"
            return "report #\(id) is \(from.rawValue), so it cannot become \(to.rawValue): \(options) (lifecycle: open → acknowledged → in-progress → resolved or rejected)"
        case .unknownReport(let id):
            return "there is no report #\(id)"
        case .unknownWalk(let id):
            return "there is no walk #\(id)"
        case .duplicateNeedsOriginal(let id):
            return "marking report #\(id) as duplicate needs the original: give \(naming("of")) with its id"
        case .duplicateOfItself(let id):
            return "report #\(id) cannot be a duplicate of itself"
        case .originalOnlyForDuplicate:
            return "\(naming("of")) names the original of a duplicate; use it only with the status duplicate"
        case let .unknownDistrict(text, known):
            return "unknown district '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .emptyPeriod(since, until):
            return "the period is empty: \(naming("until")) \(until) is not after \(naming("since")) \(since)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .invalidText(field, reason):
            return "\(naming(field)) \(reason)"
        case let .unknownStatus(text, known):
            return "unknown status '\(text)'; use one of: \(known.joined(separator: ", "))"
        case let .notClosed(id, status):
            return "report #\(id) is \(status.rawValue), still open: only a resolved, rejected or duplicate report can be reopened"
        case let .unknownAgency(text, known):
            return "unknown agency '\(text)'; use one of: \(known.joined(separator: ", ")) (GeoData/responsibilities.json)"
        case let .closedReport(id, status):
            return "report #\(id) is \(status.rawValue), so there is nothing left to assign; reopen it first if the concern is back"
        case .nothingToEdit(let id):
            return "nothing to change in report #\(id): give a new category, position or description"
        }
    }
}
