import ArgumentParser
import CityMap
import Foundation

extension CityMapCommand {
    struct Areas: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "areas", 
            abstract: "List districts and squares, or load new outlines.",
            subcommands: [ListAreas.self, ImportAreas.self],
            defaultSubcommand: ListAreas.self)
    }

    struct ListAreas: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the districts and squares with their report counts; a square's district is the one its reports count for.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            let counts = try store.reportCountsByArea()
            var writer = TableWriter(columns: ["id", "kind", "code", "name", "district", "reports", "source"])
            writer.rows = try store.areas().map { a in
                [.integer(a.id), .text(a.kind.rawValue), .text(a.code), .text(a.name), .text(a.district), .integer(Int64(counts[a.id] ?? 0)),
                 .text(output.format == .table ? a.source.map { ReportRows.abbreviated($0, to: 48) } : a.source)]
            }
            emit(writer.render(output.format))
        }
    }

    struct ImportAreas: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load district or square outlines from a GeoJSON file and place every report again.",
            discussion: """
                Polygon and MultiPolygon features are accepted in either ring orientation and checked for validity.
                An area whose code exists is updated; with --replace, areas of that kind missing from the file are removed.
                Example: citymap areas import stadtbezirke.geojson --kind district --name-property NAME
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "A GeoJSON FeatureCollection in WGS84 (EPSG:4326).", completion: .file(extensions: ["geojson", "json"]))
        var file: String

        @Option(help: "What the features are: district or square.")
        var kind: AreaKind

        @Option(help: "The feature property that holds the area's name.")
        var nameProperty: String = "name"

        @Option(help: "The feature property that holds a stable code. Default: derived from the name.")
        var codeProperty: String?

        @Option(help: "For squares: the feature property naming the district (its code) the square belongs to. Squares without it belong to the district they overlap most.")
        var districtProperty: String = "district"

        @Flag(help: "Remove areas of this kind that the file does not contain.")
        var replace = false

        func run() throws {
            let store = try database.open()
            let url = URL(fileURLWithPath: file)
            let features = try BoundaryFile.read(url, nameProperty: nameProperty, codeProperty: codeProperty,
                                                 districtProperty: districtProperty, sourceNote: "imported from \(url.lastPathComponent)")
            let summary = try store.importAreas(features, kind: kind, replace: replace)
            print("Imported \(features.count) \(kind.rawValue)\(features.count == 1 ? "" : "s") from \(file): "
                  + "\(summary.added.count) added, \(summary.updated.count) updated, \(summary.removed.count) removed; "
                  + "\(summary.reassignedReports) report\(summary.reassignedReports == 1 ? "" : "s") placed anew.")
        }
    }
}
