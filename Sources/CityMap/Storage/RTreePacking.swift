import Foundation
import GRDB

/// Builds an SQLite R*Tree index (SpatiaLite's `idx_<table>_<column>`) in one pass by Sort-Tile-Recursive
/// packing (S. T. Leutenegger, M. A. Lopez, J. Edgington, "STR: A Simple and Efficient Algorithm for R-Tree
/// Packing", ICDE 1997), writing the R*Tree's three shadow tables directly.
///
/// Inserting N points one by one into SQLite's R*Tree costs about 16 s per million here (each insert chooses a
/// leaf, splits and reinserts); packing sorts once (O(N log N)) and writes every node once, full. The result is
/// an ordinary SQLite R*Tree: later inserts, deletes and queries work on it as usual, and SQLite's own
/// `rtreecheck()` accepts it (tested).
///
/// Shadow-table layout (SQLite `ext/rtree/rtree.c`): `%_node(nodeno, data)` holds nodes of a fixed size (the
/// root, node 1, tells it); a node is a 2-byte depth (root only), a 2-byte cell count, then cells of an 8-byte
/// id (a rowid in leaves, a child node number above) and float32 bounds `xmin, xmax, ymin, ymax`, all big-endian.
/// `%_parent` maps each non-root node to its parent, `%_rowid` each rowid to its leaf.
enum RTreePacking {
    struct Entry {
        var id: Int64
        var minX: Float
        var maxX: Float
        var minY: Float
        var maxY: Float

        /// A point, its float32 bounds rounded outwards as SQLite's R*Tree does, so the box always contains it.
        init(id: Int64, x: Double, y: Double) {
            self.id = id
            minX = Self.down(x); maxX = Self.up(x); minY = Self.down(y); maxY = Self.up(y)
        }

        init(id: Int64, minX: Float, maxX: Float, minY: Float, maxY: Float) {
            self.id = id; self.minX = minX; self.maxX = maxX; self.minY = minY; self.maxY = maxY
        }

        static func down(_ d: Double) -> Float { let f = Float(d); return Double(f) > d ? f.nextDown : f }
        static func up(_ d: Double) -> Float { let f = Float(d); return Double(f) < d ? f.nextUp : f }

        var centerX: Float { (minX + maxX) / 2 }
        var centerY: Float { (minY + maxY) / 2 }
    }

    /// One level of the tree: its entries in node order and where each node starts; node `i` holds
    /// `entries[starts[i] ..< starts[i + 1]]` (the last one up to the end).
    struct Level {
        var entries: [Entry]
        var starts: [Int]

        func node(_ i: Int) -> Range<Int> { starts[i]..<(i + 1 < starts.count ? starts[i + 1] : entries.count) }
    }

