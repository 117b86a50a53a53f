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
        defer { forgetCaches() }
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
    /// Read once, then from memory (setting up the database again forgets it).
    public func taxonomy() throws -> Taxonomy {
        if let taxonomy = knownTaxonomy { return taxonomy }
        return try read { db in try cachedTaxonomy(db) }
    }

    static func taxonomy(_ db: Database) throws -> Taxonomy {
        var order: [String] = []
        var rows: [String: [CategoryRecord]] = [:]
        for record in try CategoryRecord.fetchAll(db, sql: "SELECT * FROM categories ORDER BY rowid") {
            if rows[record.category] == nil { order.append(record.category) }
            rows[record.category, default: []].append(record)
        }
        return Taxonomy(categories: order.map { code in
            let records = rows[code]!, head = records[0]
            return Taxonomy.Category(code: code, de: head.categoryDE, en: head.categoryEN, color: head.color, symbol: head.symbol,
                                     subcategories: records.map { Taxonomy.Subcategory(code: $0.subcategory, de: $0.labelDE, en: $0.labelEN) })
        })
    }
}
