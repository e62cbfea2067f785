import Datasets
import FileAccess
import Foundation
import Notebook

extension DatasetDirective {
    /// The shape of an npy or idx file's data set before anything runs, from its header and
    /// (within `DataFileAccess.scanBytes`) one streaming pass over its data: rows after
    /// `digits` (counted in the labels file), `n` and quick mode; the columns; the constant
    /// columns; and as problems at `path` or `labels` what the run's loader would refuse
    /// (a malformed or truncated header, a shape past the read limit, NaN, labels that do
    /// not match). Nothing is read when the read confinement refuses a path of the cell
    /// (validation reports that) or when validation reads no files (`inputs.files` nil).
    static func fileEstimate(_ cell: Settings, _ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let files = inputs.files, let path = cell.path, let format = ArrayFileFormat(rawValue: cell.kind.rawValue),
              let url = files.readableURL(path) else { return nil }
        var labelsURL: URL?
        if let labels = cell.labels {
            guard let readable = files.readableURL(labels) else { return nil }
            labelsURL = readable
        }
        var estimate = ResourceEstimate(bytes: 0, parameter: "path", explanation: "the file could not be read")
        func refuse(_ parameter: String, _ message: String) -> ResourceEstimate {
            estimate.problems.append(ParameterError(parameter, message))
            return estimate
        }
        /// The reader's error with the path as the notebook wrote it.
        func refuseFile(_ parameter: String, _ error: Error, written: String) -> ResourceEstimate {
            guard var fileError = error as? DataFileError else { return refuse(parameter, "`\(written)`: \(error)") }
            fileError.path = written
            return refuse(parameter, fileError.description)
        }

        let summary: ArrayFileSummary
        do {
            summary = try ArrayFileScanner.summary(of: url, format: format, limits: files.limits, scanBytes: files.scanBytes)
        } catch {
            return refuseFile("path", error, written: path)
        }
        let header = summary.header
        guard header.rows > 0, header.columns > 0 else {
            return refuse("path", "\(path): array of shape \(header.shape) holds no samples")
        }

        var rows = header.rows, exact = true, rowsNote = ""
        if let labelsURL, let labels = cell.labels {
            do {
                let l = try ArrayFileScanner.summary(of: labelsURL, format: format, limits: files.limits, scanBytes: files.scanBytes,
                                                    counting: cell.digits.map(Set.init))
                guard l.header.shape == [header.rows] else {
                    return refuse("labels", "\(labels): labels have shape \(l.header.shape); expected (\(header.rows),) for the samples of \(url.lastPathComponent)")
                }
                if let scan = l.scan {
                    if let i = scan.firstNonInteger { return refuse("labels", "\(labels): label \(i) is not an integer") }
                    if let digits = cell.digits, let matching = scan.matching {
                        guard matching > 0 else { return refuse("digits", "no rows of \(url.lastPathComponent) have labels \(digits.sorted())") }
                        rows = matching
                    }
                } else if cell.digits != nil {
                    exact = false
                    rowsNote = " (at most: the rows `digits` keeps are counted when the run reads the labels)"
                    estimate.warnings.append(ParameterError("digits", "`\(labels)` holds \(describeBytes(l.header.dataBytes)) of labels, more than the "
                        + "\(describeBytes(files.scanBytes)) `check` reads: the rows `digits` keeps are counted when the run reads them, "
                        + "so rows are compared with later cells only as an upper bound (\(groupedDigits(header.rows)))"))
                }
            } catch {
                return refuseFile("labels", error, written: labels)
            }
        } else if cell.digits != nil {
            return refuse("digits", "\(url.lastPathComponent) has no labels to select from")
        }
        let available = rows
        if let n = cell.n { rows = min(rows, n) }
        if inputs.settings.quick { rows = min(rows, quickCount) }

        let columns = header.columns
        var shape = DataShape(rows: rows, columns: columns)
        shape.rowsAreExact = exact
        if let scan = summary.scan {
            // A column constant in the file is constant in every subset of its rows.
            shape.constantColumns = scan.constantColumns ?? []
            if let at = scan.nonFinite {
                let row = at.row
                let message = "`\(path)` has a NaN or infinite value at row \(row + 1), column \(at.column + 1); "
                    + "{dataset} refuses non-finite data: drop or impute that row"
                let everyRow = cell.digits == nil && rows >= available
                let inPrefix = cell.digits == nil && cell.sample == .first && row < rows
                if everyRow || inPrefix {
                    estimate.problems.append(ParameterError("path", message))
                } else if !(cell.digits == nil && cell.sample == .first) {
                    estimate.warnings.append(ParameterError("path", message + " (this cell takes a sample of the rows: the run fails if the sample holds it)"))
                }
            }
        } else {
            estimate.warnings.append(ParameterError("path", "`\(path)` holds \(describeBytes(header.dataBytes)) of data, more than the "
                + "\(describeBytes(files.scanBytes)) `check` reads: NaN and constant columns are checked when the run loads it"))
        }
        // The decompressed file and its Float32 values, with the copy made while building the data set.
        let elements = Double(header.rows) * Double(columns)
        estimate.bytes = Double(header.dataOffset + header.dataBytes) + 2 * elements * 4
        estimate.explanation = "\(groupedDigits(header.rows)) rows × \(groupedDigits(columns)) columns of \(header.typeName)"
        estimate.shapes = [nil: shape]
        let what = "\(groupedDigits(rows)) rows\(rowsNote) × \(groupedDigits(columns)) columns"
        return estimate.with(work: WorkEstimates.dataset(rows: header.rows, columns: columns, latent: 0, images: header.shape.count == 3),
                             driver: "path", what)
    }
}
