import CityMapGeoData
import Foundation
import GRDB

/// What `citymap init` did.
public struct SetupSummary: Sendable {
    public let categoriesAdded: Int
    public let areasAdded: Int
    public var changedNothing: Bool { categoriesAdded == 0 && areasAdded == 0 }
}

extension Store {
    /// Loads the taxonomy and the shipped districts and squares where they are absent. Running it again
    /// changes nothing; areas replaced by official outlines (`areas import`) are left as they are.
    public func setUp(taxonomy: Taxonomy, districts: [AreaFeature], squares: [AreaFeature]) throws -> SetupSummary {
        let categoriesAdded = try write { db in
            var added = 0
            for category in taxonomy.categories {
                for sub in category.subcategories {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO categories
                            (category, subcategory, label_de, label_en, category_label_de, category_label_en, color, symbol)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [category.code, sub.code, sub.de, sub.en, category.de, category.en,
                                         category.color, category.symbol])
                    added += db.changesCount
                }
            }
            return added
        }
        let existingKinds = Set(try areas().map(\.kind))
        var areasAdded = 0
        for (kind, features) in [(AreaKind.district, districts), (.square, squares)] where !existingKinds.contains(kind) {
            areasAdded += try importAreas(features, kind: kind).added.count
        }
        return SetupSummary(categoriesAdded: categoriesAdded, areasAdded: areasAdded)
    }

    /// `setUp` with the files shipped in `GeoData/`.
    public func setUpFromShippedGeoData() throws -> SetupSummary {
        guard let taxonomyURL = GeoDataFiles.taxonomy else { throw StorageError.geoDataMissing("taxonomy.json") }
        guard let districtsURL = GeoDataFiles.districts else { throw StorageError.geoDataMissing("districts.geojson") }
        guard let squaresURL = GeoDataFiles.squares else { throw StorageError.geoDataMissing("squares.geojson") }
        return try setUp(taxonomy: try Taxonomy(contentsOf: taxonomyURL),
                         districts: try BoundaryFile.read(districtsURL, codeProperty: "code"),
                         squares: try BoundaryFile.read(squaresURL, codeProperty: "code"))
    }

    /// The taxonomy as stored in this database.
    public func taxonomy() throws -> Taxonomy {
        try read { db in try Self.taxonomy(db) }
    }

    static func taxonomy(_ db: Database) throws -> Taxonomy {
        var categories: [Taxonomy.Category] = []
        var order: [String] = []
        var subcategories: [String: [Taxonomy.Subcategory]] = [:]
        var heads: [String: Row] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM categories ORDER BY rowid") {
            let code: String = row["category"]
            if heads[code] == nil { heads[code] = row; order.append(code) }
            subcategories[code, default: []].append(Taxonomy.Subcategory(code: row["subcategory"], de: row["label_de"], en: row["label_en"]))
        }
        for code in order {
            let head = heads[code]!
            categories.append(Taxonomy.Category(code: code, de: head["category_label_de"], en: head["category_label_en"],
                                                color: head["color"], symbol: head["symbol"], subcategories: subcategories[code] ?? []))
        }
        return Taxonomy(categories: categories)
    }
}
