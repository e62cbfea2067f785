/// The program's name and version, recorded in reports, run.json and cache keys.
public enum ProgramInfo {
    public static let name = "EntropyBook"
    public static let version = "0.1.0"
}
