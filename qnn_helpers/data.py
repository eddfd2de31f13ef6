"""Fashion-MNIST and MNIST without TensorFlow: find, verify, download and read the IDX files.

From ``data_dir``, else ``$QNN_DATA_DIR`` (Fashion-MNIST) or ``$QNN_MNIST_DIR`` (MNIST), which
must hold all four files, else the cache (``$QNN_CACHE_DIR/<name>`` or
``~/.cache/qnn_helpers/<name>``, downloading what is missing); every file's sha256 checked.
"""

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

CLASS_NAMES: tuple[str, ...] = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
DIGIT_NAMES: tuple[str, ...] = tuple(str(digit) for digit in range(10))
ORIGINAL_LABELS: tuple[int, ...] = (1, 2, 3, 7)  #: the post's: Trouser, Pullover, Dress, Sneaker

Split = tuple[np.ndarray, np.ndarray]

#: The four files of a dataset, in the order ``x_train, y_train, x_test, y_test``.
FILES: tuple[str, ...] = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                          "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
_IDX = {"images": (0x803, ">IIII"), "labels": (0x801, ">II")}  # magic number, header


class DataNotFoundError(FileNotFoundError):
    """The four IDX files are not where they should be and could not be downloaded."""


@dataclass(frozen=True)
class Dataset:
    """Where one dataset's four files live, and the sha256 of each file (``checksum_of``:
    of the ``"gz"`` file itself or of its ``"decompressed"`` content)."""

    name: str
    title: str
    env_var: str
    checksums: dict[str, str]
    checksum_of: Literal["gz", "decompressed"]
    mirrors: tuple[str, ...]


FASHION_MNIST = Dataset(
    "fashion-mnist", "Fashion-MNIST", "QNN_DATA_DIR", checksum_of="gz",
    checksums=dict(zip(FILES, (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    ), strict=True)),
    # S3 *website* endpoints serve plain HTTP only; the sha256 check guards integrity.
    mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
             "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
)

# The .gz files in circulation differ in their gzip header timestamp, so MNIST
# is checked by the sha256 of the decompressed IDX content.
MNIST = Dataset(
    "mnist", "MNIST", "QNN_MNIST_DIR", checksum_of="decompressed",
    checksums=dict(zip(FILES, (
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ), strict=True)),
    mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist/",
             "https://storage.googleapis.com/cvdf-datasets/mnist/"),
)


def load_fashion_mnist(data_dir: str | os.PathLike[str] | None = None,
                       download: bool = True) -> tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)`` as ``keras.datasets.fashion_mnist`` gives
    them (``uint8``, ``(60000, 28, 28)`` etc.).  :class:`DataNotFoundError`: a folder named
    is incomplete, or the cache is and cannot be filled; ``ValueError``: a file is corrupt."""
    return load(FASHION_MNIST, data_dir, download)


def load_mnist(data_dir: str | os.PathLike[str] | None = None,
               download: bool = True) -> tuple[Split, Split]:
    """MNIST digits, as :func:`load_fashion_mnist` (folder variable ``$QNN_MNIST_DIR``)."""
    return load(MNIST, data_dir, download)


def load(dataset: Dataset, data_dir: str | os.PathLike[str] | None = None,
         download: bool = True) -> tuple[Split, Split]:
    """Find (or download) the four files of ``dataset``, verify them and read them."""
    folder = locate(dataset, data_dir, download)
    x_train, y_train, x_test, y_test = (
        read_idx(folder / name, kind, dataset)
        for name, kind in zip(FILES, ("images", "labels") * 2, strict=True)
    )
    for x, y, split in ((x_train, y_train, "train"), (x_test, y_test, "t10k")):
        if len(x) != len(y):
            raise ValueError(f"{folder}: the {split} files hold {len(x)} images but "
                             f"{len(y)} labels; replace them with the official files")
    return (x_train, y_train), (x_test, y_test)


def cache_dir(dataset: Dataset) -> Path:
    """``$QNN_CACHE_DIR/<name>``, else ``~/.cache/qnn_helpers/<name>``."""
    return config.cache_root() / dataset.name


def locate(dataset: Dataset, data_dir: str | os.PathLike[str] | None = None,
           download: bool = True) -> Path:
    """The folder of the four files: ``data_dir``, else ``$<env_var>``, else the cache
    (downloading the missing files there if ``download``)."""
    if data_dir is not None or os.environ.get(dataset.env_var):
        named = "data_dir" if data_dir is not None else f"${dataset.env_var}"
        folder = Path(data_dir if data_dir is not None else os.environ[dataset.env_var])
        folder = folder.expanduser()
        if not folder.is_dir():
            raise _not_found(dataset, f"{named} is {folder}, which is not a folder")
        if missing := _missing(folder):
            raise _not_found(dataset, f"{named} is {folder}, which lacks {', '.join(missing)}")
        return folder
    cache = cache_dir(dataset)
    if not _missing(cache):
        return cache
    if not download:
        raise _not_found(dataset, f"the cache {cache} lacks them, and download=False")
    if problems := _download(dataset, cache):
        raise _not_found(dataset, f"the cache {cache} lacks them, and the download failed:\n"
                         + "\n".join(f"  - {problem}" for problem in problems))
    return cache


def _missing(folder: Path) -> list[str]:
    """The names of the four files that ``folder`` does not hold."""
    return [name for name in FILES if not (folder / name).is_file()]


def _not_found(dataset: Dataset, why: str) -> DataNotFoundError:
    """A :class:`DataNotFoundError` saying what is wrong and how to fix it."""
    return DataNotFoundError(
        f"{dataset.title} data files not found: {why}.\n"
        f"Needed (all four in one folder): {', '.join(FILES)}.\n"
        f"Download them from {' or '.join(dataset.mirrors)}, then set "
        f"{dataset.env_var}=/path/to/folder or pass data_dir='/path/to/folder'; or unset "
        f"{dataset.env_var} to use the cache (downloaded there when online).")


def _download(dataset: Dataset, cache: Path) -> list[str]:
    """Download the files missing from ``cache``, trying each mirror; return the problems
    (empty: success).  A file that fails its sha256 check is not kept."""
    with warnings.catch_warnings():  # tqdm.auto, imported by pooch, warns in a kernel
        warnings.filterwarnings("ignore", message="IProgress not found")  # without ipywidgets
        import pooch
    problems = []
    for name in _missing(cache):
        known = f"sha256:{dataset.checksums[name]}" if dataset.checksum_of == "gz" else None
        for url in (mirror + name for mirror in dataset.mirrors):
            try:
                path = Path(pooch.retrieve(url, known_hash=known, fname=name, path=cache,
                                           progressbar=False))
                try:
                    _content(path, dataset)
                except ValueError:
                    path.unlink()
                    raise
                break
            except (OSError, ValueError) as exc:  # requests' errors are OSErrors
                problems.append(f"{url}: {exc}")
        else:
            return problems
    return []


def _content(path: Path, dataset: Dataset | None = None) -> bytes:
    """The decompressed content of ``path``, checked against ``dataset``'s sha256 if given."""
    raw = path.read_bytes()
    if dataset is not None and dataset.checksum_of == "gz":
        _check_sha(path, raw, dataset)
    try:
        content = gzip.decompress(raw)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ValueError(f"{path} is not a valid gzip file ({exc}): the file is corrupted "
                         "or not the official one; replace it with a fresh copy") from exc
    if dataset is not None and dataset.checksum_of == "decompressed":
        _check_sha(path, content, dataset)
    return content


