"""The Fashion-MNIST loader, on small IDX files made here: no network."""

import gzip
import hashlib
import shutil

import numpy as np
import pytest

from utils import fashion_mnist as fm


def _idx_bytes(array, code=0x08):
    header = (
        bytes([0, 0, code, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    )
    return header + array.astype(np.dtype(fm._IDX_TYPES[code])).tobytes()


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A local 'server' with tiny gzipped IDX files, the checksums pointing at them, and
    a downloader that copies from it and counts its calls."""
    rng = np.random.default_rng(0)
    parts = {
        "train_images": rng.integers(0, 256, (5, 28, 28)),
        "train_labels": np.arange(5),
        "test_images": rng.integers(0, 256, (3, 28, 28)),
        "test_labels": np.array([9, 0, 1]),
    }
    server = tmp_path / "server"
    server.mkdir()
    files = {}
    for part, array in parts.items():
        name = fm.FILES[part][0]
        data = gzip.compress(_idx_bytes(array), mtime=0)
        (server / name).write_bytes(data)
        files[part] = (name, "md5:" + hashlib.md5(data).hexdigest())
    monkeypatch.setattr(fm, "FILES", files)
    calls = []

    def downloader(url, output_file, pooch_instance):
        calls.append(url)
        shutil.copy(server / url.rsplit("/", 1)[1], output_file)

    return parts, server, downloader, calls


def test_read_idx_round_trip_for_several_types(tmp_path):
    for code, array in [
        (0x08, np.arange(24).reshape(2, 3, 4)),
        (0x0C, np.array([-5, 7])),
        (0x0D, np.array([[0.5, -1.25]])),
    ]:
        path = tmp_path / f"x{code}.idx"
        path.write_bytes(_idx_bytes(array, code))
        assert np.array_equal(fm.read_idx(path), array)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x01\x00\x08\x01\x00\x00\x00\x02ab", "bad magic"),
        (b"\x00\x00\x08\x02\x00\x00", "header cut short"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x05ab", "promises 5 bytes"),
    ],
)
def test_read_idx_rejects_malformed_files(tmp_path, content, message):
    path = tmp_path / "bad.idx"
    path.write_bytes(content)
    with pytest.raises(fm.IDXFormatError, match=message):
        fm.read_idx(path)


def test_load_downloads_once_verifies_and_caches(tmp_path, mirror):
    parts, _, downloader, calls = mirror
    cache = tmp_path / "cache"
    X_train, y_train, X_test, y_test = fm.load_fashion_mnist(cache, downloader)
    assert X_train.shape == (5, 784) and X_test.shape == (3, 784)
    assert X_train.dtype == np.float64 and 0 <= X_train.min() and X_train.max() <= 1
    assert np.allclose(X_train[0], parts["train_images"][0].ravel() / 255)
    assert list(y_test) == [9, 0, 1] and y_train.dtype == np.int64
    assert len(calls) == 4 and all(c.startswith(fm.BASE_URL) for c in calls)
    fm.load_fashion_mnist(cache, downloader)
    assert len(calls) == 4, "a second call must use the cache, not download again"


def test_a_corrupted_download_is_rejected(tmp_path, mirror):
    _, server, downloader, _ = mirror
    name = fm.FILES["test_labels"][0]
    (server / name).write_bytes(gzip.compress(b"tampered", mtime=0))
    with pytest.raises(ValueError, match="(?i)hash"):
        fm.load_fashion_mnist(tmp_path / "cache", downloader)


def test_published_checksums_are_md5():
    assert set(fm.FILES) == {
        "train_images",
        "train_labels",
        "test_images",
        "test_labels",
    }
    assert all(h.startswith("md5:") and len(h) == 36 for _, h in fm.FILES.values())


def test_is_cached_only_after_a_download_and_never_downloads(tmp_path, mirror):
    _, _, downloader, calls = mirror
    cache = tmp_path / "cache"
    assert not fm.fashion_mnist_is_cached(cache)
    assert calls == [] and not cache.exists(), (
        "the check must not download or create anything"
    )
    fm.load_fashion_mnist(cache, downloader)
    assert fm.fashion_mnist_is_cached(cache)
    (cache / fm.FILES["test_labels"][0]).unlink()
    assert not fm.fashion_mnist_is_cached(cache), "three files of four are not a cache"


def test_default_cache_is_the_course_folder(monkeypatch, tmp_path):
    import pooch

    monkeypatch.setattr(pooch, "os_cache", lambda project: tmp_path / project)
    assert fm.cache_folder() == tmp_path / "nn-foundations-course"
    assert not fm.fashion_mnist_is_cached()
