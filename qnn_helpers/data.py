"""Fashion-MNIST and MNIST without TensorFlow: find, verify, download and read the IDX files.

:func:`load_fashion_mnist` and :func:`load_mnist` return exactly what
``keras.datasets.<name>.load_data()`` returns (``uint8`` arrays of shapes
``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``), but they
read the four official gzip'd IDX files themselves, so this module needs only
NumPy (and pooch, imported when it downloads).  The files are looked for, in this order, in

1. the ``data_dir`` argument;
2. ``$QNN_DATA_DIR`` (Fashion-MNIST) or ``$QNN_MNIST_DIR`` (MNIST), and also
   ``$QNN_DATA_DIR/fashion-mnist`` or ``$QNN_DATA_DIR/mnist`` (a parent folder);
3. the cache, ``$QNN_CACHE_DIR/<name>`` or ``~/.cache/qnn_helpers/<name>``;

a folder counts only if it holds all four files.  Found nowhere, they are
downloaded into the cache with pooch (``download=True``), else
:class:`DataNotFoundError` says where it looked and where to put the files.
Every file is checked against its sha256 before use.

:func:`select_labels`, :func:`class_names`, :func:`scale_images` and
:func:`class_counts` prepare a class subset for the models of the series.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import struct
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from qnn_helpers import config

CLASS_NAMES: tuple[str, ...] = (
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
)
DIGIT_NAMES: tuple[str, ...] = tuple(str(digit) for digit in range(10))
ORIGINAL_LABELS: tuple[int, ...] = (1, 2, 3, 7)
"""The original blog post's subset: Trouser, Pullover, Dress, Sneaker."""

Split = tuple[np.ndarray, np.ndarray]

FILES: tuple[str, ...] = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
"""The four files of a dataset, in the order ``x_train, y_train, x_test, y_test``."""
_KINDS: tuple[Literal["images", "labels"], ...] = ("images", "labels", "images", "labels")
_MAGIC = {"images": 0x00000803, "labels": 0x00000801}
_HEADER = {"images": ">IIII", "labels": ">II"}
_CHUNK = 1 << 20
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


class DataNotFoundError(FileNotFoundError):
    """The four IDX files were found nowhere and could not be downloaded."""


@dataclass(frozen=True)
class Dataset:
    """Where one dataset's four files live and how to check them.

    ``checksums`` maps each file name to its sha256; ``checksum_of`` says what
    is hashed: the ``"gz"`` file itself, or its ``"decompressed"`` content.
    ``env_var`` names the folder variable searched after ``data_dir``.
    """

    name: str
    title: str
    env_var: str
    checksums: dict[str, str]
    checksum_of: Literal["gz", "decompressed"]
    mirrors: tuple[str, ...]


FASHION_MNIST = Dataset(
    name="fashion-mnist",
    title="Fashion-MNIST",
    env_var="QNN_DATA_DIR",
    checksums=dict(
        zip(
            FILES,
            (
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            ),
            strict=True,
        )
    ),
    checksum_of="gz",
    # S3 *website* endpoints serve plain HTTP only; the sha256 check guards integrity.
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    ),
)

# The .gz files in circulation differ in their gzip header timestamp, so MNIST
# is checked by the sha256 of the decompressed IDX content.
MNIST = Dataset(
    name="mnist",
    title="MNIST",
    env_var="QNN_MNIST_DIR",
    checksums=dict(
        zip(
            FILES,
            (
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            ),
            strict=True,
        )
    ),
    checksum_of="decompressed",
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
)

# (resolved path, size, mtime_ns, checksum_of) -> sha256 hex digest, once per process.
_DIGESTS: dict[tuple[str, int, int, str], str] = {}


# --------------------------------------------------------------------------- loading


