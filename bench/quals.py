"""Benchmark: the qualification reader on a corpus of real qualification strings.

Reads ``tests/core/qualification_corpus.tsv`` (strings found in public sources, each labelled by
hand from its meaning; the sources are listed in ``tests/core/SOURCES.md``), runs
:func:`canbo.core.normalise.read_qualifications` on each and scores it (issue 9, item 5):

* **right**: the levels read are exactly the levels labelled (and "none" where the label says
  the cell states there is none; an "unknown" label is right when nothing is read);
* **confident-wrong**: a definite answer that is wrong — a level read that the label does not
  have (an invented or wrong degree), or "none" where the label has a level or is unknown;
* **abstained**: neither — the reader left unknown what the label knows.

Targets: ≥ 95 % right, ≤ 0.5 % confident-wrong. Run:

    uv run python bench/quals.py [--corpus PATH] [--reader FILE.py] [--show wrong|abstained]

``--reader`` loads another version of the reader module (e.g. the one on main before a change:
``git show main:src/canbo/core/normalise.py > /tmp/normalise_before.py``). Ends with one line
``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CORPUS = ROOT / "tests" / "core" / "qualification_corpus.tsv"
TARGET_RIGHT = 0.95
TARGET_CONFIDENT_WRONG = 0.005


@dataclass(frozen=True)
class Entry:
    line: int
    text: str
    hint: str | None
    levels: frozenset[tuple[str, str]]  # (dimension, level) labelled
    none: bool  # the label says the cell states there is none
    source: str


def load_corpus(path: Path = CORPUS) -> list[Entry]:
    """The corpus: ``text<TAB>hint<TAB>label<TAB>source``; ``\\n`` in text is a line break.
    The label is ``unknown``, ``none``, or ``dimension:level`` items joined by ``+``."""
    entries = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        text, hint, label, source = raw.split("\t")
        items = label.split("+")
        levels = frozenset(tuple(i.split(":", 1)) for i in items if i not in ("unknown", "none"))
        entries.append(
            Entry(
                n, text.replace("\\n", "\n"), None if hint == "-" else hint, levels, "none" in items, source
            )
        )
    return entries


def score(entry: Entry, readings) -> str:
    """ "right", "confident_wrong" or "abstained" for one entry's readings."""
    got = frozenset((r.dimension.value, r.level) for r in readings if r.known)
    said_none = any(r.none for r in readings)
    if not got <= entry.levels or (said_none and not entry.none):
        return "confident_wrong"
    if got == entry.levels and said_none == entry.none:
        return "right"
    return "abstained"


def load_reader(path: str | None):
    if path is None:
        from canbo.core.normalise import read_qualifications

        return read_qualifications
    spec = importlib.util.spec_from_file_location("normalise_under_test", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.read_qualifications


def run(entries: list[Entry], read) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {"right": [], "confident_wrong": [], "abstained": []}
    for e in entries:
        out[score(e, read(e.text, e.hint))].append(e)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--reader", help="a file holding another version of core/normalise.py")
    parser.add_argument("--show", choices=("wrong", "abstained"), action="append", default=[])
    args = parser.parse_args()
    entries = load_corpus(args.corpus)
    read = load_reader(args.reader)
    result = run(entries, read)
    for kind, key in (("wrong", "confident_wrong"), ("abstained", "abstained")):
        if kind in args.show:
            for e in result[key]:
                got = [(r.dimension and r.dimension.value, r.level, r.none) for r in read(e.text, e.hint)]
                print(f"{kind}\t{e.line}\t{e.text!r}\thint={e.hint}\twant={sorted(e.levels)}"
                      f"{' none' if e.none else ''}\tgot={got}")  # fmt: skip
    n = len(entries)
    share = {k: (len(v) / n if n else 0.0) for k, v in result.items()}
    sources = len({e.source for e in entries})
    repositories = len({e.source.split(":", 1)[0] for e in entries})
    print(
        f"{n} strings from {sources} files in {repositories} repositories: right {share['right']:.1%}, abstained "
        f"{share['abstained']:.1%}, confident-wrong {share['confident_wrong']:.1%}"
    )
    print("RESULT " + json.dumps({
        "strings": n, "sources": sources, "repositories": repositories, "reader": args.reader or "canbo.core.normalise",
        "right": round(share["right"], 4), "abstained": round(share["abstained"], 4),
        "confident_wrong": round(share["confident_wrong"], 4),
        "target_right": TARGET_RIGHT, "target_confident_wrong": TARGET_CONFIDENT_WRONG,
        "meets_targets": share["right"] >= TARGET_RIGHT and share["confident_wrong"] <= TARGET_CONFIDENT_WRONG,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
