"""A schema-free reader and writer of Thrift's compact protocol, the encoding of a Parquet file's footer.

Parquet footers are Thrift structs. pyarrow reads them but cannot write one it did not produce itself, and
:mod:`jobs.tables.splice` needs exactly that: the footer of a file assembled from column chunks of other files,
with their offsets moved. Decoding without the IDL keeps every field, known or not (a newer writer's additions
survive the round trip byte for byte); the splice changes only the few offset and size fields it must.

A struct decodes to a :class:`Struct` (field id → :class:`Value`); lists and sets to :class:`Seq`; maps to
:class:`Map`. Integers are Python ints, binaries ``bytes``, doubles ``float``, booleans ``bool``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# Compact-protocol type codes.
T_TRUE, T_FALSE, T_BYTE, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY, T_LIST, T_SET, T_MAP, T_STRUCT = range(1, 13)
T_BOOL = T_TRUE  # a boolean's type in list headers and in Value.type
_MAX_DEPTH = 64


class ThriftError(ValueError):
    """The bytes are not a well-formed compact-protocol struct."""


@dataclass
class Value:
    type: int
    value: Any


@dataclass
class Seq:
    elem_type: int
    items: list[Any] = field(default_factory=list)
    is_set: bool = False


@dataclass
class Map:
    key_type: int
    value_type: int
    items: list[tuple[Any, Any]] = field(default_factory=list)


class Struct(dict[int, Value]):
    """Field id → value, in the order read (Thrift writers emit ascending ids; :func:`encode` sorts)."""

    def get_value(self, fid: int, default: Any = None) -> Any:
        v = self.get(fid)
        return default if v is None else v.value

    def set_value(self, fid: int, type_: int, value: Any) -> None:
        self[fid] = Value(type_, value)


# ------------------------------------------------------------------------------------------------ decoding
class _Reader:
    def __init__(self, buf: bytes | memoryview) -> None:
        self.buf = memoryview(buf)
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.buf):
            raise ThriftError("truncated")
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        out = shift = 0
        while True:
            b = self.byte()
            out |= (b & 0x7F) << shift
            if not b & 0x80:
                return out
            shift += 7
            if shift > 70:
                raise ThriftError("varint too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.buf):
            raise ThriftError("truncated")
        out = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return out

    def value(self, t: int, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise ThriftError("nested too deeply")
        if t in (T_TRUE, T_FALSE):  # inside a list or map: one byte each
            return self.byte() == T_TRUE
        if t == T_BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if t in (T_I16, T_I32, T_I64):
            return self.zigzag()
        if t == T_DOUBLE:
            return struct.unpack("<d", self.take(8))[0]
        if t == T_BINARY:
            return self.take(self.varint())
        if t in (T_LIST, T_SET):
            head = self.byte()
            size, elem = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            return Seq(elem, [self.value(elem, depth + 1) for _ in range(size)], t == T_SET)
        if t == T_MAP:
            size = self.varint()
            if size == 0:
                return Map(0, 0, [])
            kv = self.byte()
            kt, vt = kv >> 4, kv & 0x0F
            return Map(kt, vt, [(self.value(kt, depth + 1), self.value(vt, depth + 1)) for _ in range(size)])
        if t == T_STRUCT:
            return self.struct(depth + 1)
        raise ThriftError(f"unknown type {t}")

    def struct(self, depth: int = 0) -> Struct:
        out = Struct()
        last = 0
        while True:
            head = self.byte()
            if head == 0:
                return out
            t, delta = head & 0x0F, head >> 4
            fid = last + delta if delta else self.zigzag()
            last = fid
            if t in (T_TRUE, T_FALSE):
                out[fid] = Value(T_BOOL, t == T_TRUE)
            else:
                out[fid] = Value(t, self.value(t, depth))


def decode(buf: bytes | memoryview) -> Struct:
    """One struct from the start of ``buf``."""
    return _Reader(buf).struct()


# ------------------------------------------------------------------------------------------------ encoding
def _varint(n: int, out: bytearray) -> None:
    while True:
        if n < 0x80:
            out.append(n)
            return
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int, out: bytearray) -> None:
    _varint((n << 1) ^ (n >> 63), out)


def _value(t: int, v: Any, out: bytearray) -> None:
    if t in (T_TRUE, T_FALSE):
        out.append(T_TRUE if v else T_FALSE)
    elif t == T_BYTE:
        out.append(v & 0xFF)
    elif t in (T_I16, T_I32, T_I64):
        _zigzag(v, out)
    elif t == T_DOUBLE:
        out += struct.pack("<d", v)
    elif t == T_BINARY:
        _varint(len(v), out)
        out += v
    elif t in (T_LIST, T_SET):
        n = len(v.items)
        if n < 15:
            out.append((n << 4) | v.elem_type)
        else:
            out.append(0xF0 | v.elem_type)
            _varint(n, out)
        for item in v.items:
            _value(v.elem_type, item, out)
    elif t == T_MAP:
        _varint(len(v.items), out)
        if v.items:
            out.append((v.key_type << 4) | v.value_type)
            for key, val in v.items:
                _value(v.key_type, key, out)
                _value(v.value_type, val, out)
    elif t == T_STRUCT:
        _struct(v, out)
    else:
        raise ThriftError(f"unknown type {t}")


def _struct(s: Struct, out: bytearray) -> None:
    last = 0
    for fid in sorted(s):
        val = s[fid]
        t = (T_TRUE if val.value else T_FALSE) if val.type in (T_TRUE, T_FALSE) else val.type
        delta = fid - last
        if 0 < delta <= 15:
            out.append((delta << 4) | t)
        else:
            out.append(t)
            _zigzag(fid, out)
        last = fid
        if t not in (T_TRUE, T_FALSE):
            _value(t, val.value, out)
    out.append(0)


def encode(s: Struct) -> bytes:
    out = bytearray()
    _struct(s, out)
    return bytes(out)
