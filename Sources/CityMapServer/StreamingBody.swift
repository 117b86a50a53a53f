import CityMap
import Foundation
import Hummingbird
import NIOCore

/// Hands an export's blocks from the thread that reads the database to the response body, with at most four
/// blocks (about 4 MiB) in flight: memory stays flat whatever the size, and a slow client slows the export down
/// instead of filling memory. When the client goes away, the export's next write throws and it stops.
final class ResponseStream: ByteOutput, @unchecked Sendable {
    let chunks: AsyncStream<ByteBuffer>
    private let continuation: AsyncStream<ByteBuffer>.Continuation
    private let slots = DispatchSemaphore(value: 4)
    private let lock = NSLock()
    private var cancelled = false
    private var failure: (any Error)?

    init() {
        (chunks, continuation) = AsyncStream<ByteBuffer>.makeStream()
    }

    /// Blocks go into an AsyncStream, from whichever thread.
    var writesFromAnyThread: Bool { true }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        slots.wait()
        lock.lock()
        let stop = cancelled
        lock.unlock()
        if stop { throw CancellationError() }
        continuation.yield(ByteBuffer(bytes: bytes))
    }

    /// The body wrote a block: room for the next.
    func consumed() { slots.signal() }

    /// The client is gone: every waiting and later write throws.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        for _ in 0..<8 { slots.signal() }
    }

    func finish(_ error: (any Error)?) {
        lock.lock()
        failure = error
        lock.unlock()
        continuation.finish()
    }

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }
}

/// A response whose body an export writes as it reads, on a thread of its own.
func streamingResponse(contentType: String, _ export: @escaping @Sendable (ByteSink) throws -> Void) -> Response {
    let body = ResponseBody { writer in
        let stream = ResponseStream()
        DispatchQueue.global().async {
            do {
                let sink = ByteSink(stream)
                try export(sink)
                try sink.flush()
                stream.finish(nil)
            } catch {
                stream.finish(error)
            }
        }
        do {
            for await chunk in stream.chunks {
                try await writer.write(chunk)
                stream.consumed()
            }
        } catch {
            stream.cancel()
            throw error
        }
        // A failure after the first bytes cannot become a problem response any more: the connection is closed
        // without the end of the body, so the client sees an incomplete download, never a complete-looking one.
        if let error = stream.error { throw error }
        try await writer.finish(nil)
    }
    return Response(status: .ok, headers: [.contentType: contentType], body: body)
}
