import Foundation

/// What the byte writers of `JSONBytes` append to: an array of bytes, or a `ByteBuffer`'s writer.
public protocol ByteAppending {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteAppending where Element == UInt8 {}

/// Bytes appended through a pointer, for the export of reports, which appends millions of short pieces (keys,
/// values, digits: about 35 a report): each append is a capacity check and a copy. Array's generic
/// `append(contentsOf:)` spent about 70 instructions a call on its bookkeeping (callgrind, an export of 100,000
/// reports). The buffer owns the memory; appends go through its `Writer`, a plain value, so that they involve no
/// reference counting. Handed from thread to thread by `OrderedWork`, never used by two at once.
final class ByteBuffer: @unchecked Sendable {
    private var storage: Writer

    init(capacity: Int = 1 << 16) {
        let capacity = Swift.max(capacity, 16)
        storage = Writer(start: .allocate(capacity: capacity), capacity: capacity)
    }

    deinit { storage.start.deallocate() }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.start, count: storage.count) }

    var count: Int { storage.count }

    /// Empties the buffer and makes room for `bytes` at least, keeping what it has.
    func reset(reserving bytes: Int) {
        storage.count = 0
        if bytes > storage.capacity { storage.grow(to: bytes) }
    }

    /// Appends through `body`.
    func write<T>(_ body: (inout Writer) throws -> T) rethrows -> T {
        try body(&storage)
    }

    /// The writing end: the buffer's pointer, room and count. It may move the bytes to a larger block as it grows.
    struct Writer: ByteAppending {
        fileprivate var start: UnsafeMutablePointer<UInt8>
        fileprivate var capacity: Int
        fileprivate(set) var count = 0

        fileprivate init(start: UnsafeMutablePointer<UInt8>, capacity: Int) {
            self.start = start
            self.capacity = capacity
        }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            if count == capacity { grow(to: count + 1) }
            start[count] = byte
            count += 1
        }

        @inline(__always)
        mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
            let n = bytes.count
            guard n > 0 else { return }
            if capacity - count < n { grow(to: count + n) }
            (start + count).update(from: bytes.baseAddress!, count: n)
            count += n
        }

        /// A literal's bytes.
        @inline(__always)
        mutating func append(_ text: StaticString) {
            append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// At least `needed` bytes of room, doubling, with what was written kept.
        fileprivate mutating func grow(to needed: Int) {
            let larger = Swift.max(needed, capacity * 2)
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            moved.update(from: start, count: count)
            start.deallocate()
            start = moved
            capacity = larger
        }
    }
}
