// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "citymap",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CityMap", targets: ["CityMap"]),
        .executable(name: "citymap", targets: ["citymap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The server adapter. Without the swift-configuration trait: citymap configures the server from its own options.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // SQLite, SpatiaLite and PROJ come from the system (Debian: libsqlite3-dev, libspatialite-dev, libproj-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // SpatiaLite and PROJ are opened on first use, not linked (Sources/CGeoLibraries/include/geo_libraries.h).
        .target(name: "CGeoLibraries", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // The shipped boundaries, squares and taxonomy, bundled as resources.
        .target(
            name: "CityMapGeoData",
            path: "GeoData",
            exclude: ["README.md"],
            sources: ["GeoDataFiles.swift"],
            resources: [.copy("districts.geojson"), .copy("squares.geojson"), .copy("taxonomy.json"), .copy("responsibilities.json"), .copy("demo-walk.gpx")]
        ),
        // The core: domain, geometry, projection, storage, imports, exports, hotspots, summaries.
        .target(
            name: "CityMap",
            dependencies: [
                "CSQLite", "CGeoLibraries", "CityMapGeoData",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The HTTP adapter (`citymap serve`): Open311 GeoReport v2 and the staff API over the core.
        .target(
            name: "CityMapServer",
            dependencies: [
                "CityMap",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Pages")]
        ),
        // The command-line adapter.
        .executableTarget(
            name: "citymap",
            dependencies: [
                "CityMap", "CityMapServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link the Swift runtime and Foundation statically: a single call starts in about 40 ms
            // instead of 50 (30,000 fewer symbol lookups at load; BENCHMARKS.md), for 6 s more linking. Debug
            // builds and the test bundle link them dynamically (XCTest and swift-testing need the shared ones).
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + ["CoreFoundation", "_FoundationICU", "_FoundationCShims", "_FoundationCollections",
                                                               "FoundationEssentials", "FoundationInternationalization", "swiftSynchronization",
                                                               "_CFXMLInterface", "xml2", "CoreFoundation"].flatMap { ["-Xlinker", "-l\($0)"] },
                                          .when(configuration: .release))]
        ),
        .testTarget(name: "CityMapTests", dependencies: ["CityMap", "CityMapGeoData", "citymap", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CityMapServerTests", dependencies: ["CityMap", "citymap", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
