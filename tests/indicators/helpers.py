"""Inputs shared by the indicator tests: one-report frames, full-width text, generated text."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import strategies as st

from analysis.indicators.quantities import TRIGGER_CHARS

# ASCII printable -> full width, as real pages write them (，（）：％１２３)
_TO_FULL = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def to_full_width(text: str) -> str:
    return text.translate(_TO_FULL)


def frame(text: str, doc_id: str = "d") -> pd.DataFrame:
    # object dtype: a hypothesis string may hold a lone surrogate, which pandas' str dtype refuses
    return pd.DataFrame({"doc_id": [doc_id], "text": pd.Series([text], dtype=object)})


ALPHABET = list(
    "0123456789０１２３４５６７８９一二两三四五六七八九十百千万亿零〇个次件宗人名份元%％,，。、“”《》()（）"
    ":：;；第年月日号之余多近约超过不少于以上左右-+.．—\n 立案罚款处罚是届大中全会周成级项类每位社区目标"
)
# report-like fragments glued at random: numbers next to units, quotes, dates, codes, headings
FRAGMENTS = [
    "2023年", "立案", "80", "宗", ",", "，", "“", "”", "《", "》", "(", ")", "一", "是", "第", "万", "余", "%",
    "-", "+", "号", "之", "三", "月", "日", ":", "10", "57", "周年", "热线", "12345", "0", "0.5", "1,234",
    "ICP备", "。", "\n", "1.", "、", "个", "次", "近", "约", "超过", "不少于", "以上", "每位", "目标", "两级",
    "逾八成", "百分之", "九十五", "分之", "十九届", "二中", "全会", "至", "2021-2025年", "30-24", "机制", "１２３",
    "．", "万元", "平方", "人次", "0755-1234567", "5G", "十二", "两千", "〔2023〕", "７×24小时", "不间断",
    # the subject rules: changes, shares, totals, time spans, pivots, ranges with magnitudes
    "从", "由", "提高到", "精简至", "占", "累计达", "连续", "至少", "内", "300万~500万元", "推动", "对", "人民币",
    "均为", "在", "全市", "余批次", "两个月", "近万", "数十", "届", "三次全会", "人均",
]  # fmt: skip
#: Report-like text: random characters, or fragments glued at random.
TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(ALPHABET) | st.characters(), max_size=120),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
)
_DIGIT_RUN_RE = re.compile("[0-9０-９]+")


def as_read(text: str) -> str:
    """The text as the parser reads it (a lone surrogate becomes U+FFFD)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def assert_coverage(text: str, audit: pd.DataFrame) -> None:
    """Every digit run of ``text`` lies in exactly one audit row; each row quotes the text."""
    text = as_read(text)
    spans = sorted(zip(audit["start"], audit["end"]))
    for m in _DIGIT_RUN_RE.finditer(text):
        covering = [s for s in spans if s[0] <= m.start() and m.end() <= s[1]]
        assert len(covering) == 1, (m.group(), covering)
    for (s, e), match in zip(zip(audit["start"], audit["end"]), audit["match"]):
        assert text[s:e] == match


# --------------------------------------------------------------------------- fast paths

# The speed-ups of the parser must not change any output: each fast path is compared with
# the straightforward computation it replaces, on text generated to hit its edge cases.

# characters the fast paths look at around numbers: triggers, what follows a digit run …
_FAST_CHARS = (
    "-—–~～/.:、．+＋×*年月日时点周号幢单个天届季分热专服电小"
    "aZx \t\r\u3000\u2028\u00a0进统唯步定些审人员余多万亿热线专服电小时点分之幢单元届季度行动"
)
FAST_ALPHABET = sorted(set(ALPHABET) | set(TRIGGER_CHARS) | set(_FAST_CHARS))
# numbers next to what the alternatives look for around them (a small vocabulary, so that
# each pair occurs often): digit runs of every length, then units, dates, headings, codes …
NEAR_NUMBERS = sorted(
    set(_FAST_CHARS) | set(TRIGGER_CHARS)
    | {" ", "\t", "\n", "x", "G", "a", "宗", "万", "亿", "余", "多", "人", "个月", "周年", "号楼", "号之", "单元", "分之",
       "热线", "电话", "小时", "不间断", "上午", "近", "前", "连续", "最近", "路", "。", ":", ";", "“", "”", "《", "》",
       "百分之", "年度", "行动", "机制", "中全会", "是", "〕", "】", "]", ")", "以上", "左右", "进", "统", "岗双责"}
)  # fmt: skip
_DIGITS = st.from_regex("[0-9]{1,12}", fullmatch=True)


def pattern_words(*patterns: re.Pattern[str] | str) -> list[str]:
    """The Chinese words (1-4 characters) written in regexes: text that makes them match."""
    src = "".join(p if isinstance(p, str) else p.pattern for p in patterns)
    return sorted(set(re.findall("[\u4e00-\u9fff]{1,4}", src)))


def fast_text(words: list[str] | tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Report-like text dense in numbers, in the characters the fast paths test, and in
    ``words`` (e.g. :func:`pattern_words` of the patterns under test)."""
    return st.one_of(
        TEXT,
        st.text(alphabet=st.sampled_from(FAST_ALPHABET), max_size=80),
        st.lists(st.sampled_from(FRAGMENTS + FAST_ALPHABET + list(words)), max_size=30).map("".join),
        st.lists(st.one_of(_DIGITS, st.sampled_from(NEAR_NUMBERS)), max_size=16).map("".join),
    )
