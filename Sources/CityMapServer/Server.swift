import CityMap
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging

/// How `citymap serve` runs.
public struct ServerOptions: Sendable {
    public var database: String
    public var host = "127.0.0.1"
    /// 0 lets the system choose a free port (the tests do).
    public var port = 8080
    /// PEM files for HTTPS; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// A key citizens' apps may post Open311 requests with, besides any access token.
    public var citizenKey: String?
    /// The pages' tile layer: a URL template with {z}/{x}/{y} (and {s}), or nil for none (outlines only).
    public var tiles: String? = ServerOptions.openStreetMapTiles
    public var tilesAttribution = "© OpenStreetMap contributors"

    public static let openStreetMapTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

    public init(database: String) { self.database = database }
}

/// Problems with the server's own set-up, said before it starts.
public enum ServerError: CityMapError {
    case tlsNeedsBoth
    case tls(file: String, reason: String)

    public var kind: ErrorKind { .invalid }
    public var parameter: String? {
        switch self {
        case .tlsNeedsBoth: return "tls_cert"
        case .tls: return "tls_cert"
        }
    }
    public var value: String? {
        if case .tls(let file, _) = self { return file }
        return nil
    }

    public func message(naming: (String) -> String) -> String {
        switch self {
        case .tlsNeedsBoth: return "HTTPS needs both \(naming("tls_cert")) and \(naming("tls_key"))"
        case let .tls(file, reason): return "cannot use \(file) for HTTPS: \(reason)"
        }
    }
}

/// `citymap serve`: the HTTP adapter over the core, for field staff, the office and citizens.
public enum CityMapServer {
    /// Opens the database in shared (WAL) mode, serves until SIGINT or SIGTERM, lets requests in flight finish,
    /// and closes the file checkpointed, so that the `.sqlite` alone is complete again.
    /// `log` receives one line per request and the start and stop messages (stderr in the CLI).
    public static func run(_ options: ServerOptions, log: @escaping @Sendable (String) -> Void) async throws {
        if (options.tlsCertificate == nil) != (options.tlsKey == nil) { throw ServerError.tlsNeedsBoth }
        let store = try Store(path: options.database, access: .shared)
        let app = try buildApplication(options, repository: store, log: log)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            _ = try? store.close()
            throw error
        }
        let single = try store.close()
        log("citymap serve: stopped; \(options.database) is checkpointed" + (single ? " and complete on its own" : " (another program still has it open in WAL mode)"))
    }

    /// The application: router, server (HTTP or HTTPS) and the line that says where it listens.
    static func buildApplication<Repository: ReportRepository>(_ options: ServerOptions, repository: Repository,
                                                                log: @escaping @Sendable (String) -> Void) throws -> some ApplicationProtocol {
        let scheme = options.tlsCertificate == nil ? "http" : "https"
        let settings = ServiceSettings(citizenKey: options.citizenKey, scheme: scheme,
                                       tiles: options.tiles.map { ($0, options.tilesAttribution) })
        let router = buildRouter(repository: repository, settings: settings, log: log)
        var logger = Logger(label: "citymap")
        logger.logLevel = .error
        return Application(
            router: router,
            server: try serverBuilder(options),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "citymap"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                log("citymap serve: listening on \(scheme)://\(options.host):\(port) (database \(options.database), WAL while serving)")
            },
            logger: logger)
    }

    private static func serverBuilder(_ options: ServerOptions) throws -> HTTPServerBuilder {
        guard let certificate = options.tlsCertificate, let key = options.tlsKey else { return .http1() }
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw ServerError.tls(file: certificate, reason: "not a PEM certificate (\(error))")
        }
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw ServerError.tls(file: key, reason: "not a PEM private key (\(error))")
        }
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        return try .tls(.http1(), tlsConfiguration: tls)
    }
}

/// Settings every controller may need.
struct ServiceSettings: Sendable {
    var citizenKey: String?
    /// http or https, for the URLs the service names (Open311 discovery).
    var scheme = "http"
    var tiles: (url: String, attribution: String)?
}

/// Runs blocking work (SQLite, PROJ) on a dispatch thread, off Swift's cooperative pool and NIO's event loops.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
