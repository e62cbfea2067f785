import CGD
import Foundation

/// Where the DejaVu Sans TrueType files are. `ENTROPYBOOK_FONT` (a .ttf path) overrides the
/// search; otherwise the usual Debian, Arch, Fedora and macOS locations are tried in order.
enum FontFiles {
    /// Regular and bold faces (bold falls back to regular when absent).
    struct Faces: Sendable {
        var regular: String
        var bold: String
    }

    static let candidateDirectories = [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/share/fonts/dejavu",
        "/usr/local/share/fonts",
        "/Library/Fonts",
    ]

    /// The faces found, or the paths looked at. Resolved once per process; also sets up
    /// libgd's font cache once, which makes gdImageStringFT safe to call from several threads.
    static let faces: Result<Faces, PlotError> = {
        _ = gdFontCacheSetup()
        let fileManager = FileManager.default
        var searched = [String]()
        if let override = ProcessInfo.processInfo.environment["ENTROPYBOOK_FONT"], !override.isEmpty {
            if fileManager.fileExists(atPath: override) { return .success(Faces(regular: override, bold: override)) }
            searched.append(override)
        }
        for directory in candidateDirectories {
            let regular = directory + "/DejaVuSans.ttf"
            searched.append(regular)
            guard fileManager.fileExists(atPath: regular) else { continue }
            let bold = directory + "/DejaVuSans-Bold.ttf"
            return .success(Faces(regular: regular, bold: fileManager.fileExists(atPath: bold) ? bold : regular))
        }
        return .failure(.fontNotFound(searched: searched))
    }()
}
