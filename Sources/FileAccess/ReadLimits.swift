import Foundation

/// How much a data reader may take in, and from where. A notebook can come from a stranger,
/// so a path like `/dev/zero`, a gzip bomb or a header claiming a billion rows must end in
/// an error naming the limit — never in an allocation of it — and a file that resolves
/// outside the allowed directories must not be read at all.
public struct ReadLimits: Sendable, Hashable {
    /// Largest file on disk, in bytes (compressed size for .gz).
    public var fileBytes: Int
    /// Largest decompressed content, in bytes (equal to the file for plain files).
    public var decompressedBytes: Int
    /// Most numbers in one table or array (rows × columns); each becomes a 4-byte Float.
    public var elements: Int
    /// Canonical (symlink-free) directories the opened file must lie in; `nil` reads
    /// anywhere (library callers and tests). Checked on the opened descriptor, so a file
    /// swapped for a symbolic link after validation is still refused.
    public var allowedDirectories: [String]?

    public init(fileBytes: Int, decompressedBytes: Int, elements: Int, allowedDirectories: [String]? = nil) {
        self.fileBytes = fileBytes
        self.decompressedBytes = decompressedBytes
        self.elements = elements
        self.allowedDirectories = allowedDirectories
    }

    /// 2 GiB of file, 2 GiB decompressed, 2^28 numbers (1 GiB as Float32): full MNIST
    /// (70 000 × 784 ≈ 55 M numbers, 47 MB of gzip) fits many times over, while a read that
    /// would exhaust a laptop's memory stops early.
    public static let standard = ReadLimits(fileBytes: 2 << 30, decompressedBytes: 2 << 30, elements: 1 << 28)

    /// Limits derived from a memory budget in bytes: a reader holds the decompressed bytes
    /// and the Float32 values (plus a copy while building the dataset), so each gets a
    /// share that keeps the total under the budget.
    public init(memoryBudget bytes: Int, allowedDirectories: [String]? = nil) {
        let budget = max(bytes, 1 << 20)
        self.init(fileBytes: budget / 2, decompressedBytes: budget / 2, elements: budget / 16,
                  allowedDirectories: allowedDirectories)
    }

    /// Whether canonical `path` is `directory` or lies below it (both without symlinks
    /// or `..`; compares path components, so /data2 is not inside /data).
    public static func isPath(_ path: String, inside directory: String) -> Bool {
        if directory == "/" { return path.hasPrefix("/") }
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return path == root || path.hasPrefix(root + "/")
    }

    /// `path` with every symbolic link, `.` and `..` resolved by the kernel (realpath(3)),
    /// or nil when it does not exist.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
