"""The one way every file a user gives is read: a path, bytes or a binary stream → bytes → text.

Forms, actual values, last year's values and formula tables all come through here, so a file that one
command reads is read the same way by every other command.

* **Bytes** (:func:`read_bytes`). A path must name a regular file: a directory, a FIFO, a socket or a
  device is refused from its ``stat`` before anything is opened (reading a FIFO would wait forever,
  ``/dev/zero`` never ends); the file is then opened without blocking and checked again, so a file
  swapped for a FIFO between the two looks cannot hang the reader. The size is checked against
  ``Limits.max_file_bytes`` before reading, and the bytes are read in chunks of at most
  :data:`CHUNK_BYTES` up to one byte more than the limit, so a file that grows while it is read, or an
  endless stream, still stops at the limit.
* **Text** (:func:`decode`). In order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a
  mark, recognised by its zero bytes all falling on even or all on odd offsets; strict UTF-8; GB18030 (what
  Chinese Excel and WPS save as "CSV" and "文本文件"). GB18030 accepts almost any byte sequence, Big5
  included, so when the same bytes are also valid Big5 (CP950) the choice is left to charset-normalizer;
  bytes that none of the fast tries decode go to charset-normalizer too. A guess is marked
  (``Decoded.guessed``) so a reader can say which encoding it assumed. NUL bytes that remain, or many
  control characters, mean the data is not text.
* **Delimiter** (:func:`guess_delimiter`): tab, comma or semicolon, guessed once from the text and the file
  extension.

* **Numbers** (:func:`read_number`): a number written in a file has at most
  ``Limits.max_number_digits`` digits and a power of ten within ``Limits.max_number_exponent``; ``NaN``
  and ``Infinity`` are not numbers. A million-digit integer or ``1e999999`` is refused before any
  arithmetic is done with it.

Errors are :class:`InputError` (IND004) and :class:`InputTooLargeError` (IND003, naming the limit, also
a ``LimitExceededError``); each reader turns them into its own code (IND501 for forms, IND811 for
actuals).
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any, Protocol

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.errors import IndicatorsError, LimitExceededError
from indicators.limits import DEFAULT_LIMITS, Limits, exceeded

#: bytes looked at to sniff an encoding or a binary file
SNIFF_BYTES = 8192
#: the most bytes read from a file or a stream at once
CHUNK_BYTES = 1 << 20
#: why only regular files are read
_REGULAR_ONLY = "只读取普通文件：目录、设备、管道（FIFO）和套接字不读取"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: encodings charset-normalizer may choose among when the fast tries fail or are ambiguous
_GUESSES = ("gb18030", "big5", "cp950", "utf_16_le", "utf_16_be", "utf_8")
TEXT_HINT = "请另存为 UTF-8 编码的文本（Excel：另存为“CSV UTF-8”；WPS：另存为时选择 UTF-8 编码）"


class BinaryReadable(Protocol):
    """What :func:`read_bytes` needs from a stream: ``read(n)`` returning bytes."""

    def read(self, size: int = -1, /) -> bytes: ...


#: what a reader accepts: a path, the bytes of a file, or a binary stream (an upload, ``open(…, "rb")``)
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryReadable


class InputError(IndicatorsError, ValueError):
    """A file that cannot be read: missing, not a regular file, unreadable, binary or of no known encoding.

    ``reason`` (Chinese) and ``hint`` are kept apart so a reader can report them under its own code.
    """

    def __init__(self, reason: str, *, source: str | None = None, hint: str | None = None) -> None:
        self.reason = reason
        self.hint = hint
        self.source = source
        super().__init__(diagnostic("IND004", reason=reason, hint=hint, location=Location(source=source)))


class InputTooLargeError(InputError, LimitExceededError):
    """An input over one of the :class:`Limits` (IND003): by default a file over ``max_file_bytes``.

    ``what`` says what was measured (Chinese), ``name`` is the limit (``max_file_bytes``), ``size`` the
    measure and ``limit`` the limit's value.
    """

    def __init__(
        self,
        size: int,
        limit: int,
        *,
        source: str | None = None,
        what: str = "文件大小（字节）",
        name: str = "max_file_bytes",
    ) -> None:
        self.size = size
        self.limit = limit
        self.what = what
        self.name = name
        if name == "max_file_bytes":
            self.reason = f"文件过大（{size} 字节，上限 {limit} 字节，Limits.max_file_bytes）"
        else:
            self.reason = f"{what}为 {size}，超过上限 {limit}（Limits.{name}）"
        self.hint = "上限见 docs/limits.md：可以用 Limits 提高上限，或拆分文件"
        self.source = source
        IndicatorsError.__init__(self, exceeded(name, what, size, limit, location=Location(source=source)))


@dataclass(frozen=True, slots=True)
class RawInput:
    """The bytes of one input, with the name it is reported under and its lower-case extension."""

    data: bytes
    name: str | None
    suffix: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes: the encoding used and whether it was a guess (charset-normalizer)."""

    text: str
    encoding: str
    guessed: bool = False


