"""The base of the facade's pydantic models: a bad field given by a caller is an ``InvalidArgumentError``.

Building a model (``WATSFilter(days="x")``) or assigning a field of one that validates
assignments raises :class:`~pywats.InvalidArgumentError` naming the field path, like every other
bad argument. Reading the server's answers (``model_validate``) is not affected.

:class:`Synonym` (and :class:`WritableSynonym`) is the one way a model offers another name for
one of its fields or properties.
"""

from __future__ import annotations

from typing import Any, Generic, NoReturn, TypeVar, overload

import pydantic

from .._compat import Self
from .arguments import from_exception

__all__ = ["FacadeModel", "Synonym", "WritableSynonym"]

T = TypeVar("T")


class FacadeModel(pydantic.BaseModel):
    """``pydantic.BaseModel`` whose construction and assignment errors are pywats argument errors."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise from_exception(type(self).__name__, exc) from None

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except pydantic.ValidationError as exc:
            raise from_exception(type(self).__name__, exc) from None

    def to_wire(self) -> dict[str, Any]:
        """The server's JSON for this object: its field names, fields that are None left out.

        Every request body a model becomes is made here (a model may add its own rules on top).
        """
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Synonym(property, Generic[T]):
    """A read-only property that is another name for the attribute ``target`` (``T`` is its type):
    ``part_number = Synonym[str | None]("pn", "The unit's part number (WSJF ``pn``).")``.

    ``doc`` is the property's docstring (the API reference shows it, through
    ``docs/_hooks/griffe_synonyms.py``). Naming an attribute the class does not have fails when the
    class is defined.
    """

    def __init__(self, target: str, doc: str) -> None:
        def read(model: Any) -> Any:
            return getattr(model, target)

        read.__doc__ = doc
        super().__init__(read)
        self.target = target
        # a property subclass keeps an explicit docstring only in its instance's own __doc__
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        if not any(self.target in vars(c) or self.target in getattr(c, "__annotations__", {}) for c in owner.__mro__):
            raise TypeError(f"{owner.__name__}.{name} is a synonym of {self.target!r}, which {owner.__name__} lacks")
        # property's own (it names the property in the "has no setter" error) where Python has one
        named = getattr(super(), "__set_name__", None)
        if named is not None:
            named(owner, name)

    @overload
    def __get__(self, instance: None, owner: type | None = None, /) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None, /) -> T: ...

    def __get__(self, instance: object, owner: type | None = None, /) -> Any:
        return super().__get__(instance, owner)

    def __set__(self, instance: object, value: NoReturn, /) -> None:
        # typed so that mypy refuses an assignment, as it does for a property without a setter
        super().__set__(instance, value)


class WritableSynonym(Synonym[T]):
    """A :class:`Synonym` that can be assigned too: assigning it assigns ``target``."""

    def __init__(self, target: str, doc: str) -> None:
        super().__init__(target, doc)

        def write(model: Any, value: Any) -> None:
            setattr(model, target, value)

        property.__init__(self, self.fget, write)
        self.__doc__ = doc

    def __set__(self, instance: object, value: T, /) -> None:
        property.__set__(self, instance, value)
