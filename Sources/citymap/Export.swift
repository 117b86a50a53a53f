import ArgumentParser
import CityMap
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension ExportProfile: ExpressibleByArgument {}

extension CityMapCommand {
    struct Export: ParsableCommand {
        enum Layer: String, ExpressibleByArgument, CaseIterable { case reports, areas, walks, gpkg }

        static let configuration = CommandConfiguration(commandName: "export", 
            abstract: "Export reports, areas or walks as RFC 7946 GeoJSON, GeoJSON text sequences or CSV for QGIS, geojson.io, uMap or Kepler.gl.",
            discussion: """
                Coordinates are WGS84 lon/lat with 6 decimals (at most 7), exterior rings counter-clockwise, no crs member.
                Features carry title, description and simplestyle marker-color/marker-symbol per category.
                The public profile (the default) never contains the reporter, contact details, internal notes or media links;
                --profile internal adds them for the office's own use. The file is written aside and renamed when complete.
                `export gpkg --out FILE.gpkg` writes reports (with the filters), walks and areas as the three layers of one
                GeoPackage for QGIS and QField, with the same properties.
                Examples:
                  citymap export reports --district west --status open --out offen-west.geojson
                  citymap export gpkg --out citymap.gpkg
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "What to export: reports, areas, walks, or gpkg (all three as one GeoPackage; needs --out).")
        var layer: Layer

        @OptionGroup var filters: FilterOptions

        @Option(help: "geojson (a FeatureCollection), geojsonseq (RFC 8142 text sequence) or csv.")
        var format: ExportFormat = .geojson

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
        var out: String = "-"

        @Option(help: "public (no personal data; the default) or internal.")
        var profile: ExportProfile = .public

        @Option(help: "Decimal places of coordinates, 1 to 7.")
        var precision: Int = 6

        func validate() throws {
            if layer == .gpkg && out == "-" { throw ValidationError("a GeoPackage is a database file: name it with --out FILE.gpkg") }
        }

        func run() throws {
            // Reports are exported from the geometry's bytes: most exports need neither SpatiaLite nor PROJ.
            let store = try database.open(preload: layer == .reports ? [] : .all)
            var options = ExportOptions()
            options.format = format
            options.profile = profile
            options.precision = precision
            options.filter = try filters.filter()
            // Internal exports hold reporters' contacts: only the owner may read them.
            if layer == .gpkg {
                let written = try store.exportGeoPackage(to: URL(fileURLWithPath: out), options: options, mode: profile == .internal ? 0o600 : 0o644)
                printError("Wrote \(written.reports) reports, \(written.walks) walks and \(written.areas) areas to \(out) (GeoPackage, \(profile.rawValue)).")
                return
            }
            let count = try OutputTarget(path: out).write(mode: profile == .internal ? 0o600 : 0o644, protecting: store.protectedFiles) { sink in
                switch layer {
                case .reports: return try store.exportReports(options, to: sink)
                case .areas: return try store.exportAreas(options, to: sink)
                case .walks: return try store.exportWalks(options, to: sink)
                case .gpkg: return 0 // written above
                }
            }
            if out != "-" { printError("Wrote \(count) \(layer.rawValue) to \(out) (\(format.rawValue), \(profile.rawValue)).") }
        }
    }
}
