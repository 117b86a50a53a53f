import Foundation

/// The reader for a file of reports in a known format: records one by one (streamed where the format allows),
/// and, from GPX, the walks. What the import and the fuzz targets both read through.
enum ReportFile {
    static func open(_ url: URL, format: ImportFormat, statuses: [String: ReportStatus], columns: ColumnMapping = ColumnMapping())
        throws(ImportError) -> (reader: any RecordReader, walks: [RawWalk]) {
        switch format {
        case .csv: return (try CSVReports(url: url, statuses: statuses, mapping: columns), [])
        case .geojson: return (try GeoJSONReports(url: url, sequence: false, statuses: statuses), [])
        case .geojsonseq: return (try GeoJSONReports(url: url, sequence: true, statuses: statuses), [])
        case .open311JSON: return (ListReader(try Open311Requests.readJSON(url)), [])
        case .open311XML: return (ListReader(try Open311Requests.readXML(url)), [])
        case .gpx:
            let gpx = try GPXFile(url: url)
            return (ListReader(gpx.reports), gpx.walks)
        }
    }
}
