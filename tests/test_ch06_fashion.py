"""Chapter 6's optional Fashion-MNIST cell: skipped without the data (as on the build
machine), and it runs through when the files are in the course's cache folder (tiny fake
files here: no network)."""

import contextlib
import gzip
import hashlib
import io

import nbformat
import numpy as np
import pytest

from tests.helpers import CHAPTERS, SOLUTIONS, notebook
from utils import fashion_mnist as fm
from utils.reference import LinearClassifier
from utils.training import evaluate_accuracy, train

SKIP = "Fashion-MNIST is not downloaded: this optional cell is skipped."


def _cell(folder):
    nb = nbformat.read(
        str(notebook(6, {"solutions": SOLUTIONS, "chapters": CHAPTERS}[folder])),
        as_version=4,
    )
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "fashion_mnist_is_cached()" in c.source
    ]
    assert len(cells) == 1
    return cells[0]


def _run(source):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(
            source,
            {
                "np": np,
                "LinearClassifier": LinearClassifier,
                "train": train,
                "evaluate_accuracy": evaluate_accuracy,
            },
        )
    return out.getvalue()


@pytest.fixture
def course_cache(tmp_path, monkeypatch):
    """The course's cache folder, redirected to an empty temporary one."""
    import pooch

    monkeypatch.setattr(pooch, "os_cache", lambda project: tmp_path / project)
    return tmp_path / "nn-foundations-course"


@pytest.mark.parametrize("folder", ["solutions", "chapters"])
def test_stored_output_is_the_skip_message(folder):
    text = "".join(o.get("text", "") for o in _cell(folder).outputs)
    assert text.startswith(SKIP) and "load_fashion_mnist()" in text
    assert "validation" not in text


def test_without_the_data_the_cell_skips_and_downloads_nothing(
    course_cache, monkeypatch
):
    def no_download(*args, **kwargs):
        raise AssertionError("the optional cell must not download")

    monkeypatch.setattr(fm, "load_fashion_mnist", no_download)
    monkeypatch.setattr(fm, "fetch_files", no_download)
    printed = _run(_cell("solutions").source)
    assert printed.startswith(SKIP)
    assert not course_cache.exists()


def test_with_the_data_cached_the_cell_trains_both_models(course_cache, monkeypatch):
    rng = np.random.default_rng(0)
    parts = {
        "train_images": rng.integers(0, 256, (60, 28, 28)),
        "train_labels": np.arange(60) % 10,
        "test_images": rng.integers(0, 256, (20, 28, 28)),
        "test_labels": np.arange(20) % 10,
    }
    course_cache.mkdir(parents=True)
    files = {}
    for part, array in parts.items():
        name = fm.FILES[part][0]
        header = (
            bytes([0, 0, 0x08, array.ndim])
            + np.array(array.shape, dtype=">u4").tobytes()
        )
        data = gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)
        (course_cache / name).write_bytes(data)
        files[part] = (name, "md5:" + hashlib.md5(data).hexdigest())
    monkeypatch.setattr(fm, "FILES", files)
    assert fm.fashion_mnist_is_cached()
    source = _cell("solutions").source
    assert "N_TRAIN, N_VAL = 10_000, 2_000" in source
    printed = _run(
        source.replace("N_TRAIN, N_VAL = 10_000, 2_000", "N_TRAIN, N_VAL = 40, 10")
    )
    lines = printed.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["linear", "two-layer"]
    assert all("validation" in line and "test" in line for line in lines)
