"""Place names as terms: which words of a term table name a place of the gazetteer.

A corpus of local reports names its own district and streets in nearly every paragraph,
so those names top its term list and its word cloud (海珠区, 白云, 海安 in the seeds).
:func:`place_terms` is the set of words that ``drop_places=True`` removes from term
tables and word clouds:

- every full name of the gazetteer (``analysis/resources/gazetteer.csv``, all four
  levels, generic names such as 街道 left out) and the short forms reports use (广东 for
  广东省, 琶洲街 for 琶洲街道), as :func:`analysis.corpus.places.gazetteer_names` reads them,
  except township-level development zones and parks (工业园区, 经济开发区);
- the stem of each province-, prefecture- and county-level name without its
  administrative suffix (海珠 for 海珠区, 海安 for 海安市, 白云 for 白云区). Township stems
  are not used (光明, 胜利, 团结 … would go);
- but none that jieba's own dictionary lists as a common word: a tag other than a
  proper-name tag (ns, nr, nrt, nrfg, nz) and a frequency of at least 100 — 资源 (资源县),
  公安 (公安县), 比如 (比如县), 平安 (平安区), 东方 (东方市), 农场, 林场, 郊区 stay terms;
- and never a word of the package's dictionaries (雄安新区, 粤港澳大湾区 are policy terms).

The rule is general, so it also drops a few words that are both places and ordinary
words in jieba's dictionary with a name tag (e.g. 和平, 惠民); keep them with
``drop_places=False`` and your own stopwords.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from analysis.keywords.dictionaries import dictionary_entries
from analysis.corpus.places import gazetteer_names

__all__ = ["ADMIN_SUFFIXES", "place_terms"]

ADMIN_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟",
)
"""Administrative suffixes stripped from province-, prefecture- and county-level names, longest first."""

# jieba tags of proper names: a stem tagged so in jieba's dictionary is a place there too.
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz"})
# A stem jieba's dictionary lists at least this often with another tag is a common word.
_COMMON_FREQ = 100
# Township-level units that are development zones or parks, often with a generic name
# (工业园区, 经济开发区): not used.
_ZONE_SUFFIXES = ("园区", "开发区")


def _stem(name: str) -> str | None:
    for suffix in ADMIN_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return stem if len(stem) >= 2 else None
    return None


def _jieba_common_words(words: set[str]) -> set[str]:
    """The ``words`` jieba's main dictionary lists as common words (see the module docstring).

    Reads jieba's ``dict.txt`` without importing jieba (whose import is slow and noisy).
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is needed to tell place stems from common words (pip install jieba)")
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    common = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, rest = line.partition(" ")
            if word in words:
                freq, _, tag = rest.strip().partition(" ")
                if tag not in _NAME_TAGS and int(freq) >= _COMMON_FREQ:
                    common.add(word)
    return common


@functools.lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """The words ``drop_places=True`` removes: gazetteer names, short forms and stems.

    Built once per process (~0.3 s: reads the gazetteer and jieba's dictionary). See the
    module docstring for the rule.

    Examples
    --------
    >>> places = place_terms()
    >>> sorted(w for w in ["海珠区", "海珠", "白云", "广东", "琶洲街", "资源", "公安", "执法", "雄安新区"] if w in places)
    ['广东', '海珠', '海珠区', '琶洲街', '白云']
    """
    names = {name for name, level in gazetteer_names().items() if not (level == 4 and name.endswith(_ZONE_SUFFIXES))}
    stems = {s for name, level in gazetteer_names().items() if level <= 3 and (s := _stem(name))} - names
    candidates = names | stems
    candidates -= _jieba_common_words(candidates)
    dictionary = {term for term, _, _ in dictionary_entries()}
    return frozenset(candidates - dictionary)
