/// Percentiles by linear interpolation between closest ranks: numpy's default (`numpy.percentile`,
/// method "linear", Hyndman & Fan type 7). Empty in, nil out.
enum Percentile {
    static func of(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        return of(sorted: values.sorted(), p)
    }

    /// The same over values already in ascending order: sort once, ask for several percentiles.
    static func of(sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = p / 100 * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down)), high = Int(rank.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}
