import ArgumentParser
import CityMap

extension CityMapCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", 
            abstract: "Create the database with the shipped districts, squares and categories.",
            discussion: "Running it again changes nothing. Replace the shipped outlines with official ones via `citymap areas import`.")

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("The city extent, WEST,SOUTH,EAST,NORTH: where imports expect reports. A new database gets Düsseldorf's (6.6886,51.1243,6.9399,51.3526); given again, it changes.", valueName: "w,s,e,n"))
        var extent: String?

        func run() throws {
            let box = try extent.map { try BoundingBox(parsing: $0) }
            let store = try database.open(.create)
            let summary = try store.setUpFromShippedGeoData()
            if let box {
                try store.setExtent(box)
                print("City extent of \(store.path): \(box).")
                if summary.changedNothing { return }
            }
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
