import Testing
@testable import CityMap

@Suite("Getis-Ord Gi* against PySAL esda")
struct GetisOrdTests {
    // 7 × 5 cells of 50 m, row-major from the south-west, a band of 120 m.
    static let counts: [Double] = [0, 3, 1, 4, 2, 0, 3, 2, 0, 3, 11, 4, 2, 0, 4, 2, 0, 13, 11, 4, 2, 1, 4, 2, 0, 3, 1, 4, 3, 1,
                                   4, 2, 0, 3, 1]
    // esda 2.9.0 / libpysal: G_Local(counts, DistanceBand(cell centres, threshold=120, binary=True), transform='B',
    // star=True).Zs
    static let esdaZ: [Double] = [
        -1.024111742990409, -0.16842616834195387, 0.8900024558390419, 1.9094598143455812, 2.36255197368182, 1.3642519635698258,
        -0.7634287538655774, -1.3474093467356303, 0.7899887543577743, 1.5956990651773701, 1.4861903058024526, 1.376681546427535,
        2.3383667128990115, 0.18526878517614945, -1.375458340842156, 0.28159395267836024, 1.6758192158024876, 1.4523766536954892,
        1.2289340915884908, 1.376681546427535, 0.09709117700062267, -0.9937143932175272, -0.20539707613302127, 1.376681546427535,
        1.8147165839272055, 1.7052078245522877, 0.7899887543577743, -0.05052785050258609, -0.24206277561591488,
        -0.9937143932175272, -0.2427279425015573, 0.7767294160049819, 1.2298215753412212, -0.05052785050258609,
        -0.6330872593031619,
    ]

    @Test func zScoresMatchEsdaWithin1e9() throws {
        let result = GetisOrdGiStar.compute(counts: Self.counts, columns: 7, rows: 5, cellSize: 50, band: 120, fdr: false)
        try #require(Self.esdaZ.count == 35 && result.z.count == Self.esdaZ.count)
        for (ours, theirs) in zip(result.z, Self.esdaZ) { #expect(abs(ours - theirs) < 1e-9) }
    }

    @Test func binsFollowArcGISConfidenceLevels() {
        let result = GetisOrdGiStar.compute(counts: Self.counts, columns: 7, rows: 5, cellSize: 50, band: 120, fdr: false)
        // z 2.3626 → p 0.0181 → 95 %; z 1.9095 → p 0.0562 → 90 %; z −1.3754 → p 0.169 → not significant.
        #expect(result.bins[4] == 2 && result.bins[3] == 1 && result.bins[14] == 0)
        #expect(abs(result.p[4] - 0.018146) < 1e-5)
    }

    @Test func benjaminiHochbergAdjustsAsStatsmodelsDoes() throws {
        // multipletests([0.01, 0.04, 0.03, 0.005], method='fdr_bh')[1] = [0.02, 0.04, 0.04, 0.02] (worked by hand).
        let adjusted = GetisOrdGiStar.benjaminiHochberg([0.01, 0.04, 0.03, 0.005])
        let expected = [0.02, 0.04, 0.04, 0.02]
        try #require(adjusted.count == expected.count)
        for (a, b) in zip(adjusted, expected) { #expect(abs(a - b) < 1e-12) }
    }
}
