"""Tests of ``qnn_helpers.data``: finding, verifying, downloading and reading the IDX files.

The official files are expected in ``../shared/data/{fashion-mnist,mnist}`` next
to the repository; tests that need them are skipped when they are absent.  No
test touches the network: ``urlopen`` is replaced for every test.
"""

from __future__ import annotations

import ast
import gzip
import io
import os
import shutil
import struct
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest

from qnn_helpers import data

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FASHION_DIR = SHARED_DATA / "fashion-mnist"
MNIST_DIR = SHARED_DATA / "mnist"
FILES = data._FILES
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def _require(folder: Path) -> Path:
    """Skip the test unless ``folder`` holds the four official files."""
    if not all((folder / name).is_file() for name in FILES):
        pytest.skip(f"official data files not found in {folder}")
    return folder


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No network, no user environment: empty cache, search variables unset."""

    def no_network(url: str, timeout: float | None = None) -> io.BytesIO:
        raise URLError(f"network disabled in tests ({url})")

    monkeypatch.setattr(data, "urlopen", no_network)
    for var in ("QNN_DATA_DIR", "QNN_MNIST_DIR"):
        monkeypatch.delenv(var, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("QNN_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="module")
def fashion() -> tuple[data.Split, data.Split]:
    """Fashion-MNIST from the official files, loaded once."""
    return data.load_fashion_mnist(_require(FASHION_DIR), download=False)


@pytest.fixture(scope="module")
def mnist() -> tuple[data.Split, data.Split]:
    """MNIST from the official files, loaded once."""
    return data.load_mnist(_require(MNIST_DIR), download=False)


def _link_copy(src: Path, dest: Path, copy: tuple[str, ...] = ()) -> Path:
    """``dest`` with symlinks to the four files of ``src``; real, writable copies of ``copy``."""
    dest.mkdir(parents=True)
    for name in FILES:
        if name in copy:
            shutil.copyfile(src / name, dest / name)
        else:
            (dest / name).symlink_to(src / name)
    return dest


def _serve(folder: Path, requested: list[str], fail_prefix: str | None = None):
    """A fake ``urlopen`` serving the files of ``folder`` by name (recording the URLs)."""

    def fake_urlopen(url: str, timeout: float | None = None) -> io.BytesIO:
        requested.append(url)
        if fail_prefix and url.startswith(fail_prefix):
            raise URLError("mirror down")
        return io.BytesIO((folder / url.rsplit("/", 1)[1]).read_bytes())

    return fake_urlopen


def _write_gz(path: Path, payload: bytes) -> Path:
    """Write ``payload`` gzip'd to ``path``."""
    path.write_bytes(gzip.compress(payload))
    return path


# --------------------------------------------------------------------------- official files


def test_fashion_shapes_dtypes_and_counts(fashion: tuple[data.Split, data.Split]) -> None:
    (x_train, y_train), (x_test, y_test) = fashion
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert data.class_counts(y_train, 10).tolist() == [6000] * 10
    assert data.class_counts(y_test, 10).tolist() == [1000] * 10
    assert round(float(x_train.mean(dtype=np.float64)), 2) == 72.94


def test_mnist_shapes_and_counts(mnist: tuple[data.Split, data.Split]) -> None:
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert data.class_counts(y_train, 10).tolist() == MNIST_TRAIN_COUNTS
    assert int(data.class_counts(y_test, 10).sum()) == 10000


