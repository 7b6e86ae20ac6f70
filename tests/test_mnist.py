"""The MNIST loader against a tiny IDX fixture served on 127.0.0.1: no real network is used."""

import gzip
import hashlib
import http.server
import threading

import numpy as np
import pytest

from nnlib.metrics import confusion_matrix
from nnlib.mnist import MnistUnavailable, load_mnist, read_idx


def idx(array):
    """Encode a uint8 array in IDX format."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture(scope="module")
def fixture_files():
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte.gz": rng.integers(0, 256, size=(5, 28, 28)),
              "train-labels-idx1-ubyte.gz": np.array([0, 1, 2, 3, 4]),
              "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, size=(3, 28, 28)),
              "t10k-labels-idx1-ubyte.gz": np.array([7, 8, 9])}
    return {name: gzip.compress(idx(a)) for name, a in arrays.items()}, arrays


@pytest.fixture
def server(fixture_files):
    """Serve the fixture files on 127.0.0.1; `corrupt` makes it send wrong bytes."""
    files, _ = fixture_files
    state = {"requests": 0, "corrupt": False}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"] += 1
            name = self.path.rsplit("/", 1)[-1]
            if name not in files:
                self.send_error(404)
                return
            body = files[name][:-10] if state["corrupt"] else files[name]  # truncated when corrupt
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/mnist/", state
    httpd.shutdown()
    httpd.server_close()


def checksums(files):
    return {name: hashlib.md5(data).hexdigest() for name, data in files.items()}


def test_downloads_verifies_parses_and_caches(tmp_path, server, fixture_files):
    url, state = server
    files, arrays = fixture_files
    X_train, y_train, X_test, y_test = load_mnist(tmp_path, mirrors=[url], files=checksums(files), timeout=5)
    assert X_train.shape == (5, 784) and X_test.shape == (3, 784) and X_train.dtype == np.float32
    assert np.allclose(X_train[2], arrays["train-images-idx3-ubyte.gz"][2].ravel() / 255)
    assert y_train.tolist() == [0, 1, 2, 3, 4] and y_test.tolist() == [7, 8, 9]
    assert state["requests"] == 4
    load_mnist(tmp_path, mirrors=[url], files=checksums(files))  # from the cache: no new request
    assert state["requests"] == 4
    load_mnist(tmp_path, download=False, files=checksums(files))


def test_a_corrupt_download_is_refused_and_not_kept(tmp_path, server, fixture_files):
    url, state = server
    state["corrupt"] = True
    with pytest.raises(MnistUnavailable, match="corrupt \\(checksum mismatch\\)"):
        load_mnist(tmp_path, mirrors=[url], files=checksums(fixture_files[0]), timeout=5)
    assert list(tmp_path.iterdir()) == []  # nothing half-downloaded left behind
    state["corrupt"] = False  # the next mirror (or try) that is right is used
    load_mnist(tmp_path, mirrors=[url], files=checksums(fixture_files[0]), timeout=5)


def test_a_corrupt_mirror_falls_back_to_the_next(tmp_path, server, fixture_files):
    url, state = server
    bad = url.replace("/mnist/", "/missing/")  # answers 404
    X_train, *_ = load_mnist(tmp_path, mirrors=[bad, url], files=checksums(fixture_files[0]), timeout=5)
    assert len(X_train) == 5


def test_offline_says_so_clearly(tmp_path, fixture_files):
    import socket

    with socket.socket() as s:  # a port on which nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MnistUnavailable, match="Are you offline"):
        load_mnist(tmp_path, mirrors=[f"http://127.0.0.1:{port}/"], files=checksums(fixture_files[0]), timeout=2)


def test_without_download_it_says_how_to_get_it(tmp_path):
    with pytest.raises(MnistUnavailable, match=r"not in .* call load_mnist\(download=True\)"):
        load_mnist(tmp_path, download=False)


def test_read_idx_rejects_other_files():
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(b"PK\x03\x04 a zip file")
    with pytest.raises(ValueError, match="header says shape"):
        read_idx(idx(np.zeros((2, 3)))[:-1])


def test_accuracy_is_the_fraction_right():
    from nnlib.metrics import accuracy

    assert accuracy([0, 1, 2, 2], [0, 1, 1, 2]) == 0.75


def test_confusion_matrix_counts():
    C = confusion_matrix([0, 1, 2, 2, 1], [0, 2, 2, 2, 1])
    assert C.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 2]]
    assert C.sum() == 5 and np.trace(C) == 4
    with pytest.raises(ValueError, match="one prediction per sample"):
        confusion_matrix([0, 1], [0])
