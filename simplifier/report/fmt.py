"""Numbers and words as a Vietnamese report writes them.

A point groups thousands and a comma marks decimals (1.234.567,5); amounts are in
đồng; durations in minutes, hours or working days (8 hours).
"""

from __future__ import annotations


def num(x: float | int | None, digits: int = 0) -> str:
    """A number, Vietnamese style.

    >>> num(1234567.891, 1), num(0.5, 1), num(12), num(None)
    ('1.234.567,9', '0,5', '12', '—')
    """
    if x is None:
        return "—"
    text = f"{x:,.{digits}f}"
    if digits and text.endswith("0" * digits):
        text = text[: -(digits + 1)]  # 12,0 → 12
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def vnd(x: float | int | None) -> str:
    """An amount in đồng.

    >>> vnd(40385.4), vnd(None)
    ('40.385 đồng', '—')
    """
    return "—" if x is None else f"{num(round(x))} đồng"


def pct(x: float | None, digits: int = 1) -> str:
    """A percentage.

    >>> pct(33.33), pct(100.0)
    ('33,3%', '100%')
    """
    return "—" if x is None else f"{num(x, digits)}%"


def duration(minutes: float | None) -> str:
    """A working time: minutes below an hour, hours below a working day, else days.

    >>> duration(45), duration(150), duration(960), duration(0)
    ('45 phút', '2,5 giờ', '2 ngày làm việc', '0 phút')
    """
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{num(minutes, 1)} phút"
    if minutes < 480:
        return f"{num(minutes / 60, 1)} giờ"
    return f"{num(minutes / 480, 1)} ngày làm việc"


def count(n: int, noun: str) -> str:
    """A count and its noun.

    >>> count(1200, "hồ sơ")
    '1.200 hồ sơ'
    """
    return f"{num(n)} {noun}"


def signed(n: float | int, unit: str = "") -> str:
    """A difference with its sign: a cut is shown with a minus sign.

    >>> signed(3), signed(-2), signed(0)
    ('−3', '+2', '0')
    """
    if not n:
        return "0"
    text = num(abs(n), 1 if isinstance(n, float) and n % 1 else 0) + (f" {unit}" if unit else "")
    return f"−{text}" if n > 0 else f"+{text}"


def yes_no(value: bool) -> str:
    return "có" if value else "chưa"


def listing(items: list[str], empty: str = "—") -> str:
    """Items joined for prose, the last one with "và"; items that hold a comma themselves
    ("Ngày, tháng, năm sinh") are separated by semicolons.

    >>> listing(["a", "b", "c"]), listing([]), listing(["Họ, tên", "Giới tính"])
    ('a, b và c', '—', 'Họ, tên; Giới tính')
    """
    items = [i for i in items if i]
    if not items:
        return empty
    if any("," in i for i in items):
        return "; ".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
