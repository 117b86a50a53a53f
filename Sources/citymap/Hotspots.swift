import ArgumentParser
import CityMap
import Foundation

extension CityMapCommand {
    struct Hotspots: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hotspots", 
            abstract: "Find where concerns concentrate (in metres, on EPSG:25832).",
            subcommands: [Clusters.self, GiStar.self, Density.self, PointClusters.self, PointGiStar.self])
    }

    struct Clusters: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, geojson, csv }

        static let configuration = CommandConfiguration(commandName: "clusters", 
            abstract: "DBSCAN clusters of reports: size, centre, hull, categories, districts and squares, open and resolved.",
            discussion: """
                A report is a core point when at least --min-points reports (itself included) lie within --eps; core points
                within --eps of each other form a cluster (scikit-learn's DBSCAN semantics). Other reports within --eps of a
                core point join its cluster (the nearest one); the rest are noise. Clusters are numbered by size.
                Examples:
                  citymap hotspots clusters --eps 30m --min-points 5 --category cleanliness
                  citymap hotspots clusters --district ost --since 2026-11-01 --format geojson --out hotspots.geojson
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Neighbourhood radius, e.g. 30m.", valueName: "length"))
        var eps: String = "30m"

        @Option(help: "Reports within --eps, itself included, that make a report a core point.")
        var minPoints: Int = 5

        @OptionGroup var filters: FilterOptions

        @Option(help: "table, geojson (the clusters' hulls as polygons, styled for viewers) or csv.")
        var format: Format = .table

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
        var out: String = "-"

        @Option(help: ArgumentHelp("With --format geojson: also write the clusters' centres as points to this file (one geometry type per file, so that ogr2ogr converts each to a Shapefile).", valueName: "file"))
        var centres: String?

        func validate() throws {
            if minPoints < 1 { throw ValidationError(Wording.sentence(HotspotError.minPointsBelowOne(minPoints))) }
            if centres != nil && format != .geojson { throw ValidationError("--centres goes with --format geojson") }
            if let centres, centres == out { throw ValidationError("--centres and --out name the same file") }
        }

        func run() throws {
            let store = try database.open()
            let radius = try Meters(parsing: eps)
            let result = try store.hotspotClusters(matching: try filters.filter(), eps: radius, minPoints: minPoints)
            let target = OutputTarget(path: out)
            if result.reports == 0 && format != .geojson {
                printError("no reports match")
                return
            }
            switch format {
            case .geojson:
                let taxonomy = try store.taxonomy()
                try target.write(protecting: store.protectedFiles) { try HotspotExport.clusters(result, taxonomy: taxonomy, to: $0, parts: .hulls) }
                if let centres {
                    try OutputTarget(path: centres).write(protecting: store.protectedFiles) {
                        try HotspotExport.clusters(result, taxonomy: taxonomy, to: $0, parts: .centres)
                    }
                }
            case .table, .csv:
                var table = TableWriter(columns: ["cluster", "size", "lat", "lon", "radius90_m", "dominant", "districts", "square",
                                                  "open", "resolved", "first", "last", "per_week"])
                table.rows = result.clusters.map { c in
                    [.integer(Int64(c.id)), .integer(Int64(c.size)), .number((c.centroid.lat * 1e6).rounded() / 1e6),
                     .number((c.centroid.lon * 1e6).rounded() / 1e6), .number((c.radius90.value * 10).rounded() / 10),
                     .text(c.dominantCategory), .text(c.districts.joined(separator: ", ")), .text(c.square),
                     .integer(Int64(c.open)), .integer(Int64(c.resolved)), .text(Timestamp.short(c.firstObserved)),
                     .text(Timestamp.short(c.lastObserved)), .number((c.reportsPerWeek * 100).rounded() / 100)]
                }
                let text = format == .csv ? table.csv() : table.table()
                    + "\(result.clusters.count) cluster\(result.clusters.count == 1 ? "" : "s"), \(result.noise) noise of \(result.reports) reports\n"
                try target.write(protecting: store.protectedFiles) { try $0.write(text) }
            }
        }
    }

    struct PointClusters: ParsableCommand {
        /// A duration in seconds, for the timing line benchmarks read.
        static func seconds(_ d: Duration) -> String {
            String(format: "%.6f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }

        static let configuration = CommandConfiguration(
            commandName: "dbscan",
            abstract: "DBSCAN on any projected points from a CSV file (x,y in metres), for cross-checks with other tools.",
            discussion: """
                Reads a CSV with x and y columns in a metric CRS (e.g. EPSG:25832, or a local UTM zone) and writes one row per
                input row: index (0-based), cluster (0, 1, … by size; -1 for noise) and core (1 or 0). The same algorithm as
                `hotspots clusters`, without a database: tools/cross-check compares it with scikit-learn this way.
                Example: citymap hotspots dbscan points.csv --eps 30m --min-points 50 > labels.csv
                """)

        @Argument(help: "A CSV file with columns x and y (metres).", completion: .file(extensions: ["csv"]))
        var file: String

        @Option(help: ArgumentHelp("Neighbourhood radius, e.g. 30m.", valueName: "length"))
        var eps: String = "30m"

        @Option(help: "Points within --eps, itself included, that make a point a core point.")
        var minPoints: Int = 5

        func validate() throws {
            if minPoints < 1 { throw ValidationError(Wording.sentence(HotspotError.minPointsBelowOne(minPoints))) }
        }

        func run() throws {
            let radius = try Meters(parsing: eps)
            try HotspotClustering.validate(eps: radius, minPoints: minPoints)
            let points = try ProjectedPointsFile.read(URL(fileURLWithPath: file))
            let clock = ContinuousClock()
            var result: DBSCAN.Clustering!
            let elapsed = clock.measure { result = DBSCAN.cluster(points, eps: radius, minPoints: minPoints) }
            var out = "index,cluster,core\n"
            out.reserveCapacity(points.count * 12)
            for i in result.labels.indices { out += "\(i),\(result.labels[i]),\(result.isCore[i] ? 1 : 0)\n" }
            emit(out)
            printError("\(result.clusterCount) clusters, \(result.noiseCount) noise of \(points.count) points; clustering took \(Self.seconds(elapsed)) s")
        }
    }

    struct GiStar: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, geojson, csv }

        static let configuration = CommandConfiguration(
            commandName: "gi",
            abstract: "Getis-Ord Gi* hot and cold spots on a square grid aligned to EPSG:25832.",
            discussion: """
                Counts reports per cell, weights cells whose centres are within --band (the cell itself included), and gives each
                cell a z-score, a two-sided p-value and an ArcGIS-style Gi_Bin (±3 = 99 %, ±2 = 95 %, ±1 = 90 %, 0 = not
                significant); --fdr applies Benjamini-Hochberg first. The grid covers the districts, or the matching reports'
                extent when filtered. The table lists the significant cells with their district and square.
                Example: citymap hotspots gi --cell 50m --band 150m --category cleanliness --format geojson --out gi.geojson
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Cell size, e.g. 50m.", valueName: "length"))
        var cell: String = "50m"

        @Option(help: ArgumentHelp("Distance band, e.g. 150m; at least the cell size.", valueName: "length"))
        var band: String = "150m"

        @Flag(help: "Correct the p-values for false discoveries (Benjamini-Hochberg).")
        var fdr = false

        @OptionGroup var filters: FilterOptions

        @Option(help: "table (significant cells), geojson (all cells, styled) or csv (all cells).")
        var format: Format = .table

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
        var out: String = "-"

        func run() throws {
            let store = try database.open()
            let grid = try store.hotspotGrid(matching: try filters.filter(), cell: try Meters(parsing: cell),
                                             band: try Meters(parsing: band), fdr: fdr)
            if grid.reports == 0 {
                printError("no reports match")
                return
            }
            for warning in grid.warnings { warn(warning) }
            let target = OutputTarget(path: out)
            if format == .geojson {
                try target.write(protecting: store.protectedFiles) { try HotspotExport.giStar(grid, to: $0) }
                return
            }
            var table = TableWriter(columns: ["column", "row", "lat", "lon", "count", "z", "p", "Gi_Bin", "district", "square"])
            let cells = format == .table ? grid.significantCells : grid.cells
            table.rows = cells.map { c in
                [.integer(Int64(c.column)), .integer(Int64(c.row)), .number((c.center.lat * 1e6).rounded() / 1e6),
                 .number((c.center.lon * 1e6).rounded() / 1e6), .integer(Int64(c.count)), .number((c.z * 1000).rounded() / 1000),
                 .number((c.p * 1e5).rounded() / 1e5), .integer(Int64(c.bin)), .text(c.district), .text(c.square)]
            }
            let text = format == .csv ? table.csv()
                : table.table() + "\(cells.count) significant of \(grid.cells.count) cells (\(grid.columns) × \(grid.rows)), \(grid.reports) reports\n"
            try target.write(protecting: store.protectedFiles) { try $0.write(text) }
        }
    }

    struct Density: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, geojson, csv }

        static let configuration = CommandConfiguration(commandName: "density", 
            abstract: "Kernel density (QGIS heatmap semantics) in reports per km², and the areas of its highest values.",
            discussion: """
                Pixels are aligned to EPSG:25832 over the reports' extent grown by --radius. The quartic kernel is the default
                and uses QGIS's own constant (7.25 times the normalising one), so values match a QGIS heatmap of the same
                points; --kernel triangular|uniform|triweight|epanechnikov are normalised. --format geojson writes the pixels
                in the --top share of non-zero densities, merged where they touch; --format csv writes the whole grid.
                Example: citymap hotspots density --radius 100m --pixel 10m --top 5% --format geojson --out dichte.geojson
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Kernel radius (bandwidth), e.g. 100m.", valueName: "length"))
        var radius: String = "100m"

        @Option(help: ArgumentHelp("Pixel size, e.g. 10m.", valueName: "length"))
        var pixel: String = "10m"

        @Option(help: "quartic (default), triangular, uniform, triweight or epanechnikov.")
        var kernel: String = "quartic"

        @Option(help: ArgumentHelp("The share of non-zero pixels to outline, e.g. 5%.", valueName: "percent"))
        var top: String = "5%"

        @OptionGroup var filters: AttributeFilterOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Only reports within --near-radius of this position, written LAT,LON.", valueName: "lat,lon"))
        var near: String?

        @Option(help: ArgumentHelp("Radius for --near, e.g. 300m.", valueName: "length"))
        var nearRadius: String = "100m"

        @Option(help: "table (top areas), geojson (top areas, styled) or csv (the whole grid).")
        var format: Format = .table

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
        var out: String = "-"

        func run() throws {
            let shape = try KernelDensity.Kernel(parsing: kernel)
            let percent = try DensityResult.share(parsing: top)
            let store = try database.open()
            guard let result = try store.hotspotDensity(matching: try filters.filter(near: near, radius: nearRadius), radius: try Meters(parsing: radius),
                                                        pixel: try Meters(parsing: pixel), kernel: shape, topPercent: percent) else {
                printError("no reports match")
                return
            }
            let target = OutputTarget(path: out)
            switch format {
            case .geojson: try target.write(protecting: store.protectedFiles) { try HotspotExport.density(result, to: $0) }
            case .csv: try target.write(protecting: store.protectedFiles) { try HotspotExport.densityCSV(result, to: $0) }
            case .table:
                var table = TableWriter(columns: ["area", "peak_per_km2", "pixels", "lat", "lon"])
                table.rows = result.areas.enumerated().map { k, a in
                    [.integer(Int64(k + 1)), .number((a.peak * 10).rounded() / 10), .integer(Int64(a.pixels)),
                     .number((a.centroid.lat * 1e5).rounded() / 1e5), .number((a.centroid.lon * 1e5).rounded() / 1e5)]
                }
                let text = table.table() + "\(result.areas.count) areas above \(Int(result.threshold.rounded())) per km² (top \(top) of non-zero pixels), "
                    + "\(result.reports) reports, \(result.grid.columns) × \(result.grid.rows) pixels, \(result.kernel.rawValue) kernel\n"
                try target.write(protecting: store.protectedFiles) { try $0.write(text) }
            }
        }
    }

    struct PointGiStar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gi-points",
            abstract: "Gi* on any projected points from a CSV file (x,y in metres), for cross-checks with other tools.",
            discussion: """
                Grids the points' own extent in cells aligned to multiples of --cell and writes one row per cell: column, row
                (from the south-west), count, z, p and Gi_Bin. The same statistic as `hotspots gi`, without a database.
                Example: citymap hotspots gi-points points.csv --cell 100m --band 300m > gi.csv
                """)

        @Argument(help: "A CSV file with columns x and y (metres).", completion: .file(extensions: ["csv"]))
        var file: String

        @Option(help: ArgumentHelp("Cell size, e.g. 50m.", valueName: "length"))
        var cell: String = "50m"

        @Option(help: ArgumentHelp("Distance band, at least the cell size.", valueName: "length"))
        var band: String = "150m"

        @Flag(help: "Benjamini-Hochberg correction of the p-values.")
        var fdr = false

        func run() throws {
            let points = Array(try ProjectedPointsFile.read(URL(fileURLWithPath: file)))
            let cellSize = try Meters(parsing: cell), bandSize = try Meters(parsing: band)
            try GiStarGrid.validate(cell: cellSize, band: bandSize)
            var grid: (columns: Int, rows: Int, counts: [Double], z: [Double], p: [Double], bins: [Int])?
            let elapsed = ContinuousClock().measure { grid = GetisOrdGiStar.fromPoints(points, cell: cellSize, band: bandSize, fdr: fdr) }
            guard let g = grid else { throw HotspotError.tooFewPopulatedCells(1) }
            printError("\(g.counts.count) cells; counting, weights and statistic took \(PointClusters.seconds(elapsed)) s")
            var out = "column,row,count,z,p,Gi_Bin\n"
            for k in g.counts.indices {
                out += "\(k % g.columns),\(k / g.columns),\(Int(g.counts[k])),\(g.z[k]),\(g.p[k]),\(g.bins[k])\n"
            }
            emit(out)
        }
    }
}
