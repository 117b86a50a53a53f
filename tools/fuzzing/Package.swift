// swift-tools-version:6.1
// libFuzzer targets for citymap's readers. Built and run by `tools/fuzz`, never by the main package:
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
import PackageDescription

/// One target per reader; each is a few lines that hand its input to `CityMapFuzzing`.
let readers = ["FuzzCSV", "FuzzGeoJSON", "FuzzGeoJSONSeq", "FuzzGPX", "FuzzOpen311JSON", "FuzzOpen311XML", "FuzzBoundary", "FuzzTime"]

let package = Package(
    name: "citymap-fuzzing",
    dependencies: [.package(name: "citymap", path: "../..")],
    targets: [
        .target(name: "CityMapFuzzing", dependencies: [.product(name: "CityMap", package: "citymap")]),
    ] + readers.map { .executableTarget(name: $0, dependencies: ["CityMapFuzzing"]) }
)
