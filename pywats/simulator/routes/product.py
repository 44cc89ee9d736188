"""Simulated Product endpoints: products, revisions, BOMs, groups, vendors, categories, box builds.

State lives in the simulator store in wire format (the WATS documents' field names):
``products`` (keyed by lower-cased part number, each holding its ``revisions``), ``boms``
(WSBF components per revision), ``product_relations`` (box build parent/child links),
``product_groups``, ``vendors`` and ``product_categories``. Never imports the facade.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from ..common import data_list, fold, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error

__all__ = [
    "BOMS", "CATEGORIES", "GROUPS", "PRODUCTS", "RELATIONS", "ROUTES", "VENDORS", "box_build", "find_product",
    "find_revision", "load", "revision_by_id", "revision_id", "seed",
]  # fmt: skip

PRODUCTS = "products"
RELATIONS = "product_relations"
GROUPS = "product_groups"
CATEGORIES = "product_categories"
BOMS = "boms"
VENDORS = "vendors"

_NS = uuid.UUID("0b7d2c51-3f0e-4f7b-8d7e-5e1a2f4c9a01")
_WSBF = "{http://wats.virinco.com/schemas/WATS/wsbf}"


Result = tuple[int, Any]
_error = error


def _locked(handler: Handler) -> Handler:
    """Run a handler under the store lock: writers change stored dicts in place."""

    def run(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
        with sim.store.lock:
            return handler(sim, req, params)

    run.__name__ = run.__qualname__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _id(*parts: str) -> str:
    """A stable id made from names, each folded (:func:`fold`): names the server takes as one get one id."""
    return str(uuid.uuid5(_NS, "/".join(fold(p) for p in parts)))


def find_product(store: Store, part_number: Any) -> dict[str, Any] | None:
    """The product with this part number (compared as the server does), or None."""
    return next((p for p in store.collection(PRODUCTS) if same(p["partNumber"], part_number)), None)


def find_revision(product: dict[str, Any], revision: Any) -> dict[str, Any] | None:
    """The product's revision ``revision``, or None."""
    return next((r for r in product.get("revisions", []) if same(r.get("revision", ""), revision)), None)


def box_build(store: Store, part_number: Any, revision: Any) -> list[dict[str, Any]] | None:
    """The box build lines (``ProductRevisionRelation``) of a product revision; None if there is no
    such revision."""
    product = find_product(store, part_number)
    rev = find_revision(product, revision) if product else None
    if rev is None:
        return None
    return [r for r in store.collection(RELATIONS) if same(r["ParentProductRevisionId"], rev["productRevisionId"])]


def revision_id(store: Store, part_number: Any, revision: Any) -> str | None:
    """The ``productRevisionId`` of a product revision, or None."""
    product = find_product(store, part_number)
    rev = find_revision(product, revision) if product else None
    return rev["productRevisionId"] if rev else None


