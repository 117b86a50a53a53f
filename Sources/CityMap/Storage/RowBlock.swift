import CSQLite

/// Rows copied out of a statement, so that another thread can read them while this one steps SQLite on: an export
/// formats on two threads what the connection's thread reads. Text and blobs go into one buffer the block owns,
/// numbers into the cells; `Row` reads them through plain pointers, without reference counting per value.
final class RowBlock: @unchecked Sendable {
    /// How a column is copied: what its reader asks of it.
    enum Kind { case integer, real, text, blob }

    struct Cell {
        /// Start in `bytes`, or -1 for NULL.
        var start: Int32
        var length: Int32
        /// The integer, or the bit pattern of the real.
        var number: Int64
    }

    let kinds: [Kind]
    /// Where the first row stands in the whole result: an export's first feature opens without a comma.
    private(set) var firstIndex: Int
    private(set) var count = 0
    private var cells: UnsafeMutablePointer<Cell>
    private var cellCapacity: Int
    private var bytes: UnsafeMutablePointer<UInt8>
    private var byteCount = 0, byteCapacity: Int

    init(kinds: [Kind], firstIndex: Int, rows: Int) {
        self.kinds = kinds
        self.firstIndex = firstIndex
        cellCapacity = max(1, rows * kinds.count)
        cells = .allocate(capacity: cellCapacity)
        byteCapacity = max(1024, rows * 256)
        bytes = .allocate(capacity: byteCapacity)
    }

    deinit {
        cells.deallocate()
        bytes.deallocate()
    }

    /// Empties the block for rows from `firstIndex` on, keeping its memory.
    func reset(firstIndex: Int) {
        self.firstIndex = firstIndex
        count = 0
        byteCount = 0
    }

    /// Copies the statement's current row.
    func append(_ statement: OpaquePointer) {
        if (count + 1) * kinds.count > cellCapacity {
            let grown = UnsafeMutablePointer<Cell>.allocate(capacity: cellCapacity * 2)
            grown.moveInitialize(from: cells, count: count * kinds.count)
            cells.deallocate()
            cells = grown
            cellCapacity *= 2
        }
        var cell = cells + count * kinds.count
        for (i, kind) in kinds.enumerated() {
            let column = Int32(i)
            switch kind {
            case .integer, .real:
                if sqlite3_column_type(statement, column) == SQLITE_NULL {
                    cell.initialize(to: Cell(start: -1, length: 0, number: 0))
                } else if kind == .integer {
                    cell.initialize(to: Cell(start: 0, length: 0, number: sqlite3_column_int64(statement, column)))
                } else {
                    cell.initialize(to: Cell(start: 0, length: 0, number: Int64(bitPattern: sqlite3_column_double(statement, column).bitPattern)))
                }
            case .text, .blob:
                // NULL gives no pointer (as does an empty blob, which holds no geometry either): no type asked.
                let pointer = kind == .text ? UnsafeRawPointer(sqlite3_column_text(statement, column)) : sqlite3_column_blob(statement, column)
                guard let pointer else {
                    cell.initialize(to: Cell(start: -1, length: 0, number: 0))
                    break
                }
                let length = Int(sqlite3_column_bytes(statement, column))
                reserve(length)
                (bytes + byteCount).initialize(from: pointer.assumingMemoryBound(to: UInt8.self), count: length)
                cell.initialize(to: Cell(start: Int32(byteCount), length: Int32(length), number: 0))
                byteCount += length
            }
            cell += 1
        }
        count += 1
    }

    /// Bytes of text and blobs copied so far.
    var textBytes: Int { byteCount }

    private func reserve(_ length: Int) {
        guard byteCount + length > byteCapacity else { return }
        var capacity = byteCapacity * 2
        while byteCount + length > capacity { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.initialize(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    /// The row at `index`; valid while the block lives and is not appended to.
    func row(_ index: Int) -> Row {
        Row(cells: UnsafePointer(cells + index * kinds.count), bytes: UnsafePointer(bytes))
    }

    struct Row {
        let cells: UnsafePointer<Cell>
        let bytes: UnsafePointer<UInt8>

        func isNull(_ column: Int32) -> Bool { cells[Int(column)].start < 0 }
        func int64(_ column: Int32) -> Int64 { cells[Int(column)].number }
        func double(_ column: Int32) -> Double { Double(bitPattern: UInt64(bitPattern: cells[Int(column)].number)) }

        func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
            let cell = cells[Int(column)]
            return cell.start < 0 ? nil : UnsafeBufferPointer(start: bytes + Int(cell.start), count: Int(cell.length))
        }

        func point(_ column: Int32) -> (x: Double, y: Double)? {
            text(column).flatMap { SpatiaLiteBlob.point(in: UnsafeRawBufferPointer($0)) }
        }
    }
}

extension RowBlock.Row: ExportRow {}
