"""Synthetic corpora for benchmarks: articles recombined from the sentences of the seeds and the
test sets, in French and English, about as long as the seeds (480 words on average)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE_SETS = sorted((ROOT / "tests" / "sentences").glob("*.jsonl"))
OUTLETS = {"fr": ["Sputnik", "RFI", "France 24", "Le Monde", "AFP"], "en": ["RT", "Reuters", "Al Jazeera", "BBC", "AP"]}
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Ý0-9\"“])")


def _seed_language(text: str) -> str:
    french = len(re.findall(r"\b(?:les|des|une|est|dans|selon|ont)\b", text))
    english = len(re.findall(r"\b(?:the|and|was|were|said|have|with)\b", text))
    return "fr" if french >= english else "en"


def sentence_pool(seeds: Path = ROOT / "seeds") -> dict[str, list[str]]:
    """Sentences by language: each seed line cut at sentence ends, and every test-set sentence."""
    pool: dict[str, list[str]] = {"fr": [], "en": []}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = _seed_language(text)
        for line in text.splitlines():
            pool[lang].extend(part.strip() for part in _SENTENCE_END.split(line) if len(part.split()) >= 6)
    for path in SENTENCE_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pool[row["lang"]].append(row["text"].strip())
    return {lang: list(dict.fromkeys(sentences)) for lang, sentences in pool.items()}


def generate(n_articles: int, *, seed: int = 0, words: int = 480) -> Iterator[dict]:
    """``n_articles`` article rows (doc_id, lang, title, published, outlet, text), half in each
    language, each of paragraphs of two to four sentences up to about ``words`` words."""
    rng = random.Random(seed)
    pool = sentence_pool()
    for number in range(n_articles):
        lang = "fr" if number % 2 == 0 else "en"
        target = max(60, int(rng.gauss(words, words / 4)))
        sentences = rng.sample(pool[lang], len(pool[lang]))
        title = sentences.pop()
        paragraphs, count = [], len(title.split())
        while count < target - 30 and sentences:  # a paragraph overshoots by about 30 words
            paragraph = [sentences.pop() for _ in range(min(rng.randint(2, 4), len(sentences)))]
            paragraphs.append(" ".join(paragraph))
            count += sum(len(sentence.split()) for sentence in paragraph)
        yield {
            "doc_id": f"bench{number:07d}",
            "lang": lang,
            "title": title,
            "published": (date(2017, 1, 1) + timedelta(days=rng.randrange(2000))).isoformat(),
            "outlet": rng.choice(OUTLETS[lang]),
            "text": title + "\n\n" + "\n\n".join(paragraphs),
        }


def write_corpus(path: Path, n_articles: int, *, seed: int = 0) -> Path:
    """Write ``generate(n_articles)`` as a .jsonl file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in generate(n_articles, seed=seed):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
