"""The ZIP container of a workbook, checked before anything in it is parsed.

An XLSX file is a ZIP archive of XML parts. Before openpyxl opens it, :func:`check_archive`:

1. counts the members from the archive's end record, before the member list is read
   (``Limits.max_zip_members``);
2. adds up the unpacked sizes the archive declares (``Limits.max_unpacked_bytes``) and checks each
   member's ratio of unpacked to packed size (``Limits.max_compression_ratio``): a zip bomb is refused
   from its declarations, nothing is unpacked;
3. unpacks every member once, in chunks of at most :data:`CHUNK` bytes that are counted and thrown
   away, and refuses a member whose data unpack to more than it declares. A member that under-declares
   its size would otherwise be unpacked whole, in one piece, by the ``zipfile`` module when openpyxl
   reads it; after this check every read is bounded by the declared sizes checked in step 2.

Only the stored and deflated methods are accepted (the two that Excel and WPS write); an encrypted
member is refused.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from indicators.errors import FormReadError
from indicators.forms.readers.common import too_large, unreadable
from indicators.limits import Limits

#: the most bytes unpacked (or read) at once while checking a member
CHUNK = 1 << 16
#: a member smaller than this unpacked is never a bomb, whatever its ratio (a run of empty cells)
RATIO_FLOOR = 1 << 20
_END_RECORD = b"PK\x05\x06"
_LOCAL_HEADER = b"PK\x03\x04"
#: the end record is 22 bytes, followed by a comment of at most 65,535 bytes
_END_SEARCH = 22 + 0xFFFF
_SAVE_AS = "请用 Excel 另存为 .xlsx 格式"


def declared_members(data: bytes) -> int | None:
    """The number of members the archive's end record declares (None when there is no end record).

    A ZIP64 archive records 0xFFFF here: more members than any workbook has.
    """
    at = data.rfind(_END_RECORD, max(0, len(data) - _END_SEARCH))
    if at < 0 or at + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, at + 10)
    return int(count)


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where the packed bytes of ``info`` start: after its local header, name and extra field."""
    at = info.header_offset
    if data[at : at + 4] != _LOCAL_HEADER:
        raise ValueError("bad local header")
    name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
    return int(at + 30 + name_length + extra_length)


def _unpacked_size(data: bytes, info: zipfile.ZipInfo, source: str | None) -> int:
    """The size ``info``'s data really unpack to, counted in chunks; stops once past its declared size."""
    start = _data_offset(data, info)
    packed = data[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(packed)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total = 0
    for begin in range(0, len(packed), CHUNK):
        piece = packed[begin : begin + CHUNK]
        while piece:
            total += len(inflater.decompress(piece, CHUNK))
            if total > info.file_size:
                raise unreadable(
                    source,
                    f"压缩包中的“{info.filename}”解压后超过其声明的 {info.file_size} 字节"
                    "（文件已损坏或被改动），未解压",
                    hint=_SAVE_AS,
                )
            piece = inflater.unconsumed_tail
    return total


def _check_declared(infos: list[zipfile.ZipInfo], source: str | None, limits: Limits) -> None:
    unpacked = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise unreadable(source, "工作簿已加密，无法读取", hint="请在 Excel 中取消密码后再保存")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise unreadable(source, f"压缩包中的“{info.filename}”使用了不支持的压缩方式", hint=_SAVE_AS)
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise too_large(
                source, f"压缩包中“{info.filename}”的压缩比", ratio, limits.max_compression_ratio,
                "max_compression_ratio",
            )
        unpacked += info.file_size
        if unpacked > limits.max_unpacked_bytes:
            total = sum(i.file_size for i in infos)
            raise too_large(
                source, "工作簿解压后的大小（字节）", total, limits.max_unpacked_bytes, "max_unpacked_bytes"
            )


def check_archive(data: bytes, source: str | None, limits: Limits) -> None:
    """Refuse a workbook whose ZIP container is over the limits or lies about its sizes (see the
    module text); :class:`~indicators.errors.FormReadError` (IND003 for a limit, IND501 otherwise)."""
    count = declared_members(data)
    if count is not None and count > limits.max_zip_members:
        raise too_large(source, "压缩包的成员数", count, limits.max_zip_members, "max_zip_members")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # BytesIO shares the bytes, no copy
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise unreadable(source, "不是有效的 XLSX 文件（压缩包已损坏）", hint=_SAVE_AS) from exc
    if len(infos) > limits.max_zip_members:
        raise too_large(source, "压缩包的成员数", len(infos), limits.max_zip_members, "max_zip_members")
    _check_declared(infos, source, limits)
    for info in infos:
        try:
            _unpacked_size(data, info, source)
        except FormReadError:
            raise
        except (ValueError, zlib.error, struct.error) as exc:
            raise unreadable(
                source, f"不是有效的 XLSX 文件（压缩包中的“{info.filename}”已损坏）", hint=_SAVE_AS
            ) from exc

