// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "citymap",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CityMap", targets: ["CityMap"]),
        .executable(name: "citymap", targets: ["citymap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // SpatiaLite and PROJ come from the system (Debian: libspatialite-dev, libproj-dev).
        .systemLibrary(name: "CSpatiaLite", pkgConfig: "spatialite", providers: [.apt(["libspatialite-dev"])]),
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // The shipped boundaries, squares and taxonomy, bundled as resources.
        .target(
            name: "CityMapGeoData",
            path: "GeoData",
            exclude: ["README.md"],
            sources: ["GeoDataFiles.swift"],
            resources: [.copy("districts.geojson"), .copy("squares.geojson"), .copy("taxonomy.json"), .copy("demo-walk.gpx")]
        ),
        .target(
            name: "CityMap",
            dependencies: [
                "CSpatiaLite", "CProj", "CityMapGeoData",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "citymap",
            dependencies: [
                "CityMap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CityMapTests", dependencies: ["CityMap", "CityMapGeoData", "citymap", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
