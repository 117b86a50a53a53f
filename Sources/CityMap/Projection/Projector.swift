import CGeoLibraries
import Foundation

/// Projects WGS84 longitude/latitude (EPSG:4326) to ETRS89 / UTM 32N (EPSG:25832) metres through PROJ.
///
/// PROJ's `EPSG:4326` has latitude first; the transformation is normalised for visualisation so that it takes
/// longitude first, like every `Coordinate` here. A `PJ` is not thread-safe, so calls are serialised by a lock.
/// Bulk projection (`project(_:)` on an array) goes through `proj_trans_generic`, about 120× faster than
/// SpatiaLite's per-row `ST_Transform` (TECH-NOTES).
public final class Projector: @unchecked Sendable {
    private let context: OpaquePointer
    private let transformation: OpaquePointer
    private let lock = NSLock()

    /// The transformation citymap uses everywhere, EPSG:4326 → EPSG:25832 with longitude first.
    ///
    /// It is built from the pipeline PROJ itself chooses for that pair (`etrs89UTM32Pipeline`), not looked up in
    /// proj.db: `proj_create_crs_to_crs` takes 12–18 ms, a third of a single `citymap log`, to find it (measured
    /// with PROJ 9.1). `ProjectionTests` checks that both give the same metres, and pyproj's.
    public static func etrs89UTM32() throws(ProjectionError) -> Projector {
        try Projector(pipeline: etrs89UTM32Pipeline, describing: "EPSG:4326 → EPSG:25832")
    }

    /// What `proj_create_crs_to_crs(EPSG:4326, EPSG:25832)` normalised for visualisation resolves to ("axis order
    /// change (2D) + Inverse of ETRS89 to WGS 84 (1) + UTM zone 32N"; `proj_as_proj_string`): ETRS89 and WGS 84
    /// are the same within a metre by EPSG's own transformation, so it is UTM zone 32 on GRS80.
    static let etrs89UTM32Pipeline = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=utm +zone=32 +ellps=GRS80"

    /// A transformation given as a PROJ pipeline that needs none of PROJ's data files (no grids, no EPSG codes),
    /// taking longitude first.
    init(pipeline: String, describing name: String) throws(ProjectionError) {
        try Self.loadPROJ()
        // The pipeline names everything it needs, so proj.db is not read (5–8 ms with PROJ 9.1).
        guard let ctx = citymap_proj_context_create_without_data() else { throw .cannotCreate("no PROJ context") }
        guard let operation = citymap_proj_create(ctx, pipeline) else {
            let reason = String(cString: citymap_proj_context_errno_string(ctx, citymap_proj_context_errno(ctx)))
            citymap_proj_context_destroy(ctx)
            throw .cannotCreate("\(name): \(reason)")
        }
        context = ctx
        transformation = operation
    }

    public init(from source: String, to target: String) throws(ProjectionError) {
        try Self.loadPROJ()
        guard let ctx = citymap_proj_context_create() else { throw .cannotCreate("no PROJ context") }
        guard let raw = citymap_proj_create_crs_to_crs(ctx, source, target, nil) else {
            let reason = String(cString: citymap_proj_context_errno_string(ctx, citymap_proj_context_errno(ctx)))
            citymap_proj_context_destroy(ctx)
            throw .cannotCreate("\(source) → \(target): \(reason); is PROJ's proj.db installed (Debian: proj-data)?")
        }
        guard let normalized = citymap_proj_normalize_for_visualization(ctx, raw) else {
            citymap_proj_destroy(raw)
            citymap_proj_context_destroy(ctx)
            throw .cannotCreate("cannot normalise \(source) → \(target) to longitude/latitude order")
        }
        citymap_proj_destroy(raw)
        context = ctx
        transformation = normalized
    }

    /// Opens PROJ on the first projection of the process (`CGeoLibraries`: not linked, so that commands
    /// without a projection start without it).
    static func loadPROJ() throws(ProjectionError) {
        if let reason = citymap_load_proj() { throw .libraryMissing(String(cString: reason)) }
    }

    deinit {
        citymap_proj_destroy(transformation)
        citymap_proj_context_destroy(context)
    }

    /// One position.
    public func project(_ c: Coordinate) throws(ProjectionError) -> ProjectedPoint {
        var xs = [c.lon], ys = [c.lat]
        try transform(&xs, &ys)
        return ProjectedPoint(x: xs[0], y: ys[0])
    }

    /// Many positions in one PROJ call; the result has the input's order.
    public func project(_ coordinates: [Coordinate]) throws(ProjectionError) -> [ProjectedPoint] {
        var xs = coordinates.map(\.lon), ys = coordinates.map(\.lat)
        try transform(&xs, &ys)
        return zip(xs, ys).map { ProjectedPoint(x: $0, y: $1) }
    }

    /// EPSG:25832 metres back to WGS84 longitude/latitude (PROJ's inverse), for centroids and hulls.
    public func unproject(_ points: [ProjectedPoint]) throws(ProjectionError) -> [Coordinate] {
        var xs = points.map(\.x), ys = points.map(\.y)
        try transform(&xs, &ys, direction: PJ_INV)
        return zip(xs, ys).map { Coordinate(trustedLon: $0, lat: $1) }
    }

    /// Transforms in place: on input longitudes and latitudes, on output eastings and northings.
    public func transform(_ xs: inout [Double], _ ys: inout [Double]) throws(ProjectionError) {
        try transform(&xs, &ys, direction: PJ_FWD)
    }

    private func transform(_ xs: inout [Double], _ ys: inout [Double], direction: PJ_DIRECTION) throws(ProjectionError) {
        precondition(xs.count == ys.count)
        let count = xs.count
        if count == 0 { return }
        let stride = MemoryLayout<Double>.stride
        lock.lock()
        defer { lock.unlock() }
        citymap_proj_errno_reset(transformation)
        let done = xs.withUnsafeMutableBufferPointer { xb in
            ys.withUnsafeMutableBufferPointer { yb in
                citymap_proj_trans_generic(transformation, direction, xb.baseAddress, stride, count,
                                   yb.baseAddress, stride, count, nil, 0, 0, nil, 0, 0)
            }
        }
        guard done == count, xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else {
            throw .transformFailed(String(cString: citymap_proj_errno_string(citymap_proj_errno(transformation))))
        }
    }
}

/// PROJ could not be set up or could not transform a position.
public enum ProjectionError: CityMapError {
    case libraryMissing(String)
    case cannotCreate(String)
    case transformFailed(String)

    public var kind: ErrorKind { .failed }
    public var parameter: String? { nil }
    public var value: String? { nil }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .libraryMissing(let reason): return "PROJ: \(reason); is PROJ installed (Debian: libproj25 or libproj-dev)?"
        case .cannotCreate(let reason): return "PROJ: cannot create the transformation \(reason)"
        case .transformFailed(let reason): return "PROJ: a position could not be projected to EPSG:25832 (\(reason))"
        }
    }
}