    /// Replaces the whole content of the R*Tree `name` with `entries`, which it takes: they are sorted in place into
    /// the leaves and the array is left empty. It holds the entries, 24 bytes each, and at the end 16 bytes per entry
    /// for the leaf of each rowid; nested arrays and a sorted copy had held the points three times over (an import of
    /// 1,000,000 reports peaked 10 MB higher with them, 10,000,000 87 MB).
    static func rebuild(_ db: Database, name: String, entries: inout [Entry]) throws {
        let quoted = name.replacingOccurrences(of: "\"", with: "\"\"")
        guard let nodeSize = try Int.fetchOne(db, sql: "SELECT length(data) FROM \"\(quoted)_node\" WHERE nodeno = 1"),
              nodeSize > 4 + 24 else {
            throw StorageError.spatiaLite("the spatial index \(name) has no root node")
        }
        let capacity = (nodeSize - 4) / 24

        // Build levels bottom-up until one node, the root, remains. A parent entry's id is, for now, the index
        // of its child on the level below; real node numbers are given top-down next. The leaves are `entries`
        // itself, moved in and out so that it is sorted without a copy.
        let leafStarts = pack(&entries, capacity: capacity)
        var levels = [Level(entries: [], starts: leafStarts)]
        swap(&levels[0].entries, &entries)
        while let top = levels.last, top.starts.count > 1 {
            var parents = top.starts.indices.map { bounds(of: top.entries[top.node($0)], id: Int64($0)) }
            let starts = pack(&parents, capacity: capacity)
            levels.append(Level(entries: parents, starts: starts))
        }

        // Number nodes top-down: the root is 1, then level by level.
        var numbers: [[Int64]] = Array(repeating: [], count: levels.count)
        var next: Int64 = 1
        for level in stride(from: levels.count - 1, through: 0, by: -1) {
            numbers[level] = levels[level].starts.indices.map { _ in defer { next += 1 }; return next }
        }

        try db.execute(sql: "DELETE FROM \"\(quoted)_node\"; DELETE FROM \"\(quoted)_parent\"; DELETE FROM \"\(quoted)_rowid\"")
        let insertNode = try RawStatement(db, sql: "INSERT INTO \"\(quoted)_node\" (nodeno, data) VALUES (?, ?)")
        let insertParent = try RawStatement(db, sql: "INSERT INTO \"\(quoted)_parent\" (nodeno, parentnode) VALUES (?, ?)")
        let insertRowid = try RawStatement(db, sql: "INSERT INTO \"\(quoted)_rowid\" (rowid, nodeno) VALUES (?, ?)")
        let depth = levels.count - 1
        var blob = [UInt8](repeating: 0, count: nodeSize)
        for level in stride(from: levels.count - 1, through: 0, by: -1) {
            let cells = levels[level]
            for i in cells.starts.indices {
                let nodeNumber = numbers[level][i]
                let node = cells.node(i)
                for k in blob.indices { blob[k] = 0 }
                if nodeNumber == 1 { putUInt16(&blob, at: 0, UInt16(depth)) }
                putUInt16(&blob, at: 2, UInt16(node.count))
                for (c, entry) in cells.entries[node].enumerated() {
                    let offset = 4 + c * 24
                    // In a leaf the id is the rowid; above, the placeholder index of the child on the level below.
                    let id = level == 0 ? entry.id : numbers[level - 1][Int(entry.id)]
                    putUInt64(&blob, at: offset, UInt64(bitPattern: id))
                    putUInt32(&blob, at: offset + 8, entry.minX.bitPattern)
                    putUInt32(&blob, at: offset + 12, entry.maxX.bitPattern)
                    putUInt32(&blob, at: offset + 16, entry.minY.bitPattern)
                    putUInt32(&blob, at: offset + 20, entry.maxY.bitPattern)
                    if level > 0 {
                        insertParent.bind(1, id); insertParent.bind(2, nodeNumber)
                        try insertParent.run()
                    }
                }
                insertNode.bind(1, nodeNumber)
                insertNode.bind(2, blob)
                try insertNode.run()
            }
        }
        // Leaf membership, in rowid order so that the rowid table is appended to; the leaves are let go before the sort.
        var membership: [(Int64, Int64)] = []
        membership.reserveCapacity(levels[0].entries.count)
        for i in levels[0].starts.indices {
            for entry in levels[0].entries[levels[0].node(i)] { membership.append((entry.id, numbers[0][i])) }
        }
        levels = []
        membership.sort { $0.0 < $1.0 }
        for (rowid, leaf) in membership {
            insertRowid.bind(1, rowid); insertRowid.bind(2, leaf)
            try insertRowid.run()
        }
    }

    /// One level of STR, in place: `entries` sorted by x into vertical slices, each slice by y, then cut into full
    /// nodes; returns where each node starts. Ties go by id, so the order is the same whatever the sort.
    static func pack(_ entries: inout [Entry], capacity: Int) -> [Int] {
        guard entries.count > capacity else { return [0] }
        let leaves = (entries.count + capacity - 1) / capacity
        let slices = Int(Double(leaves).squareRoot().rounded(.up))
        let perSlice = slices * capacity
        entries.withUnsafeMutableBufferPointer { (all: inout UnsafeMutableBufferPointer<Entry>) in
            all.sort(by: westward)
            var start = 0
            while start < all.count {
                var slice = UnsafeMutableBufferPointer(rebasing: all[start..<min(start + perSlice, all.count)])
                slice.sort(by: southward)
                start += perSlice
            }
        }
        var starts: [Int] = []
        starts.reserveCapacity(leaves + slices)
        var start = 0
        while start < entries.count {
            starts.append(contentsOf: stride(from: start, to: min(start + perSlice, entries.count), by: capacity))
            start += perSlice
        }
        return starts
    }

    /// West to east by centre, then by id.
    static func westward(_ a: Entry, _ b: Entry) -> Bool { a.centerX < b.centerX || (a.centerX == b.centerX && a.id < b.id) }

    /// South to north by centre, then by id.
    static func southward(_ a: Entry, _ b: Entry) -> Bool { a.centerY < b.centerY || (a.centerY == b.centerY && a.id < b.id) }

    static func bounds(of node: ArraySlice<Entry>, id: Int64) -> Entry {
        var e = node[node.startIndex]
        for other in node.dropFirst() {
            e.minX = min(e.minX, other.minX); e.maxX = max(e.maxX, other.maxX)
            e.minY = min(e.minY, other.minY); e.maxY = max(e.maxY, other.maxY)
        }
        return Entry(id: id, minX: e.minX, maxX: e.maxX, minY: e.minY, maxY: e.maxY)
    }

    private static func putUInt16(_ b: inout [UInt8], at i: Int, _ v: UInt16) {
        b[i] = UInt8(v >> 8); b[i + 1] = UInt8(v & 0xFF)
    }

    private static func putUInt32(_ b: inout [UInt8], at i: Int, _ v: UInt32) {
        for k in 0..<4 { b[i + k] = UInt8((v >> (24 - 8 * k)) & 0xFF) }
    }

    private static func putUInt64(_ b: inout [UInt8], at i: Int, _ v: UInt64) {
        for k in 0..<8 { b[i + k] = UInt8((v >> (56 - 8 * k)) & 0xFF) }
    }
}
