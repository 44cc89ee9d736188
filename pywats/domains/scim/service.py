# DO NOT EDIT — generated from pywats/domains/scim/async_service.py by `python -m pywats._unasync`.
"""The SCIM service: provisioning token, users (list, page through, get, create, patch, delete)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from wats_public.api.scim import (
    scim_create_user,
    scim_delete_user,
    scim_get_jwt,
    scim_get_user,
    scim_get_user_with_id,
    scim_get_users,
    scim_update_user,
)

from ..._sync.service import SyncService
from ...core import pagination
from ...core.binding import uses
from ...core.exceptions import ErrorMode, InvalidArgumentError, NotFoundError
from ...core.wire import guid, ignore_body, parse_model, positive, text, unset
from .models import ScimListResponse, ScimPatchOperation, ScimPatchRequest, ScimToken, ScimUser

__all__ = ["ScimService"]


def _user_id(user_id: UUID | str) -> UUID:
    return guid("user_id", user_id, "a SCIM user id (a GUID)")


class ScimService(SyncService):
    """SCIM 2.0 user provisioning: ``/api/SCIM/v2/...``."""

    @uses(scim_get_jwt, query=("duration",))
    def get_token(self, duration_days: int | None = None) -> ScimToken | None:
        """A JWT for Azure AD's provisioning "Secret Token", valid ``duration_days`` (server default 90)."""
        duration = unset(None if duration_days is None else positive("duration_days", duration_days))
        kwargs = scim_get_jwt.request_kwargs(duration=duration)
        return self._call_parsed(scim_get_jwt, kwargs, parse_model(ScimToken))

    @uses(scim_get_users, query=("filter", "startIndex", "count"))
    def get_users(
        self, filter: str | None = None, start_index: int | None = None, count: int | None = None
    ) -> ScimListResponse | None:
        """One page of users (all of them when ``count`` is not given); ``filter`` is SCIM's
        (``'userName eq "john@example.com"'``), ``start_index`` counts from 1."""
        kwargs = scim_get_users.request_kwargs(
            filter_=unset(None if filter is None else text("filter", filter)),
            start_index=unset(None if start_index is None else positive("start_index", start_index)),
            count=unset(None if count is None else positive("count", count)),
        )
        return self._call_parsed(scim_get_users, kwargs, parse_model(ScimListResponse))

    def _page(self, start_index: int, count: int) -> ScimListResponse:
        page = self.get_users(start_index=start_index, count=count)
        return page if page is not None else ScimListResponse()

    # The pages are fetched by get_users (declared there) only as the iteration asks for them,
    # so calling this method sends nothing: it declares no operation of its own.
    @uses()
    def iter_users(
        self, page_size: int = 100, max_users: int | None = None, on_page: pagination.OnPage | None = None
    ) -> Iterator[ScimUser]:
        """Every user, fetched ``page_size`` at a time as the loop consumes them.

        ``max_users`` stops early; ``on_page(page_num, users_so_far, total)`` is called after
        each page. Bad arguments raise ``ValueError`` here, before any request.
        """
        paginator: pagination.SyncPaginator[ScimListResponse, ScimUser] = pagination.SyncPaginator(
            self._page,
            lambda page: page.resources or [],
            lambda page: page.total_results,
            page_size,
            max_items=max_users,
            on_page=on_page,
            first_index=1,
        )
        return paginator.__iter__()

    @uses(scim_get_user_with_id)
    def get_user(self, user_id: UUID | str) -> ScimUser | None:
        """The user with this id. Not found: ``NotFoundError`` (STRICT) or None (LENIENT).

        An id that is not a GUID names no user: it is not found, without asking the server.
        """
        try:
            uid = _user_id(user_id)
        except ValueError as exc:
            if self._context.error_mode is ErrorMode.LENIENT:
                return None
            raise NotFoundError(
                f"no user has the id {user_id!r}: {exc}", operation="get_user", resource_type="user", identifier=user_id
            ) from None
        kwargs = scim_get_user_with_id.request_kwargs(uid)
        return self._call_parsed(
            scim_get_user_with_id, kwargs, parse_model(ScimUser), resource_type="user", identifier=user_id
        )

    @uses(scim_get_user)
    def get_user_by_username(self, user_name: str) -> ScimUser | None:
        """The user with this user name (usually the e-mail address)."""
        kwargs = scim_get_user.request_kwargs(text("user_name", user_name))
        return self._call_parsed(
            scim_get_user, kwargs, parse_model(ScimUser), resource_type="user", identifier=user_name
        )

    @uses(scim_create_user)
    def create_user(self, user: ScimUser) -> ScimUser | None:
        """Create a user; the result carries the server's ``id``. Not retried automatically (POST)."""
        if not isinstance(user, ScimUser):
            raise InvalidArgumentError(f"create_user takes a ScimUser, not {type(user).__name__}")
        text("user.user_name", user.user_name)
        kwargs = scim_create_user.request_kwargs(body=user.to_wire())
        return self._call_parsed(scim_create_user, kwargs, parse_model(ScimUser))

    @uses(scim_update_user)
    def update_user(self, user_id: UUID | str, patch: ScimPatchRequest) -> ScimUser | None:
        """Apply a SCIM PatchOp (``replace`` only). WATS accepts the paths ``fullName``,
        ``givenName``, ``familyName``, ``email``, ``roles``, ``active``, ``levels``, ``productGroups``."""
        if not isinstance(patch, ScimPatchRequest) or not patch.operations:
            raise InvalidArgumentError("update_user takes a ScimPatchRequest with at least one operation")
        uid = _user_id(user_id)
        kwargs = scim_update_user.request_kwargs(str(uid), body=patch.to_wire())
        return self._call_parsed(
            scim_update_user, kwargs, parse_model(ScimUser), resource_type="user", identifier=user_id
        )

    def _replace(self, user_id: UUID | str, path: str, value: Any) -> ScimUser | None:
        return self.update_user(
            user_id, ScimPatchRequest(operations=[ScimPatchOperation(op="replace", path=path, value=value)])
        )

    @uses(scim_update_user)
    def update_display_name(self, user_id: UUID | str, display_name: str) -> ScimUser | None:
        """Set the user's display name (WATS's ``fullName``)."""
        return self._replace(user_id, "fullName", text("display_name", display_name))

    @uses(scim_update_user)
    def set_user_active(self, user_id: UUID | str, active: bool) -> ScimUser | None:
        """Activate or deactivate the user."""
        if not isinstance(active, bool):
            raise InvalidArgumentError(f"active must be True or False, not {active!r}")
        return self._replace(user_id, "active", active)

    @uses(scim_update_user)
    def deactivate_user(self, user_id: UUID | str) -> ScimUser | None:
        """Deactivate the user (same as ``set_user_active(user_id, False)``)."""
        return self._replace(user_id, "active", False)

    @uses(scim_delete_user)
    def delete_user(self, user_id: UUID | str) -> None:
        """Delete the user. Unknown id: ``NotFoundError`` (STRICT); nothing happens (LENIENT)."""
        uid = _user_id(user_id)
        kwargs = scim_delete_user.request_kwargs(str(uid))
        self._call_parsed(
            scim_delete_user, kwargs, ignore_body, expect_data=False, resource_type="user", identifier=user_id
        )
