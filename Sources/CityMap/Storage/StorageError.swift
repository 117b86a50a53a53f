/// Problems with the database file itself, described with the path and what to do.
public enum StorageError: CityMapError {
    case folderMissing(String)
    case databaseMissing(String)
    case notCityMap(String)
    /// The path names a device, a folder or a pipe: SQLite would put its journal beside it.
    case notRegularFile(String)
    case spatiaLite(String)
    case sqlite(path: String, message: String)
    case invalidArea(name: String, reason: String)
    case geoDataMissing(String)
    /// Another writer held the database longer than the wait allowed; nothing was written.
    case busy(path: String)
    /// A stored value that citymap does not know (a newer version wrote it, or the file was edited by hand).
    case unreadableValue(path: String, table: String, column: String, value: String)

    public var kind: ErrorKind {
        switch self {
        case .busy: return .busy
        case .invalidArea: return .invalid
        case .databaseMissing, .folderMissing, .notCityMap, .notRegularFile: return .invalid
        default: return .failed
        }
    }

    public var parameter: String? {
        switch self {
        case .folderMissing, .databaseMissing, .notCityMap, .notRegularFile: return "db"
        default: return nil
        }
    }

    public var value: String? {
        switch self {
        case .folderMissing(let p), .databaseMissing(let p), .notCityMap(let p), .notRegularFile(let p): return p
        default: return nil
        }
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .folderMissing(let folder):
            return "the folder \(folder) does not exist; create it first or choose another \(naming("db"))"
        case .databaseMissing(let path):
            return "there is no citymap database at \(path); create one with `citymap init` (or point \(naming("db")) at it)"
        case .notCityMap(let path):
            return "\(path) is an SQLite file but not a citymap database; choose another \(naming("db"))"
        case .notRegularFile(let path):
            return "\(path) is not a regular file (a device, folder or pipe?); choose a database file with \(naming("db"))"
        case .spatiaLite(let reason):
            return "SpatiaLite: \(reason); is libsqlite3-mod-spatialite / libspatialite installed?"
        case let .sqlite(path, message):
            return "database \(path): \(message)"
        case let .invalidArea(name, reason):
            return "the outline of '\(name)' is not a valid polygon: \(reason)"
        case .busy(let path):
            return "database \(path) is busy with another writer (an import?); nothing was written, and it is safe to try again"
        case let .unreadableValue(path, table, column, value):
            return "database \(path): \(table).\(column) holds '\(value)', which this version of citymap does not know; nothing was changed"
        case .geoDataMissing(let what):
            return "the shipped GeoData file \(what) was not found next to the program; rebuild with `swift build`"
        }
    }
}