def _check_sha(path: Path, payload: bytes, dataset: Dataset) -> None:
    """``ValueError`` unless ``payload`` (of ``path``) has its official sha256."""
    actual, expected = hashlib.sha256(payload).hexdigest(), dataset.checksums[path.name]
    if actual != expected:
        what = "file" if dataset.checksum_of == "gz" else "decompressed content"
        raise ValueError(
            f"{path}: sha256 of the {what} is {actual}, expected {expected}. The file is "
            f"corrupted or not the official {dataset.title} file; replace it with a fresh copy.")


def read_idx(path: Path, kind: Literal["images", "labels"],
             dataset: Dataset | None = None) -> np.ndarray:
    """Read a gzip'd IDX file of ``uint8`` images ``(n, rows, cols)`` or labels ``(n,)``,
    checked against ``dataset``'s sha256 if given."""
    data = _content(path, dataset)
    magic_expected, header = _IDX[kind]
    size = struct.calcsize(header)
    if len(data) < size:
        raise ValueError(f"{path}: {len(data)} bytes, too short for an IDX {kind} header")
    magic, *dims = struct.unpack_from(header, data)
    if magic != magic_expected:
        raise ValueError(
            f"{path}: magic number 0x{magic:08x}, expected 0x{magic_expected:08x} (IDX {kind})")
    if len(data) != size + math.prod(dims):
        raise ValueError(
            f"{path}: header declares {kind} of shape {tuple(dims)} "
            f"({math.prod(dims)} bytes) but the file holds {len(data) - size} bytes of data")
    return np.frombuffer(data, dtype=np.uint8, offset=size).reshape(dims).copy()


def check_labels(labels: Sequence[int], n_classes: int) -> list[int]:
    """``labels`` as a list of ints; ``ValueError`` if empty, repeated or out of range."""
    wanted = list(labels)
    if not wanted:
        raise ValueError("labels is empty: pass at least one label, e.g. ORIGINAL_LABELS")
    if bad := [x for x in wanted if isinstance(x, bool) or not isinstance(x, int | np.integer)]:
        raise ValueError(f"labels must be integers, got {bad}")
    wanted = [int(label) for label in wanted]
    if outside := [label for label in wanted if not 0 <= label < n_classes]:
        raise ValueError(f"labels {outside} are out of range 0..{n_classes - 1}")
    if repeated := sorted({label for label in wanted if wanted.count(label) > 1}):
        raise ValueError(f"labels {repeated} are given more than once")
    return wanted


def check_label_array(y: np.ndarray, n_classes: int) -> None:
    """``ValueError`` unless ``y`` is a 1-D integer array of labels ``0..n_classes-1``."""
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be a 1-D integer array, got shape {y.shape} dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"y has labels outside 0..{n_classes - 1}: {y.min()}..{y.max()}")
