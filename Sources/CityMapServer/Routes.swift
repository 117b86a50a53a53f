import CityMap
import Foundation
import Hummingbird

/// Every route of the service, and the middleware around them: the request log, which also turns every error
/// into a problem, and the answers for methods a path does not take.
func buildRouter<Repository: ReportRepository>(repository: Repository, settings: ServiceSettings,
                                               log: @escaping @Sendable (String) -> Void) -> Router<ServerContext> {
    let router = Router(context: ServerContext.self)
    router.add(middleware: RequestLogMiddleware(log: log))
    StaffController(repository: repository).add(to: router)
    Open311Controller(repository: repository, settings: settings).add(to: router)
    PublicController(repository: repository, settings: settings).add(to: router)
    PagesController(settings: settings).add(to: router)
    router.get("api/openapi.json") { _, _ in
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            throw Problem(.internalServerError, "the OpenAPI document is missing from this build")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
    return router
}
