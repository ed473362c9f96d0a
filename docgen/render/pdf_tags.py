"""Tagged-PDF plumbing for files joined from parts: one structure tree, and bulk structure appended
as raw objects.

`carry_structure` gives a joined file the structure trees of its parts (WeasyPrint renders each
part tagged; copying pages alone drops the tree): the first part's document element becomes the
file's, later parts' top-level elements are appended to it, and their ParentTree keys (the pages'
/StructParents) are shifted past the earlier ones.

`append_objects` adds objects to a saved PDF as an incremental update: deflated object streams
and a cross-reference stream, written here as bytes. A drawn 50,000-row exhibit needs about
400,000 structure elements; as pikepdf/QPDF objects they took about 1.1 KB of memory each
(some 440 MB) and 2 s of Python calls to build; as bytes they take under a second and end up
about 16 bytes each in the file.
The update may also replace earlier objects (a placeholder that becomes the exhibit's /Table).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import pikepdf

OBJECTS_PER_STREAM = 1000  # an object stream is read whole when one of its objects is needed


@dataclass(slots=True)
class Structure:
    """The joined file's structure tree while it is being built."""

    root: pikepdf.Dictionary  # /StructTreeRoot (indirect)
    document: pikepdf.Dictionary  # the top-level element (/Document) new elements go under
    nums: list[tuple[int, pikepdf.Object]]  # ParentTree entries (key, value)
    next_key: int


def _number_tree_entries(node: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    entries: list[tuple[int, pikepdf.Object]] = []
    if "/Nums" in node:
        nums = node.Nums
        entries.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    for kid in node.get("/Kids", []):
        entries.extend(_number_tree_entries(kid))
    return entries


def _element_kids(k: pikepdf.Object | None) -> list[pikepdf.Object]:
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def carry_structure(out: pikepdf.Pdf, parts: Sequence[tuple[pikepdf.Pdf, int]]) -> Structure:
    """One structure tree for `out` from its parts: (source, index in `out` of its first page).

    The parts' pages must already be in `out` (copied from the same open sources, so the copied
    tree's /Pg entries meet the copied pages). With no tagged part, an empty /Document.
    """
    structure: Structure | None = None
    for src, first_page in parts:
        if "/StructTreeRoot" not in src.Root:
            continue
        source_tree = src.Root.StructTreeRoot
        if not source_tree.is_indirect:  # copy_foreign copies indirect objects only
            source_tree = src.make_indirect(source_tree)
        # copy_foreign is typed as returning any Object; a /StructTreeRoot is a dictionary
        tree = cast(pikepdf.Dictionary, out.copy_foreign(source_tree))
        tops = _element_kids(tree.get("/K"))
        offset = 0 if structure is None else structure.next_key
        entries = _number_tree_entries(tree.ParentTree) if "/ParentTree" in tree else []
        next_key = max((k for k, _ in entries), default=-1) + 1
        next_key = max(next_key, int(tree.get("/ParentTreeNextKey", 0)))
        if offset:
            for page in out.pages[first_page : first_page + len(src.pages)]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annot in page.obj.get("/Annots", []):
                    if "/StructParent" in annot:
                        annot.StructParent = int(annot.StructParent) + offset
        shifted = [(key + offset, value) for key, value in entries]
        if structure is None:
            if len(tops) == 1 and isinstance(tops[0], pikepdf.Dictionary):
                document = tops[0]
            else:  # several top-level elements: gather them under one /Document
                document = out.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=tree, K=tops
                    )
                )
                for top in tops:
                    if isinstance(top, pikepdf.Dictionary):
                        top.P = document
            tree.K = pikepdf.Array([document])
            structure = Structure(tree, document, shifted, next_key)
            continue
        kids = _element_kids(tree.K[0].get("/K")) if len(tops) == 1 else tops
        document = structure.document
        document.K = pikepdf.Array([*_element_kids(document.get("/K")), *kids])
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = document
        for key in ("/RoleMap", "/ClassMap"):
            if key in tree:
                merged = structure.root.get(key, pikepdf.Dictionary())
                for name, value in tree[key].items():
                    if name not in merged:
                        merged[name] = value
                structure.root[key] = merged
        structure.nums.extend(shifted)
        structure.next_key = offset + next_key
    if structure is None:
        root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = out.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()
            )
        )
        root.K = pikepdf.Array([document])
        structure = Structure(root, document, [], 0)
    return structure


