"""Tests of ``qnn_helpers.data``: finding, verifying, downloading and reading the IDX files.

Most tests run on small IDX files that they write themselves, described by a
:class:`qnn_helpers.data.Dataset` with those files' checksums, and download
them from a web server on 127.0.0.1: they need no shared data and no network.
The official files are read only by the tests marked so, which are skipped when
``../shared/data`` is absent.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import os
import struct
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from qnn_helpers import data, lessons

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FASHION_DIR = SHARED_DATA / "fashion-mnist"
MNIST_DIR = SHARED_DATA / "mnist"
FILES = data.FILES
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def _require(folder: Path) -> Path:
    """Skip the test unless ``folder`` holds the four official files."""
    if not all((folder / name).is_file() for name in FILES):
        pytest.skip(f"official data files not found in {folder}")
    return folder


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No user environment: empty cache, search variables unset."""
    for var in ("QNN_DATA_DIR", "QNN_MNIST_DIR"):
        monkeypatch.delenv(var, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("QNN_CACHE_DIR", str(cache))
    return cache


# --------------------------------------------------------------------------- small files


def _idx_images(n: int, rows: int = 3, cols: int = 2, magic: int = 0x803) -> bytes:
    pixels = bytes(i % 256 for i in range(n * rows * cols))
    return struct.pack(">IIII", magic, n, rows, cols) + pixels


def _idx_labels(labels: list[int]) -> bytes:
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def _write_gz(path: Path, payload: bytes, mtime: float = 0) -> Path:
    """Write ``payload`` gzip'd to ``path`` (``mtime``: the gzip header's timestamp)."""
    path.write_bytes(gzip.compress(payload, mtime=mtime))
    return path


TINY_CONTENT = {
    FILES[0]: _idx_images(5),
    FILES[1]: _idx_labels([1, 2, 3, 7, 1]),
    FILES[2]: _idx_images(2),
    FILES[3]: _idx_labels([7, 3]),
}


def _sha(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _tiny_folder(folder: Path) -> Path:
    """``folder`` with the four small gzip'd IDX files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in TINY_CONTENT.items():
        _write_gz(folder / name, content)
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[data.Dataset, data.Dataset, Path]:
    """Two small datasets, checked like Fashion-MNIST (gz) and like MNIST (content).

    Returns them and the folder holding their files.
    """
    folder = _tiny_folder(tmp_path / "tiny")
    gz = {name: _sha((folder / name).read_bytes()) for name in FILES}
    content = {name: _sha(payload) for name, payload in TINY_CONTENT.items()}
    fashion = dataclasses.replace(data.FASHION_MNIST, checksums=gz)
    mnist = dataclasses.replace(data.MNIST, checksums=content)
    return fashion, mnist, folder


class _Server(http.server.ThreadingHTTPServer):
    """Serves ``root``'s files under ``/up/``; ``/down/`` is a mirror that answers 503."""

    def __init__(self, root: Path) -> None:
        self.root, self.requested = root, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                server.requested.append(self.path)
                mirror, _, name = self.path.strip("/").partition("/")
                path = server.root / name
                if mirror != "up" or not path.is_file():
                    self.send_error(503 if mirror == "down" else 404)
                    return
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, mirror: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{mirror}/"


@pytest.fixture
def server(tmp_path: Path):
    """A local web server for the small files (loopback only)."""
    srv = _Server(_tiny_folder(tmp_path / "served"))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


# --------------------------------------------------------------------------- imports


def test_importing_data_does_not_import_tensorflow() -> None:
    code = ("import sys, qnn_helpers.data; "
            "print(sorted({'tensorflow', 'keras', 'pennylane'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- searching


def test_reads_small_files_from_data_dir(tiny) -> None:
    fashion, _, folder = tiny
    (x_train, y_train), (x_test, y_test) = data.load(fashion, folder, download=False)
    assert x_train.shape == (5, 3, 2) and x_train.dtype == np.uint8
    assert y_train.tolist() == [1, 2, 3, 7, 1] and y_test.tolist() == [7, 3]
    assert x_test.ravel().tolist() == list(range(12))


def test_search_order(tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path):
    fashion, _, folder = tiny
    env = _tiny_folder(tmp_path / "env")
    cached = _tiny_folder(isolated / fashion.name)
    assert data.locate(fashion, download=False) == cached
    monkeypatch.setenv("QNN_DATA_DIR", str(env))  # the variable wins over the cache
    assert data.locate(fashion, download=False) == env
    assert data.locate(fashion, folder, download=False) == folder  # data_dir wins
    monkeypatch.setenv("QNN_MNIST_DIR", str(folder))  # each dataset has its own variable
    assert data.locate(data.MNIST, download=False) == folder


@pytest.mark.parametrize("how", ["data_dir", "QNN_DATA_DIR"])
def test_a_folder_that_does_not_exist_is_refused(tiny, tmp_path: Path, isolated: Path,
                                                 monkeypatch: pytest.MonkeyPatch, how: str):
    fashion, _, _ = tiny
    _tiny_folder(isolated / fashion.name)  # the data is in the cache, but not where asked
    missing = tmp_path / "nowhere"
    if how == "QNN_DATA_DIR":
        monkeypatch.setenv("QNN_DATA_DIR", str(missing))
    with pytest.raises(data.DataNotFoundError) as info:
        data.locate(fashion, missing if how == "data_dir" else None)
    message = str(info.value)
    assert f"{how if how == 'data_dir' else '$' + how} is {missing}, which is not a folder" \
        in message
    assert "QNN_DATA_DIR=/path/to/folder" in message and "data_dir=" in message


def test_an_incomplete_folder_is_refused(tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fashion, _, folder = tiny
    partial = _tiny_folder(tmp_path / "partial")
    (partial / FILES[3]).unlink()
    monkeypatch.setenv("QNN_DATA_DIR", str(folder))  # complete, but not the one asked for
    with pytest.raises(data.DataNotFoundError, match=f"which lacks {FILES[3]}"):
        data.locate(fashion, partial, download=False)


def test_nothing_found_without_download(isolated: Path) -> None:
    with pytest.raises(data.DataNotFoundError) as info:
        data.load_fashion_mnist(download=False)
    message = str(info.value)
    assert "QNN_DATA_DIR=/path/to/folder" in message and "data_dir=" in message
    assert str(isolated / "fashion-mnist") in message and "download=False" in message
    assert all(name in message for name in FILES)
    assert "fashion-mnist.s3-website.eu-central-1.amazonaws.com" in message
    assert isinstance(info.value, FileNotFoundError)


def test_nothing_found_and_no_server(tiny, server: _Server, isolated: Path) -> None:
    _, mnist, _ = tiny
    mnist = dataclasses.replace(mnist, mirrors=(server.url("down"), server.url("gone")))
    with pytest.raises(data.DataNotFoundError, match="QNN_MNIST_DIR") as info:
        data.load(mnist, download=True)
    assert "503" in str(info.value) and "404" in str(info.value)
    assert not [path for path in isolated.rglob("*") if path.is_file()]


# --------------------------------------------------------------------------- verifying


def test_corrupted_label_file_is_rejected(tiny) -> None:
    fashion, _, folder = tiny
    raw = bytearray((folder / FILES[1]).read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (folder / FILES[1]).write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="sha256") as info:
        data.load(fashion, folder, download=False)
    message = str(info.value)
    assert FILES[1] in message and fashion.checksums[FILES[1]] in message
    assert "corrupted or not the official" in message


def test_content_checksum_ignores_the_gzip_header(tiny) -> None:
    _, mnist, folder = tiny
    _write_gz(folder / FILES[3], TINY_CONTENT[FILES[3]], mtime=12345)  # new header, same content
    (_, _), (_, y_test) = data.load(mnist, folder, download=False)
    assert y_test.tolist() == [7, 3]
    _write_gz(folder / FILES[3], _idx_labels([7, 4]))
    with pytest.raises(ValueError, match="sha256 of the decompressed content"):
        data.load(mnist, folder, download=False)


def test_a_changed_file_is_checked_again(tiny) -> None:
    fashion, _, folder = tiny
    data.load(fashion, folder, download=False)  # verified (and remembered)
    _write_gz(folder / FILES[3], _idx_labels([7, 7]), mtime=99)
    os.utime(folder / FILES[3], ns=(0, 0))
    with pytest.raises(ValueError, match="sha256"):
        data.load(fashion, folder, download=False)


# --------------------------------------------------------------------------- IDX reader


def test_idx_reader_reads_small_files(tmp_path: Path) -> None:
    images = data.read_idx(_write_gz(tmp_path / "i.gz", _idx_images(2)), "images")
    assert images.shape == (2, 3, 2) and images.dtype == np.uint8
    assert images.ravel().tolist() == list(range(12))
    labels = data.read_idx(_write_gz(tmp_path / "l.gz", _idx_labels([1, 2, 9])), "labels")
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
        data.read_idx(_write_gz(tmp_path / "bad.gz", payload), kind)


def test_idx_reader_rejects_bad_gzip(tmp_path: Path) -> None:
    truncated = gzip.compress(_idx_images(4))[:-12]
    (tmp_path / "t.gz").write_bytes(truncated)
    with pytest.raises(ValueError, match="not a valid gzip"):
        data.read_idx(tmp_path / "t.gz", "images")
    (tmp_path / "p.gz").write_bytes(_idx_images(1))
    with pytest.raises(ValueError, match="not a valid gzip"):
        data.read_idx(tmp_path / "p.gz", "images")


# --------------------------------------------------------------------------- downloading


@pytest.mark.parametrize("kind", ["gz", "decompressed"])
def test_download_into_empty_cache(tiny, server: _Server, isolated: Path, kind: str) -> None:
    fashion, mnist, _ = tiny
    dataset = fashion if kind == "gz" else mnist
    dataset = dataclasses.replace(dataset, mirrors=(server.url("down"), server.url("up")))
    (x_train, y_train), _ = data.load(dataset)
    cache = isolated / dataset.name
    assert sorted(p.name for p in cache.iterdir()) == sorted(FILES)
    assert y_train.tolist() == [1, 2, 3, 7, 1] and x_train.shape == (5, 3, 2)
    assert len(server.requested) == 8  # each file: first mirror down, then the second
    assert server.requested[1] == "/up/" + FILES[0]
    server.requested.clear()
    data.load(dataset)  # now found in the cache
    assert server.requested == []


@pytest.mark.parametrize("kind", ["gz", "decompressed"])
def test_download_with_wrong_bytes_leaves_nothing(
    tiny, server: _Server, isolated: Path, kind: str
) -> None:
    fashion, mnist, _ = tiny
    dataset = fashion if kind == "gz" else mnist
    wrong = {name: "0" * 64 for name in FILES}
    dataset = dataclasses.replace(dataset, checksums=wrong, mirrors=(server.url("up"),))
    with pytest.raises(data.DataNotFoundError, match="sha256") as info:
        data.load(dataset)
    assert server.url("up") in str(info.value)
    assert [p for p in (isolated / dataset.name).iterdir() if p.is_file()] == []


# --------------------------------------------------------------------------- official files


@pytest.fixture(scope="module")
def fashion() -> tuple[data.Split, data.Split]:
    """Fashion-MNIST from the official files, loaded once."""
    return data.load_fashion_mnist(_require(FASHION_DIR), download=False)


def test_fashion_shapes_dtypes_and_counts(fashion: tuple[data.Split, data.Split]) -> None:
    (x_train, y_train), (x_test, y_test) = fashion
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert lessons.class_counts(y_train, 10).tolist() == [6000] * 10
    assert lessons.class_counts(y_test, 10).tolist() == [1000] * 10
    assert round(float(x_train.mean(dtype=np.float64)), 2) == 72.94


def test_mnist_shapes_and_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QNN_MNIST_DIR", str(_require(MNIST_DIR)))
    (x_train, y_train), (x_test, y_test) = data.load_mnist(download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert lessons.class_counts(y_train, 10).tolist() == MNIST_TRAIN_COUNTS
    assert int(lessons.class_counts(y_test, 10).sum()) == 10000


# --------------------------------------------------------------------------- preparing


def test_select_labels_reindexes_in_given_order() -> None:
    x = np.arange(8 * 4).reshape(8, 2, 2)
    y = np.array([7, 1, 0, 3, 2, 7, 9, 1], dtype=np.uint8)
    x_sel, y_sel = lessons.select_labels(x, y, data.ORIGINAL_LABELS)
    assert y_sel.tolist() == [3, 0, 2, 1, 3, 0] and y_sel.dtype == np.uint8
    assert np.array_equal(x_sel, x[[0, 1, 3, 4, 5, 7]])
    _, y_rev = lessons.select_labels(x, y, [7, 1])
    assert y_rev.tolist() == [0, 1, 0, 1]
    assert lessons.class_names(data.ORIGINAL_LABELS) == ["Trouser", "Pullover", "Dress", "Sneaker"]
    assert lessons.class_names([3, 0], data.DIGIT_NAMES) == ["3", "0"]


def test_select_labels_on_fashion(fashion: tuple[data.Split, data.Split]) -> None:
    (x_train, y_train), _ = fashion
    x_sel, y_sel = lessons.select_labels(x_train, y_train, data.ORIGINAL_LABELS)
    assert x_sel.shape == (24000, 28, 28)
    assert lessons.class_counts(y_sel, 4).tolist() == [6000] * 4
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
        lessons.select_labels(np.zeros((5, 4)), y, labels)


def test_select_labels_length_mismatch() -> None:
    with pytest.raises(ValueError, match="4 samples but y has 5"):
        lessons.select_labels(np.zeros((4, 2)), np.array([1, 2, 3, 7, 1]), [1, 2])


def test_scale_images_and_class_counts() -> None:
    x = np.array([[[0, 255], [51, 102]]] * 3, dtype=np.uint8)
    scaled = lessons.scale_images(x)
    assert scaled.shape == (3, 4) and scaled.dtype == np.float32
    assert scaled[0].tolist() == pytest.approx([0.0, 1.0, 0.2, 0.4])
    with pytest.raises(ValueError, match="already scaled"):
        lessons.scale_images(scaled)
    assert lessons.class_counts(np.array([0, 2, 2]), 4).tolist() == [1, 0, 2, 0]
    with pytest.raises(ValueError, match="outside"):
        lessons.class_counts(np.array([0, 4]), 4)
