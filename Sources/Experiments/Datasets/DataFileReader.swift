import CZlib
import Foundation

/// Reads a whole data file into memory, decompressing gzip transparently (detected by its
/// magic bytes 1f 8b, whatever the extension) through zlib's gzread.
public enum DataFileReader {
    /// The file's contents (decompressed when gzip). Throws `DataFileError` with reason
    /// `.missingFile`, `.unreadable` or `.corruptCompression` (naming the decompressed
    /// byte offset where the stream broke). O(file size).
    public static func contents(of url: URL) throws -> [UInt8] {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataFileError(path, .missingFile, "no such file")
        }
        guard !isDirectory.boolValue else { throw DataFileError(path, .unreadable, "is a directory, not a file") }
        guard let file = gzopen(path, "rb") else {
            throw DataFileError(path, .unreadable, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        gzbuffer(file, 1 << 17)
        var bytes = [UInt8]()
        let chunk = 1 << 20
        while true {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            let read = bytes.withUnsafeMutableBufferPointer { p -> Int32 in
                guard let base = p.baseAddress else { return -1 }
                return gzread(file, base + start, UInt32(chunk))
            }
            if read < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown zlib error"
                throw DataFileError(path, .corruptCompression, at: .byte(start),
                                    "corrupt gzip data after \(start) decompressed bytes (zlib: \(message))")
            }
            bytes.removeLast(chunk - Int(read))
            if read == 0 { break }
        }
        // gzread reports a gzip stream cut short as end of file; gzerror tells them apart.
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
        if code != Z_OK {
            throw DataFileError(path, .corruptCompression, at: .byte(bytes.count),
                                "corrupt or truncated gzip data after \(bytes.count) decompressed bytes (zlib: \(message))")
        }
        return bytes
    }
}
