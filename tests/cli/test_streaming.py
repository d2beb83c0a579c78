"""``cleaner clean`` as a stream: --jobs N writes exactly what one job writes, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

from cleaner.cli.streaming import file_items, jsonl_items, total_size

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPORA = ROOT.parent / "shared" / "corpora"


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", *args], input=stdin, capture_output=True, check=False, timeout=300
    )


def _records() -> list[str]:
    """Seeds and (when present) corpus pages as JSONL, plus the awkward lines a real dump has."""
    lines = []
    for i, seed in enumerate(SEEDS * 8):
        record = {"id": f"seed-{i}", "text": seed.read_text(encoding="utf-8"), "meta": {"n": i, "tags": ["a", "ü"]}}
        lines.append(json.dumps(record, ensure_ascii=i % 2 == 0))
    for manifest in sorted(CORPORA.glob("*/manifest.jsonl")):
        with manifest.open(encoding="utf-8") as handle:
            for entry in islice(map(json.loads, handle), 60):
                text = (manifest.parent / entry["input"]).read_text(encoding="utf-8")
                lines.append(json.dumps({"url": entry.get("url"), "text": text, "id": entry["id"]}))
    # Passed through with a warning, blank lines skipped, a refused document, odd types.
    lines[3:3] = ["not json at all", "", '{"id": "no-text"}', '{"text": 42}', "   ", "[1, 2]"]
    lines.append(json.dumps({"id": "all-boilerplate", "text": "Source link\nBack to top button\nSpread the love"}))
    return lines


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    path.write_text("\n".join(_records()) + "\n", encoding="utf-8")
    return path


def test_jobs_two_writes_exactly_what_one_job_writes_on_jsonl(jsonl: Path) -> None:
    one = _cli("--jsonl", str(jsonl))
    two = _cli("--jsonl", "--jobs", "2", str(jsonl))
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    out = one.stdout.decode().splitlines()
    assert len(out) == len([line for line in _records() if line.strip()])
    ids = [json.loads(line).get("id") for line in out if line.startswith("{")]
    expected = [json.loads(line).get("id") for line in _records() if line.startswith("{")]
    assert ids == expected
    assert "not JSON" in one.stderr.decode()
    assert "refused" in one.stderr.decode()


def test_jobs_two_on_seed_files_with_explain(tmp_path: Path) -> None:
    files = [str(p) for p in SEEDS]
    one = _cli("--explain", *files)
    two = _cli("--explain", "-j", "2", *files)
    assert one.returncode == two.returncode == 0
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    # Each seed cleans on its own to the same text as in the batch.
    alone = _cli(files[0])
    assert one.stdout.startswith(alone.stdout)


def test_stdin_jsonl_streams_too(jsonl: Path) -> None:
    data = jsonl.read_bytes()
    assert _cli("--jsonl", "-j", "2", stdin=data).stdout == _cli("--jsonl", str(jsonl)).stdout


def test_closed_pipe_stops_quietly(jsonl: Path) -> None:
    cmd = f"{sys.executable} -m cleaner clean --jsonl -j 2 {jsonl} {jsonl} {jsonl} | head -n 1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"Error" not in done.stderr
    assert len(done.stdout.splitlines()) == 1


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    done = _cli("--jsonl", "-j", "2", str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert b"cannot read" in done.stderr


def test_items_carry_their_byte_sizes(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes('{"text": "é"}\n\n{"text": "b"}\r\n'.encode())
    items = list(jsonl_items([str(path)]))
    assert [where for (where, _), _ in items] == [f"{path}:1", f"{path}:3"]
    assert sum(size for _, size in items) == path.stat().st_size - 1  # the blank line is skipped
    assert total_size([str(path)]) == path.stat().st_size
    assert total_size([str(path), "-"]) is None
    text = list(file_items([str(path)], lambda name: Path(name).read_text(encoding="utf-8")))
    assert text[0][1] == path.stat().st_size


def test_no_heavy_imports_for_a_plain_one_job_run(tmp_path: Path) -> None:
    code = (
        "import sys; from cleaner.cli.app import main; main(['clean', sys.argv[1]]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'multiprocessing', 'concurrent', "
        "'trafilatura'}), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEEDS[0])], capture_output=True, check=True, timeout=120
    )
    assert done.stderr.decode().strip().splitlines()[-1] == "[]"


def test_jobs_two_encodes_as_stdout_would(jsonl: Path) -> None:
    # Workers encode results for the writer; the encoding and error handler are stdout's.
    import os

    env = {**os.environ, "PYTHONIOENCODING": "ascii:backslashreplace"}
    runs = [
        subprocess.run([sys.executable, "-m", "cleaner", "clean", "--jsonl", *jobs, str(jsonl)],
                       capture_output=True, check=False, timeout=300, env=env)
        for jobs in ([], ["--jobs", "2"])
    ]
    assert runs[0].returncode == runs[1].returncode == 0
    assert runs[1].stdout == runs[0].stdout
    assert b"\\xfc" in runs[0].stdout  # the "ü" of the records' tags, as backslashreplace writes it


def test_byte_stream_only_under_a_plain_text_wrapper(tmp_path: Path) -> None:
    import io

    from cleaner.cli.streaming import _byte_stream

    assert _byte_stream(io.StringIO()) is None
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as handle:
        assert _byte_stream(handle) is handle.buffer
