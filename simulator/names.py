"""Realistic names: Hubei surname frequencies, given names by sex, minority and foreign names, homophone typos."""

from __future__ import annotations

import numpy as np

# Surnames of Hubei / central China, in order of frequency, with shares in per mille (王李张刘陈 lead).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟"
    "汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段洪钱汤尹黎易常武乔贺赖龚文"
)
_SURNAME_SHARE = np.concatenate(
    [
        np.array([72, 70, 68, 53, 45, 31, 23, 22, 20, 18, 17, 15, 14, 12, 11, 10, 10, 9, 9, 8]),
        np.full(85, 4.0),
    ]
)[: len(_SURNAMES)]

_MALE_CHARS = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国文志海峰成亮东新"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳燕莉婷雪慧佳颖倩晶琴云洁蓉丹玉凤月婧萱妍怡雯欣悦"
_MALE_COMMON = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "刚",
    "平",
    "建华",
    "建国",
    "志强",
    "国华",
)
_FEMALE_COMMON = (
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "丽娟",
    "婷婷",
    "晶晶",
)
# Given-name characters outside GB2312 (legacy systems write them as '?'), and two rare ones: 𠮷 takes four bytes in
# GB18030, 䶮 two (it moved from a private-use slot to FE9F).
RARE_CHARS = ("堃", "喆", "镕", "赟", "埫", "剅")
FOUR_BYTE_CHARS = ("𠮷", "䶮")

_UYGHUR_GIVEN = (
    "阿依古丽",
    "古丽娜尔",
    "热依拉",
    "买买提",
    "艾力",
    "阿不都",
    "努尔",
    "迪丽拜尔",
    "吐尔洪",
    "帕提古丽",
)
_UYGHUR_FATHER = ("买买提", "吐尔逊", "艾山", "阿不力孜", "热合曼", "依明", "肉孜", "喀迪尔")
_FOREIGN_NAMES = (
    "NGUYEN VAN AN", "TRAN THI HOA", "KIM MINJUN", "PARK JIYEON", "JOHN SMITH", "AUNG KYAW", "MUHAMMAD ALI",
    "SOMCHAI SRI", "ANNA IVANOVA", "TANAKA YUKI",
)  # fmt: skip
FOREIGN_NATIONALITIES = ("越南", "越南", "韩国", "韩国", "美国", "缅甸", "巴基斯坦", "泰国", "俄罗斯", "日本")

# Typing the wrong homophone or a look-alike character: the classic cross-system name mismatch.
HOMOPHONES: dict[str, str] = {
    "张": "章", "王": "汪", "李": "黎", "陈": "程", "刘": "柳", "杨": "阳", "黄": "王", "吴": "伍", "周": "邹",
    "徐": "许", "胡": "湖", "伟": "玮", "芳": "方", "敏": "民", "静": "靖", "丽": "莉", "军": "君", "华": "化",
    "明": "铭", "红": "宏", "英": "瑛", "杰": "洁", "斌": "彬", "涛": "韬", "峰": "锋", "玲": "琳", "霞": "侠",
    "娟": "鹃", "强": "墙", "勇": "永", "平": "萍", "刚": "钢", "燕": "艳", "梅": "妹",
}  # fmt: skip


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    chars = np.array(list(_SURNAMES))
    return rng.choice(chars, size=n, p=_SURNAME_SHARE / _SURNAME_SHARE.sum())


def given_names(rng: np.random.Generator, is_male: np.ndarray) -> np.ndarray:
    """One or two characters by sex; a fifth drawn from the commonest given names, which makes homonyms (张伟)."""
    n = len(is_male)
    male, female = np.array(list(_MALE_CHARS)), np.array(list(_FEMALE_CHARS))
    first = np.where(is_male, rng.choice(male, n), rng.choice(female, n))
    second = np.where(is_male, rng.choice(male, n), rng.choice(female, n))
    two = np.char.add(first, second)
    single = rng.random(n) < 0.25
    out = np.where(single, first, two)
    common = rng.random(n) < 0.2
    out = np.where(
        common, np.where(is_male, rng.choice(_MALE_COMMON, n), rng.choice(_FEMALE_COMMON, n)), out
    ).astype(object)
    rare = rng.random(n) < 0.002
    four = rng.random(n) < 0.0004
    if n >= 200:
        rare[rng.choice(n, len(RARE_CHARS), replace=False)] = True
    out[rare] = np.char.add(first[rare], rng.choice(RARE_CHARS, int(rare.sum())))
    out[four] = rng.choice(FOUR_BYTE_CHARS, int(four.sum())) + first[four].astype(object)
    if n >= 200:
        # Every city has a few, however small: the exports must exercise GB18030's four-byte range (𠮷 is one).
        forced = rng.choice(n, 4, replace=False)
        out[forced] = "𠮷" + first[forced].astype(object)
    return out


def han_names(rng: np.random.Generator, is_male: np.ndarray) -> np.ndarray:
    return surnames(rng, len(is_male)).astype(object) + given_names(rng, is_male)


def uyghur_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Given name · father's name, with the middle dot as the ID card prints it."""
    return rng.choice(_UYGHUR_GIVEN, n).astype(object) + "·" + rng.choice(_UYGHUR_FATHER, n).astype(object)


def foreign_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Latin-letter names and the matching nationality."""
    idx = rng.integers(0, len(_FOREIGN_NAMES), n)
    return np.array(_FOREIGN_NAMES, dtype=object)[idx], np.array(FOREIGN_NATIONALITIES, dtype=object)[idx]
