"""Filling in a modal the way a person would, for tests and the demo.

`form_values(view, person="U1", text="hi")` builds the `view.state.values` Slack sends on
submit: every input block of the view, keyed by block_id then action_id, with the value
given for that block_id (by element type), else the element's initial value (as Slack
does for a field the person did not touch), else empty.
"""

from __future__ import annotations

from typing import Any


def form_values(view: dict[str, Any], **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    known: set[str] = set()
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        known.add(block_id)
        value = fields[block_id] if block_id in fields else _initial(element)
        values[block_id] = {element["action_id"]: _state(element, value)}
    unknown = set(fields) - known
    if unknown:
        raise KeyError(f"the form has no input blocks named {sorted(unknown)}")
    return values


def _initial(element: dict[str, Any]) -> Any:
    if "initial_user" in element:
        return element["initial_user"]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    if "initial_options" in element:
        return [option["value"] for option in element["initial_options"]]
    return element.get("initial_value", element.get("initial_date"))


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": _option(element, value) if value else None}
    if kind == "checkboxes":
        chosen = [value] if isinstance(value, str) else list(value or [])
        return {"type": kind, "selected_options": [_option(element, v) for v in chosen]}
    if kind == "plain_text_input":
        return {"type": kind, "value": value}
    if kind == "number_input":
        return {"type": kind, "value": None if value is None else str(value)}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    raise ValueError(f"form_values cannot fill a {kind} yet")


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in element.get("options", []):
        if option["value"] == value:
            return option
    raise KeyError(f"no option {value!r} in {element['action_id']}")


def _initial(element: dict[str, Any]) -> Any:
    """What an element shows when the view opens."""
    kind = element["type"]
    if kind == "users_select":
        return element.get("initial_user")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    if kind == "checkboxes":
        return [option["value"] for option in element.get("initial_options") or []]
    if kind == "timepicker":
        return element.get("initial_time")
    if kind == "datepicker":
        return element.get("initial_date")
    return element.get("initial_value")