def install(out: pikepdf.Pdf, structure: Structure, extra: pikepdf.Object | None) -> None:
    """Make `structure` the file's tree; `extra`, a number-tree leaf (its /Limits set) for keys
    from `structure.next_key` on, is added as a second kid of the ParentTree."""
    kids = pikepdf.Array()
    if structure.nums:
        nums = pikepdf.Array()
        for key, value in sorted(structure.nums, key=lambda e: e[0]):
            nums.append(key)
            nums.append(value)
        low, high = min(k for k, _ in structure.nums), max(k for k, _ in structure.nums)
        kids.append(
            out.make_indirect(pikepdf.Dictionary(Limits=pikepdf.Array([low, high]), Nums=nums))
        )
    if extra is not None:
        kids.append(extra)
    structure.root.ParentTree = out.make_indirect(pikepdf.Dictionary(Kids=kids))
    structure.root.ParentTreeNextKey = structure.next_key
    out.Root.StructTreeRoot = structure.root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def text_string(text: str) -> str:
    """`text` as a PDF text string token for a raw object (PDF 1.7, 7.9.2.2): a literal string
    when it is printable ASCII (the same bytes in PDFDocEncoding), with "\\", "(" and ")"
    escaped; otherwise UTF-16BE with its byte order mark, written in hex, so any character
    (CJK names, line breaks, unbalanced parentheses) survives byte for byte."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"


_XREF_ROW = struct.Struct(">BIH")  # /W [1 4 2]
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def append_objects(base: bytes, objects: Iterable[tuple[int, bytes]]) -> bytes:
    """`base` with an incremental update holding `objects` (object number, its body without
    "obj"/"endobj"; generation 0), in deflated object streams with a cross-reference stream.

    Numbers from the base's /Size on are new objects; lower numbers replace the base's objects.
    The trailer keeps the base's /Root, /Info and /ID (PDF/A wants /ID in the last trailer).
    """
    found = _STARTXREF.search(base[-64:])
    if found is None:
        raise ValueError("the PDF to update has no startxref at its end")
    prev = int(found.group(1))
    with pikepdf.open(io.BytesIO(base)) as pdf:
        trailer = pdf.trailer
        size = int(trailer.Size)
        root = trailer.Root.objgen[0]
        info = trailer.Info.objgen[0] if "/Info" in trailer else None
        ids = [bytes(i) for i in trailer.ID] if "/ID" in trailer else []
    # Object streams are packed as the objects come; they are numbered after the last object.
    # Bookkeeping stays compact (arrays, one 7-byte xref row per number): 400,000 objects.
    packed_streams: list[tuple[array[int], int, bytes]] = []  # (member numbers, /First, deflated)
    pending: list[tuple[int, bytes]] = []

    def pack() -> None:
        header = []
        position = 0
        for number, data in pending:
            header.append(f"{number} {position}")
            position += len(data) + 1
        head = (" ".join(header) + "\n").encode("ascii")
        body = head + b"\n".join(data for _, data in pending) + b"\n"
        members = array("I", (n for n, _ in pending))
        packed_streams.append((members, len(head), zlib.compress(body, 6)))
        pending.clear()

    for number, data in objects:
        size = max(size, number + 1)
        pending.append((number, data))
        if len(pending) >= OBJECTS_PER_STREAM:
            pack()
    if pending:
        pack()
    total = size + len(packed_streams) + 1  # the object streams, then the xref stream
    rows = bytearray(7 * total)  # xref rows: type (1), field 2 (4), field 3 (2)
    present = bytearray(total)

    def entry(number: int, kind: int, field2: int, field3: int) -> None:
        _XREF_ROW.pack_into(rows, 7 * number, kind, field2, field3)
        present[number] = 1

    chunks: list[bytes] = [base if base.endswith(b"\n") else base + b"\n"]
    offset = len(chunks[0])
    for members, first, packed in packed_streams:
        stream_number = size
        size += 1
        for position, number in enumerate(members):
            entry(number, 2, stream_number, position)
        obj = (
            (
                f"{stream_number} 0 obj\n<</Type /ObjStm /N {len(members)} /First {first} "
                f"/Filter /FlateDecode /Length {len(packed)}>>\nstream\n"
            ).encode("ascii")
            + packed
            + b"\nendstream\nendobj\n"
        )
        entry(stream_number, 1, offset, 0)
        chunks.append(obj)
        offset += len(obj)
    xref_number = size
    size += 1
    entry(xref_number, 1, offset, 0)
    index: list[int] = []
    table = bytearray()
    for run in re.finditer(b"\x01+", present):  # the subsections: runs of updated numbers
        index += [run.start(), run.end() - run.start()]
        table += rows[7 * run.start() : 7 * run.end()]
    packed = zlib.compress(bytes(table), 6)
    id_text = "".join(f"<{i.hex()}>" for i in ids)
    info_text = f" /Info {info} 0 R" if info is not None else ""
    xref = (
        (
            f"{xref_number} 0 obj\n<</Type /XRef /Size {size} /Index [{' '.join(map(str, index))}] "
            f"/W [1 4 2] /Root {root} 0 R{info_text} /ID [{id_text}] /Prev {prev} "
            f"/Filter /FlateDecode /Length {len(packed)}>>\nstream\n"
        ).encode("ascii")
        + packed
        + b"\nendstream\nendobj\n"
    )
    chunks.append(xref)
    chunks.append(f"startxref\n{offset}\n%%EOF\n".encode("ascii"))
    return b"".join(chunks)
