import Datasets
import Linalg

/// Which images a figure shows. A data file is often sorted by label (the MNIST sample
/// starts with hundreds of zeros), so "the first ten" would show one class: the rows are
/// drawn at random, one label after the other, so every label appears before any repeats.
/// The draw depends on the dataset's size and labels only, never on the cell, so a
/// dataset and its reconstruction show the same rows.
enum ImageSample {
    static func rows(_ count: Int, of dataset: Dataset) -> [Int] {
        var generator = SeededGenerator(seed: UInt64(dataset.count)).derived("image sample")
        let count = min(count, dataset.count)
        guard let labels = dataset.labels, labels.count == dataset.count else {
            return Array(generator.permutation(dataset.count).prefix(count))
        }
        var byLabel = [Int: [Int]]()
        for i in generator.permutation(dataset.count) { byLabel[labels[i], default: []].append(i) }
        let classes = byLabel.keys.sorted()
        var picked = [Int](), round = 0
        while picked.count < count {
            for label in classes where picked.count < count {
                if let rows = byLabel[label], round < rows.count { picked.append(rows[round]) }
            }
            round += 1
        }
        return picked
    }
}