def test_module_imports_only_numpy_and_stdlib() -> None:
    tree = ast.parse(Path(data.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for alias in n.names
    }
    imported |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert not imported & {"tensorflow", "keras", "pennylane", "pickle"}


# --------------------------------------------------------------------------- searching


def test_qnn_data_dir_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QNN_DATA_DIR", str(_require(FASHION_DIR)))
    (_, y_train), _ = data.load_fashion_mnist(download=False)
    assert len(y_train) == 60000
    assert data._locate(data._FASHION, None, download=False) == FASHION_DIR


def test_qnn_data_dir_parent_form(monkeypatch: pytest.MonkeyPatch) -> None:
    _require(FASHION_DIR)
    _require(MNIST_DIR)
    monkeypatch.setenv("QNN_DATA_DIR", str(SHARED_DATA))
    assert data._locate(data._FASHION, None, download=False) == FASHION_DIR
    assert data._locate(data._MNIST, None, download=False) == MNIST_DIR
    (_, y_train), _ = data.load_mnist(download=False)
    assert data.class_counts(y_train, 10).tolist() == MNIST_TRAIN_COUNTS


def test_qnn_mnist_dir_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QNN_MNIST_DIR", str(_require(MNIST_DIR)))
    assert data._locate(data._MNIST, None, download=False) == MNIST_DIR


def test_incomplete_folder_does_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    partial = _link_copy(_require(FASHION_DIR), tmp_path / "partial")
    (partial / FILES[3]).unlink()
    monkeypatch.setenv("QNN_DATA_DIR", str(FASHION_DIR))
    assert data._locate(data._FASHION, partial, download=False) == FASHION_DIR


def test_nothing_found_without_download(tmp_path: Path) -> None:
    with pytest.raises(data.DataNotFoundError) as info:
        data.load_fashion_mnist(tmp_path / "nowhere", download=False)
    message = str(info.value)
    assert "QNN_DATA_DIR=/path/to/folder" in message and "data_dir=" in message
    assert str(tmp_path / "nowhere") in message and "cache" in message
    assert all(name in message for name in FILES)
    assert "fashion-mnist.s3-website.eu-central-1.amazonaws.com" in message
    assert isinstance(info.value, FileNotFoundError)


def test_nothing_found_and_no_network(tmp_path: Path, isolated: Path) -> None:
    with pytest.raises(data.DataNotFoundError, match="QNN_MNIST_DIR") as info:
        data.load_mnist(download=True)
    assert "network disabled" in str(info.value)
    assert not [path for path in isolated.rglob("*") if path.is_file()]


# --------------------------------------------------------------------------- verifying


def test_corrupted_label_file_is_rejected(tmp_path: Path) -> None:
    folder = _link_copy(_require(FASHION_DIR), tmp_path / "bad", copy=(FILES[1],))
    raw = bytearray((folder / FILES[1]).read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (folder / FILES[1]).write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="sha256") as info:
        data.load_fashion_mnist(folder, download=False)
    message = str(info.value)
    assert FILES[1] in message and data._FASHION.checksums[FILES[1]] in message
    assert "corrupted or not the official" in message


def test_mnist_checks_decompressed_content(tmp_path: Path) -> None:
    folder = _link_copy(_require(MNIST_DIR), tmp_path / "m", copy=(FILES[3],))
    content = gzip.decompress((folder / FILES[3]).read_bytes())
    _write_gz(folder / FILES[3], content)  # new gzip header, same content: accepted
    (_, _), (_, y_test) = data.load_mnist(folder, download=False)
    assert len(y_test) == 10000
    _write_gz(folder / FILES[3], content[:-1] + bytes([(content[-1] + 1) % 10]))
    with pytest.raises(ValueError, match="sha256 of the decompressed content"):
        data.load_mnist(folder, download=False)


def test_verification_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _link_copy(_require(FASHION_DIR), tmp_path / "c", copy=(FILES[3],)) / FILES[3]
    calls: list[Path] = []
    real_digest = data._digest
    monkeypatch.setattr(data, "_digest", lambda p, kind: calls.append(p) or real_digest(p, kind))
    data._verify(path, data._FASHION)
    data._verify(path, data._FASHION)
    assert len(calls) == 1
    os.utime(path, ns=(0, 0))  # a changed file (mtime) is checked again
    data._verify(path, data._FASHION)
    assert len(calls) == 2


# --------------------------------------------------------------------------- IDX reader


def _idx_images(n: int, rows: int = 3, cols: int = 2, magic: int = 0x803) -> bytes:
    return struct.pack(">IIII", magic, n, rows, cols) + bytes(range(n * rows * cols))


def test_idx_reader_reads_small_files(tmp_path: Path) -> None:
    images = data._read_idx(_write_gz(tmp_path / "i.gz", _idx_images(2)), "images")
    assert images.shape == (2, 3, 2) and images.dtype == np.uint8
    assert images.ravel().tolist() == list(range(12))
    labels = data._read_idx(
        _write_gz(tmp_path / "l.gz", struct.pack(">II", 0x801, 3) + b"\x01\x02\x09"), "labels"
    )
    assert labels.tolist() == [1, 2, 9]


@pytest.mark.parametrize(
    ("payload", "kind", "match"),
    [
        (_idx_images(2)[:-1], "images", "header declares"),
        (_idx_images(2) + b"\x00", "images", "header declares"),
        (_idx_images(2, magic=0x801), "images", "magic number 0x00000801"),
        (struct.pack(">II", 0x803, 1) + b"\x00", "labels", "magic number 0x00000803"),
        (b"\x00\x00\x08", "labels", "too short"),
    ],
)
def test_idx_reader_rejects_bad_files(tmp_path: Path, payload: bytes, kind: str, match: str):
    with pytest.raises(ValueError, match=match):
        data._read_idx(_write_gz(tmp_path / "bad.gz", payload), kind)


def test_idx_reader_rejects_bad_gzip(tmp_path: Path) -> None:
    truncated = gzip.compress(_idx_images(4))[:-12]
    (tmp_path / "t.gz").write_bytes(truncated)
    with pytest.raises(ValueError, match="not a valid gzip"):
        data._read_idx(tmp_path / "t.gz", "images")
    (tmp_path / "p.gz").write_bytes(_idx_images(1))
    with pytest.raises(ValueError, match="not a valid gzip"):
        data._read_idx(tmp_path / "p.gz", "images")


# --------------------------------------------------------------------------- downloading


def test_download_into_empty_cache(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    requested: list[str] = []
    monkeypatch.setattr(data, "urlopen", _serve(_require(MNIST_DIR), requested, "https://ossci"))
    (x_train, y_train), (x_test, _) = data.load_mnist()
    cache = isolated / "mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(FILES)
    assert data.class_counts(y_train, 10).tolist() == MNIST_TRAIN_COUNTS
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert len(requested) == 8  # each file: primary mirror down, then the fallback
    assert requested[1] == data._MNIST.mirrors[1] + FILES[0]
    requested.clear()
    data.load_mnist()  # now found in the cache
    assert requested == []


def test_download_fashion(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    requested: list[str] = []
    monkeypatch.setattr(data, "urlopen", _serve(_require(FASHION_DIR), requested))
    (_, y_train), _ = data.load_fashion_mnist()
    assert sorted(p.name for p in (isolated / "fashion-mnist").iterdir()) == sorted(FILES)
    assert requested == [data._FASHION.mirrors[0] + name for name in FILES]
    assert len(y_train) == 60000


def test_download_with_wrong_bytes_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    def wrong_bytes(url: str, timeout: float | None = None) -> io.BytesIO:
        return io.BytesIO(gzip.compress(b"not the official file"))

    monkeypatch.setattr(data, "urlopen", wrong_bytes)
    with pytest.raises(data.DataNotFoundError, match="sha256") as info:
        data.load_fashion_mnist()
    assert all(mirror in str(info.value) for mirror in data._FASHION.mirrors)
    assert list((isolated / "fashion-mnist").iterdir()) == []


# --------------------------------------------------------------------------- preparing


def test_select_labels_reindexes_in_given_order() -> None:
    x = np.arange(8 * 4).reshape(8, 2, 2)
    y = np.array([7, 1, 0, 3, 2, 7, 9, 1], dtype=np.uint8)
    x_sel, y_sel = data.select_labels(x, y, data.ORIGINAL_LABELS)
    assert y_sel.tolist() == [3, 0, 2, 1, 3, 0] and y_sel.dtype == np.uint8
    assert np.array_equal(x_sel, x[[0, 1, 3, 4, 5, 7]])
    _, y_rev = data.select_labels(x, y, [7, 1])
    assert y_rev.tolist() == [0, 1, 0, 1]
    assert data.class_names(data.ORIGINAL_LABELS) == ["Trouser", "Pullover", "Dress", "Sneaker"]
    assert data.class_names([3, 0], data.DIGIT_NAMES) == ["3", "0"]


def test_select_labels_on_fashion(fashion: tuple[data.Split, data.Split]) -> None:
    (x_train, y_train), _ = fashion
    x_sel, y_sel = data.select_labels(x_train, y_train, data.ORIGINAL_LABELS)
    assert x_sel.shape == (24000, 28, 28)
    assert data.class_counts(y_sel, 4).tolist() == [6000] * 4
    assert np.array_equal(x_sel[y_sel == 3], x_train[y_train == 7])


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([], "empty"),
        ([1, 2, 1], "more than once"),
        ([1, 10], "out of range"),
        ([-1, 2], "out of range"),
        ([1, 5], "no samples"),
        ([1.0, 2], "integers"),
    ],
)
def test_select_labels_errors(labels: list, match: str) -> None:
    y = np.array([1, 2, 3, 7, 1])
    with pytest.raises(ValueError, match=match):
        data.select_labels(np.zeros((5, 4)), y, labels)


def test_select_labels_length_mismatch() -> None:
    with pytest.raises(ValueError, match="4 samples but y has 5"):
        data.select_labels(np.zeros((4, 2)), np.array([1, 2, 3, 7, 1]), [1, 2])


def test_scale_images_and_class_counts() -> None:
    x = np.array([[[0, 255], [51, 102]]] * 3, dtype=np.uint8)
    scaled = data.scale_images(x)
    assert scaled.shape == (3, 4) and scaled.dtype == np.float32
    assert scaled[0].tolist() == pytest.approx([0.0, 1.0, 0.2, 0.4])
    with pytest.raises(ValueError, match="already scaled"):
        data.scale_images(scaled)
    assert data.class_counts(np.array([0, 2, 2]), 4).tolist() == [1, 0, 2, 0]
    with pytest.raises(ValueError, match="outside"):
        data.class_counts(np.array([0, 4]), 4)
