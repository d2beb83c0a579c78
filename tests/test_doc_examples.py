"""Every `cleaner ...` example in the README and in `--help` runs, as written, in a sandbox.

The sandbox holds the files the examples name (article.txt, pages.jsonl, my-rules/, ...), made
from the seeds and the mining fixtures. An example exits 0, or 1 where it asks for findings
(`--check`, `--exit-code`). Examples that need the network or the shared corpora are listed in
SKIPPED, with the reason.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT, write_simple_rule

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MINE_PAGES = sorted((ROOT / "tests" / "fixtures" / "mine" / "riverbend-gazette.example" / "pages").glob("*.txt"))
COMMANDS = ("clean", "rules", "mine", "bench", "explain")
SKIPPED = {
    "trafilatura -u": "downloads a page",
    "../shared/corpora": "the shared corpora are not part of the repository",
    "MANIFEST": "a placeholder for the reader's manifest",
    "rules fit": "fits on labelled manifests that benchmarks/labels/ materialises from the shared corpora",
    "crawl.jsonl": "a placeholder for the reader's crawl (learning needs many pages of a site)",
    "packs/": "packs saved by an earlier --save-learned run over a crawl",
    "more.jsonl": "a placeholder for the reader's next crawl",
}
PAGE = "<html><body><article><h1>Title</h1><p>" + "The council met on Tuesday. " * 20 + "</p></article></body></html>"


def _readme_examples() -> list[str]:
    """Indented code lines of the README that run `cleaner` (comments are bash's to drop)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    return [line for line in lines if re.match(r"(\S*/)?cleaner ", line) or "| cleaner " in line]


def _help_examples() -> list[str]:
    """The `examples:` lines of `cleaner --help` and each command's: the command, then two spaces and prose."""
    from cleaner.cli.app import DESCRIPTION
    from cleaner.cli.commands import COMMANDS as MODULES

    texts = [DESCRIPTION, *(module.EPILOG for module in MODULES)]
    found = []
    for text in texts:
        block = text.split("examples:\n", 1)[1].split("\n\n", 1)[0]
        commands = [line.strip() for line in block.splitlines()]
        found += [re.split(r"\s{2,}", line, maxsplit=1)[0] for line in commands
                  if line.startswith("cleaner ") or "| cleaner " in line]
    return found


EXAMPLES = list(dict.fromkeys([*_readme_examples(), *_help_examples()]))


def test_examples_were_found() -> None:
    assert len(EXAMPLES) > 40
    assert {example.split()[1] for example in EXAMPLES if example.startswith("cleaner ")} >= set(COMMANDS)


@pytest.fixture(scope="module")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sandbox")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "benchmarks", root / "benchmarks", ignore=shutil.ignore_patterns("results"))
    (root / "docs").mkdir()
    for name in ("article.txt", "a.txt", "b.txt", "page.txt"):
        shutil.copy(SEEDS[3], root / name)
    for folder in ("articles", "held-out"):
        (root / folder).mkdir()
        for seed in SEEDS:
            shutil.copy(seed, root / folder / seed.name)
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    records = [
        {"id": n, "text": seed.read_text(encoding="utf-8"), "body": seed.read_text(encoding="utf-8"),
         "url": "https://thehill.com/a", "link": "https://thehill.com/a"}
        for n, seed in enumerate(SEEDS)
    ]
    jsonl = "".join(json.dumps(record) + "\n" for record in records)
    for name in ("pages.jsonl", "in.jsonl", "big.jsonl"):
        (root / name).write_text(jsonl, encoding="utf-8")
    (root / "dump.jsonl.gz").write_bytes(gzip.compress(jsonl.encode()))
    # A site's pages for `mine`: a folder, a manifest and a crawl, all of example.com.
    (root / "pages").mkdir()
    crawl, manifest = [], []
    for n, page in enumerate(MINE_PAGES):
        name = "abc"[n] + ".txt" if n < 3 else page.name
        shutil.copy(page, root / "pages" / name)
        text = page.read_text(encoding="utf-8")
        url = f"https://www.example.com/news/{n}"
        crawl.append({"text": text, "body": text, "url": url, "link": url})
        manifest.append({"id": str(n), "input": f"pages/{name}", "url": url})
    (root / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in crawl), encoding="utf-8")
    (root / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in manifest), encoding="utf-8")
    # A user's rules, and corpora scored with them.
    for folder in ("my-rules", "rules"):
        write_simple_rule(root / folder, "read-next", "line", "(?i)read next:.*", "Read next: a story", "Read on.")
    for folder in ("my", "corpus"):
        (root / folder).mkdir()
        lines = (ROOT / "benchmarks" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
        rebased = [json.dumps({**(r := json.loads(line)), "input": f"../benchmarks/{r['input']}",
                               "gold": f"../benchmarks/{r['gold']}"}) for line in lines]
        (root / folder / "manifest.jsonl").write_text("\n".join(rebased) + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs(example: str, sandbox_template: Path, tmp_path: Path) -> None:
    for marker, reason in SKIPPED.items():
        if marker in example:
            pytest.skip(reason)
    sandbox = tmp_path / "sandbox"
    shutil.copytree(sandbox_template, sandbox, symlinks=True)
    venv_bin = Path(sys.executable).parent
    (sandbox / ".venv").mkdir()
    (sandbox / ".venv" / "bin").symlink_to(venv_bin)
    env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}", "URL": "https://thehill.com/policy/1"}
    env.pop("NO_COLOR", None)
    # `less` is a pager: in a test it is `cat`.
    script = f"set -o pipefail\nless() {{ cat; }}\n{example}\n"
    done = subprocess.run(["bash", "-c", script], cwd=sandbox, env=env, capture_output=True, text=True, timeout=300)
    expected = 1 if ("--check" in example or "--exit-code" in example) else 0
    assert done.returncode == expected, f"{example}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    # What an example writes to a file is there and not empty.
    for target in re.findall(r"(?:[^2]> ?|-o |--json |--report )([\w./-]+)", example):
        path = sandbox / target
        written = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        assert written and all(p.stat().st_size > 0 for p in written), f"{example}: {target}"


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


# Blocks that start a datatrove executor over a data folder, a Slurm job or a Ray cluster.
CLUSTER = ("LocalPipelineExecutor", "SlurmPipelineExecutor", "RayPipelineExecutor")


@pytest.mark.parametrize("block", [b for b in _python_blocks() if not any(word in b for word in CLUSTER)])
def test_readme_python_block_runs(block: str, sandbox_template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sandbox_template)
    seed = SEEDS[3].read_text(encoding="utf-8")
    namespace = {"raw_text": seed, "text": seed, "url": "https://example.org/a", "raw_texts": [seed] * 3,
                 "texts": [seed] * 3,
                 "records": [{"text": seed, "url": "https://example.org/a"}] * 3, "line": "Source link"}
    exec(compile(block, "README.md", "exec"), namespace)
    if "ITEM_PIPELINES" in namespace:  # the Scrapy settings: the pipeline they name runs with them
        from cleaner.integrations.scrapy import CleanerPipeline

        settings = {name: value for name, value in namespace.items() if name.isupper()}
        pipeline = CleanerPipeline.from_crawler(SimpleNamespace(settings=settings, stats=None))
        assert pipeline.process_item({"text": seed}, None)["text"] != seed


def test_readme_python_blocks_were_found() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 5 and sum(not any(w in b for w in CLUSTER) for b in blocks) >= 3