def source_name(source: Source, name: str | None = None) -> str | None:
    """The name a source is reported under: ``name`` if given, else a path's file name."""
    if name is not None:
        return name
    if isinstance(source, str | os.PathLike):
        return PurePath(os.fspath(source)).name
    found = getattr(source, "name", None)  # an open file
    return PurePath(found).name if isinstance(found, str) and found else None


def read_bytes(source: Source, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> RawInput:
    """The bytes of a path, a bytes object or a binary stream, refused when over the limit."""
    shown = source_name(source, name)
    limit = limits.max_file_bytes
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) > limit:
            raise InputTooLargeError(len(source), limit, source=shown)
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        data = _read_path(Path(os.fspath(source)), shown, limit)
    elif callable(getattr(source, "read", None)):
        data = _read_stream(source, shown, limit)
    else:
        raise TypeError(f"expected a path, bytes or a binary stream, not {type(source).__name__}")
    if len(data) > limit:
        raise InputTooLargeError(len(data), limit, source=shown)
    suffix = PurePath(shown).suffix.lower() if shown else ""
    return RawInput(data=data, name=shown, suffix=suffix)


def _kind_of(mode: int) -> str | None:
    """Why a file of this mode is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    return "不是普通文件"


def _read_path(path: Path, shown: str | None, limit: int) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise InputError("文件不存在", source=shown) from exc
    except OSError as exc:
        raise InputError(f"无法访问“{path}”（{exc.strerror or exc}）", source=shown) from exc
    why = _kind_of(info.st_mode)
    if why is not None:
        raise InputError(f"“{path}”{why}", source=shown, hint=_REGULAR_ONLY)
    if info.st_size > limit:
        raise InputTooLargeError(info.st_size, limit, source=shown)
    # without blocking: a FIFO put in the file's place after the stat cannot hang the open
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"读取文件失败（{exc.strerror or exc}）", source=shown) from exc
    try:
        why = _kind_of(os.fstat(handle).st_mode)  # swapped for a FIFO or a device since the stat
        if why is not None:
            raise InputError(f"“{path}”{why}", source=shown, hint=_REGULAR_ONLY)
        return _read_chunks(lambda size: os.read(handle, size), shown, limit)
    except OSError as exc:
        raise InputError(f"读取文件失败（{exc.strerror or exc}）", source=shown) from exc
    finally:
        os.close(handle)


def _read_chunks(read: Any, shown: str | None, limit: int) -> bytes:
    """Bytes from ``read(n)`` until it returns nothing, in chunks of at most :data:`CHUNK_BYTES`;
    :class:`InputTooLargeError` as soon as more than ``limit`` bytes have come."""
    data = bytearray()
    while True:
        chunk = read(min(CHUNK_BYTES, limit + 1 - len(data)))
        if chunk is None:  # a non-blocking stream with nothing yet
            raise InputError("数据流暂时没有数据（非阻塞流）", source=shown)
        if isinstance(chunk, str):
            raise InputError("数据流应以二进制方式打开（open(…, \"rb\")）", source=shown)
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise InputError("数据流没有返回字节", source=shown)
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise InputTooLargeError(len(data), limit, source=shown)


def _read_stream(stream: BinaryReadable, shown: str | None, limit: int) -> bytes:
    try:
        return _read_chunks(stream.read, shown, limit)
    except OSError as exc:
        raise InputError(f"读取数据失败（{exc.strerror or exc}）", source=shown) from exc


# --- decoding ---------------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes of the sample sit (almost all) on one parity."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 2 or b"\x00" not in sample:
        return None
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    pairs = len(sample) // 2
    # ASCII characters (tabs, line ends, digits) give a zero high byte; a CJK character rarely a zero
    # low byte (一 is U+4E00), so the other parity may hold a few
    if odd >= max(2, pairs // 10) and even * 4 <= odd:
        return "utf-16-le"
    if even >= max(2, pairs // 10) and odd * 4 <= even:
        return "utf-16-be"
    return None


def _common(ch: str) -> bool:
    """A character a form in Chinese is made of: ASCII, CJK ideographs, CJK and full-width punctuation,
    general punctuation, letter-like and mathematical signs (≥ ≤ ‰ №)."""
    code = ord(ch)
    return (
        code < 0x7F
        or 0x4E00 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x22FF
        or 0x2500 <= code <= 0x25FF
        or 0x00A0 <= code <= 0x00FF
    )


def plausible(text: str) -> bool:
    """Most characters of the text are ones a form is made of (mis-decoded bytes are mostly not)."""
    sample = text[:SNIFF_BYTES]
    return sum(1 for ch in sample if _common(ch)) * 10 >= len(sample) * 9


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _normalizer(data: bytes, encodings: tuple[str, ...]) -> Decoded | None:
    """charset-normalizer's best reading of ``data`` among ``encodings`` (None when it finds none)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(encodings)).best()
    if best is None:
        return None
    text = _strict(data, best.encoding)
    if text is None:  # pragma: no cover - the library only reports encodings that decode
        return None
    return Decoded(text=text.removeprefix("\ufeff"), encoding=best.encoding, guessed=True)