def revision_by_id(store: Store, revision_id: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (product, revision) with this ``productRevisionId``, or None."""
    for product in store.collection(PRODUCTS):
        for rev in product.get("revisions", []):
            if same(rev.get("productRevisionId", ""), revision_id):
                return product, rev
    return None


def _product_by_id(sim: Server, product_id: Any) -> dict[str, Any] | None:
    return next((p for p in sim.store.collection(PRODUCTS) if same(p.get("productId"), product_id)), None)


def _given(value: Any) -> bool:
    """An id the client actually set (WATS treats the all-zero UUID as "none")."""
    return bool(value) and not same(value, uuid.UUID(int=0))


# -- tags: WATS derives the read-only ``tags`` from ``xmlData`` ------------------------------


def _tags(xml_data: Any) -> list[dict[str, Any]]:
    if not isinstance(xml_data, str) or not xml_data.strip():
        return []
    try:
        root = ElementTree.fromstring(xml_data)
    except ElementTree.ParseError:
        return []
    return [{"key": el.tag, "value": el.get("Value", el.text or ""), "change": 0} for el in root if el.tag != "BOM"]


def _valid_xml(xml_data: Any) -> bool:
    if xml_data in (None, ""):
        return True
    if not isinstance(xml_data, str):
        return False
    try:
        ElementTree.fromstring(xml_data)
    except ElementTree.ParseError:
        return False
    return True


# -- wire views ------------------------------------------------------------------------------


def _revision_out(product: dict[str, Any], rev: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(rev)
    out["productId"] = product["productId"]
    out["PartNumber"] = product["partNumber"]
    out["tags"] = _tags(rev.get("xmlData"))
    return out


def _product_out(product: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(product)
    out["revisions"] = [_revision_out(product, r) for r in product.get("revisions", [])]
    out["tags"] = _tags(product.get("xmlData"))
    return out


def _view(product: dict[str, Any]) -> dict[str, Any]:
    return {
        "partNumber": product["partNumber"],
        "name": product.get("name"),
        "category": product.get("productCategoryName"),
        "nonSerial": bool(product.get("nonSerial")),
        "state": product.get("state", 1),
    }


# -- products ----------------------------------------------------------------------------------


def _check_product(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "The product must be a JSON object."
    pn = body.get("partNumber")
    if not isinstance(pn, str) or not pn.strip():
        return "partNumber is required."
    if body.get("state", 1) not in (0, 1):
        return "state must be 0 (inactive) or 1 (active)."
    if not _valid_xml(body.get("xmlData")):
        return "xmlData is not a valid XML document."
    return None


def _save_product(sim: Server, body: dict[str, Any]) -> Result:
    """Add or update one product (caller holds the lock); unknown fields are stored as sent."""
    problem = _check_product(body)
    if problem:
        return _error(400, problem)
    existing = find_product(sim.store, body["partNumber"])
    if _given(body.get("productId")):
        by_id = _product_by_id(sim, body["productId"])
        if by_id is None:
            return _error(404, f"Product with productId {body['productId']} not found.")
        if existing is not None and existing is not by_id:
            return _error(409, f"Another product already has part number {body['partNumber']}.")
        existing = by_id
    if existing is None:
        existing = {"productId": _id("product", body["partNumber"]), "revisions": []}
        sim.store.collection(PRODUCTS).append(existing)
    for name, value in body.items():
        if name not in ("revisions", "tags", "productId"):
            existing[name] = value
    existing.setdefault("state", 1)
    existing["nonSerial"] = bool(existing.get("nonSerial"))
    return 200, _product_out(existing)


def _put_one(save: Callable[[Server, Any], Result]) -> Handler:
    """The handler of a PUT of one item: ``save`` it under the store lock."""

    def put(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
        with sim.store.lock:
            return save(sim, req.json())

    return put


def _put_many(save: Callable[[Server, Any], Result], what: str) -> Handler:
    """The handler of a PUT of a JSON array of ``what``: every item saved, or none."""

    def put(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
        body = req.json()
        if not isinstance(body, list):
            return _error(400, f"The {what} must be a JSON array.")
        return _all_or_nothing(sim, body, save)

    return put


def _all_or_nothing(sim: Server, items: list[Any], save: Callable[[Server, Any], Result]) -> Result:
    """Save every item or, at the first bad one, none: a bad item must not half-apply a batch."""
    products = sim.store.collection(PRODUCTS)
    with sim.store.lock:
        before = copy.deepcopy(products)
        saved = []
        for index, item in enumerate(items):
            status, out = save(sim, item)
            if status != 200:
                products[:] = before
                return _error(status, f"[{index}] {out['Message']} Nothing was saved.")
            saved.append(out)
    return 200, saved


def _get_product(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    product = find_product(sim.store, params["partNumber"])
    if product is None:
        return _error(404, f"Product {params['partNumber']} not found.")
    return 200, _product_out(product)


def _query_products(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    products = sorted(sim.store.collection(PRODUCTS), key=lambda p: fold(p["partNumber"]))
    return 200, [_view(p) for p in products]


# -- revisions ---------------------------------------------------------------------------------


def _save_revision(sim: Server, body: Any) -> Result:
    """Add or update one revision (caller holds the lock)."""
    if not isinstance(body, dict):
        return _error(400, "The revision must be a JSON object.")
    revision = body.get("revision")
    if not isinstance(revision, str) or not revision.strip():
        return _error(400, "revision is required.")
    if body.get("state", 1) not in (0, 1):
        return _error(400, "state must be 0 (inactive) or 1 (active).")
    if not _valid_xml(body.get("xmlData")):
        return _error(400, "xmlData is not a valid XML document.")
    product = _product_by_id(sim, body["productId"]) if _given(body.get("productId")) else None
    pn = body.get("PartNumber") or body.get("partNumber")
    if product is None and isinstance(pn, str):
        product = find_product(sim.store, pn)
    if product is None:
        return _error(404, f"Product {pn or body.get('productId')} not found; create the product before its revisions.")
    if _given(body.get("productRevisionId")):
        current = next(
            (r for r in product["revisions"] if same(r["productRevisionId"], body["productRevisionId"])), None
        )
        if current is None:
            return _error(404, f"Revision with productRevisionId {body['productRevisionId']} not found.")
    else:
        current = find_revision(product, revision)
    if current is None:
        current = {"productRevisionId": _id("revision", product["partNumber"], revision)}
        product["revisions"].append(current)
    for name, value in body.items():
        if name not in ("tags", "productRevisionId", "productId", "PartNumber", "partNumber"):
            current[name] = value
    current.setdefault("state", 1)
    return 200, _revision_out(product, current)


def _get_revision(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    product = find_product(sim.store, params["partNumber"])
    rev = find_revision(product, params["revision"]) if product else None
    if product is None or rev is None:
        return _error(404, f"Product {params['partNumber']} revision {params['revision']} not found.")
    return 200, _revision_out(product, rev)


# -- BOM ---------------------------------------------------------------------------------------


def _bom_entry(sim: Server, part_number: str, revision: str) -> dict[str, Any] | None:
    return next(
        (b for b in sim.store.collection(BOMS) if same(b["partNumber"], part_number) and same(b["revision"], revision)),
        None,
    )


def _wsbf(body: bytes) -> tuple[str, str, list[dict[str, Any]]] | str:
    """The part number, revision and components of a WSBF document, or what is wrong with it."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        return f"The BOM is not a valid WSBF document: {exc}."
    if root.tag.removeprefix(_WSBF) != "BOM" or not root.get("Partnumber") or not root.get("Revision"):
        return "The BOM must be a WSBF <BOM Partnumber=... Revision=...> document."
    components = []
    for el in root:
        if el.tag.removeprefix(_WSBF) != "Component":
            return "Every BOM line must be a <Component Number=...> element."
        found = _component(dict(el.attrib))
        if isinstance(found, str):
            return found
        components.append(found)
    return root.get("Partnumber", ""), root.get("Revision", ""), components


def _component(line: Any) -> dict[str, Any] | str:
    """A BOM line (WSBF ``Component`` attributes) as stored, or what is wrong with it."""
    if not isinstance(line, dict) or not isinstance(line.get("Number"), str) or not line["Number"]:
        return "Every BOM line must have a Number (the component's part number)."
    qty = line.get("Qty", 1)
    try:
        qty = int(qty) if not isinstance(qty, bool) else None
    except (TypeError, ValueError):
        qty = None
    if qty is None or qty < 0:
        return f"Qty of {line['Number']} is not a non-negative integer."
    comp: dict[str, Any] = {"Number": line["Number"], "Qty": qty, "QtySpecified": "Qty" in line}
    for name in ("Rev", "Desc", "Ref", "FunctionBlock"):
        if line.get(name) is not None:
            comp[name] = str(line[name])
    return comp


def _save_bom(sim: Server, pn: str, rev: str, components: list[dict[str, Any]]) -> Result:
    with sim.store.lock:
        product = find_product(sim.store, pn)
        if product is None or find_revision(product, rev) is None:
            return _error(404, f"Product {pn} revision {rev} not found.")
        entry = _bom_entry(sim, pn, rev)
        if entry is None:
            sim.store.collection(BOMS).append({"partNumber": pn, "revision": rev, "components": components})
        else:
            entry["components"] = components
    return 200, True


def _put_bom(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    parsed = _wsbf(req.body)
    if isinstance(parsed, str):
        return _error(400, parsed)
    return _save_bom(sim, *parsed)


def _put_bom_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """``PUT /api/internal/Product/BOM?partNumber&revision&format``: ``json`` (a list of BOM lines) or ``xml``."""
    pn, rev, kind = params["partNumber"], params["revision"], fold(params["format"])
    if kind == "xml":
        parsed = _wsbf(req.body)
        if isinstance(parsed, str):
            return _error(400, parsed)
        if not (same(parsed[0], pn) and same(parsed[1], rev)):
            return _error(400, f"The BOM document is for {parsed[0]} {parsed[1]}, not {pn} {rev}.")
        return _save_bom(sim, pn, rev, parsed[2])
    if kind != "json":
        return _error(400, f"Unknown BOM format '{params['format']}': use json or xml.")
    body = req.json()
    if not isinstance(body, list):
        return _error(400, "The BOM must be a JSON list of lines.")
    components = []
    for line in body:
        found = _component(line)
        if isinstance(found, str):
            return _error(400, found)
        components.append(found)
    return _save_bom(sim, pn, rev, components)


def _get_bom(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    pn, rev = params["partNumber"], params["revision"]
    with sim.store.lock:
        product = find_product(sim.store, pn)
        if product is None or find_revision(product, rev) is None:
            return _error(404, f"Product {pn} revision {rev} not found.")
        entry = _bom_entry(sim, pn, rev)
        return 200, copy.deepcopy(entry["components"]) if entry else []


# -- groups ------------------------------------------------------------------------------------


def _get_groups(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    out = copy.deepcopy(sorted(sim.store.collection(GROUPS), key=lambda g: g["id"]))
    if not params.get("includeFilters"):
        for group in out:
            group.pop("details", None)
    return 200, out


def _post_group(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """A new product group (a "product selection"): a name, a description, optional part-number lines."""
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        return _error(400, "A product selection needs a name.")
    details = body.get("details") or []
    if not isinstance(details, list) or not all(isinstance(d, dict) and d.get("partNumber") for d in details):
        return _error(400, "Each product selection detail needs a partNumber.")
    groups = sim.store.collection(GROUPS)
    new_id = max((int(g["id"]) for g in groups), default=0) + 1
    detail_id = max((int(d["id"]) for g in groups for d in g.get("details") or []), default=0)
    group = {
        "id": new_id,
        "name": body["name"].strip(),
        "owner": str(body.get("owner") or "simulator"),
        "description": str(body.get("description") or ""),
        "type": int(body.get("type") or 0),
        "syncId": str(uuid.uuid4()),
        "details": [
            {
                "id": detail_id + i + 1,
                "productSelectionId": new_id,
                "partNumber": str(d["partNumber"]),
                "revision": d.get("revision") or None,
                "prodSel": 0,
                "exclude": bool(d.get("exclude")),
                "orderNo": i,
            }
            for i, d in enumerate(details)
        ],
    }
    groups.append(group)
    return 200, copy.deepcopy(group)


def product_groups_of(store: Store, part_number: Any, revision: Any = "") -> list[dict[str, Any]]:
    """The product groups (stored records, details included) whose selection takes this product."""
    pn, rev = part_number, revision or ""

    def hit(detail: dict[str, Any]) -> bool:
        return same(detail.get("partNumber", ""), pn) and (
            not detail.get("revision") or not rev or same(detail["revision"], rev)
        )

    found = []
    for group in sorted(store.collection(GROUPS), key=lambda g: g["id"]):
        details = group.get("details", [])
        included = any(hit(d) for d in details if not d.get("exclude"))
        if included and not any(hit(d) for d in details if d.get("exclude")):
            found.append(group)
    return found


def _get_groups_by_product(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    found = []
    for group in product_groups_of(sim.store, params["partNumber"], params.get("revision")):
        item = copy.deepcopy(group)
        item.pop("details", None)
        found.append(item)
    return 200, found


# -- vendors -----------------------------------------------------------------------------------


def _vendor_list(body: Any) -> list[dict[str, Any]] | str:
    if not isinstance(body, list):
        return "The vendors must be a JSON array."
    for i, item in enumerate(body):
        if not isinstance(item, dict) or not isinstance(item.get("VendorName"), str) or not item["VendorName"].strip():
            return f"[{i}] VendorName is required."
    return body


def _get_vendors(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return 200, copy.deepcopy(sorted(sim.store.collection(VENDORS), key=lambda v: fold(v["VendorName"])))


def _put_vendors(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = _vendor_list(req.json())
    if isinstance(body, str):
        return _error(400, body)
    vendors = sim.store.collection(VENDORS)
    saved = []
    with sim.store.lock:
        for item in body:
            current = next((v for v in vendors if same(v["VendorName"], item["VendorName"])), None)
            if current is None:
                current = {}
                vendors.append(current)
            current.update(item)
            saved.append(copy.deepcopy(current))
    return 200, saved


def _delete_vendors(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = _vendor_list(req.json())
    if isinstance(body, str):
        return _error(400, body)
    vendors = sim.store.collection(VENDORS)
    with sim.store.lock:
        names = {fold(v["VendorName"]) for v in body}
        kept = [v for v in vendors if fold(v["VendorName"]) not in names]
        deleted = len(vendors) - len(kept)
        vendors[:] = kept
    return 200, {"Deleted": deleted}


# -- categories (internal) ---------------------------------------------------------------------


def _get_categories(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    categories = sorted(sim.store.collection(CATEGORIES), key=lambda c: str(c.get("Name")))
    return 200, copy.deepcopy(categories)


def _put_categories(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = req.json()
    if not isinstance(body, list) or not all(isinstance(c, dict) and c.get("Name") for c in body):
        return _error(400, "The categories must be a JSON array of objects with a Name.")
    categories = sim.store.collection(CATEGORIES)
    saved = []
    with sim.store.lock:
        for item in body:
            cid = item.get("ProductCategoryId") if _given(item.get("ProductCategoryId")) else None
            current = next((c for c in categories if cid and same(c["ProductCategoryId"], cid)), None)
            if current is None:
                current = {"ProductCategoryId": cid or _id("category", str(item["Name"]))}
                categories.append(current)
            current.update({k: v for k, v in item.items() if k != "ProductCategoryId"})
            saved.append(copy.deepcopy(current))
    return 200, saved


# -- box build: revision relations (internal) --------------------------------------------------


def _internal_revision(product: dict[str, Any], rev: dict[str, Any]) -> dict[str, Any]:
    return {
        "ProductRevisionId": rev["productRevisionId"],
        "ProductId": product["productId"],
        "Revision": rev["revision"],
        "Name": rev.get("name"),
        "Description": rev.get("description"),
        "State": rev.get("state", 1),
        "Product": {
            "ProductId": product["productId"],
            "PartNumber": product["partNumber"],
            "Name": product.get("name"),
        },
    }


def _relation_out(sim: Server, relation: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(relation)
    child = revision_by_id(sim.store, str(relation["ProductRevisionId"]))
    if child is not None:
        out["ChildProductRevision"] = _internal_revision(*child)
    return out


def _get_product_info(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    pn, revision = params["partNumber"], params["revision"]
    with sim.store.lock:
        product = find_product(sim.store, pn)
        rev = find_revision(product, revision) if product else None
        if product is None or rev is None:
            return _error(404, f"Product {pn} revision {revision} not found.")
        out = _internal_revision(product, rev)
        out["ChildProductRevisionRelations"] = [
            _relation_out(sim, r)
            for r in sim.store.collection(RELATIONS)
            if same(r["ParentProductRevisionId"], rev["productRevisionId"])
        ]
    return 200, out


def _check_relation(sim: Server, body: Any) -> str | None:
    if not isinstance(body, dict):
        return "The relation must be a JSON object."
    qty = body.get("Quantity", 1)
    if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
        return "Quantity must be a positive integer."
    for name in ("ParentProductRevisionId", "ProductRevisionId"):
        value = body.get(name)
        if not isinstance(value, str) or revision_by_id(sim.store, value) is None:
            return f"{name} {value!r} is not a known product revision."
    if same(body["ParentProductRevisionId"], body["ProductRevisionId"]):
        return "A product revision cannot contain itself."
    return None


def _find_relation(sim: Server, relation_id: Any) -> dict[str, Any] | None:
    relations = sim.store.collection(RELATIONS)
    return next((r for r in relations if same(r["ProductRevisionRelationId"], relation_id)), None)


def _post_relation(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = req.json()
    with sim.store.lock:
        problem = _check_relation(sim, body)
        if problem:
            return _error(400, problem)
        relation = {
            "ProductRevisionRelationId": str(uuid.uuid4()),
            "ParentProductRevisionId": body["ParentProductRevisionId"],
            "ProductRevisionId": body["ProductRevisionId"],
            "Quantity": body.get("Quantity", 1),
            "RevisionMask": body.get("RevisionMask"),
        }
        sim.store.collection(RELATIONS).append(relation)
        return 200, _relation_out(sim, relation)


def _put_relation(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = req.json()
    with sim.store.lock:
        rid = body.get("ProductRevisionRelationId") if isinstance(body, dict) else None
        current = _find_relation(sim, rid) if rid else None
        if current is None:
            return _error(404, f"Product revision relation {rid or '(none)'} not found.")
        merged = {**current, **{k: v for k, v in body.items() if k in ("Quantity", "RevisionMask")}}
        problem = _check_relation(sim, merged)
        if problem:
            return _error(400, problem)
        current.update(merged)
        return 200, _relation_out(sim, current)


def _delete_relation(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    rid = params["productRevisionRelationId"]
    relations = sim.store.collection(RELATIONS)
    with sim.store.lock:
        current = _find_relation(sim, rid)
        if current is None:
            return _error(404, f"Product revision relation {rid} not found.")
        relations.remove(current)
    return 200, True


_put_product, _put_products = _put_one(_save_product), _put_many(_save_product, "products")
_put_revision, _put_revisions = _put_one(_save_revision), _put_many(_save_revision, "revisions")

ROUTES: dict[str, Handler] = {
    "GET /api/Product/Query": _locked(_query_products),
    "GET /api/Product/{partNumber}": _locked(_get_product),
    "PUT /api/Product": _locked(_put_product),
    "PUT /api/Products": _locked(_put_products),
    "GET /api/Product/{partNumber}/{revision}": _locked(_get_revision),
    "PUT /api/Product/Revision": _locked(_put_revision),
    "PUT /api/Products/Revisions": _locked(_put_revisions),
    "PUT /api/Product/BOM": _locked(_put_bom),
    "PUT /api/internal/Product/BOM": _locked(_put_bom_internal),
    "POST /api/internal/ProductSelection/PostProductSelection": _locked(_post_group),
    "GET /api/internal/Product/Bom": _locked(_get_bom),
    "GET /api/App/ProductGroups": _locked(_get_groups),
    "GET /api/Product/ProductGroupsByProduct": _locked(_get_groups_by_product),
    "GET /api/Product/Vendors": _locked(_get_vendors),
    "PUT /api/Product/Vendors": _locked(_put_vendors),
    "DELETE /api/Product/Vendors": _locked(_delete_vendors),
    "GET /api/internal/Product/GetProductCategories": _locked(_get_categories),
    "PUT /api/internal/Product/PutProductCategories": _locked(_put_categories),
    "GET /api/internal/Product/GetProductInfo": _locked(_get_product_info),
    "POST /api/internal/Product/PostProductRevisionRelation": _locked(_post_relation),
    "PUT /api/internal/Product/PutProductRevisionRelation": _locked(_put_relation),
    "DELETE /api/internal/Product/DeleteProductRevisionRelation": _locked(_delete_relation),
}


# -- seeded catalogue --------------------------------------------------------------------------

# part number, name, description, non-serial, state, revisions, xmlData
_CATALOGUE: list[tuple[str, str, str | None, bool, int, list[str], str | None]] = [
    (
        "WIDGET-001",
        "Widget",
        "Standard widget",
        False,
        1,
        ["A", "B"],
        '<Root><Category Value="Electronics"/><RoHS Value="Compliant"/></Root>',
    ),
    ("OLD-WIDGET", "Old Widget", "Superseded by WIDGET-001", False, 1, ["A"], None),
    ("PN-001", "Sensor board", None, False, 1, ["A", "B"], None),
    ("PN-002", "Power board", None, False, 1, ["A"], None),
    ("PN-003", "Display board", None, False, 0, ["A"], None),
    ("PN-004", "Relay board", None, False, 1, ["A"], None),
    ("PN-005", "Fan module", None, True, 1, ["A"], None),
    ("SCREW-M3-6MM", "M3 x 6mm Screw", "Stainless steel machine screw", True, 1, ["A"], None),
    ("MAIN-ASSEMBLY", "Main Assembly", "Final product box build", False, 1, ["A"], None),
    ("PCBA-001", "Main PCBA", None, False, 1, ["A"], None),
    ("PSU-MODULE", "Power Supply Module", None, False, 1, ["A", "B"], None),
    ("ENCLOSURE", "Enclosure", None, True, 1, ["A"], None),
    ("CABLE-ASSY", "Cable Assembly", None, False, 1, ["A", "B", "C"], None),
    ("LAPTOP-X1", "Laptop X1", None, False, 1, ["A"], None),
    ("MOTHERBOARD", "Motherboard", None, False, 1, ["A"], None),
    ("SCREEN-15INCH", "15 inch screen", None, False, 1, ["A", "B"], None),
    ("KEYBOARD-US", "US keyboard", None, False, 1, ["A"], None),
    ("BATTERY-PACK", "Battery pack", None, False, 1, ["A", "B", "C"], None),
    ("RAM-8GB", "8GB RAM module", None, False, 1, ["A"], None),
    ("SSD-512GB", "512GB SSD", None, False, 1, ["A"], None),
]

_BOM = [
    {
        "Number": "RESISTOR-10K",
        "Rev": "A",
        "Qty": 4,
        "QtySpecified": True,
        "Desc": "10K ohm resistor",
        "Ref": "R1,R2,R3,R4",
    },
    {
        "Number": "CAPACITOR-100UF",
        "Rev": "A",
        "Qty": 2,
        "QtySpecified": True,
        "Desc": "100uF capacitor",
        "Ref": "C1,C2",
    },
    {
        "Number": "IC-MICROCONTROLLER",
        "Rev": "A",
        "Qty": 1,
        "QtySpecified": True,
        "Desc": "Microcontroller",
        "Ref": "U1",
    },
]

# CABLE-ASSY rev C starts in the box build, so updating or removing a line works on a fresh server.
_MAIN_ASSEMBLY = [("PCBA-001", "A", 1), ("PSU-MODULE", "B", 1), ("ENCLOSURE", "A", 1), ("CABLE-ASSY", "C", 3)]


def seed() -> dict[str, list[dict[str, Any]]]:
    """The initial Product collections, in wire format."""
    products = []
    for pn, name, description, non_serial, state, revisions, xml_data in _CATALOGUE:
        product: dict[str, Any] = {
            "productId": _id("product", pn),
            "partNumber": pn,
            "name": name,
            "description": description,
            "nonSerial": non_serial,
            "state": state,
            "xmlData": xml_data,
            "revisions": [
                {
                    "productRevisionId": _id("revision", pn, rev),
                    "revision": rev,
                    "name": f"Rev {rev}",
                    "description": f"{name} revision {rev}",
                    "state": 1,
                }
                for rev in revisions
            ],
        }
        products.append(product)
    parent = _id("revision", "main-assembly", "a")
    relations = [
        {
            "ProductRevisionRelationId": _id("relation", "main-assembly", pn, rev),
            "ParentProductRevisionId": parent,
            "ProductRevisionId": _id("revision", pn, rev),
            "Quantity": qty,
            "RevisionMask": None,
        }
        for pn, rev, qty in _MAIN_ASSEMBLY
    ]
    groups = [
        {
            "id": 1,
            "name": "Electronics",
            "owner": "admin",
            "description": "Boards and modules",
            "type": 0,
            "syncId": _id("group", "electronics"),
            "details": [
                {
                    "id": 1,
                    "productSelectionId": 1,
                    "partNumber": "WIDGET-001",
                    "revision": None,
                    "prodSel": 0,
                    "exclude": False,
                    "orderNo": 0,
                },
                {
                    "id": 2,
                    "productSelectionId": 1,
                    "partNumber": "PCBA-001",
                    "revision": "A",
                    "prodSel": 0,
                    "exclude": False,
                    "orderNo": 1,
                },
            ],
        },
        {
            "id": 2,
            "name": "Widgets",
            "owner": "admin",
            "description": None,
            "type": 0,
            "syncId": _id("group", "widgets"),
            "details": [
                {
                    "id": 3,
                    "productSelectionId": 2,
                    "partNumber": "WIDGET-001",
                    "revision": "A",
                    "prodSel": 0,
                    "exclude": False,
                    "orderNo": 0,
                }
            ],
        },
        {
            "id": 3,
            "name": "New Products",
            "owner": "admin",
            "description": "Products in introduction",
            "type": 0,
            "syncId": _id("group", "new-products"),
            "details": [],
        },
    ]
    vendors = [
        {"VendorName": "Acme Components Inc.", "contact": "John Doe", "email": "sales@acmecomponents.com"},
        {"VendorName": "Nordic Parts AS", "contact": "Kari Nordmann", "email": "kari@nordicparts.example"},
    ]
    categories = [
        {"ProductCategoryId": _id("category", "pcb"), "Name": "PCB", "Description": "Printed circuit boards"},
        {"ProductCategoryId": _id("category", "assembly"), "Name": "Assembly", "Description": "Box builds"},
    ]
    return {
        PRODUCTS: products,
        BOMS: [{"partNumber": "WIDGET-001", "revision": "A", "components": _BOM}],
        RELATIONS: relations,
        GROUPS: groups,
        VENDORS: vendors,
        CATEGORIES: categories,
    }


def load(data: dict[str, Any], store: Store) -> None:
    """``products``: a list of products as ``GET /api/Product/{partNumber}`` gives them.

    They replace the seeded catalogue (and, as those refer to it, the seeded BOMs and box
    build relations). Ids left out are made up; ``tags`` come from each ``xmlData``.
    """
    items = data_list(data, PRODUCTS)
    if items is None:
        return
    products: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        problem = _check_product(item)
        if problem:
            raise DataError(f"products[{i}]: {problem}")
        key = fold(item["partNumber"])
        if key in seen:
            raise DataError(f"products[{i}]: part number {item['partNumber']!r} appears twice")
        seen.add(key)
        revisions = item.get("revisions") or []
        if not isinstance(revisions, list):
            raise DataError(f"products[{i}].revisions must be a list")
        product = {k: v for k, v in item.items() if k != "tags"}
        product.setdefault("productId", _id("product", key))
        product.setdefault("state", 1)
        product["nonSerial"] = bool(product.get("nonSerial"))
        product["revisions"] = []
        for j, rev in enumerate(revisions):
            name = rev.get("revision") if isinstance(rev, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise DataError(f"products[{i}].revisions[{j}]: revision is required")
            if rev.get("state", 1) not in (0, 1) or not _valid_xml(rev.get("xmlData")):
                raise DataError(f"products[{i}].revisions[{j}]: state must be 0 or 1 and xmlData valid XML")
            stored = {k: v for k, v in rev.items() if k not in ("tags", "PartNumber", "productId")}
            stored.setdefault("productRevisionId", _id("revision", key, name))
            stored.setdefault("state", 1)
            product["revisions"].append(stored)
        products.append(product)
    store.seed(PRODUCTS, products)
    store.seed(BOMS, [])
    store.seed(RELATIONS, [])
