import Foundation

/// What an adapter (the CLI, the server) asks of the storage: the one seam where a second backend, such as
/// PostGIS for a state-wide programme, would plug in. `Store` (SpatiaLite) is the implementation today.
///
/// Every method is synchronous and may block on the database; adapters that must not block (the server) call it
/// off their event loops.
public protocol ReportRepository: AnyObject, Sendable {
    // Reference data
    func taxonomy() throws -> Taxonomy
    func areas(kind: AreaKind?) throws -> [Area]
    func exportAreas(_ options: ExportOptions, to sink: ByteSink) throws -> Int

    // Access
    func identity(forToken secret: String) throws -> Identity?
    func tokens() throws -> [AccessToken]
    func addToken(name: String, role: AccessRole, now: Date) throws -> String
    func revokeToken(name: String, now: Date) throws

    // Reports and their lifecycle
    func log(_ new: NewReport, actor: String?, now: Date) throws -> LoggedReport
    /// `log` for a caller among many at once: the report shares a transaction with the others that arrive meanwhile
    /// (group commit), and the answer comes once it is committed. The token is checked in the same transaction; its
    /// holder is the actor, and the reporter where the report names none.
    func submit(_ new: NewReport, token: String, needs role: AccessRole) async throws -> LoggedReport
    func detail(id: Int64) throws -> ReportDetail
    func reports(matching filter: ReportFilter) throws -> [Report]
    func count(matching filter: ReportFilter) throws -> Int
    func check(_ filter: ReportFilter) throws
    func changeStatus(of id: Int64, to target: ReportStatus, note: String?, actor: String?, duplicateOf original: Int64?,
                      isPublic: Bool, at: Date?, now: Date) throws -> Report
    func addNote(to id: Int64, text: String, actor: String?, isPublic: Bool, at: Date?, now: Date) throws -> ReportEvent
    func exportReports(_ options: ExportOptions, to sink: ByteSink) throws -> Int
    func place(_ position: Coordinate) throws -> Placement
    func attachPhoto(to id: Int64, bytes: [UInt8], actor: String?, now: Date) throws -> String
    func photo(named name: String) throws -> (format: ImageMetadata.Format, bytes: [UInt8])?

    // Walks
    func addWalk(name: String, team: String?, line: [Coordinate], times: [Date], source: String) throws -> Int64
    func importGPX(_ data: Data, name: String, options: ImportOptions) throws -> ImportSummary
    func walk(id: Int64) throws -> Walk

    // Views
    func summary(_ request: SummaryRequest) throws -> SummaryReport
    func overdue(_ thresholds: OverdueThresholds, now: Date, limit: Int?, offset: Int) throws -> OverdueList
    func hotspotClusters(matching filter: ReportFilter, eps: Meters, minPoints: Int) throws -> HotspotClustering
    func hotspotGrid(matching filter: ReportFilter, cell: Meters, band: Meters, fdr: Bool) throws -> GiStarGrid
    func hotspotDensity(matching filter: ReportFilter, radius: Meters, pixel: Meters, kernel: KernelDensity.Kernel,
                        topPercent: Double) throws -> DensityResult?

    // The public view
    func publicReports(_ query: PublicQuery) throws -> [PublicReport]
    func publicReport(id: Int64) throws -> PublicReportDetail?
    func reportID(clientID: String) throws -> Int64?
}

extension Store: ReportRepository {
    public func submit(_ new: NewReport, token: String, needs role: AccessRole) async throws -> LoggedReport {
        try await intake.log(new, token: token, role: role)
    }

    /// Checks a filter's names (districts, categories) without running it, so that an adapter can refuse a bad
    /// filter before it starts streaming.
    public func check(_ filter: ReportFilter) throws {
        try read { db in _ = try ReportQuery(filter, db: db, taxonomy: cachedTaxonomy(db), projector: projector) }
    }
}
