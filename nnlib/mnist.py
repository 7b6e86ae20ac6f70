"""MNIST (70 000 handwritten digits, 28x28): downloaded on demand, checked, cached.

    X_train, y_train, X_test, y_test = load_mnist()

The four files (about 11 MB) are fetched once from a public mirror, their
MD5 checksums verified, and kept in ~/.cache/nnlib/mnist (or cache_dir). With
download=False, or without a network, a clear MnistUnavailable error says what
is missing and how to get it; nothing half-downloaded is ever kept.
"""

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from .checks import flag, positive_number

MIRRORS = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"]
FILES = {  # name -> MD5 of the .gz file
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}


class MnistUnavailable(RuntimeError):
    """MNIST is not in the cache and could not be downloaded (offline, or download=False)."""


def default_cache():
    return Path(os.environ.get("NNLIB_CACHE", Path.home() / ".cache" / "nnlib")) / "mnist"


def read_idx(data):
    """Return the array stored in IDX format (the bytes of an uncompressed file)."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("not an IDX file of unsigned bytes (the first bytes should be 0 0 8 ndim)")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"IDX header says shape {shape} but the file holds {body.size} values")
    return body.reshape(shape)


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()  # an integrity check, not security


def fetch(name, checksum, cache, mirrors, timeout):
    """Return the path of a verified copy of name, downloading it into cache if needed."""
    target = cache / name
    if target.exists() and md5(target) == checksum:
        return target
    errors = []
    for mirror in mirrors:
        try:
            with urllib.request.urlopen(mirror + name, timeout=timeout) as response, \
                    tempfile.NamedTemporaryFile(dir=cache, delete=False) as part:
                shutil.copyfileobj(response, part)
        except (urllib.error.URLError, OSError) as err:
            errors.append(f"{mirror}: {getattr(err, 'reason', err)}")
            continue
        if md5(part.name) != checksum:
            os.unlink(part.name)  # a corrupt or truncated download is never kept
            errors.append(f"{mirror}: the download of {name} is corrupt (checksum mismatch)")
            continue
        os.replace(part.name, target)
        return target
    raise MnistUnavailable(f"could not download {name}: " + "; ".join(errors)
                           + ". Are you offline? Once you have a network connection, run load_mnist() again.")


def load_mnist(cache_dir=None, download=True, mirrors=None, files=None, timeout=30):
    """Return (X_train, y_train, X_test, y_test): images as float rows in [0, 1], labels 0..9.

    X_train is (60000, 784) and X_test (10000, 784) for the real MNIST.
    """
    download, timeout = flag(download, "download"), positive_number(timeout, "timeout (seconds)", example=30)
    cache = Path(cache_dir) if cache_dir else default_cache()
    files = files or FILES
    cached = {name: cache / name for name in files if (cache / name).exists() and md5(cache / name) == files[name]}
    missing = [name for name in files if name not in cached]
    if missing and not download:
        raise MnistUnavailable(f"MNIST is not in {cache} (missing {', '.join(missing)}); "
                               "call load_mnist(download=True) to fetch it (about 11 MB)")
    cache.mkdir(parents=True, exist_ok=True)
    paths = {name: cached.get(name) or fetch(name, files[name], cache, mirrors or MIRRORS, timeout) for name in files}
    arrays = [read_idx(gzip.decompress(paths[name].read_bytes())) for name in files]
    train_images, train_labels, test_images, test_labels = arrays
    flat = lambda images: images.reshape(len(images), -1).astype(np.float32) / 255  # noqa: E731
    return flat(train_images), train_labels.astype(int), flat(test_images), test_labels.astype(int)