def load_fashion_mnist(
    data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> tuple[Split, Split]:
    """Load Fashion-MNIST like ``keras.datasets.fashion_mnist.load_data()``.

    Args:
        data_dir: a folder holding the four official ``.gz`` files; searched first.
        download: if the files are found nowhere, download them into the cache.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``.

    Raises:
        DataNotFoundError: the files are nowhere and could not be downloaded.
        ValueError: a file fails its sha256 check or is not a valid IDX file.
    """
    return load(FASHION_MNIST, data_dir, download)


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> tuple[Split, Split]:
    """Load MNIST digits like ``keras.datasets.mnist.load_data()``.

    Same as :func:`load_fashion_mnist`, with ``$QNN_MNIST_DIR`` (or
    ``$QNN_DATA_DIR/mnist``) as the environment variable to search.
    """
    return load(MNIST, data_dir, download)


def load(
    dataset: Dataset, data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> tuple[Split, Split]:
    """Find (or download) the four files of ``dataset``, verify them and read them."""
    folder = locate(dataset, data_dir, download)
    paths = [folder / name for name in FILES]
    for path in paths:
        verify(path, dataset)
    x_train, y_train, x_test, y_test = (
        read_idx(path, kind) for path, kind in zip(paths, _KINDS, strict=True)
    )
    _check_split(x_train, y_train, paths[0], paths[1])
    _check_split(x_test, y_test, paths[2], paths[3])
    return (x_train, y_train), (x_test, y_test)


def _check_split(x: np.ndarray, y: np.ndarray, x_path: Path, y_path: Path) -> None:
    """Raise ``ValueError`` unless images and labels have the same count."""
    if len(x) != len(y):
        raise ValueError(f"{x_path} has {len(x)} images but {y_path} has {len(y)} labels")


# --------------------------------------------------------------------------- searching


def cache_dir(dataset: Dataset) -> Path:
    """``$QNN_CACHE_DIR/<name>``, else ``~/.cache/qnn_helpers/<name>``."""
    return config.cache_root() / dataset.name


def _candidates(
    dataset: Dataset, data_dir: str | os.PathLike[str] | None
) -> list[tuple[str, Path | None]]:
    """The folders to search, in order, with a label each (``None``: variable unset)."""
    parent = os.environ.get("QNN_DATA_DIR")
    own = os.environ.get(dataset.env_var)
    found: list[tuple[str, Path | None]] = []
    if data_dir is not None:
        found.append(("data_dir argument", Path(data_dir).expanduser()))
    found.append((f"${dataset.env_var}", Path(own).expanduser() if own else None))
    found.append((f"$QNN_DATA_DIR/{dataset.name}",
                  Path(parent) / dataset.name if parent else None))
    found.append(("cache", cache_dir(dataset)))
    return found


def _missing(folder: Path | None) -> list[str]:
    """The names of the four files that ``folder`` does not hold."""
    if folder is None or not folder.is_dir():
        return list(FILES)
    return [name for name in FILES if not (folder / name).is_file()]


def _describe(label: str, folder: Path | None) -> str:
    """One line of the "looked in" list of :class:`DataNotFoundError`."""
    if folder is None:
        return f"{label}: not set"
    if not folder.is_dir():
        return f"{label}: {folder} (no such folder)"
    return f"{label}: {folder} (missing {', '.join(_missing(folder))})"


def locate(
    dataset: Dataset, data_dir: str | os.PathLike[str] | None = None, download: bool = True
) -> Path:
    """The first folder (in the search order) holding all four files, downloading if allowed."""
    candidates = _candidates(dataset, data_dir)
    for _, folder in candidates:
        if folder is not None and not _missing(folder):
            return folder
    looked = [_describe(label, folder) for label, folder in candidates]
    if not download:
        raise _not_found(dataset, looked, ["download=False"])
    cache = cache_dir(dataset)
    problems = _download_all(dataset, cache)
    if problems:
        raise _not_found(dataset, looked, problems)
    return cache


def _not_found(dataset: Dataset, looked: list[str], problems: list[str]) -> DataNotFoundError:
    """A :class:`DataNotFoundError` saying where we looked and how to fix it."""
    if dataset.env_var == "QNN_DATA_DIR":
        how = (
            "set QNN_DATA_DIR=/path/to/folder (the folder with the four files, or its parent "
            f"with a {dataset.name}/ subfolder)"
        )
    else:
        how = (
            f"set {dataset.env_var}=/path/to/folder (or QNN_DATA_DIR=/path/to/parent with a "
            f"{dataset.name}/ subfolder)"
        )
    lines = [
        f"{dataset.title} data files not found.",
        "Looked in:",
        *(f"  - {line}" for line in looked),
        "Not downloaded:",
        *(f"  - {line}" for line in problems),
        f"Needed (all four in one folder): {', '.join(FILES)}.",
        f"Download them from {' or '.join(dataset.mirrors)},",
        f"then {how}, or pass data_dir='/path/to/folder'.",
    ]
    return DataNotFoundError("\n".join(lines))


# --------------------------------------------------------------------------- downloading


def _download_all(dataset: Dataset, cache: Path) -> list[str]:
    """Download the files missing from ``cache``; return the problems (empty: success)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [f"cannot create the cache folder {cache}: {exc}"]
    for name in _missing(cache):
        problems = _download_file(dataset, name, cache)
        if problems:
            return problems
    return []


def _pooch():
    """pooch, imported only to download.

    pooch imports ``tqdm.auto``, which in a Jupyter kernel without ipywidgets
    warns that it cannot draw widgets; pooch's bar is off here, so that one
    warning is filtered.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch
    return pooch


def _download_file(dataset: Dataset, name: str, cache: Path) -> list[str]:
    """Try each mirror for one file; return the per-mirror problems (empty: success).

    pooch downloads into a temporary file and moves it into ``cache`` only when
    its sha256 matches, so a failed download leaves nothing behind.  Checksums
    of decompressed content are checked here, after pooch.
    """
    pooch = _pooch()
    known = f"sha256:{dataset.checksums[name]}" if dataset.checksum_of == "gz" else None
    problems = []
    for mirror in dataset.mirrors:
        url = mirror + name
        try:
            path = Path(pooch.retrieve(url, known_hash=known, fname=name, path=cache,
                                       progressbar=False))
            try:
                verify(path, dataset)
            except ValueError:
                path.unlink()
                raise
            return []
        except (OSError, ValueError) as exc:  # requests' errors are OSErrors
            problems.append(f"{url}: {exc}")
    return problems


# --------------------------------------------------------------------------- verifying


def _digest(path: Path, checksum_of: Literal["gz", "decompressed"]) -> str:
    """sha256 of the file (``"gz"``) or of its decompressed content (``"decompressed"``)."""
    sha = hashlib.sha256()
    opener = open if checksum_of == "gz" else gzip.open
    try:
        with opener(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                sha.update(chunk)
    except _GZIP_ERRORS as exc:
        raise ValueError(
            f"{path} is not a valid gzip file ({exc}), so its sha256 cannot be checked: "
            "the file is corrupted or not the official one"
        ) from exc
    return sha.hexdigest()


def verify(path: Path, dataset: Dataset) -> None:
    """Raise ``ValueError`` unless ``path`` has its official sha256 (checked once per process)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, dataset.checksum_of)
    if key not in _DIGESTS:
        _DIGESTS[key] = _digest(path, dataset.checksum_of)
    actual, expected = _DIGESTS[key], dataset.checksums[path.name]
    if actual != expected:
        what = "file" if dataset.checksum_of == "gz" else "decompressed content"
        raise ValueError(
            f"{path}: sha256 of the {what} is {actual}, expected {expected}. The file is "
            f"corrupted or not the official {dataset.title} file; replace it with a fresh copy."
        )


# --------------------------------------------------------------------------- IDX


def _gunzip(path: Path) -> bytes:
    """The decompressed bytes of a gzip file; ``ValueError`` if it is not valid gzip."""
    try:
        with gzip.open(path, "rb") as stream:
            return stream.read()
    except _GZIP_ERRORS as exc:
        raise ValueError(f"{path} is not a valid gzip file: {exc}") from exc


def read_idx(path: Path, kind: Literal["images", "labels"]) -> np.ndarray:
    """Read a gzip'd IDX file of ``uint8`` images ``(n, rows, cols)`` or labels ``(n,)``."""
    data = _gunzip(path)
    header = _HEADER[kind]
    size = struct.calcsize(header)
    if len(data) < size:
        raise ValueError(f"{path}: {len(data)} bytes, too short for an IDX {kind} header")
    magic, *dims = struct.unpack_from(header, data)
    if magic != _MAGIC[kind]:
        raise ValueError(
            f"{path}: magic number 0x{magic:08x}, expected 0x{_MAGIC[kind]:08x} (IDX {kind})"
        )
    if len(data) != size + math.prod(dims):
        raise ValueError(
            f"{path}: header declares {kind} of shape {tuple(dims)} "
            f"({math.prod(dims)} bytes) but the file holds {len(data) - size} bytes of data"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=size).reshape(dims).copy()


# --------------------------------------------------------------------------- preparing


def _check_labels(labels: Sequence[int], n_classes: int) -> list[int]:
    """``labels`` as a list of ints; ``ValueError`` if empty, repeated or out of range."""
    wanted = list(labels)
    if not wanted:
        raise ValueError("labels is empty: pass at least one label, e.g. ORIGINAL_LABELS")
    bad = [x for x in wanted if isinstance(x, bool) or not isinstance(x, int | np.integer)]
    if bad:
        raise ValueError(f"labels must be integers, got {bad}")
    wanted = [int(label) for label in wanted]
    outside = [label for label in wanted if not 0 <= label < n_classes]
    if outside:
        raise ValueError(f"labels {outside} are out of range 0..{n_classes - 1}")
    repeated = sorted({label for label in wanted if wanted.count(label) > 1})
    if repeated:
        raise ValueError(f"labels {repeated} are given more than once")
    return wanted


def _check_label_array(y: np.ndarray, n_classes: int) -> None:
    """``ValueError`` unless ``y`` is a 1-D integer array of labels ``0..n_classes-1``."""
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be a 1-D integer array, got shape {y.shape} dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"y has labels outside 0..{n_classes - 1}: {y.min()}..{y.max()}")


def select_labels(
    x: np.ndarray, y: np.ndarray, labels: Sequence[int], n_classes: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the samples whose label is in ``labels``, re-indexed ``0..k-1`` in that order.

    ``select_labels(x, y, [1, 2, 3, 7])`` gives Trouser 0, Pullover 1, Dress 2,
    Sneaker 3 (with ``class_names([1, 2, 3, 7])`` as their names).

    Args:
        x: samples, first axis the sample index.
        y: integer labels ``0..n_classes-1``, one per sample.
        labels: the original labels to keep, distinct, in the new order.
        n_classes: the number of classes of the dataset.

    Returns:
        ``(x_sel, y_sel)``, ``y_sel`` of the dtype of ``y``.

    Raises:
        ValueError: empty, repeated or out-of-range labels, a label with no
            samples, or ``x`` and ``y`` of different lengths.
    """
    wanted = _check_labels(labels, n_classes)
    x, y = np.asarray(x), np.asarray(y)
    _check_label_array(y, n_classes)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples but y has {len(y)} labels")
    mask = np.isin(y, wanted)
    present = set(np.unique(y[mask]).tolist())
    empty = [label for label in wanted if label not in present]
    if empty:
        raise ValueError(f"labels {empty} have no samples in y")
    lookup = np.zeros(n_classes, dtype=y.dtype)
    lookup[wanted] = np.arange(len(wanted))
    return x[mask], lookup[y[mask]]


def class_names(labels: Sequence[int], names: Sequence[str] = CLASS_NAMES) -> list[str]:
    """The names of the selected ``labels``, in order (``DIGIT_NAMES`` for MNIST)."""
    return [names[label] for label in _check_labels(labels, len(names))]


def scale_images(x: np.ndarray) -> np.ndarray:
    """Raw ``0..255`` integer images ``(n, 28, 28)`` → ``float32`` in ``[0, 1]``, ``(n, 784)``."""
    x = np.asarray(x)
    if x.ndim < 2 or not np.issubdtype(x.dtype, np.integer):
        raise ValueError(
            f"expected raw integer images (n, 28, 28), got shape {x.shape} dtype {x.dtype} "
            "(already scaled?)"
        )
    if x.size and (x.min() < 0 or x.max() > 255):
        raise ValueError(f"pixel values must be in 0..255, got {x.min()}..{x.max()}")
    scaled = x.reshape(len(x), -1).astype(np.float32)
    scaled /= np.float32(255)
    return scaled


def class_counts(y: np.ndarray, n_classes: int) -> np.ndarray:
    """The number of samples of each label ``0..n_classes-1`` (``int64`` array)."""
    y = np.asarray(y)
    _check_label_array(y, n_classes)
    return np.bincount(y, minlength=n_classes).astype(np.int64)
