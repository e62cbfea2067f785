import Foundation
import Notebook

/// Compares the results of two runs (their run.json): every number of every stored result,
/// data set and inline value, with numpy's tolerance rule |b − a| ≤ atol + rtol·|a|. Text
/// that changed (a claim's status, "not resolvable") and a number that appeared or went
/// away (a dimension that became resolvable) are flips, listed first. Times (the cells'
/// seconds and every table cell whose role is `time`), dates, seeds and cache keys are not
/// results and are not compared.
public struct RunDiff {
    public struct Change: Equatable, Sendable {
        /// The result id (or `datasets`, `inline values`).
        public var result: String
        /// The field inside it ("value", "H LOO (nats) · d = 3").
        public var field: String
        public var old: String
        public var new: String
        /// |new − old| / |old| for numbers, nil for flips and one-sided entries.
        public var relative: Double?
    }

    public var flips = [Change]()
    public var changes = [Change]()
    /// Numbers compared (present in both runs).
    public var compared = 0

    public var isWithinTolerance: Bool { flips.isEmpty && changes.isEmpty }

    public init(old: JSONValue, new: JSONValue, rtol: Double, atol: Double) {
        let a = Self.leaves(of: old), b = Self.leaves(of: new)
        let keys = Set(a.keys).union(b.keys).sorted { ($0.result, $0.field) < ($1.result, $1.field) }
        for key in keys {
            switch (a[key], b[key]) {
            case (.number(let x)?, .number(let y)?):
                compared += 1
                if abs(y - x) > atol + rtol * abs(x) {
                    changes.append(Change(result: key.result, field: key.field, old: formatNumber(x, significantDigits: 6),
                                          new: formatNumber(y, significantDigits: 6), relative: x != 0 ? abs(y - x) / abs(x) : nil))
                }
            case let (x, y) where x != y:
                flips.append(Change(result: key.result, field: key.field, old: Self.text(x), new: Self.text(y), relative: nil))
            default: break
            }
        }
    }

    struct Key: Hashable {
        var result: String
        var field: String
    }

    /// Every leaf of the results that is compared, by result and field.
    static func leaves(of run: JSONValue) -> [Key: JSONValue] {
        var out = [Key: JSONValue]()
        if case .array(let cells)? = run["cells"] {
            for cell in cells {
                if case .object(let results)? = cell["results"] {
                    for (id, record) in results { collect(record, result: id, into: &out) }
                }
                // The metrics the cell showed, times (unit s) left out.
                if case .array(let metrics)? = cell["metrics"] {
                    let label = cell["label"]?.stringValue ?? "?"
                    for m in metrics where m["unit"]?.stringValue != "s" {
                        let name = m["name"]?.stringValue ?? "?"
                        out[Key(result: label, field: "metric " + name)] = m["value"] ?? .null
                        if let u = m["uncertainty"], u != .null { out[Key(result: label, field: "metric " + name + " ± ")] = u }
                    }
                }
            }
        }
        if case .array(let values)? = run["inlineValues"] {
            for v in values {
                let name = "{=" + (v["reference"]?.stringValue ?? "?") + "} line \(Int(v["line"]?.numberValue ?? 0))"
                out[Key(result: "inline values", field: name)] = v["value"] ?? v["text"] ?? .null
            }
        }
        return out
    }

    private static func collect(_ record: JSONValue, result: String, into out: inout [Key: JSONValue]) {
        switch record["kind"]?.stringValue {
        case RecordDeclaration.table.kind?:
            typealias T = RecordDeclaration.TableRecord
            guard case .array(let columns)? = record[T.columns.name], case .array(let rows)? = record[T.rows.name] else { return }
            for case .array(let cells) in rows {
                let rowName = cells.first.map(text) ?? "?"
                for (c, cell) in cells.enumerated().dropFirst() where c < columns.count {
                    let column = columns[c][T.Column.name.name]?.stringValue ?? "column \(c + 1)"
                    // A wall-clock time is not a result, wherever it stands.
                    if (cell[T.Cell.role.name] ?? columns[c][T.Column.role.name])?.stringValue == Table.Role.time.rawValue { continue }
                    if case .object = cell {
                        for part in [T.Cell.value, T.Cell.lower, T.Cell.upper, T.Cell.se].map(\.name) where cell[part] != nil {
                            out[Key(result: result, field: "\(rowName) · \(column) · \(part)")] = cell[part] ?? .null
                        }
                    } else {
                        out[Key(result: result, field: "\(rowName) · \(column)")] = cell
                    }
                }
            }
        case RecordDeclaration.curve.kind?:
            typealias C = RecordDeclaration.Curve
            typealias S = C.Series
            guard case .array(let series)? = record[C.series.name] else { return }
            let xLabel = record[C.xLabel.name]?.stringValue ?? "x"
            for s in series {
                let name = s[S.name.name]?.stringValue ?? "?"
                guard case .array(let xs)? = s[S.x.name] else { continue }
                for part in [S.y, S.lower, S.upper].map(\.name) {
                    guard case .array(let ys)? = s[part] else { continue }
                    for (x, y) in zip(xs, ys) { out[Key(result: result, field: "\(name) · \(part) at \(xLabel) = \(text(x))")] = y }
                }
            }
        default:
            flatten(record, path: "", result: result, into: &out)
        }
    }

    private static func flatten(_ value: JSONValue, path: String, result: String, into out: inout [Key: JSONValue]) {
        switch value {
        case .object(let members):
            for (key, member) in members where key != "summary" && key != "kind" {
                flatten(member, path: path.isEmpty ? key : "\(path) · \(key)", result: result, into: &out)
            }
        case .array(let items):
            for (i, item) in items.enumerated() { flatten(item, path: "\(path)[\(i)]", result: result, into: &out) }
        default:
            out[Key(result: result, field: path)] = value
        }
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil: "(absent)"
        case .null?: "—"
        case .number(let x)?: formatNumber(x, significantDigits: 6)
        case .string(let s)?: s
        case .bool(let b)?: String(b)
        default: "…"
        }
    }

    /// The report: flips first, then numbers beyond tolerance, as aligned columns.
    public func rendered(rtol: Double, atol: Double) -> String {
        func table(_ rows: [Change], relative: Bool) -> [String] {
            let header = ["result", "field", "old", "new"] + (relative ? ["rel. change"] : [])
            let body = rows.map { c in
                [c.result, c.field, c.old, c.new] + (relative ? [c.relative.map { String(format: "%.3g", $0) } ?? "—"] : [])
            }
            let widths = header.indices.map { i in ([header] + body).map { $0[i].count }.max() ?? 0 }
            return ([header] + body).map { row in
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces)
            }.map { "  " + $0 }
        }
        var lines = [String]()
        if !flips.isEmpty {
            lines.append("Flips (\(flips.count)): text, verdicts or presence that changed")
            lines += table(flips, relative: false)
        }
        lines.append("Numbers beyond tolerance: \(changes.count) of \(compared) (rtol \(rtol), atol \(atol))")
        if !changes.isEmpty { lines += table(changes, relative: true) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A run.json, or the run.json inside an output directory.
    public static func load(_ path: String) throws -> JSONValue {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = url.appendingPathComponent("run.json")
        }
        guard let data = try? Data(contentsOf: url) else { throw CellError("cannot read \(url.path)") }
        do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw CellError("\(url.path) is not a run.json: \(error)")
        }
    }
}
