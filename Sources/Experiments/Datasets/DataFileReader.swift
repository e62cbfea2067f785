import CZlib
import FileAccess
import Foundation

/// Reads a whole data file into memory, decompressing gzip transparently (detected by its
/// magic bytes 1f 8b, whatever the extension) through zlib.
///
/// The file may come from a notebook someone else wrote, so the reader trusts nothing
/// about it: only regular files are opened (a FIFO would block forever, `/dev/zero` never
/// ends), the opened descriptor is checked rather than the path (the file can be swapped
/// between validation and reading), and the raw and decompressed sizes are capped by
/// `ReadLimits` before any buffer of that size exists.
public enum DataFileReader {
    /// The file's contents (decompressed when gzip). Throws `DataFileError` with reason
    /// `.missingFile`, `.unreadable`, `.notRegularFile`, `.outsideAllowedDirectories`,
    /// `.tooLarge` or `.corruptCompression` (naming the decompressed byte offset where the
    /// stream broke). Memory never exceeds `limits.decompressedBytes` + 1 MiB. O(file size).
    public static func contents(of url: URL, limits: ReadLimits = .standard) throws -> [UInt8] {
        var bytes = [UInt8]()
        _ = try stream(url, limits: limits, reserving: { bytes.reserveCapacity(min($0, limits.decompressedBytes)) }) { chunk in
            bytes.append(contentsOf: chunk)
            return true
        }
        return bytes
    }

    /// Hands the file's contents (decompressed when gzip) to `body` in chunks of at most
    /// 1 MiB, in order, until the end or until `body` returns false; memory stays at one
    /// chunk whatever the file's size. The same checks and errors as `contents`: a regular
    /// file inside the allowed directories, at most `limits.fileBytes` on disk and
    /// `limits.decompressedBytes` decompressed. Returns the bytes handed over and whether
    /// they are all of the contents (false when `body` stopped early).
    @discardableResult
    public static func stream(_ url: URL, limits: ReadLimits = .standard,
                              _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> (bytes: Int, complete: Bool) {
        try stream(url, limits: limits, reserving: { _ in }, body)
    }

    private static func stream(_ url: URL, limits: ReadLimits, reserving: (Int) -> Void,
                               _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> (bytes: Int, complete: Bool) {
        let path = url.path
        let descriptor: Int32
        let status: stat
        switch RegularFile.open(path) {
        case .success(let opened): (descriptor, status) = opened
        case .failure(.missing): throw DataFileError(path, .missingFile, "no such file")
        case .failure(.notRegular(let kind)): throw DataFileError(path, .notRegularFile, "is \(kind), not a regular file")
        case .failure(.unreadable(let reason)): throw DataFileError(path, .unreadable, "cannot open: \(reason)")
        }
        var ownsDescriptor = true
        defer { if ownsDescriptor { close(descriptor) } }
        if let allowed = limits.allowedDirectories {
            let opened = openedPath(descriptor) ?? ReadLimits.canonicalPath(path) ?? path
            guard allowed.contains(where: { ReadLimits.isPath(opened, inside: $0) }) else {
                throw DataFileError(path, .outsideAllowedDirectories,
                                    "resolves to a file outside the directories this notebook may read")
            }
        }
        let fileSize = Int(status.st_size)
        guard fileSize <= limits.fileBytes else {
            throw DataFileError(path, .tooLarge, "the file is \(describeBytes(fileSize)), over the read limit of \(describeBytes(limits.fileBytes))")
        }

        guard let file = gzdopen(descriptor, "rb") else {
            throw DataFileError(path, .unreadable, "cannot open: zlib could not allocate its state")
        }
        ownsDescriptor = false // gzclose closes it
        defer { gzclose(file) }
        gzbuffer(file, 1 << 17)
        reserving(fileSize)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: min(chunk, limits.decompressedBytes + 1))
        var total = 0
        while true {
            // Read at most one byte past the limit: enough to know it is exceeded.
            let wanted = min(buffer.count, limits.decompressedBytes + 1 - total)
            let read = buffer.withUnsafeMutableBufferPointer { p -> Int32 in
                guard let base = p.baseAddress else { return -1 }
                return gzread(file, base, UInt32(wanted))
            }
            if read < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown zlib error"
                throw DataFileError(path, .corruptCompression, at: .byte(total),
                                    "corrupt gzip data after \(total) decompressed bytes (zlib: \(message))")
            }
            if total + Int(read) > limits.decompressedBytes {
                throw DataFileError(path, .tooLarge, at: .byte(limits.decompressedBytes),
                                    "the contents exceed the read limit of \(describeBytes(limits.decompressedBytes))"
                                    + (gzdirect(file) == 0 ? " when decompressed" : ""))
            }
            if read == 0 { break }
            let more = try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<Int(read)])) }
            total += Int(read)
            if !more { return (total, false) }
        }
        // gzread reports a gzip stream cut short as end of file; gzerror tells them apart.
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
        if code != Z_OK {
            throw DataFileError(path, .corruptCompression, at: .byte(total),
                                "corrupt or truncated gzip data after \(total) decompressed bytes (zlib: \(message))")
        }
        return (total, true)
    }

    /// The path the kernel opened for `descriptor`, symlinks resolved (Linux /proc), or nil.
    static func openedPath(_ descriptor: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, Int(PATH_MAX))
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

