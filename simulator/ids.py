"""Valid identifiers, vectorized: citizen IDs (GB 11643), credit codes (GB 32100 / GB 11714), registration numbers, plates.

Every generator takes numpy arrays and returns an array of strings; checks are computed on digit matrices, not per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"))
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
# Letters allowed after 鄂M on ordinary plates: never I or O (GA 36).
PLATE_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))


def char_matrix(values: np.ndarray | pd.Series, width: int) -> np.ndarray:
    """An (n, width) uint8 matrix of the ASCII codes of fixed-width strings."""
    raw = np.asarray(values, dtype=f"S{width}")
    return raw.view(np.uint8).reshape(len(raw), width)


def from_char_matrix(chars: np.ndarray) -> np.ndarray:
    """The inverse of :func:`char_matrix`: an array of Python strings."""
    width = chars.shape[1]
    return np.ascontiguousarray(chars).view(f"S{width}").ravel().astype(f"U{width}")


def id_check_chars(body17: np.ndarray | pd.Series) -> np.ndarray:
    """The GB 11643 check character of each 17-digit body."""
    digits = char_matrix(body17, 17).astype(np.int64) - ord("0")
    return ID_CHECK[(digits @ ID_WEIGHTS) % 11]


def citizen_ids(prefix: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """18-character IDs from 6-digit region prefixes, birth dates (datetime64[D]) and sequence numbers 0-999."""
    ymd = pd.DatetimeIndex(birth).strftime("%Y%m%d").to_numpy(dtype="U8")
    body = np.char.add(np.char.add(prefix.astype("U6"), ymd), np.char.zfill(seq.astype("U3"), 3))
    return np.char.add(body, id_check_chars(body))


def id_is_valid(ids: np.ndarray | pd.Series) -> np.ndarray:
    """True where an 18-character ID carries the right check character (X upper case)."""
    arr = np.asarray(ids, dtype="U18")
    ok_shape = (np.char.str_len(arr) == 18) & np.char.isdigit(np.char.ljust(arr, 17).astype("U17"))
    body = np.where(ok_shape, arr.astype("U17"), "0" * 17)
    last = np.array([s[17:18] for s in arr]) if len(arr) else np.array([], dtype="U1")
    return ok_shape & (id_check_chars(body) == last)


def _credit_values(chars: np.ndarray) -> np.ndarray:
    lookup = np.full(128, -1, dtype=np.int64)
    for i, c in enumerate(CREDIT_CHARSET):
        lookup[ord(c)] = i
    return lookup[chars]


def _org_values(chars: np.ndarray) -> np.ndarray:
    # GB 11714: digits are themselves, letters A=10 ... Z=35 (by alphabet, not by the credit charset).
    c = chars.astype(np.int64)
    return np.where(c >= ord("A"), c - ord("A") + 10, c - ord("0"))


def org_codes(body8: np.ndarray) -> np.ndarray:
    """9-character organization codes (GB 11714): the 8-character body plus its check character."""
    values = _org_values(char_matrix(body8, 8))
    check = 11 - (values @ ORG_WEIGHTS) % 11
    check_chars = np.where(check == 10, "X", np.where(check == 11, "0", check.astype("U2")))
    return np.char.add(body8.astype("U8"), check_chars)


def credit_codes(dept_category: np.ndarray, region: str, org_code9: np.ndarray) -> np.ndarray:
    """18-character unified social credit codes: 2-char department+category, 6-digit region, org code, check."""
    body = np.char.add(np.char.add(dept_category.astype("U2"), region), org_code9.astype("U9"))
    values = _credit_values(char_matrix(body, 17))
    check = (31 - (values @ CREDIT_WEIGHTS) % 31) % 31
    return np.char.add(body, np.array(list(CREDIT_CHARSET))[check])


def credit_code_is_valid(codes: np.ndarray | pd.Series) -> np.ndarray:
    arr = np.asarray(codes, dtype="U18")
    chars = char_matrix(np.char.encode(arr, "ascii", "replace"), 18)
    values = _credit_values(chars)
    ok = (values >= 0).all(axis=1) & (np.char.str_len(arr) == 18)
    check = (31 - (np.where(values[:, :17] < 0, 0, values[:, :17]) @ CREDIT_WEIGHTS) % 31) % 31
    return ok & (check == values[:, 17])


def registration_numbers(region: str, serial: np.ndarray) -> np.ndarray:
    """15-digit business registration numbers (工商注册号): region + 8-digit serial + ISO 7064 MOD 11,10 check."""
    body = np.char.add(region, np.char.zfill(serial.astype("U8"), 8))
    digits = char_matrix(body, 14).astype(np.int64) - ord("0")
    p = np.full(len(body), 10, dtype=np.int64)
    for j in range(14):  # 14 column steps over all rows at once
        s = p % 11 + digits[:, j]
        s = np.where(s % 10 == 0, 10, s % 10)
        p = s * 2
    check = (11 - p % 11) % 10
    return np.char.add(body, check.astype("U1"))


def ordinary_plates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct ordinary plates 鄂M + 5 characters: a letter and four digits, or two letters and three digits."""
    space_a = 24 * 10_000
    space_b = 24 * 24 * 1_000
    picks = rng.choice(space_a + space_b, size=n, replace=False)
    a = picks < space_a
    rb = np.where(a, 0, picks - space_a)
    first = PLATE_LETTERS[np.where(a, picks // 10_000, rb // 24_000)]
    rest_a = np.char.zfill((picks % 10_000).astype("U4"), 4)
    rest_b = np.char.add(PLATE_LETTERS[(rb // 1_000) % 24], np.char.zfill((rb % 1_000).astype("U3"), 3))
    return np.char.add(np.char.add("鄂M", first), np.where(a, rest_a, rest_b))


def new_energy_plates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct small new-energy plates 鄂MD12345 / 鄂MF12345."""
    picks = rng.choice(200_000, size=n, replace=False)
    letter = np.where(picks < 100_000, "D", "F")
    return np.char.add(np.char.add("鄂M", letter), np.char.zfill((picks % 100_000).astype("U5"), 5))
