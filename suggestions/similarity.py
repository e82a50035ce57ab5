"""What the similar-suggestion finder compares: a text's character bigrams.

Chinese has no spaces between words, and most of its words are two characters long, so
two texts on one matter share many overlapping pairs of characters (加装电梯: 加装, 装电,
电梯) even when they are worded differently; a pair that every suggestion has (建议,
问题, 群众) says nothing and is left out. A run of Latin letters or digits (5G, PM2.5)
counts as one token. The score of two texts is the cosine of their sets of grams: the
number shared over the geometric mean of their sizes, 0 (nothing shared) to 1 (the same
grams). docs/architecture.md ("Similar suggestions") gives the figures behind the choice.
"""

import math
import re
import unicodedata

# Only so much of a long text is compared: the matter is in the title and the opening.
TEXT_LIMIT = 1000

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_IS_HAN = re.compile(rf"[{_HAN}]")

# Pairs found in most suggestions, whatever their matter: the words of the genre.
STOP_GRAMS = frozenset(
    """
    关于 建议 议案 意见 问题 加强 进一 一步 进一步 推进 推动 完善 提升 提高 加快 切实 解决
    群众 百姓 工作 相关 有关 部门 政府 我市 我省 我县 我区 本市 全市 全省 全县 目前 当前 存在
    实施 落实 开展 进行 通过 做好 一些 部分 建设 发展 管理 服务 加大 力度 支持 保障 情况 方面
    以及 并且 同时 需要 应当 要求 反映 强烈 急难 难愁 愁盼 盼问 的建 的问 和建 议的 题的
    希望 议在 亟需 亟待 亟须 尽快 抓紧 对于 我们 一个 这个 这些 可以 应该 已经 非常 很多 不少
    严重 经常 没有 只能
    """.split()
)

# The genre's frame of a title, "关于……的建议": its pairs (于加, 于推, 的建) say nothing.
_TITLE_FRAME = re.compile(r"^\s*(?:关于|对于)|的(?:建议|意见|议案|提案)\s*$", re.MULTILINE)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def grams(title: str, content: str = "") -> frozenset[str]:
    """The bigrams (and Latin or digit tokens) of a suggestion's title and content; a
    single text whose first line is the title (``selectors.suggestion_text``) is split."""
    if not content and "\n" in (title or ""):
        title, content = title.split("\n", 1)
    title = _TITLE_FRAME.sub("", _normal(title))
    text = f"{title[:TEXT_LIMIT]}\n{_normal(content)[:TEXT_LIMIT]}"
    found = set()
    for run in _RUNS.findall(text):
        if _IS_HAN.match(run):
            found.update(run[i : i + 2] for i in range(len(run) - 1))
        elif len(run) > 1 or run.isdigit():
            found.add(run)
    return frozenset(found - STOP_GRAMS)


def as_text(found) -> str:
    """The grams as stored: sorted, space-separated (the index splits on the spaces)."""
    return " ".join(sorted(found))


def from_text(text: str) -> frozenset[str]:
    return frozenset(text.split())


def score(a, b) -> float:
    """The cosine of two sets of grams, 0..1."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


# The thresholds, from the quality corpus (tests/suggestions/similar_corpus.py; the figures
# in docs/architecture.md): a paraphrase of a suggestion by another deputy scores 0.21 to
# 0.39 with it, two suggestions on different matters 0.05 to 0.18 (two on neighbouring
# matters, such as shared parking and old estates' parking, up to 0.26).
# A suggestion at least this similar is "the same matter" for the marks 多年提 and 多位代表提:
# 17 of the 20 paraphrases and 1 of the 6,105 pairs of different matters reach it.
MARK_SCORE = 0.25
# Shown beside a new or imported suggestion from this score on: every paraphrase, and the
# neighbouring matters an office would want to see, but not the unrelated ones.
SHOW_SCORE = 0.15
# The staff's page lists from this score on: related matters too (two elevator
# suggestions of different districts score about 0.12), not the unrelated (of the corpus'
# 6,105 pairs of originals, 90 % score under 0.04, 99 % under 0.09).
PANEL_SCORE = 0.05
