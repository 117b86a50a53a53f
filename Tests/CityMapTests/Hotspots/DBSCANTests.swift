import Testing
@testable import CityMap

@Suite("DBSCAN against scikit-learn")
struct DBSCANTests {
    /// 156 points: three blobs of 40, a small one of 6, and 30 scattered, from a linear congruential generator that
    /// the reference run reproduces exactly (Numerical Recipes constants, seed 12345).
    static func points() -> ContiguousArray<ProjectedPoint> {
        var state: UInt32 = 12345
        func next() -> Int { state = 1_664_525 &* state &+ 1_013_904_223; return Int(state) }
        var points = ContiguousArray<ProjectedPoint>()
        for (k, (cx, cy)) in [(0, 0), (80, 10), (40, 90), (200, 200)].enumerated() {
            for _ in 0..<(k < 3 ? 40 : 6) {
                let dx = Double(next() % 4001 - 2000) / 100.0, dy = Double(next() % 4001 - 2000) / 100.0
                points.append(ProjectedPoint(x: Double(344_000 + cx) + dx, y: Double(5_677_000 + cy) + dy))
            }
        }
        for _ in 0..<30 {
            let x = Double(next() % 30001) / 100.0 - 50, y = Double(next() % 30001) / 100.0 - 50
            points.append(ProjectedPoint(x: 344_000 + x, y: 5_677_000 + y))
        }
        return points
    }

    // scikit-learn 1.9.1: DBSCAN(eps=12.0, min_samples=5).fit(points); core partition ordered by size, then first index.
    static let sklearnCoreGroups: [[Int]] = [
        [41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,
         72, 74, 75, 76, 77, 78, 79, 128, 140],
        [80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 100, 101, 102, 103, 104, 106, 107, 108, 109,
         110, 111, 112, 113, 114, 115, 116, 117, 118, 119],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34, 36, 37, 38, 39],
        [15, 19, 20, 21, 35],
    ]
    static let sklearnNoise = [120, 121, 122, 123, 124, 125, 126, 127, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 141,
                               142, 143, 144, 145, 147, 149, 150, 151, 152, 153, 154, 155]
    static let sklearnBorder = [33, 40, 58, 73, 99, 105, 146, 148]

    @Test func corePartitionAndNoiseMatchScikitLearn() {
        let points = Self.points()
        #expect(points.count == 156)
        let result = DBSCAN.cluster(points, eps: Meters(12), minPoints: 5)
        var groups: [Int: [Int]] = [:]
        for (i, label) in result.labels.enumerated() where result.isCore[i] { groups[label, default: []].append(i) }
        let ours = groups.keys.sorted().map { groups[$0]! }
        #expect(ours == Self.sklearnCoreGroups)
        #expect(result.labels.indices.filter { result.labels[$0] == -1 } == Self.sklearnNoise)
        #expect(result.labels.indices.filter { result.labels[$0] >= 0 && !result.isCore[$0] } == Self.sklearnBorder)
        #expect(result.clusterCount == 4 && result.noiseCount == 32)
        // Border points join the cluster of their nearest core point, which lies within eps.
        for b in Self.sklearnBorder {
            let nearest = points.indices.filter { result.isCore[$0] }
                .min { points[$0].distance(to: points[b]) < points[$1].distance(to: points[b]) }!
            #expect(result.labels[b] == result.labels[nearest] && points[nearest].distance(to: points[b]).value <= 12)
        }
    }

    @Test func emptyInEmptyOut() {
        let result = DBSCAN.cluster([], eps: Meters(30), minPoints: 5)
        #expect(result.labels.isEmpty && result.clusterCount == 0)
    }

    @Test func identicalPointsAreOneClusterOrAllNoise() {
        let same = ContiguousArray(repeating: ProjectedPoint(x: 344_374.28, y: 5_677_484.77), count: 10)
        #expect(DBSCAN.cluster(same, eps: Meters(30), minPoints: 5).labels == Array(repeating: 0, count: 10))
        #expect(DBSCAN.cluster(same, eps: Meters(30), minPoints: 11).labels == Array(repeating: -1, count: 10))
    }

    @Test func twoGroupsExactlyEpsApartJoinAsScikitLearnDoes() {
        // scikit-learn counts a neighbour at distance == eps (radius query is ≤ eps).
        let a = ContiguousArray(repeating: ProjectedPoint(x: 344_000, y: 5_677_000), count: 5)
        let b = ContiguousArray(repeating: ProjectedPoint(x: 344_030, y: 5_677_000), count: 5)
        #expect(Set(DBSCAN.cluster(a + b, eps: Meters(30), minPoints: 5).labels) == [0])
        let c = ContiguousArray(repeating: ProjectedPoint(x: 344_030.001, y: 5_677_000), count: 5)
        #expect(DBSCAN.cluster(a + c, eps: Meters(30), minPoints: 5).labels == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    }

    @Test func aDenseCellNeedsNoDistanceTestsButAgreesWithThem() {
        // 60 points within one eps/√2 cell plus a chain that reaches out from it one eps at a time.
        var points = ContiguousArray<ProjectedPoint>()
        for i in 0..<60 { points.append(ProjectedPoint(x: 344_000 + Double(i % 6), y: 5_677_000 + Double(i / 6))) }
        for k in 1...3 { for _ in 0..<5 { points.append(ProjectedPoint(x: 344_000 + 5 + Double(k) * 20, y: 5_677_000)) } }
        let result = DBSCAN.cluster(points, eps: Meters(20), minPoints: 5)
        #expect(Set(result.labels) == [0])
        #expect(result.isCore.allSatisfy { $0 })
    }
}
