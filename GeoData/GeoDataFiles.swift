import Foundation

/// The files shipped in `GeoData/`, bundled with the library so that `citymap init` works from any folder.
public enum GeoDataFiles {
    /// Innenstadt West and Ost as MultiPolygons in EPSG:4326 (derived from OpenStreetMap, ODbL).
    public static var districts: URL? { Bundle.module.url(forResource: "districts", withExtension: "geojson") }
    /// The main squares of the city centre as small MultiPolygons in EPSG:4326.
    public static var squares: URL? { Bundle.module.url(forResource: "squares", withExtension: "geojson") }
    /// The Citymanagement's focus topics as categories and subcategories.
    public static var taxonomy: URL? { Bundle.module.url(forResource: "taxonomy", withExtension: "json") }
    /// The agencies that act on concerns and the default routing by category and district.
    public static var responsibilities: URL? { Bundle.module.url(forResource: "responsibilities", withExtension: "json") }
}

extension GeoDataFiles {
    /// A realistic sample Quartierrundgang (two teams, their GPX tracks and 26 spots as waypoints), used by `citymap demo`.
    public static var demoWalk: URL? { Bundle.module.url(forResource: "demo-walk", withExtension: "gpx") }
}
