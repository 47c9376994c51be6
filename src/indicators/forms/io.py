"""Reading a form file: format by extension and content, then the shared layout step.

=============  ===========================================================================
format         chosen when
=============  ===========================================================================
XLSX           the file starts with the zip signature ``PK\\x03\\x04``, or ends in .xlsx/.xlsm
JSON           the file ends in .json, or its text starts with ``{``
YAML           the file ends in .yaml or .yml (a form exported with ``--format yaml``)
CSV            the delimiter guessed by :func:`indicators.inputs.guess_delimiter` is a comma or a
               semicolon (.csv files, unless they hold tabs and no commas)
tab text       the guessed delimiter is a tab: .txt, .tsv, or text with tabs
=============  ===========================================================================

Old binary Excel files (``.xls``, OLE signature) are refused with a hint to save as .xlsx.
"""

from __future__ import annotations

from indicators.codes import diagnostic
from indicators.collect import bulk_work
from indicators.diagnostics import Location
from indicators.forms.layout import Sheet, build_form
from indicators.forms.model import Form
from indicators.forms.names import CatalogLike
from indicators.forms.readers.common import OLE_SIGNATURE, too_large, unreadable
from indicators.forms.readers.jsonfile import read_json, read_yaml
from indicators.forms.readers.text import decode, read_csv_text, read_tab_text
from indicators.forms.recognise import Recogniser
from indicators.inputs import InputError, InputTooLargeError, Source, guess_delimiter, read_bytes
from indicators.limits import DEFAULT_LIMITS, Limits, in_engine_context

_ZIP = b"PK\x03\x04"
FORMATS = ("text", "tsv", "csv", "json", "yaml")
#: how a guessed encoding is named in the IND005 note
_ENCODING_NAMES = {"big5": "Big5（繁体中文）", "cp950": "Big5（繁体中文）", "gb18030": "GB18030（简体中文）"}


def _recogniser(catalog: CatalogLike | None, limits: Limits, use_parsers: bool) -> Recogniser:
    taxonomy = catalog.taxonomy if catalog is not None else None
    return Recogniser(taxonomy, use_parsers=use_parsers, limits=limits)


def sniff(data: bytes, suffix: str) -> str:
    """The reader for these bytes: ``xlsx``, ``xls``, ``json``, ``yaml`` or ``text``."""
    if data.startswith(_ZIP) or suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if data.startswith(OLE_SIGNATURE) or suffix == ".xls":
        return "xls"
    if suffix == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "json"
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    return "text"


@in_engine_context
def read_form(
    path: Source,
    *,
    source: str | None = None,
    catalog: CatalogLike | None = None,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str | None = None,
    use_parsers: bool = True,
) -> Form:
    """Read a declaration or self-evaluation form from a .txt/.tsv/.csv/.xlsx/.json/.yaml file.

    ``path`` is a path, the bytes of a file, or a binary stream (an upload, ``open(…, "rb")``); ``source``
    names it in locations and messages (default: the file name; for bytes, give a name with its extension,
    ``form.csv``, to choose CSV over tab text). ``catalog`` supplies the taxonomy used to recognise category
    names (default: the bundled catalog, or a built-in list when the catalog cannot be loaded); ``sheet``
    picks a worksheet by name; ``use_parsers=False`` recognises formulas and targets by their shape alone.
    Raises :class:`~indicators.errors.FormReadError` (IND501, IND502, IND505; IND003 for files over the
    limits).
    """
    with bulk_work():
        return _read_form(path, source, catalog, limits, sheet, use_parsers)


def _read_form(
    path: Source,
    source: str | None,
    catalog: CatalogLike | None,
    limits: Limits,
    sheet: str | None,
    use_parsers: bool,
) -> Form:
    try:
        raw = read_bytes(path, limits=limits, name=source)
    except InputTooLargeError as exc:
        raise too_large(exc.source, exc.what, exc.size, exc.limit, exc.name) from exc
    except InputError as exc:
        raise unreadable(exc.source, exc.reason, hint=exc.hint) from exc
    name, data = raw.name, raw.data
    if not data.strip():
        raise unreadable(name, "文件为空")
    fmt = sniff(data, raw.suffix)
    if fmt == "xls":
        raise unreadable(name, "不支持旧版 Excel（.xls）格式", hint="请用 Excel 另存为 .xlsx 格式")
    rec = _recogniser(catalog, limits, use_parsers)
    if fmt == "xlsx":
        from indicators.forms.readers.xlsx import read_xlsx

        return build_form(read_xlsx(data, name, limits), source=name, recogniser=rec, sheet=sheet)
    decoded = decode(data, name)
    text = decoded.text
    if fmt == "json":
        return read_json(text, name)
    if fmt == "yaml":
        return read_yaml(text, name)
    delimiter = guess_delimiter(text, raw.suffix)
    form = _from_text(text, name, "csv" if delimiter != "\t" else "text", rec, limits, delimiter)
    if decoded.guessed:
        note = diagnostic(
            "IND005", encoding=_ENCODING_NAMES.get(decoded.encoding, decoded.encoding),
            location=Location(source=name),
        )
        form = form.model_copy(update={"diagnostics": (note, *form.diagnostics)})
    return form


@in_engine_context
def read_form_text(
    text: str,
    *,
    source: str | None = None,
    fmt: str = "text",
    catalog: CatalogLike | None = None,
    limits: Limits = DEFAULT_LIMITS,
    use_parsers: bool = True,
) -> Form:
    """Read a form from text in memory; ``fmt``: ``text`` (= ``tsv``), ``csv``, ``json`` or ``yaml``."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if len(text) > limits.max_file_bytes:
        raise too_large(source, "文本长度（字符）", len(text), limits.max_file_bytes, "max_file_bytes")
    if not text.strip():
        raise unreadable(source, "文件为空")
    if fmt == "json":
        return read_json(text, source)
    if fmt == "yaml":
        return read_yaml(text, source)
    delimiter = guess_delimiter(text, ".csv") if fmt == "csv" else "\t"
    return _from_text(text, source, fmt, _recogniser(catalog, limits, use_parsers), limits, delimiter)


def _from_text(
    text: str, source: str | None, fmt: str, rec: Recogniser, limits: Limits, delimiter: str = ","
) -> Form:
    if fmt == "csv":
        sheet: Sheet = read_csv_text(text, source, limits, delimiter=delimiter)
    else:
        sheet = read_tab_text(text, source, limits)
    return build_form([sheet], source=source, recogniser=rec)
