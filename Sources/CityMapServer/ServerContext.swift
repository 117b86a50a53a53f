import CityMap
import Hummingbird

/// The request context of citymap's routes: Hummingbird's core, plus who is asking.
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The holder of the bearer token, once `AccessGuard` checked it.
    var identity: Identity?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by the routes themselves, each with its own limit (1 MB, 10 MB for walks).
    var maxUploadSize: Int { Limits.body }
}

/// How much the service reads at once.
enum Limits {
    /// Every request body except walks.
    static let body = 1 << 20
    /// GPX and GeoJSON walks.
    static let walk = 10 << 20
    /// A photo of a report (the field page sends about 300 KB).
    static let photo = 5 << 20
    /// Reports per page of `GET /api/reports`.
    static let page = 1000
}
