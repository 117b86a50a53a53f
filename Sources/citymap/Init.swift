import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database with the shipped districts, squares and categories.",
            discussion: "Running it again changes nothing. Replace the shipped outlines with official ones via `citymap areas import`.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try database.open(.create)
            let summary = try store.setUpFromShippedGeoData()
            if summary.changedNothing {
                print("\(store.path) is already set up; nothing changed.")
            } else {
                let areas = try store.areas()
                print("Set up \(store.path): \(summary.categoriesAdded) subcategories, "
                      + "\(areas.filter { $0.kind == .district }.count) districts, \(areas.filter { $0.kind == .square }.count) squares.")
            }
        }
    }
}
