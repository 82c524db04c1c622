"""Going further: Fashion-MNIST, a larger dataset that is downloaded only when a learner
asks for it.

70,000 grey-scale 28×28 images of clothing in 10 classes (Xiao, Rasul and Vollgraf,
2017, https://github.com/zalandoresearch/fashion-mnist), in the IDX format of the
original MNIST. Nothing in the book or the tests downloads it. ``load_fashion_mnist()``
fetches the four official files once with pooch, checks their MD5 checksums (as
published with the dataset), caches them, and reads them.
"""

import gzip
from pathlib import Path

import numpy as np

BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
#: File name and checksum of each part, as published in the dataset's README.
FILES = {
    "train_images": (
        "train-images-idx3-ubyte.gz",
        "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    ),
    "train_labels": (
        "train-labels-idx1-ubyte.gz",
        "md5:25c81989df183df01b3e8a0aad5dffbe",
    ),
    "test_images": (
        "t10k-images-idx3-ubyte.gz",
        "md5:bef4ecab320f06d8554ea6380940ec79",
    ),
    "test_labels": (
        "t10k-labels-idx1-ubyte.gz",
        "md5:bb300cfdad3c16e7a12a480ee83cd310",
    ),
}
CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

# IDX type codes (third byte of the magic number) and the big-endian dtypes they stand
# for.
_IDX_TYPES = {
    0x08: ">u1",
    0x09: ">i1",
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


class IDXFormatError(ValueError):
    """The file is not a well-formed IDX file."""


def read_idx(path):
    """Read an IDX file (optionally gzipped) into an array of the shape its header
    states.

    Layout: two zero bytes, a type code, the number of dimensions n, then n big-endian
    uint32 sizes, then the data in row-major order.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise IDXFormatError(f"{path.name}: not an IDX file (bad magic number)")
    dtype, ndim = np.dtype(_IDX_TYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXFormatError(f"{path.name}: header cut short")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise IDXFormatError(
            f"{path.name}: header promises {expected} bytes of data, file has "
            f"{len(raw) - header}"
        )
    return (
        np.frombuffer(raw, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


def cache_folder(cache_dir=None):
    """Where the four files are kept: ``cache_dir`` if given, else the course's folder
    in the user's cache (``pooch.os_cache("nn-foundations-course")``, e.g.
    ``~/.cache/nn-foundations-course``)."""
    import pooch

    return (
        Path(cache_dir) if cache_dir else Path(pooch.os_cache("nn-foundations-course"))
    )


def fashion_mnist_is_cached(cache_dir=None):
    """True if all four files are already in the cache folder; never downloads, never
    reads them.

    A page can call this to run an optional Fashion-MNIST cell only for a learner who
    has already downloaded the data (``load_fashion_mnist()`` once), and to skip it
    everywhere else. Checksums are verified later, by ``load_fashion_mnist``.
    """
    folder = cache_folder(cache_dir)
    return all((folder / name).is_file() for name, _ in FILES.values())


def fetch_files(cache_dir=None, downloader=None):
    """Download (once) and verify the four files; returns ``{part: local path}``.

    cache_dir: where to keep them (default: the user's cache folder, via pooch).
    downloader: a pooch downloader, for tests or mirrors. A file whose checksum does not
    match raises ``ValueError``.
    """
    import pooch

    folder = cache_folder(cache_dir)
    return {
        part: Path(
            pooch.retrieve(
                BASE_URL + name,
                known_hash=checksum,
                fname=name,
                path=folder,
                downloader=downloader,
                progressbar=False,
            )
        )
        for part, (name, checksum) in FILES.items()
    }


def load_fashion_mnist(cache_dir=None, downloader=None):
    """Fashion-MNIST as float64 arrays in [0, 1], one image per row.

    Returns ``(X_train (60000, 784), y_train (60000,), X_test (10000, 784), y_test
    (10000,))``; labels are int64 in [0, 10), named by ``CLASS_NAMES``. The first call
    downloads about 30 MB.
    """
    paths = fetch_files(cache_dir, downloader)
    X_train, X_test = (read_idx(paths[p]) for p in ("train_images", "test_images"))
    y_train, y_test = (
        read_idx(paths[p]).astype(np.int64) for p in ("train_labels", "test_labels")
    )
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise IDXFormatError("image and label files disagree on the number of examples")
    flat = lambda X: X.reshape(len(X), -1).astype(np.float64) / 255.0  # noqa: E731
    return flat(X_train), y_train, flat(X_test), y_test
