import Foundation

/// A byte count for messages, in binary units: "2 GiB", "192.7 GiB", "300 KiB", "512 bytes".
/// The one formatter of the program: read limits, memory estimates and the memory budget
/// all speak the same units.
public func describeBytes(_ count: Double) -> String {
    let units: [(Double, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")].map { (Double($0.0), $0.1) }
    for (size, unit) in units where count >= size {
        let value = count / size
        return (value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)) + " " + unit
    }
    return "\(Int(max(count, 0))) bytes"
}

public func describeBytes(_ count: Int) -> String { describeBytes(Double(count)) }
