/// Problems with the database file itself, described with the path and what to do.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    case folderMissing(String)
    case databaseMissing(String)
    case notCityMap(String)
    case spatiaLite(String)
    case sqlite(path: String, message: String)
    case invalidArea(name: String, reason: String)
    case geoDataMissing(String)

    public var description: String {
        switch self {
        case .folderMissing(let folder):
            return "the folder \(folder) does not exist; create it first or choose another --db"
        case .databaseMissing(let path):
            return "there is no citymap database at \(path); create one with `citymap init` (or point --db / CITYMAP_DB at it)"
        case .notCityMap(let path):
            return "\(path) is an SQLite file but not a citymap database; choose another --db"
        case .spatiaLite(let reason):
            return "SpatiaLite: \(reason); is libsqlite3-mod-spatialite / libspatialite installed?"
        case let .sqlite(path, message):
            return "database \(path): \(message)"
        case let .invalidArea(name, reason):
            return "the outline of '\(name)' is not a valid polygon: \(reason)"
        case .geoDataMissing(let what):
            return "the shipped GeoData file \(what) was not found next to the program; rebuild with `swift build`"
        }
    }
}
