/// Outlines of sets of grid cells merged where they share an edge (4-connectivity), as polygons with holes.
///
/// Each selected cell contributes its four edges counter-clockwise; edges shared by two selected cells cancel,
/// and the rest chain into rings: exterior rings come out counter-clockwise and holes clockwise, as RFC 7946
/// wants. At a vertex where two rings touch diagonally the chain turns left first, which keeps diagonal
/// neighbours apart. O(cells).
enum CellOutlines {
    struct Vertex: Hashable { let c: Int; let r: Int }

    /// Polygons (exterior ring first, then holes) in grid vertex coordinates, each ring closed.
    static func polygons(selected: Set<Vertex>) -> [[[Vertex]]] {
        // Directed boundary edges: from → to, counter-clockwise around each cell.
        var outgoing: [Vertex: [Vertex]] = [:]
        func add(_ a: Vertex, _ b: Vertex) { outgoing[a, default: []].append(b) }
        for cell in selected {
            let (c, r) = (cell.c, cell.r)
            if !selected.contains(Vertex(c: c, r: r - 1)) { add(Vertex(c: c, r: r), Vertex(c: c + 1, r: r)) }         // south
            if !selected.contains(Vertex(c: c + 1, r: r)) { add(Vertex(c: c + 1, r: r), Vertex(c: c + 1, r: r + 1)) } // east
            if !selected.contains(Vertex(c: c, r: r + 1)) { add(Vertex(c: c + 1, r: r + 1), Vertex(c: c, r: r + 1)) } // north
            if !selected.contains(Vertex(c: c - 1, r: r)) { add(Vertex(c: c, r: r + 1), Vertex(c: c, r: r)) }         // west
        }
        var rings: [[Vertex]] = []
        let starts = outgoing.keys.sorted { $0.r != $1.r ? $0.r < $1.r : $0.c < $1.c }
        for start in starts {
            while let first = outgoing[start]?.first {
                var ring = [start]
                var previous = start, current = first
                remove(&outgoing, start, first)
                while current != start {
                    ring.append(current)
                    guard let options = outgoing[current], !options.isEmpty else { break }
                    let next = options.count == 1 ? options[0] : leftmost(from: previous, at: current, options)
                    remove(&outgoing, current, next)
                    previous = current
                    current = next
                }
                ring.append(start)
                rings.append(simplified(ring))
            }
        }
        // Exterior rings have positive area; each hole goes to the smallest exterior ring that contains it.
        let exteriors = rings.filter { area($0) > 0 }, holes = rings.filter { area($0) < 0 }
        var polygons = exteriors.map { [$0] }
        for hole in holes {
            let probe = hole[0]
            if let k = exteriors.indices.filter({ contains(exteriors[$0], probe, strict: hole) })
                .min(by: { area(exteriors[$0]) < area(exteriors[$1]) }) {
                polygons[k].append(hole)
            }
        }
        return polygons
    }

    private static func remove(_ edges: inout [Vertex: [Vertex]], _ a: Vertex, _ b: Vertex) {
        edges[a]?.removeAll { $0 == b }
        if edges[a]?.isEmpty == true { edges[a] = nil }
    }

    /// Of several ways on, the one turning most to the left of the way we came.
    private static func leftmost(from previous: Vertex, at current: Vertex, _ options: [Vertex]) -> Vertex {
        let dx = current.c - previous.c, dy = current.r - previous.r
        func turn(_ v: Vertex) -> Int {
            let ex = v.c - current.c, ey = v.r - current.r
            let cross = dx * ey - dy * ex, dot = dx * ex + dy * ey
            return cross > 0 ? 0 : dot > 0 ? 1 : 2 // left, straight, right
        }
        return options.min { turn($0) < turn($1) }!
    }

    /// Drops vertices in the middle of straight runs.
    private static func simplified(_ ring: [Vertex]) -> [Vertex] {
        var out: [Vertex] = []
        let open = Array(ring.dropLast())
        for (i, v) in open.enumerated() {
            let a = open[(i + open.count - 1) % open.count], b = open[(i + 1) % open.count]
            if (v.c - a.c) * (b.r - v.r) - (v.r - a.r) * (b.c - v.c) != 0 { out.append(v) }
        }
        return out + [out[0]]
    }

    static func area(_ ring: [Vertex]) -> Int {
        var s = 0
        for i in 0..<(ring.count - 1) { s += ring[i].c * ring[i + 1].r - ring[i + 1].c * ring[i].r }
        return s
    }

    /// Whether the exterior ring encloses the hole (tested at the hole's first vertex nudged inside the hole).
    private static func contains(_ ring: [Vertex], _ p: Vertex, strict hole: [Vertex]) -> Bool {
        // A point just inside the hole: its first vertex moved by a quarter cell towards the hole's interior.
        let next = hole[1]
        let dx = Double(next.c - p.c), dy = Double(next.r - p.r)
        let x = Double(p.c) + dx * 0.25 + dy * 0.25, y = Double(p.r) + dy * 0.25 - dx * 0.25
        var inside = false
        var j = ring.count - 2
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[j]
            if (Double(a.r) > y) != (Double(b.r) > y),
               x < Double(b.c - a.c) * (y - Double(a.r)) / Double(b.r - a.r) + Double(a.c) {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
