import Foundation

/// The reader for a file of reports in a known format: records one by one (streamed where the format allows),
/// and, from GPX, the walks. What the import and the fuzz targets both read through.
enum ReportFile {
    /// `zone`: what times without an offset mean (default Europe/Berlin; Open311 requires offsets, so there only a
    /// zone given explicitly lets times without one through).
    static func open(_ url: URL, format: ImportFormat, statuses: [String: ReportStatus], columns: ColumnMapping = ColumnMapping(),
                     zone: TimeZone? = nil) throws(ImportError) -> (reader: any RecordReader, walks: [RawWalk]) {
        let local = zone ?? Timestamp.berlin
        switch format {
        case .csv: return (try CSVReports(url: url, statuses: statuses, mapping: columns, zone: local), [])
        case .geojson: return (try GeoJSONReports(url: url, sequence: false, statuses: statuses, zone: local), [])
        case .geojsonseq: return (try GeoJSONReports(url: url, sequence: true, statuses: statuses, zone: local), [])
        case .open311JSON: return (ListReader(try Open311Requests.readJSON(url, statuses: statuses, zone: zone)), [])
        case .open311XML: return (ListReader(try Open311Requests.readXML(url, statuses: statuses, zone: zone)), [])
        case .gpkg:
            // GeoPackage is SQLite, read by Storage's GeoPackageReports, which the import opens itself.
            throw ImportError(file: url.path, message: "is a GeoPackage, which `citymap import` reads through the store")
        case .gpx:
            let gpx = try GPXFile(url: url)
            return (ListReader(gpx.reports), gpx.walks)
        }
    }
}
