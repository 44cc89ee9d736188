"""Griffe extension: show ``name = Synonym[T]("target", "doc")`` (``pywats.core.model.Synonym``)
in the API reference as what it is at run time, a read-only property of type ``T`` documented by
``doc`` (a writable one for ``WritableSynonym``)."""

from __future__ import annotations

import ast
from typing import Any

import griffe


class Synonyms(griffe.Extension):
    """Turns each ``Synonym``/``WritableSynonym`` class attribute into a documented property."""

    def on_attribute_instance(
        self, *, node: ast.AST | griffe.ObjectNode, attr: griffe.Attribute, **kwargs: Any
    ) -> None:
        value = getattr(node, "value", None)
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Subscript)):
            return
        func = value.func
        kind = func.value.id if isinstance(func.value, ast.Name) else None
        if kind not in ("Synonym", "WritableSynonym") or len(value.args) != 2:
            return
        doc = value.args[1]
        if not (isinstance(doc, ast.Constant) and isinstance(doc.value, str)):
            return
        parent = attr.parent
        assert isinstance(parent, griffe.Class | griffe.Module)
        attr.annotation = griffe.safe_get_annotation(func.slice, parent)
        attr.docstring = griffe.Docstring(doc.value, lineno=doc.lineno, parent=attr)
        attr.value = None
        attr.labels -= {"class-attribute", "instance-attribute"}
        attr.labels |= {"property", "writable"} if kind == "WritableSynonym" else {"property"}
