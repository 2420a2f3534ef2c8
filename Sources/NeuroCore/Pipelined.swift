import Dispatch

/// Runs `produce(i + 1)` on a second thread while `consume(i, …)` runs on the caller's, for
/// `i` in `0..<count`, so reading and processing one item overlaps writing the previous one.
///
/// At most two produced items exist at once, so memory stays bounded. Items are consumed in order.
/// The first error (from either side) stops the work and is rethrown; a producer that is still
/// running is waited for before returning.
///
/// ```swift
/// try pipelined(count: recordings.count, produce: { try process($0) }, consume: { _, r in try write(r) })
/// ```
public func pipelined<T>(count: Int, produce: @escaping (Int) throws -> T, consume: (Int, T) throws -> Void) throws {
    guard count > 0 else { return }
    let box = ProducerBox(produce)
    let queue = DispatchQueue(label: "neurotool.pipelined")
    var pending = box.start(0, on: queue)
    for i in 0..<count {
        let item = try pending.wait()
        if i + 1 < count { pending = box.start(i + 1, on: queue) }
        do {
            try consume(i, item)
        } catch {
            if i + 1 < count { _ = try? pending.wait() }
            throw error
        }
    }
}

/// The producer and the hand-off of one item between threads.
private final class ProducerBox<T>: @unchecked Sendable {
    let produce: (Int) throws -> T
    init(_ produce: @escaping (Int) throws -> T) { self.produce = produce }

    final class Pending: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result<T, any Error>?
        func wait() throws -> T {
            done.wait()
            return try result!.get()
        }
    }

    func start(_ index: Int, on queue: DispatchQueue) -> Pending {
        let pending = Pending()
        queue.async {
            pending.result = Result { try self.produce(index) }
            pending.done.signal()
        }
        return pending
    }
}