def _try_decode(data: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding.removesuffix("-sig"))
            return None if text is None else Decoded(text=text, encoding=encoding)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text = _strict(data, utf16)
        if text is not None and "\x00" not in text and plausible(text):
            return Decoded(text=text, encoding=utf16)
    if b"\x00" in data[:SNIFF_BYTES]:
        return None
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text=text, encoding="utf-8")
    text = _strict(data, "gb18030")
    if text is not None:
        if _strict(data, "cp950") is None:
            return Decoded(text=text, encoding="gb18030")
        return _normalizer(data, ("gb18030", "big5", "cp950")) or Decoded(text=text, encoding="gb18030")
    return _normalizer(data, _GUESSES)


def is_binary_text(text: str) -> bool:
    """Decoded text that is really binary: NUL characters or many control characters."""
    sample = text[:SNIFF_BYTES]
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ord(ch) == 127)
    return control > max(4, len(sample) // 50)


def decode(data: bytes, *, source: str | None = None) -> Decoded:
    """The text of a file's bytes; :class:`InputError` for binary data or bytes of no known encoding."""
    found = _try_decode(data)
    if found is None:
        marked = any(data.startswith(bom) for bom, _ in _BOMS)
        if b"\x00" in data[:SNIFF_BYTES] and not marked:
            raise InputError("不是文本文件（含二进制数据）", source=source)
        raise InputError(
            "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030 和 Big5）", source=source, hint=TEXT_HINT
        )
    if is_binary_text(found.text):
        raise InputError("不是文本文件（含大量控制字符）", source=source)
    return found


def utf8_file(path: Path, folder: Path) -> Path:
    """``path`` itself when it is UTF-8 (with or without a byte-order mark), else a UTF-8 copy in
    ``folder``, written in chunks: a table too large to hold in memory (``batch eval``, ``score-batch``)
    is read by DuckDB, which reads UTF-8 only. The encoding is found from the first bytes as
    :func:`decode` finds it (GB18030 from Excel or WPS, UTF-16, Big5); :class:`InputError` (IND004) for
    binary data or bytes of no known encoding, or for bytes further on that the encoding cannot read."""
    with path.open("rb") as stream:
        head = _whole_characters(stream.read(SNIFF_BYTES))
    encoding = decode(head, source=path.name).encoding
    if encoding in ("utf-8", "utf-8-sig"):
        return path
    import codecs

    target = folder / f"{path.stem}.utf8{path.suffix}"
    decoder = codecs.getincrementaldecoder(encoding.removesuffix("-sig"))("strict")
    done = 0
    try:
        with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
            while chunk := source.read(CHUNK_BYTES):
                out.write(decoder.decode(chunk).removeprefix("\ufeff"))
                done += len(chunk)
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        where = done + exc.start
        raise InputError(f"文件按 {encoding} 编码读取时在第 {where + 1} 字节处出错", source=path.name,
                         hint=TEXT_HINT) from None
    return target


def _whole_characters(head: bytes) -> bytes:
    """The sniffed bytes without a last character cut in two (UTF-8, GB18030, UTF-16 pairs)."""
    if len(head) < SNIFF_BYTES:
        return head  # the whole file
    for cut in range(4):
        part = head[: len(head) - cut]
        if _try_decode(part) is not None:
            return part
    return head


def read_text(source: Source, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> tuple[
    RawInput, Decoded
]:
    """:func:`read_bytes` then :func:`decode`."""
    raw = read_bytes(source, limits=limits, name=name)
    return raw, decode(raw.data, source=raw.name)


# --- delimiter --------------------------------------------------------------------------------------

DELIMITERS = ("\t", ",", ";")
_SAMPLE_LINES = 50
_BY_SUFFIX = {".csv": ",", ".tsv": "\t", ".txt": "\t", ".tab": "\t"}


def _consistent(lines: list[str], delimiter: str) -> bool:
    """Most sample lines hold the delimiter the same number of times (at least once)."""
    counts = Counter(line.count(delimiter) for line in lines)
    count, lines_with = counts.most_common(1)[0]
    return count > 0 and lines_with * 5 >= len(lines) * 4


def guess_delimiter(text: str, suffix: str = "") -> str:
    """The field separator of a table in ``text``: ``\\t``, ``,`` or ``;``.

    The extension gives the first choice (``.csv`` a comma; ``.tsv``, ``.txt``, ``.tab`` and any other a
    tab). The other of tab and comma is taken when the first never occurs in the text, or when it splits
    the lines evenly and the first does not (a ``.csv`` file saved with tabs whose cells hold commas,
    ``1,200``). A semicolon is taken only when neither tab nor comma
    occurs and it splits the lines evenly (a European spreadsheet's CSV).
    """
    lines = [line for line in text[: SNIFF_BYTES * 4].splitlines()[:_SAMPLE_LINES] if line.strip()]
    present = [d for d in ("\t", ",") if any(d in line for line in lines)]
    if not present:
        return ";" if lines and _consistent(lines, ";") else _BY_SUFFIX.get(suffix, "\t")
    first = _BY_SUFFIX.get(suffix, "\t")
    if len(present) == 1:
        return present[0]
    second = "," if first == "\t" else "\t"
    if not _consistent(lines, first) and _consistent(lines, second):
        return second
    return first


# --- numbers ----------------------------------------------------------------------------------------

#: a number as a file writes it: sign, digits with at most one point, an optional power of ten
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = frozenset({"nan", "snan", "inf", "infinity"})
#: characters of a refused number quoted in a message
_QUOTED = 20


def _quoted(text: str) -> str:
    return text if len(text) <= _QUOTED else f"{text[:_QUOTED]}…"


def read_number(text: str, *, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> Decimal:
    """The exact value of a number written in a file (``1203``, ``-0.5``, ``1.5E-07``).

    At most ``Limits.max_number_digits`` digits (the power of ten's included) and a power of ten of at
    most ``Limits.max_number_exponent`` either way, checked before the value is built: a million-digit
    integer or ``1e999999`` is :class:`InputTooLargeError`, ``NaN``, ``Infinity`` and anything that is not
    a number :class:`InputError`. Zero, negative or with any power of ten (``-0``, ``0e999999``), reads
    as ``Decimal(0)``.
    """
    written = text.strip()
    if written.lower().lstrip("+-") in _NOT_FINITE:
        raise InputError(f"“{written}”不是有限的数值", source=source)
    digits = sum(1 for ch in written if "0" <= ch <= "9")
    if digits > limits.max_number_digits:
        raise InputTooLargeError(
            digits,
            limits.max_number_digits,
            source=source,
            what=f"数值“{_quoted(written)}”的位数",
            name="max_number_digits",
        )
    if _NUMBER.fullmatch(written) is None:
        raise InputError(f"“{_quoted(written)}”不是数值", source=source)
    try:
        value = Decimal(written)
        power = 0 if value.is_zero() else abs(value.adjusted())
    except InvalidOperation:  # a power of ten beyond what Decimal holds (1e99999999999999999999)
        power = abs(int(written.lower().partition("e")[2]))
    if power > limits.max_number_exponent:
        raise InputTooLargeError(
            power,
            limits.max_number_exponent,
            source=source,
            what=f"数值“{_quoted(written)}”的数量级（10 的幂次）",
            name="max_number_exponent",
        )
    return Decimal(0) if value.is_zero() else value

