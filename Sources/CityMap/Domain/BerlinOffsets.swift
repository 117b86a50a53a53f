import Foundation

/// Europe/Berlin's UTC offset at any instant from 1970 to 2100, from the daylight-saving transitions in the system's
/// time-zone data, listed once and then looked up by binary search: thread-safe, without asking Foundation per
/// value. Timestamps are written on every row of every listing; `TimeZone.secondsFromGMT(for:)` per value was a
/// tenth of the time of an Open311 page (measured with perf).
enum BerlinOffsets {
    /// (first UTC second, offset in seconds) from each transition on, in order.
    private static let transitions: [(start: Int, offset: Int)] = {
        let zone = Timestamp.berlin
        var list = [(Int.min, zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)))]
        var cursor = Date(timeIntervalSince1970: 0)
        let end = Date(timeIntervalSince1970: 4_102_444_800) // 2100-01-01
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            list.append((Int(next.timeIntervalSince1970.rounded(.down)), zone.secondsFromGMT(for: next)))
            cursor = next
        }
        return list
    }()

    /// Valid beyond the list too: after 2100 the last offset stays.
    static func offset(at seconds: Int) -> Int {
        var low = 0, high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid].start <= seconds { low = mid } else { high = mid - 1 }
        }
        return transitions[low].offset
    }
}
