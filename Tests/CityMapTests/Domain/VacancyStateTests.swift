import Testing
@testable import CityMap

@Suite("Leerstand states: every transition, allowed and refused")
struct VacancyStateTests {
    /// The lifecycle as the issue gives it, written out pair by pair (49 pairs): a unit in use must fall vacant
    /// before it is brokered or re-let; brokering may step back; demolition ends the history.
    static let allowed: Set<String> = [
        "occupied→vacant", "occupied→demolished",
        "vacant→in-contact", "vacant→marketed", "vacant→interim-use", "vacant→re-let", "vacant→demolished",
        "in-contact→vacant", "in-contact→marketed", "in-contact→interim-use", "in-contact→re-let", "in-contact→demolished",
        "marketed→vacant", "marketed→in-contact", "marketed→interim-use", "marketed→re-let", "marketed→demolished",
        "interim-use→vacant", "interim-use→in-contact", "interim-use→marketed", "interim-use→re-let", "interim-use→demolished",
        "re-let→vacant", "re-let→demolished",
    ]

    static let pairs: [(VacancyState, VacancyState)] = VacancyState.allCases.flatMap { a in VacancyState.allCases.map { (a, $0) } }

    @Test(arguments: pairs)
    func transition(from: VacancyState, to: VacancyState) {
        #expect(from.canMove(to: to) == Self.allowed.contains("\(from.rawValue)→\(to.rawValue)"))
    }

    @Test func theExamplesOfTheIssue() {
        #expect(!VacancyState.occupied.canMove(to: .reLet))
        #expect(VacancyState.reLet.canMove(to: .vacant))
        #expect(VacancyState.demolished.next.isEmpty)
    }

    @Test func vacantCountsThreeStatesAndInterimUseApart() {
        #expect(VacancyState.allCases.filter(\.isVacant) == [.vacant, .inContact, .marketed])
        #expect(!VacancyState.interimUse.isVacant)
    }

    @Test func katasterWordsAreRead() {
        #expect(VacancyState(label: "leer") == .vacant)
        #expect(VacancyState(label: "Zwischennutzung") == .interimUse)
        #expect(VacancyState(label: "in Kontakt") == .inContact)
        #expect(VacancyState(label: "wiedervermietet") == .reLet)
        #expect(VacancyState(label: "in_contact") == .inContact)
        #expect(VacancyState(label: "verkauft") == nil)
        #expect(Floor(label: "EG") == .ground && Floor(label: "1. OG") == .upper && Floor(label: "Keller") == nil)
    }

    @Test func streetsComeFromAddresses() {
        #expect(NewVacancyUnit.street(of: "Schadowstraße 12a") == "Schadowstraße")
        #expect(NewVacancyUnit.street(of: "Königsallee 60, 2. OG") == "Königsallee")
        #expect(NewVacancyUnit.street(of: "Am Wehrhahn 1 - 3") == "Am Wehrhahn")
        #expect(NewVacancyUnit.street(of: "Burgplatz") == "Burgplatz")
    }

    @Test func floorAreasAreChecked() {
        #expect(throws: VacancyError.self) { try SquareMetres(0) }
        #expect(throws: VacancyError.self) { try SquareMetres(.nan) }
        #expect(throws: VacancyError.self) { try SquareMetres(-5) }
        #expect(throws: Never.self) { try SquareMetres(120.5) }
    }
}
