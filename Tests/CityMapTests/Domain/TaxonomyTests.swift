import Foundation
import Testing
@testable import CityMap
import CityMapGeoData

/// Categories as people type them (German or English labels, codes alone), and numbers with a decimal comma.
@Suite("Category labels and decimal numbers")
struct TaxonomyTests {
    static let taxonomy: Taxonomy? = GeoDataFiles.taxonomy.flatMap { try? Taxonomy(contentsOf: $0) }

    @Test(arguments: [
        ("cleanliness/litter", "cleanliness/litter"),
        ("Sauberkeit/Hundekot", "cleanliness/dog-fouling"),
        ("sauberkeit / hundekot", "cleanliness/dog-fouling"),
        ("Hundekot", "cleanliness/dog-fouling"),
        ("Dog fouling", "cleanliness/dog-fouling"),
        ("dog-fouling", "cleanliness/dog-fouling"),
        ("Cleanliness/Graffiti", "cleanliness/graffiti"),
        ("Littering / Müll", "cleanliness/litter"),
        ("Sauberkeit/Littering / Müll", "cleanliness/litter"),
        ("Angstraum", "safety/unsafe-place"),
        ("Leerstehendes  Ladenlokal", "vacancy/vacant-shop"),
    ])
    func labelsResolve(text: String, code: String) throws {
        let taxonomy = try #require(Self.taxonomy)
        #expect(try taxonomy.resolve(text).description == code)
    }

    @Test func aCategoryAloneStillAsksForItsSubcategory() throws {
        let taxonomy = try #require(Self.taxonomy)
        #expect { try taxonomy.resolve("Sauberkeit") } throws: { error in
            guard case DomainError.unknownCategory = error else { return false }
            return true
        }
        #expect { try taxonomy.resolve("cleanliness") } throws: { error in
            guard case DomainError.missingSubcategory = error else { return false }
            return true
        }
        #expect(taxonomy.label("nothing like it") == nil)
    }

    @Test(arguments: [("51.2275", 51.2275), ("51,2275", 51.2275), (" -0,5 ", -0.5), ("-180", -180.0), ("6.7711", 6.7711)])
    func decimalNumbers(text: String, value: Double) {
        #expect(DecimalNumber.parse(text) == value)
    }

    @Test(arguments: ["", "nan", "inf", "1,234.5", "51.2.2", "x"])
    func notNumbers(text: String) {
        #expect(DecimalNumber.parse(text) == nil)
    }
}
