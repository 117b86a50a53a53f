/// Requests about the Leerstand register and square checks that break its rules, said so that they can be corrected.
public enum VacancyError: CityMapError {
    case unknownUnit(Int64)
    case unknownEnquiry(Int64)
    case unknownState(String)
    case unknownFloor(String)
    case unknownBudget(String)
    case unknownStep(String)
    case invalidArea(Double)
    case illegalTransition(unit: Int64, from: VacancyState, to: VacancyState)
    case illegalInitialState(VacancyState)
    /// An `at` that would put the unit's history out of order or in the future.
    case eventTime(unit: Int64, reason: String)
    case sizeRange(min: Double, max: Double)
    case notAVacancyReport(report: Int64, category: String)
    case unknownSquare(String, known: [String])
    case unknownCriterion(String)
    case missingCriteria([String])
    case scoreOutOfRange(criterion: String, value: String)
    case malformedScores(String)
    case emptyText(field: String)

    public var kind: ErrorKind {
        switch self {
        case .unknownUnit, .unknownEnquiry: return .notFound
        case .illegalTransition, .eventTime: return .conflict
        default: return .invalid
        }
    }

    public var parameter: String? {
        switch self {
        case .unknownUnit: return "id"
        case .unknownEnquiry: return "enquiry"
        case .unknownState, .illegalTransition, .illegalInitialState: return "state"
        case .unknownFloor: return "floor"
        case .unknownBudget: return "budget"
        case .unknownStep: return "step"
        case .invalidArea: return "area_m2"
        case .eventTime: return "at"
        case .sizeRange: return "max_m2"
        case .notAVacancyReport: return "report"
        case .unknownSquare: return "square"
        case .unknownCriterion, .missingCriteria, .scoreOutOfRange, .malformedScores: return "scores"
        case .emptyText(let field): return field
        }
    }

    public var value: String? {
        switch self {
        case .unknownUnit(let id), .unknownEnquiry(let id): return String(id)
        case .unknownState(let t), .unknownFloor(let t), .unknownBudget(let t), .unknownStep(let t), .unknownSquare(let t, _),
             .unknownCriterion(let t), .malformedScores(let t): return t
        case .illegalTransition(_, _, let to): return to.rawValue
        case .illegalInitialState(let s): return s.rawValue
        case .invalidArea(let v): return String(v)
        case .sizeRange(_, let max): return String(max)
        case .notAVacancyReport(let id, _): return String(id)
        case .scoreOutOfRange(_, let v): return v
        case .eventTime, .missingCriteria, .emptyText: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .unknownUnit(let id): return "there is no unit #\(id) in the vacancy register"
        case .unknownEnquiry(let id): return "there is no enquiry #\(id)"
        case .unknownState(let text):
            return "'\(text)' is not a state of the register; use one of: \(VacancyState.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownFloor(let text): return "\(naming("floor")) '\(text)' is not a floor; use ground or upper (EG/OG)"
        case .unknownBudget(let text):
            return "\(naming("budget")) '\(text)' is not a budget band; use one of: \(BudgetBand.allCases.map(\.rawValue).joined(separator: ", ")) (euros of rent a month)"
        case .unknownStep(let text):
            return "'\(text)' is not a brokering step; use one of: \(BrokeringStep.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidArea(let value):
            return "\(naming("area_m2")) \(Coordinate.decimal(value, digits: 1)) is not a floor area; give square metres above 0 and at most 100000"
        case let .illegalTransition(id, from, to):
            let allowed = from.next.map(\.rawValue)
            let options = allowed.isEmpty ? "its history has ended" : "it can move to \(allowed.joined(separator: ", ")) only"
            return "unit #\(id) is \(from.rawValue), so it cannot become \(to.rawValue): \(options)"
        case .illegalInitialState(let state):
            return "a unit cannot enter the register as \(state.rawValue); use one of: \(VacancyState.initial.map(\.rawValue).joined(separator: ", "))"
        case let .eventTime(id, reason): return "\(naming("at")) \(reason) (unit #\(id))"
        case let .sizeRange(min, max):
            return "\(naming("max_m2")) \(Coordinate.decimal(max, digits: 1)) is below \(naming("min_m2")) \(Coordinate.decimal(min, digits: 1))"
        case let .notAVacancyReport(id, category):
            return "report #\(id) is \(category), not a vacancy/* report; only those can be linked to a unit"
        case let .unknownSquare(text, known): return "unknown square '\(text)'; use a name or code: \(known.joined(separator: ", "))"
        case .unknownCriterion(let text):
            return "\(naming("scores")) names '\(text)', which is not scored; use \(SquareScores.criteria.joined(separator: ", "))"
        case .missingCriteria(let missing):
            return "\(naming("scores")) lacks \(missing.joined(separator: ", ")); a check scores all seven: \(SquareScores.criteria.joined(separator: ", "))"
        case let .scoreOutOfRange(criterion, value):
            return "\(naming("scores")) gives \(criterion) '\(value)'; scores are whole numbers from 1 (poor) to 5 (very good)"
        case .malformedScores(let text):
            return "\(naming("scores")) '\(text)' cannot be read; write NAME=SCORE pairs, e.g. cleanliness=4,seating=3,greenery=2,lighting=4,safety=3,liveliness=4,accessibility=5"
        case .emptyText(let field): return "\(naming(field)) is empty"
        }
    }
}
