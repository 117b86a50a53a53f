import Foundation

/// `citymap overdue` as it streams: each concern is written when it arrives, so memory stays flat however many are
/// overdue. CSV and JSON row by row; a table is aligned on its first 1,000 rows (a longer value pushes its line right).
public final class OverdueListing {
    public enum Format: Sendable { case table, csv, json }

    private let sink: ByteSink
    private let format: Format
    private var buffered = SummaryReport.overdueTable([])
    private var widths: [Int]?
    private var written = 0
    private let encoder = JSONEncoder()
    static let alignedRows = 1_000

    public init(sink: ByteSink, format: Format) {
        self.sink = sink
        self.format = format
        encoder.outputFormatting = [.sortedKeys]
    }

    /// Starts the output; JSON gives the total before the list, as `{"total": N, "oldest": [...]}`.
    public func start(total: Int) throws {
        switch format {
        case .json: try sink.write("{\"total\":\(total),\"oldest\":[")
        case .csv: try sink.write(buffered.columns.map(CSVField.escape).joined(separator: ",") + "\r\n")
        case .table: break
        }
    }

    public func add(_ report: OverdueReport) throws {
        defer { written += 1 }
        switch format {
        case .json:
            try sink.write((written == 0 ? "" : ",") + String(decoding: try encoder.encode(report), as: UTF8.self))
        case .csv:
            let row = SummaryReport.overdueTable([report]).rows[0]
            try sink.write(row.map { CSVField.escape($0.plain) }.joined(separator: ",") + "\r\n")
        case .table:
            let row = SummaryReport.overdueTable([report]).rows[0]
            if let widths {
                try sink.write(TableWriter.line(row.map { TableWriter.oneLine($0.plain) }, widths: widths) + "\n")
            } else {
                buffered.rows.append(row)
                if buffered.rows.count == Self.alignedRows { try flushBuffered() }
            }
        }
    }

    private func flushBuffered() throws {
        widths = buffered.widths
        try sink.write(buffered.table())
        buffered.rows = []
    }

    /// Ends the output; a table closes with "N overdue" or "shown of total".
    public func finish(total: Int, offset: Int) throws {
        switch format {
        case .json: try sink.write("]}\n")
        case .csv: break
        case .table:
            if widths == nil { try sink.write(buffered.table()) }
            try sink.write(written == total ? "\(total) overdue\n" : "\(written) of \(total) overdue (from #\(offset + 1), oldest first)\n")
        }
        try sink.flush()
    }
}

extension AgencyOverdue {
    /// Counts overdue concerns per agency as they stream (`citymap overdue --by agency`).
    public struct Tally: Sendable {
        private var groups: [String: (overdue: Int, pastDue: Int, oldest: Int)] = [:]
        private let now: Date

        public init(now: Date) { self.now = now }

        public mutating func add(_ report: OverdueReport) {
            var g = groups[report.agency ?? "no agency", default: (0, 0, 0)]
            g.overdue += 1
            if (report.dueAt ?? .distantFuture) < now { g.pastDue += 1 }
            g.oldest = max(g.oldest, report.ageDays)
            groups[report.agency ?? "no agency"] = g
        }

        /// Most overdue first.
        public var result: [AgencyOverdue] {
            groups.map { AgencyOverdue(agency: $0.key, overdue: $0.value.overdue, pastDue: $0.value.pastDue, oldestDays: $0.value.oldest) }
                .sorted { ($0.overdue, $1.agency) > ($1.overdue, $0.agency) }
        }
    }

    /// Groups overdue concerns by agency, most overdue first ("no agency" for categories the routing leaves out).
    public static func grouped(_ reports: [OverdueReport], now: Date) -> [AgencyOverdue] {
        var tally = Tally(now: now)
        reports.forEach { tally.add($0) }
        return tally.result
    }
}
