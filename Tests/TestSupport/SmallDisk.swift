import Foundation
import XCTest

/// A tmpfs of a few kilobytes mounted on a fresh temporary directory, to see what the
/// program does on a full disk. Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is
/// skipped with the reason.
public final class SmallDisk {
    public let directory: URL

    /// Mounts a tmpfs of `kilobytes` KiB; throws `XCTSkip` when the system does not allow it.
    public init(kilobytes: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-small-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=\(kilobytes)k") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: directory)
            throw XCTSkip("cannot mount a \(kilobytes) KiB tmpfs (\(reason)); the full-disk test needs root")
        }
    }

    /// Fills the disk until at most `leaving` bytes are free (a file named `filler`).
    public func fill(leaving: Int = 0) {
        let fd = open(directory.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x55, count: 1024)
        while freeBytes > leaving {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, max(1, freeBytes - leaving))) }
            if n <= 0 { break }
        }
    }

    /// Bytes still free on the disk.
    public var freeBytes: Int {
        var s = statvfs()
        guard statvfs(directory.path, &s) == 0 else { return 0 }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    /// Every file under the disk whose name ends in `.tmp`.
    public var temporaryFiles: [String] {
        let e = FileManager.default.enumerator(atPath: directory.path)
        return (e?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tmp") }
    }

    deinit {
        umount2(directory.path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(at: directory)
    }
}
