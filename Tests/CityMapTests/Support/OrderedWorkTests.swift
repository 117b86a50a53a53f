import Foundation
import Testing
@testable import CityMap

@Suite("Work spread over threads, results in order")
struct OrderedWorkTests {
    /// Workers that take different times for their items still hand the results on in the order produced, each
    /// worker with its own state; results are consumed on the calling thread (an output may be a database bound
    /// to it), and never more than `limit` items are between production and consumption.
    @Test func resultsComeInTheOrderTheItemsWereProduced() throws {
        let caller = pthread_self()
        var consumed: [Int] = []
        var elsewhere = 0, mostInFlight = 0
        var produced = 0
        let lock = NSLock()
        var states: [Int] = []
        try OrderedWork.run(states: [0, 0, 0], limit: 3, produce: { put in
            for item in 0..<500 {
                try put(item)
                produced += 1
                mostInFlight = max(mostInFlight, produced - consumed.count)
            }
        }, transform: { (count: inout Int, item: Int) -> Int in
            count += 1
            if item % 7 == 0 { usleep(200) } // some items take longer
            lock.lock(); states.append(count); lock.unlock()
            return item * 2
        }, consume: { result in
            if pthread_equal(pthread_self(), caller) == 0 { elsewhere += 1 }
            consumed.append(result)
        })
        #expect(produced == 500 && elsewhere == 0 && mostInFlight <= 3)
        try #require(consumed.count == 500)
        #expect(consumed == (0..<500).map { $0 * 2 })
        #expect(states.count == 500)
    }

    struct Stop: Error, Equatable { let at: Int }

    /// The first error stops the producer and the workers: `run` throws it, and nothing after the failed item is
    /// consumed.
    @Test func theFirstErrorStopsEverythingAndIsThrown() throws {
        var consumed: [Int] = []
        var produced = 0
        #expect(throws: Stop(at: 100)) {
            try OrderedWork.run(states: [(), ()], limit: 3, produce: { put in
                for item in 0..<100_000 {
                    try put(item)
                    produced += 1
                }
            }, transform: { (_: inout Void, item: Int) -> Int in
                if item == 100 { throw Stop(at: item) }
                return item
            }, consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<consumed.count) && consumed.count <= 100)
        #expect(produced < 100_000, "the producer stopped early")
    }

    /// An error of the producer (a failed read) reaches the caller too, after the workers have stopped.
    @Test func anErrorOfTheProducerIsThrown() throws {
        #expect(throws: Stop(at: 3)) {
            try OrderedWork.run(states: [()], limit: 1, produce: { put in
                for item in 0..<3 { try put(item) }
                throw Stop(at: 3)
            }, transform: { (_: inout Void, item: Int) in item }, consume: { _ in })
        }
    }
}
